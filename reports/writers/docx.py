"""Word writer: the document tree as a .docx laid out per GB/T 9704-2012 (docs: EXPORT.md).

A4, margins 37/35/28/26 mm, 22 lines of 28 characters (exact 28.95 pt spacing on a line grid,
characters condensed by 0.25 pt so that 28 fit), title 22 pt 方正小标宋简体, body 16 pt
仿宋_GB2312 indented two characters, headings 一、黑体 （一）楷体_GB2312 1. 仿宋_GB2312 (bold),
page numbers “— N —” as a PAGE field in 14 pt 宋体, right on odd pages and left on even ones.
Fonts are named with ``w:eastAsia`` on styles and runs.

The page, styles and footers are the same for every document: they are set up once per process
(``_prepared``) and each export starts from a copy of that file, of which only the body and the
properties are new.
"""

from __future__ import annotations

import copy
import functools
import io
import math
import zipfile
from dataclasses import dataclass
from zipfile import ZIP_DEFLATED

from django.utils import timezone
from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml
from docx.shared import Length, Mm, Pt

from common.text import strip_control_characters

from ..document import Document, ListBlock, Paragraph, Section, Signature, Table
from . import ooxml
from .text import display_width, signature_indents

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm type area
CHARS_PER_LINE = 28

BODY_FONT, BODY_SIZE = "仿宋_GB2312", Pt(16)
TITLE_FONT, TITLE_SIZE = "方正小标宋简体", Pt(22)
PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE = "宋体", Pt(14)
TABLE_SIZE, TABLE_LINE = Pt(14), Pt(22)
HEADING_FONTS = {1: ("黑体", False), 2: ("楷体_GB2312", False), 3: (BODY_FONT, True)}
HEADING_FONTS[4] = (BODY_FONT, False)
# Page numbers sit 7 mm below the type area: the footer's bottom is that, less a 14 pt line.
FOOTER_DISTANCE = Length(Mm(35 - 7) - PAGE_NUMBER_SIZE)

ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
TABLE_STYLE = "表格文字"


def title_chars_per_line() -> int:
    """Title characters that fit a line, with the body's condensed spacing (20 at 22 pt)."""
    text_width = Length(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
    return int(text_width.pt / (TITLE_SIZE.pt + condensed_spacing() / 20))


def condensed_spacing() -> int:
    """Character spacing (twentieths of a point, negative) that fits 28 characters of 16 pt in
    the 156 mm line: they take 16 pt each and 27 fit; condensed by 0.25 pt, 28 do."""
    text_width = Length(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
    pitch = text_width.pt / CHARS_PER_LINE
    return -math.ceil((BODY_SIZE.pt - pitch) * 20)


DOCUMENT_PART, PROPERTIES_PART = "word/document.xml", "docProps/core.xml"
BODY_STYLES = ("Title", TABLE_STYLE, *(f"Heading {level}" for level in HEADING_FONTS))


@dataclass(frozen=True)
class _Prepared:
    """The prepared file as python-docx saved it, split in two: the package without the body
    and the properties (every other member compressed once, here), and those two parts as they
    stand before a document fills them; the ids of the styles the body uses."""

    package: bytes
    document: bytes
    properties: bytes
    style_ids: dict[str, str]


@functools.cache
def _prepared() -> _Prepared:
    """An empty document with the page, the styles and the page-number footers set up."""
    word = WordDocument()
    _set_up_page(word)
    _set_up_styles(word)
    body = word.element.body
    for paragraph in body.findall(ooxml.qn("w:p")):  # the default template's empty paragraph
        body.remove(paragraph)
    style_ids = {name: word.styles[name].style_id for name in BODY_STYLES}
    saved, package = io.BytesIO(), io.BytesIO()
    word.save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(package, "w", ZIP_DEFLATED) as rest:
        for info in source.infolist():
            if info.filename not in (DOCUMENT_PART, PROPERTIES_PART):
                rest.writestr(info, source.read(info))
        document, properties = source.read(DOCUMENT_PART), source.read(PROPERTIES_PART)
    return _Prepared(package.getvalue(), document, properties, style_ids)


def write_docx(document: Document) -> bytes:
    """The prepared file with the document's body and properties: those two parts are filled
    and saved as python-docx saves a part, and added to the prepared package, whose other
    members (350 kB of styles among them) are neither parsed, serialised nor compressed again.
    The file holds the members python-docx writes, with the same contents; the two new ones
    come last."""
    prepared = _prepared()
    root = parse_xml(prepared.document)
    properties = parse_xml(prepared.properties)
    _set_properties(CoreProperties(properties), document)

    body = _Body(root.body, prepared.style_ids)
    title = body.paragraph("Title")
    lines = _balanced_lines(document.title, title_chars_per_line())
    ooxml.add_run(title, lines[0], body.run(TITLE_FONT, TITLE_SIZE))
    for line in lines[1:]:
        ooxml.add_run(title, line, body.run(TITLE_FONT, TITLE_SIZE, line_break=True))

    body.blocks(document.blocks)
    if document.signature:
        body.signature(document.signature)

    buffer = io.BytesIO(prepared.package)
    with zipfile.ZipFile(buffer, "a", ZIP_DEFLATED) as package:
        package.writestr(PROPERTIES_PART, serialize_part_xml(properties))
        package.writestr(DOCUMENT_PART, serialize_part_xml(root))
    return buffer.getvalue()


def _set_properties(properties, document: Document) -> None:
    """True document properties, not python-docx's template ones (author “python-docx”,
    created 2013, comments “generated by python-docx”)."""
    now = timezone.now().replace(microsecond=0)
    # Control characters would make the file unreadable (docs/security.md, item 13).
    author = strip_control_characters(document.signature.organisation if document.signature else "")
    title = strip_control_characters(document.title)
    properties.title = title
    properties.subject = title
    properties.author = author
    properties.last_modified_by = author
    properties.created = properties.modified = now
    properties.revision = 1
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""
    properties.language = "zh-CN"


# ---------------------------------------------------------------------------------------------
# Page and styles.


def _set_up_page(word) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.footer_distance = FOOTER_DISTANCE
    ooxml.set_doc_grid(section._sectPr, line_pitch=LINE_PITCH)

    word.settings.odd_and_even_pages_header_footer = True
    ooxml.set_punctuation_compression(word.settings.element)
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    section.even_page_footer.is_linked_to_previous = False
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph, align) -> None:
    """“— N —”, one character in from the outer edge."""
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    left, right = (0, 100) if align == WD_ALIGN_PARAGRAPH.RIGHT else (100, 0)
    ppr = paragraph._p.get_or_add_pPr()
    ooxml.set_indent_chars(ppr, left=left, right=right, char=PAGE_NUMBER_SIZE)
    ooxml.set_snap_to_grid(ppr, False)
    ooxml.add_page_field(
        paragraph, style_run=lambda run: _font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    )


def _style_fonts(style, font: str, size, *, bold: bool = False) -> None:
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    rpr = style.element.get_or_add_rPr()
    ooxml.set_fonts(rpr, font)
    ooxml.remove_color(rpr)


def _style_paragraph(style, *, indent_chars: int, align, line=LINE_PITCH) -> None:
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    ppr = style.element.get_or_add_pPr()
    ooxml.remove_borders(ppr)
    ooxml.set_chinese_line_breaking(ppr)
    ooxml.set_indent_chars(ppr, first_line=indent_chars, char=BODY_SIZE)


def _set_up_styles(word) -> None:
    styles = word.styles
    defaults = ooxml.document_defaults_rpr(styles.element)
    ooxml.set_fonts(defaults, BODY_FONT)
    ooxml.set_language(defaults)

    normal = styles["Normal"]
    _style_fonts(normal, BODY_FONT, BODY_SIZE)
    ooxml.set_character_spacing(normal.element.get_or_add_rPr(), condensed_spacing())
    _style_paragraph(normal, indent_chars=200, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    normal.paragraph_format.widow_control = False

    title = styles["Title"]
    _style_fonts(title, TITLE_FONT, TITLE_SIZE)
    # The template's Title is expanded by 0.25 pt: condensed like the body, 20 characters fit.
    ooxml.set_character_spacing(title.element.get_or_add_rPr(), condensed_spacing())
    _style_paragraph(title, indent_chars=0, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_after = LINE_PITCH  # one empty line below the title

    for level, (font, bold) in HEADING_FONTS.items():
        heading = styles[f"Heading {level}"]
        _style_fonts(heading, font, BODY_SIZE, bold=bold)
        _style_paragraph(heading, indent_chars=200, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        heading.paragraph_format.keep_with_next = True

    for name in ("Header", "Footer"):
        _style_fonts(styles[name], PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        ooxml.set_indent_chars(styles[name].element.get_or_add_pPr(), char=PAGE_NUMBER_SIZE)

    table = styles.add_style(TABLE_STYLE, 1)  # 1: a paragraph style
    table.base_style = normal
    _style_fonts(table, BODY_FONT, TABLE_SIZE)
    _style_paragraph(table, indent_chars=0, align=WD_ALIGN_PARAGRAPH.JUSTIFY, line=TABLE_LINE)
    ooxml.set_snap_to_grid(table.element.get_or_add_pPr(), False)


def _font(run, font: str, size) -> None:
    """Fonts on the run itself too, for readers that ignore style fonts."""
    run.font.size = size
    ooxml.set_fonts(run._r.get_or_add_rPr(), font)


# ---------------------------------------------------------------------------------------------
# Blocks.


def _balanced_lines(text: str, per_line: int) -> list[str]:
    """A long title in lines of near-equal width (GB/T 9704: wrapped lines symmetric)."""
    width = display_width(text) / 2  # in characters
    if width <= per_line:
        return [text]
    count = math.ceil(width / per_line)
    size = math.ceil(len(text) / count)
    return [text[i : i + size] for i in range(0, len(text), size)]


class _Body:
    """Appends the tree's paragraphs and tables to the document body as XML, fast: style ids
    are looked up once and every paragraph and run is a copy of a prepared one (python-docx
    looks a style up by scanning every style, for every paragraph)."""

    def __init__(self, element, style_ids: dict[str, str]):
        self.element = element
        self.style_ids = style_ids
        self._runs: dict = {}
        self._paragraphs: dict = {}
        # where python-docx puts a paragraph (``_insert_p``): before the section properties
        self._section = element.find(ooxml.qn("w:sectPr"))

    def run(self, font: str, size, bold: bool = False, line_break: bool = False):
        key = (font, size, bold, line_break)
        if key not in self._runs:
            rpr = ooxml.run_properties(font, size, bold=bold)
            self._runs[key] = ooxml.run_template(rpr, line_break=line_break)
        return self._runs[key]

    def paragraph(self, style: str | None = None, align=None, parent=None):
        key = (style, align)
        if key not in self._paragraphs:
            style_id = self.style_ids[style] if style else None
            self._paragraphs[key] = ooxml.new_paragraph(style_id, align=align)
        p = copy.deepcopy(self._paragraphs[key])
        if parent is not None:
            parent.append(p)
        elif self._section is not None:
            self._section.addprevious(p)
        else:
            self.element.append(p)
        return p

    def blocks(self, blocks: list) -> None:
        for block in blocks:
            if isinstance(block, Section):
                level = block.heading.level
                heading = self.paragraph(f"Heading {level}")
                font = HEADING_FONTS[level][0]
                ooxml.add_run(heading, block.heading.display, self.run(font, BODY_SIZE))
                self.blocks(block.blocks)
            elif isinstance(block, Paragraph):
                self.fill(self.paragraph(), block, BODY_SIZE)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    self.fill(self.paragraph(), item, BODY_SIZE)
            elif isinstance(block, Table):
                self.table(block)

    def fill(self, p, block: Paragraph, size) -> None:
        """The runs of ``block`` into paragraph element ``p`` (its alignment and indent too)."""
        if block.align != "justify":
            p.get_or_add_pPr().jc_val = ALIGN[block.align]
        if not block.indent:
            ooxml.set_indent_chars(p.get_or_add_pPr(), char=size)
        run = self.run(BODY_FONT, size, block.bold)
        for part in block.runs:
            ooxml.add_run(p, part.text, run)  # plain text: nothing in it is markup

    def table(self, block: Table) -> None:
        """Bordered, every width set, merged cells spanning from the start; cell paragraphs in
        the table style (no first-line indent)."""
        widths = [Mm(width) for width in block.widths_mm]
        tbl = ooxml.new_table(widths)
        for cells in block.rows:
            tr = ooxml.add_table_row(tbl)
            column = 0
            for cell in cells:
                width = Length(sum(widths[column : column + cell.colspan]))
                tc = ooxml.add_table_cell(tr, width, span=cell.colspan)
                for para in cell.paragraphs or [Paragraph.plain("", indent=False)]:
                    self.fill(self.paragraph(TABLE_STYLE, parent=tc), para, TABLE_SIZE)
                column += cell.colspan
        self.element._insert_tbl(tbl)

    def signature(self, signature: Signature) -> None:
        """After one empty line: the organisation, the date below it, right-aligned (7.3.5.3)."""
        self.paragraph()
        name_indent, date_indent = signature_indents(signature)
        for text, indent in ((signature.organisation, name_indent), (signature.date, date_indent)):
            p = self.paragraph(align=WD_ALIGN_PARAGRAPH.RIGHT)
            ooxml.set_indent_chars(p.get_or_add_pPr(), right=round(indent * 100), char=BODY_SIZE)
            ooxml.add_run(p, text, self.run(BODY_FONT, BODY_SIZE))
