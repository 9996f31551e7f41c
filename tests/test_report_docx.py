"""The Word writer's layout (GB/T 9704-2012 as EXPORT.md gives it), read back with python-docx."""

import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from reports.document import (
    Cell,
    Document,
    Heading,
    ListBlock,
    Paragraph,
    Run,
    Section,
    Signature,
    Table,
)
from reports.writers.docx import write_docx
from reports.writers.text import signature_indents

TWIP = 635  # EMU in one twip: lengths are stored in twips

HOSTILE = "<script>alert('x')</script> & =cmd|' /C calc'!A0"


def sample() -> Document:
    return Document(
        title="测试党支部创先争优工作总结",
        filename="x",
        blocks=[
            Paragraph([Run("开篇，"), Run("19", figure="承诺签订人数"), Run("名党员。")]),
            Section(
                Heading(1, "一、", "制定计划"),
                [Section(Heading(3, "1.", "成立领导小组"), [Paragraph.plain(HOSTILE)])],
            ),
            Section(Heading(2, "（一）", "二级标题"), [ListBlock([Paragraph.plain("（1）事项")])]),
            Section(Heading(4, "（1）", "四级标题"), []),
            Table(
                [40, 48, 28, 40],
                [
                    [
                        Cell([Paragraph.plain("名称", indent=False)], label=True),
                        Cell([Paragraph.plain("全称", indent=False)], colspan=3),
                    ],
                    [
                        Cell([Paragraph.plain("负责人", indent=False)], label=True),
                        Cell([Paragraph.plain("王卫珍", indent=False)]),
                        Cell([Paragraph.plain("电话", indent=False)], label=True),
                        Cell([Paragraph.plain("64362741", indent=False)]),
                    ],
                    [
                        Cell([Paragraph.plain("特色", indent=False)], label=True),
                        Cell(
                            [
                                Paragraph.plain("1、甲", indent=False),
                                Paragraph.plain("2、乙", indent=False),
                            ],
                            colspan=3,
                        ),
                    ],
                ],
            ),
        ],
        signature=Signature("田林二中党支部", "2012年9月"),
    )


@pytest.fixture(scope="module")
def word():
    return docx.Document(io.BytesIO(write_docx(sample())))


def east_asian(element) -> str | None:
    fonts = (
        element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        if element.tag != qn("w:rPr")
        else element.find(qn("w:rFonts"))
    )
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def style_font(word, name) -> str:
    return word.styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))


def test_page_is_a4_with_the_standard_margins(word):
    section = word.sections[0]
    assert abs(section.page_width - Mm(210)) <= TWIP
    assert abs(section.page_height - Mm(297)) <= TWIP
    assert abs(section.top_margin - Mm(37)) <= TWIP
    assert abs(section.bottom_margin - Mm(35)) <= TWIP
    assert abs(section.left_margin - Mm(28)) <= TWIP
    assert abs(section.right_margin - Mm(26)) <= TWIP


def test_styles_name_east_asian_fonts_and_no_theme_fonts(word):
    assert style_font(word, "Normal") == "仿宋_GB2312"
    assert style_font(word, "Title") == "方正小标宋简体"
    assert style_font(word, "Heading 1") == "黑体"
    assert style_font(word, "Heading 2") == "楷体_GB2312"
    assert style_font(word, "Heading 3") == "仿宋_GB2312"
    assert style_font(word, "Heading 4") == "仿宋_GB2312"
    defaults = word.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert defaults.get(qn("w:eastAsia")) == "仿宋_GB2312"
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        fonts = word.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None


def test_sizes_bold_and_title_centred(word):
    assert word.styles["Normal"].font.size == Pt(16)
    assert word.styles["Title"].font.size == Pt(22)
    assert word.styles["Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert word.styles["Heading 3"].font.bold is True
    assert not word.styles["Heading 1"].font.bold


def test_body_has_exact_line_spacing_first_line_indent_and_a_line_grid(word):
    fmt = word.styles["Normal"].paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert abs(fmt.line_spacing - Pt(28.95)) <= TWIP
    ind = word.styles["Normal"].element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    grid = word.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"
    spacing = word.styles["Normal"].element.rPr.find(qn("w:spacing"))
    assert int(spacing.get(qn("w:val"))) < 0  # condensed so that 28 characters fit a line


def test_every_run_names_its_east_asian_font(word):
    runs = [run for paragraph in word.paragraphs for run in paragraph.runs]
    assert runs
    assert all(run._r.rPr.rFonts.get(qn("w:eastAsia")) for run in runs)


def test_headings_in_order_with_their_styles(word):
    headings = [
        (p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "一、制定计划"),
        ("Heading 3", "1.成立领导小组"),
        ("Heading 2", "（一）二级标题"),
        ("Heading 4", "（1）四级标题"),
    ]
    assert word.paragraphs[0].style.name == "Title"
    assert word.paragraphs[0].text == "测试党支部创先争优工作总结"


def test_user_text_is_written_as_plain_text(word):
    assert any(p.text == HOSTILE for p in word.paragraphs)


def test_page_number_is_a_page_field_in_odd_and_even_footers(word):
    assert word.settings.odd_and_even_pages_header_footer
    section = word.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        instructions = [i.text.strip() for i in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.alignment == align
        assert all(run.font.size == Pt(14) for run in paragraph.runs)
        assert all(run._r.rPr.rFonts.get(qn("w:eastAsia")) == "宋体" for run in paragraph.runs)


def test_table_is_bordered_with_every_width_set(word):
    table = word.tables[0]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {child.get(qn("w:val")) for child in borders} == {"single"}
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid == [round(Mm(w).twips) for w in (40, 48, 28, 40)]
    for tr in table._tbl.tr_lst:
        assert sum(int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in tr.tc_lst) == sum(grid)
    merged = table.rows[0]._tr.tc_lst[1]
    assert merged.grid_span == 3


def test_table_paragraphs_have_no_first_line_indent_and_no_leftover_paragraphs(word):
    table = word.tables[0]
    for cell in table._cells:
        for paragraph in cell.paragraphs:
            ind = paragraph._p.pPr.find(qn("w:ind"))
            assert ind is not None and ind.get(qn("w:firstLineChars")) == "0"
    featured = table.rows[2].cells[1]
    assert [p.text for p in featured.paragraphs] == ["1、甲", "2、乙"]
    assert [p.text for p in table.rows[0].cells[1].paragraphs] == ["全称"]


def test_signature_after_a_blank_line_right_aligned_name_then_date(word):
    last = word.paragraphs[-3:]
    assert [p.text for p in last] == ["", "田林二中党支部", "2012年9月"]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in last[1:])
    name_indent = int(last[1]._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")))
    date_indent = int(last[2]._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")))
    assert name_indent == 200  # two characters in from the right
    assert date_indent == 250  # starts two characters right of the name (7 − 4.5 wide)


def test_a_long_title_is_split_into_balanced_lines():
    title = "中共上海市田林第二中学支部委员会关于创先争优活动的工作总结报告"
    word = docx.Document(io.BytesIO(write_docx(Document(title=title, filename="x"))))
    breaks = word.paragraphs[0]._p.findall(".//" + qn("w:br"))
    assert len(breaks) == 1
    first, second = word.paragraphs[0].text.split("\n")
    assert abs(len(first) - len(second)) <= 1


def test_a_date_longer_than_the_name_sits_two_in_and_pushes_the_name_left():
    name_indent, date_indent = signature_indents(Signature("某支部", "2012年9月"))
    assert date_indent == 2
    assert name_indent + 3 == date_indent + 4.5 + 2  # the date still starts two to the right


def test_title_and_body_are_condensed_alike_so_that_a_20_character_title_fits_a_line(word):
    for name in ("Normal", "Title"):
        spacing = word.styles[name].element.rPr.find(qn("w:spacing"))
        assert int(spacing.get(qn("w:val"))) == -5, name


def test_characters_xml_cannot_hold_are_dropped_not_fatal():
    document = Document(title="标题", filename="x", blocks=[Paragraph.plain("甲\x00乙\x07丙\x1f")])
    word = docx.Document(io.BytesIO(write_docx(document)))
    assert word.paragraphs[1].text == "甲乙丙"


def read(package: zipfile.ZipFile, name: str) -> bytes:
    blob = package.read(name)
    return etree.tostring(etree.fromstring(blob)) if name.endswith((".xml", ".rels")) else blob


def test_file_holds_what_python_docx_saves_when_it_opens_it():
    """The writer saves only the body and the properties itself: every member, with its
    contents and compression, is what python-docx writes on opening and saving the file, and
    the content types come first."""
    written = write_docx(sample())
    saved = io.BytesIO()
    docx.Document(io.BytesIO(written)).save(saved)

    with zipfile.ZipFile(io.BytesIO(written)) as ours, zipfile.ZipFile(saved) as theirs:
        assert ours.namelist()[0] == "[Content_Types].xml"
        assert sorted((i.filename, i.compress_type) for i in ours.infolist()) == sorted(
            (i.filename, i.compress_type) for i in theirs.infolist()
        )
        for name in theirs.namelist():  # XML compared as read (<a></a> is <a/>)
            assert read(ours, name) == read(theirs, name), name
        document = ours.read("word/document.xml").decode()
    assert "测试党支部创先争优工作总结" in document and "王卫珍" in document
