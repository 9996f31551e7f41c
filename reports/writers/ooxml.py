"""The small pieces of WordprocessingML python-docx has no API for, written once, here.

python-docx issues behind each: East Asian fonts (346, 154, 1139, 1396, theme fonts 1601),
character indents (685), page-number fields (498, 640, 1297), table borders (145, 433), table
widths LibreOffice honours (tcW and gridCol), empty paragraphs left by ``cell.merge`` (1442).
"""

from __future__ import annotations

import copy
import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length

THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
RPR_AFTER_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
PPR_AFTER_SNAP_TO_GRID = (
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _child(parent, tag: str, *, before: tuple[str, ...] = ()):
    """The ``tag`` child of ``parent``, created if missing ahead of any of ``before`` (the
    elements the schema puts after it), so that the file stays valid for Word."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        successors = [child for name in before for child in parent.findall(qn(name))]
        if successors:
            min(successors, key=parent.index).addprevious(element)
        else:
            parent.append(element)
    return element


def set_fonts(rpr, east_asian: str, latin: str | None = None) -> None:
    """Name the font for every script on an ``w:rPr`` (style, run or document defaults).

    ``font.name`` in python-docx sets only the Latin slots; Chinese text needs ``w:eastAsia``,
    and theme font attributes must go, or the theme's East Asian font wins over the name.
    """
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in THEME_FONT_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    latin = latin or east_asian
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def set_language(rpr, east_asian: str = "zh-CN") -> None:
    lang = _child(rpr, "w:lang", before=("w:eastAsianLayout", "w:specVanish", "w:oMath"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), east_asian)


def document_defaults_rpr(styles_element):
    """The ``w:rPr`` of ``w:docDefaults/w:rPrDefault`` (created if missing)."""
    defaults = _child(styles_element, "w:docDefaults")
    rpr_default = _child(defaults, "w:rPrDefault")
    return _child(rpr_default, "w:rPr")


def remove_color(rpr) -> None:
    for element in rpr.findall(qn("w:color")):
        rpr.remove(element)


def remove_borders(ppr) -> None:
    for element in ppr.findall(qn("w:pBdr")):
        ppr.remove(element)


def set_indent_chars(ppr, *, first_line: int = 0, left: int = 0, right: int = 0, char: Length):
    """Indents in hundredths of a character (``w:firstLineChars="200"`` is two characters).

    Word uses the character counts; the twip values next to them are for readers that do not.
    """
    ind = ppr.get_or_add_ind()
    for attribute in list(ind.attrib):
        del ind.attrib[attribute]
    ind.set(qn("w:firstLineChars"), str(first_line))
    ind.set(qn("w:firstLine"), str(round(char.twips * first_line / 100)))
    ind.set(qn("w:leftChars"), str(left))
    ind.set(qn("w:left"), str(round(char.twips * left / 100)))
    ind.set(qn("w:rightChars"), str(right))
    ind.set(qn("w:right"), str(round(char.twips * right / 100)))


def set_snap_to_grid(ppr, snap: bool) -> None:
    element = _child(ppr, "w:snapToGrid", before=PPR_AFTER_SNAP_TO_GRID)
    element.set(qn("w:val"), "1" if snap else "0")


# pPr children from w:kinsoku on, in schema order (CT_PPrBase), and those the schema puts after.
PPR_LINE_BREAKING = ("w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct")
PPR_AFTER_LINE_BREAKING = (
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    *PPR_AFTER_SNAP_TO_GRID,
)


def set_chinese_line_breaking(ppr) -> None:
    """Chinese line breaking that keeps every mark inside the type area (GB/T 9704).

    ``kinsoku`` on: no closing mark (，。、；：”）) at a line's start, no opening one at its end —
    the mark is taken along with the character before it. ``wordWrap`` on (break anywhere in
    Chinese text), ``topLinePunct`` off.

    ``overflowPunct`` off (``0``): ISO/IEC 29500-1 §17.3.1.21 defines ``1`` — and no element —
    as "punctuation may extend one character past the indents/margins", which Word and WPS
    follow; ``0`` keeps every mark inside the text block there. LibreOffice's DOCX import reads
    the element the other way round (writerfilter's DomainMapper sets its "hanging punctuation"
    to ``value == 0``, while its own DOCX export writes ``1`` for hanging), so the PDF made
    through LibreOffice flips it first (``pdf.for_libreoffice``). With hanging, LibreOffice put
    6 line-end marks up to 5.7 mm into the right margin and clipped 9 others (5 "，", 2 "、",
    2 "。") of the demo summary; the PDF now prints every character inside the text block
    (tests/test_report_print.py).
    """
    values = {"w:kinsoku": "1", "w:wordWrap": "1", "w:overflowPunct": "0", "w:topLinePunct": "0"}
    for index, tag in enumerate(PPR_LINE_BREAKING):
        element = _child(
            ppr, tag, before=(*PPR_LINE_BREAKING[index + 1 :], *PPR_AFTER_LINE_BREAKING)
        )
        element.set(qn("w:val"), values[tag])


def set_punctuation_compression(settings_element) -> None:
    """``w:characterSpacingControl compressPunctuation``: full-width marks may give up their
    empty half at a line's end (标点挤压), so that a line that would push a mark out fits it."""
    element = settings_element.find(qn("w:characterSpacingControl"))
    if element is None:
        element = OxmlElement("w:characterSpacingControl")
        # its place in CT_Settings: before the compatibility, rsids, math and later elements
        later = [
            child
            for name in (
                "w:hdrShapeDefaults",
                "w:footnotePr",
                "w:endnotePr",
                "w:compat",
                "w:docVars",
                "w:rsids",
                "m:mathPr",
                "w:attachedSchema",
                "w:themeFontLang",
                "w:clrSchemeMapping",
                "w:doNotIncludeSubdocsInStats",
                "w:doNotAutoCompressPictures",
                "w:forceUpgrade",
                "w:captions",
                "w:readModeInkLockDown",
                "w:smartTagType",
                "w:schemaLibrary",
                "w:shapeDefaults",
                "w:doNotEmbedSmartTags",
                "w:decimalSymbol",
                "w:listSeparator",
            )
            for child in settings_element.findall(qn(name))
        ]
        if later:
            min(later, key=settings_element.index).addprevious(element)
        else:
            settings_element.append(element)
    element.set(qn("w:val"), "compressPunctuation")


def set_doc_grid(sectpr, *, line_pitch: Length) -> None:
    """``w:docGrid type=lines``: a line grid of ``line_pitch`` (22 lines a page).

    Not ``linesAndChars``: LibreOffice (7.4) puts every character wider than the character
    pitch into two grid cells, so 16 pt text at 28 a line came out 14 a line. The 28 characters
    come from ``set_character_spacing`` instead, in Word and LibreOffice alike.
    """
    grid = _child(sectpr, "w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(line_pitch.twips)))
    grid.attrib.pop(qn("w:charSpace"), None)


def set_character_spacing(rpr, twentieths: int) -> None:
    """Character spacing in twentieths of a point (negative: condensed), on a style or run."""
    spacing = _child(rpr, "w:spacing", before=RPR_AFTER_SPACING)
    spacing.set(qn("w:val"), str(twentieths))


def add_page_field(paragraph, *, before: str = "— ", after: str = " —", style_run=None) -> None:
    """“— N —” with N a PAGE field, so every page shows its own number."""

    def run(text: str | None = None):
        made = paragraph.add_run(text)
        if style_run:
            style_run(made)
        return made

    run(before)
    begin = run()
    begin._r.append(_field_char("begin"))
    instruction = run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    instruction._r.append(instr)
    separate = run()
    separate._r.append(_field_char("separate"))
    run("1")
    end = run()
    end._r.append(_field_char("end"))
    run(after)


def _field_char(kind: str):
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def new_table(widths: list[Length], *, border_eighths: int = 4):
    """A bordered, centred, fixed-layout ``w:tbl`` with its column grid; add rows with
    ``add_table_row``. Every width is set twice, as LibreOffice wants: ``w:gridCol`` here and
    ``w:tcW`` on each cell."""
    tbl = OxmlElement("w:tbl")
    tblpr = OxmlElement("w:tblPr")
    tblw = OxmlElement("w:tblW")
    tblw.set(qn("w:w"), str(sum(round(width.twips) for width in widths)))
    tblw.set(qn("w:type"), "dxa")
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(border_eighths))
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    for child in (tblw, jc, borders, layout):  # the order the schema wants
        tblpr.append(child)
    grid = OxmlElement("w:tblGrid")
    for width in widths:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(round(width.twips)))
        grid.append(col)
    tbl.append(tblpr)
    tbl.append(grid)
    return tbl


def add_table_row(tbl):
    tr = OxmlElement("w:tr")
    tbl.append(tr)
    return tr


def add_table_cell(tr, width: Length, *, span: int = 1, valign: str = "center"):
    """A ``w:tc`` spanning ``span`` grid columns, ``width`` wide (their sum), content centred
    vertically. Merged by ``w:gridSpan`` from the start, so no empty paragraphs are left over
    (python-docx's ``merge`` keeps them, issue 1442). Add at least one paragraph to it."""
    tc = OxmlElement("w:tc")
    tcpr = OxmlElement("w:tcPr")
    tcw = OxmlElement("w:tcW")
    tcw.set(qn("w:w"), str(round(width.twips)))
    tcw.set(qn("w:type"), "dxa")
    tcpr.append(tcw)
    if span > 1:
        grid_span = OxmlElement("w:gridSpan")
        grid_span.set(qn("w:val"), str(span))
        tcpr.append(grid_span)
    v_align = OxmlElement("w:vAlign")
    v_align.set(qn("w:val"), valign)
    tcpr.append(v_align)
    tc.append(tcpr)
    tr.append(tc)
    return tc


# Characters XML 1.0 does not allow; user text containing them would make the file unreadable.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def run_properties(font: str, size: Length, *, bold: bool = False):
    """A ``w:rPr`` naming ``font`` for every script, to be copied onto each run (``add_run``)."""
    rpr = OxmlElement("w:rPr")
    set_fonts(rpr, font)
    if bold:
        rpr.append(OxmlElement("w:b"))
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(round(size.pt * 2)))
    rpr.append(sz)
    return rpr


def run_template(rpr, *, line_break: bool = False):
    """A ``w:r`` with ``rpr`` and an empty ``w:t``, to be copied by ``add_run``."""
    run = OxmlElement("w:r")
    run.append(copy.deepcopy(rpr))
    if line_break:
        run.append(OxmlElement("w:br"))
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    return run


def add_run(p, text: str, template) -> None:
    """A run of plain ``text`` at the end of paragraph element ``p``, a copy of ``template``.

    Much faster than python-docx's ``add_run`` plus font settings, for hundreds of runs; the
    text is never interpreted (no markup, tabs or breaks), invalid XML characters are dropped.
    """
    run = copy.deepcopy(template)
    run[-1].text = XML_INVALID.sub("", text)
    p.append(run)


def new_paragraph(style_id: str | None = None, *, align=None):
    """A ``w:p`` with its style and alignment; insert it where it belongs."""
    p = OxmlElement("w:p")
    if style_id or align is not None:
        ppr = p.get_or_add_pPr()
        if style_id:
            ppr.style = style_id
        if align is not None:
            ppr.jc_val = align
    return p
