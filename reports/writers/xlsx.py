"""Excel writer: sheet 1 the report as a printable A4 form, then the data behind the figures.

Written in write-only mode (rows streamed), so a large data sheet does not sit in memory as
cell objects. Text from users is always a string cell, never a formula.
"""

from __future__ import annotations

import datetime
import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from common.xlsx import StyledRows, display_width, print_setup, text_cell

from ..document import DataSheet, Document, ListBlock, Paragraph, Section, Table

# The form in the Word document's fonts (EXPORT.md), at least 12 pt.
FONT_NAME = "仿宋_GB2312"
TITLE_FONT_NAME = "方正小标宋简体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name=TITLE_FONT_NAME, size=18)
LABEL_FONT = Font(name=FONT_NAME, size=12, bold=True)
TEXT_FONT = Font(name=FONT_NAME, size=12)
# Data sheets: 11 pt, wrapped and bordered; printed landscape, fit to the page's width, never
# scaled below 9 pt (their columns are narrowed and wrap instead).
DATA_FONT_NAME, DATA_SIZE, DATA_MIN_PRINTED = "宋体", 11, 9
DATA_FONT = Font(name=DATA_FONT_NAME, size=DATA_SIZE)
DATA_HEADER_FONT = Font(name=DATA_FONT_NAME, size=DATA_SIZE, bold=True)
DATA_ALIGN = Alignment(vertical="top", wrap_text=True)
# Width units an A4 landscape page holds at 100 % (about 1.9 mm a unit in 267 mm of paper
# between 15 mm margins): the data columns together may be this over the smallest scale.
LANDSCAPE_UNITS = 140
PAGE_NUMBER_FOOTER = "— &P —"
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
# Styles are module constants: ``text_cell`` caches them per workbook by identity.
ALIGN = {
    (horizontal, vertical): Alignment(horizontal=horizontal, vertical=vertical, wrap_text=True)
    for horizontal in ("left", "center", "right")
    for vertical in ("top", "center")
}
LINE_HEIGHT = 16.5  # points per wrapped line of 12 pt text
CHAR_UNITS = 12 / 11  # a 12 pt character is wider than the 11 pt one column widths count in
FORM_WIDTH = 84  # width units of the form's columns together (A4 portrait at about 100 %)
TEXT_WIDTH = 84  # the summary sheet's one column
DATA_MAX_WIDTH, DATA_MIN_WIDTH = 50, 8


def write_xlsx(document: Document) -> bytes:
    """The form (the table), then the data sheets. The summary's text is not put in a sheet
    when data sheets follow: a spreadsheet does not print like the Word document (its Word and
    PDF files do); without data sheets a text sheet stands in, so that the workbook opens."""
    workbook = Workbook(write_only=True)
    tables = [block for block in document.blocks if isinstance(block, Table)]
    if tables:
        _form_sheet(workbook.create_sheet("情况表"), document, tables[0])
    elif not document.data_sheets:
        _text_sheet(workbook.create_sheet("工作总结"), document)
    for sheet in document.data_sheets:
        _data_sheet(workbook.create_sheet(sheet.name[:31]), sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Cells.


def lines_needed(text: str, width_units: float) -> int:
    """Wrapped lines of ``text`` in a column ``width_units`` wide (a wide character is 2)."""
    usable = max(width_units - 1.5, 1)
    return sum(
        max(1, math.ceil(display_width(line) * CHAR_UNITS / usable)) for line in text.split("\n")
    )


def _print_setup(ws, *, landscape: bool = False) -> None:
    """The toolkit's A4 set-up (fit to the page's width, centred), with page numbers “— 1 —”."""
    print_setup(ws, landscape=landscape)
    ws.oddFooter.center.text = PAGE_NUMBER_FOOTER
    ws.oddFooter.center.font = f"{DATA_FONT_NAME},Regular"
    ws.oddFooter.center.size = 12


# ---------------------------------------------------------------------------------------------
# Sheet 1.


def _form_sheet(ws, document: Document, table: Table) -> None:
    """The table as the one-page form: title over all columns, bordered, merged, wrapped."""
    total_mm = sum(table.widths_mm)
    widths = [FORM_WIDTH * mm / total_mm for mm in table.widths_mm]
    columns = len(widths)
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = round(width, 1)
    _print_setup(ws)

    ws.row_dimensions[1].height = 40
    ws.merged_cells.add(f"A1:{get_column_letter(columns)}1")
    title = [
        text_cell(
            ws,
            document.title,
            font=TITLE_FONT,
            alignment=ALIGN["center", "center"],
        )
    ]
    ws.append(title + [None] * (columns - 1))

    for row_number, cells in enumerate(table.rows, 2):
        row, column, lines = [], 1, 1
        for cell in cells:
            span = widths[column - 1 : column - 1 + cell.colspan]
            lines = max(lines, lines_needed(cell.text, sum(span)))
            alignment = ALIGN["center" if cell.label or _centred(cell) else "left", "center"]
            font = LABEL_FONT if cell.label else TEXT_FONT
            row.append(text_cell(ws, cell.text, font=font, alignment=alignment, border=BORDER))
            for _ in range(cell.colspan - 1):
                row.append(text_cell(ws, None, border=BORDER))
            if cell.colspan > 1:
                first, last = (
                    get_column_letter(column),
                    get_column_letter(column + cell.colspan - 1),
                )
                ws.merged_cells.add(f"{first}{row_number}:{last}{row_number}")
            column += cell.colspan
        ws.row_dimensions[row_number].height = max(30, lines * LINE_HEIGHT + 10)
        ws.append(row)


def _centred(cell) -> bool:
    return all(paragraph.align == "center" for paragraph in cell.paragraphs)


def _text_sheet(ws, document: Document) -> None:
    """The summary as one wrapped column: title, headings, paragraphs, signature."""
    ws.column_dimensions["A"].width = TEXT_WIDTH
    _print_setup(ws)
    rows: list[tuple[str, Font, str]] = [(document.title, TITLE_FONT, "center")]

    def walk(blocks):
        for block in blocks:
            if isinstance(block, Section):
                rows.append((block.heading.display, LABEL_FONT, "left"))
                walk(block.blocks)
            elif isinstance(block, Paragraph):
                rows.append(("\u3000\u3000" * block.indent + block.text, TEXT_FONT, "left"))
            elif isinstance(block, ListBlock):
                rows.extend(("\u3000\u3000" + item.text, TEXT_FONT, "left") for item in block.items)

    walk(document.blocks)
    if document.signature:
        rows.append(("", TEXT_FONT, "right"))
        rows.append((document.signature.organisation, TEXT_FONT, "right"))
        rows.append((document.signature.date, TEXT_FONT, "right"))

    for number, (text, font, align) in enumerate(rows, 1):
        height = lines_needed(text, TEXT_WIDTH) * (LINE_HEIGHT if font.size <= 12 else 26)
        ws.row_dimensions[number].height = height + 4
        ws.append([text_cell(ws, text, font=font, alignment=ALIGN[align, "top"])])


# ---------------------------------------------------------------------------------------------
# The data sheets.


def data_column_widths(sheet: DataSheet) -> list[float]:
    """Widths that fit the text, narrowed (the text wraps) so that the page's width holds them
    all at no less than ``DATA_MIN_PRINTED`` pt when printing fits them to it."""
    widths = []
    for index, header in enumerate(sheet.headers):
        shown = {_shown(row[index]) for row in sheet.rows}  # each distinct text measured once
        widest = max(
            [display_width(header) + 2]
            + [display_width(text[:DATA_MAX_WIDTH]) + 2 for text in shown]
        )
        widths.append(min(DATA_MAX_WIDTH, max(DATA_MIN_WIDTH, widest)))
    room = LANDSCAPE_UNITS * DATA_SIZE / DATA_MIN_PRINTED
    if sum(widths) > room:
        factor = room / sum(widths)
        widths = [max(DATA_MIN_WIDTH / 2, round(width * factor, 1)) for width in widths]
    return widths


def printed_scale(widths: list[float]) -> float:
    """The scale fitting these columns to the landscape page's width (1 when they fit)."""
    return min(1.0, LANDSCAPE_UNITS / sum(widths))


def _data_sheet(ws, sheet: DataSheet) -> None:
    columns = len(sheet.headers)
    for index, width in enumerate(data_column_widths(sheet), 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    last = get_column_letter(columns)
    ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
    _print_setup(ws, landscape=True)
    ws.print_title_rows = "1:1"

    rows = StyledRows(ws)
    header = rows.style(
        font=DATA_HEADER_FONT, fill=HEADER_FILL, border=BORDER, alignment=DATA_ALIGN
    )
    rows.append(sheet.headers, [header] * columns)
    # Bordered, wrapped cells; the number format is named so that a date's format never mixes
    # into a number's style.
    date, general = (
        rows.style(font=DATA_FONT, border=BORDER, alignment=DATA_ALIGN, number_format=number)
        for number in (DATE_FORMAT, GENERAL_FORMAT)
    )
    for row in sheet.rows:
        rows.append(row, [date if isinstance(value, datetime.date) else general for value in row])


DATE_FORMAT, GENERAL_FORMAT = "yyyy-mm-dd", "General"


def _shown(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return "0000-00-00"
    return str(value)
