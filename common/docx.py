"""A short official document in Word (python-docx) with the GB/T 9704-2012 basics (EXPORT.md).

For the one- or two-page documents the apps send (a member's year in review, an evaluation's
result): A4, margins 37/35/28/26 mm, title 22 pt 方正小标宋简体 centred, body 16 pt 仿宋_GB2312
with a two-character first-line indent and exact 28.95 pt lines, first-level headings 黑体,
bordered tables of 14 pt text with every cell's width set, page numbers “— N —” as a PAGE field
in 14 pt 宋体, and the signature (organisation, date) right-aligned. Fonts are named with
``w:eastAsia`` on the styles and runs. The long work summary has its own writer in ``reports``.
"""

from __future__ import annotations

import datetime
import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY_FONT, BODY_SIZE = "仿宋_GB2312", Pt(16)
TITLE_FONT, TITLE_SIZE = "方正小标宋简体", Pt(22)
HEADING_FONT = "黑体"
TABLE_SIZE, TABLE_LINE = Pt(14), Pt(22)
PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE = "宋体", Pt(14)
LINE_PITCH = Pt(28.95)
TEXT_WIDTH_MM = 156
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _fonts(rpr, font: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), font)


def _run(paragraph, text: str, font: str, size, *, bold: bool = False):
    run = paragraph.add_run(XML_INVALID.sub("", text))
    run.font.size = size
    run.font.bold = bold
    _fonts(run._r.get_or_add_rPr(), font)
    return run


def _indent_chars(paragraph, chars: int) -> None:
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(round(BODY_SIZE.twips * chars)))


def _spacing(paragraph, line, *, align=None) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    if align is not None:
        paragraph.alignment = align


def _page_number(paragraph, align) -> None:
    paragraph.alignment = align

    def run(text=""):
        return _run(paragraph, text, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)

    run("— ")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None)):
        element = OxmlElement("w:instrText" if kind == "instr" else "w:fldChar")
        if kind == "instr":
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element.set(qn("w:fldCharType"), kind)
        run()._r.append(element)
    run("1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run()._r.append(end)
    run(" —")


def _cell_width(cell, width_mm: float) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    tcw = tcpr.find(qn("w:tcW"))
    if tcw is None:
        tcw = OxmlElement("w:tcW")
        tcpr.insert(0, tcw)
    tcw.set(qn("w:w"), str(round(Mm(width_mm).twips)))
    tcw.set(qn("w:type"), "dxa")


def _borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    tblpr.append(borders)


class OfficialDocument:
    """Build with ``heading`` / ``paragraph`` / ``table`` / ``signature``; ``to_bytes`` at the end."""

    def __init__(self, title: str):
        self.word = Document()
        section = self.word.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        self.word.settings.odd_and_even_pages_header_footer = True
        _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        section.even_page_footer.is_linked_to_previous = False
        _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
        normal = self.word.styles["Normal"]
        normal.font.size = BODY_SIZE
        _fonts(normal.element.get_or_add_rPr(), BODY_FONT)
        body = self.word.element.body
        for paragraph in body.findall(qn("w:p")):
            body.remove(paragraph)
        self.word.core_properties.title = title
        heading = self.word.add_paragraph()
        _spacing(heading, LINE_PITCH, align=WD_ALIGN_PARAGRAPH.CENTER)
        heading.paragraph_format.space_after = LINE_PITCH
        _run(heading, title, TITLE_FONT, TITLE_SIZE)

    def heading(self, text: str) -> None:
        """A first-level heading (“一、……”), 黑体, kept with what follows."""
        paragraph = self.word.add_paragraph()
        _spacing(paragraph, LINE_PITCH, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        _indent_chars(paragraph, 2)
        paragraph.paragraph_format.keep_with_next = True
        _run(paragraph, text, HEADING_FONT, BODY_SIZE)

    def paragraph(self, text: str) -> None:
        for line in text.splitlines() or [""]:
            paragraph = self.word.add_paragraph()
            _spacing(paragraph, LINE_PITCH, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            _indent_chars(paragraph, 2)
            _run(paragraph, line, BODY_FONT, BODY_SIZE)

    def table(self, header: list[str] | None, rows: list[list[str]], widths_mm: list[float]):
        """A bordered table; ``widths_mm`` add up to the 156 mm line or less."""
        count = len(rows) + (1 if header else 0)
        table = self.word.add_table(rows=count, cols=len(widths_mm))
        table.autofit = False
        _borders(table)
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
            col.set(qn("w:w"), str(round(Mm(width).twips)))
        lines = ([header] if header else []) + rows
        for row_index, values in enumerate(lines):
            for cell, value, width in zip(
                table.rows[row_index].cells, values, widths_mm, strict=True
            ):
                _cell_width(cell, width)
                paragraph = cell.paragraphs[0]
                _spacing(paragraph, TABLE_LINE)
                bold = bool(header) and row_index == 0
                _run(paragraph, str(value), BODY_FONT, TABLE_SIZE, bold=bold)
        return table

    def signature(self, organisation: str, day: datetime.date) -> None:
        """After one blank line: the organisation, the date below it, right-aligned."""
        self.paragraph("")
        for text in (organisation, f"{day.year}年{day.month}月{day.day}日"):
            paragraph = self.word.add_paragraph()
            _spacing(paragraph, LINE_PITCH, align=WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)
            _run(paragraph, text, BODY_FONT, BODY_SIZE)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.word.save(buffer)
        return buffer.getvalue()


CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
