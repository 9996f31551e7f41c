"""Excel files, written one way for the whole portal (openpyxl).

Every workbook the portal sends is built from these pieces:

- ``text_cell`` / ``plain_value``: text typed by users is stored as text, never as a formula
  (a value starting with ``=``, ``+``, ``-`` or ``@`` gets Excel's quote prefix), and characters
  Excel cannot store are dropped instead of breaking the file.
- ``write_cell``: the same for a normal (not write-only) worksheet, as the roster template needs.
- ``table_sheet``: a list as a sheet, written in write-only mode (rows streamed, memory flat):
  an optional caption row, a bold header, frozen panes, an auto-filter, dates as dates, column
  widths from the widest value (a Chinese character counts two), and ``print_setup``: A4
  landscape, fitted to the width, the header repeated on every page.
- ``workbook_bytes`` / ``workbook_file``: the finished workbook in memory or in a temporary
  file that ``FileResponse`` streams and closes.
"""

from __future__ import annotations

import copy
import datetime
import io
import re
import tempfile
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .text import display_width

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_WIDTH = 60  # column units; longer text wraps
DATE_FORMAT = "yyyy-mm-dd"
BOLD = Font(bold=True)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(wrap_text=True, vertical="top")

__all__ = [
    "CONTENT_TYPE",
    "display_width",
    "new_workbook",
    "plain_value",
    "print_setup",
    "table_sheet",
    "text_cell",
    "workbook_bytes",
    "workbook_file",
    "write_cell",
]


def _is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def text_cell(ws, value, **style) -> WriteOnlyCell:
    """A write-only cell whose value is stored as given: text that looks like a formula stays text.

    ``style`` (font, alignment, border, fill, number_format) is registered with the workbook once
    per combination; later cells copy it (openpyxl would hash every style object again).
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value=value)
    if style:
        cache = ws.parent.__dict__.setdefault("_portal_styles", {})
        key = tuple((name, id(setting)) for name, setting in style.items())
        if key in cache:
            cell._style = copy.copy(cache[key])
        else:
            for name, setting in style.items():
                setattr(cell, name, setting)
            cache[key] = copy.copy(cell._style)
    if _is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def plain_value(ws, value):
    """A data value as it can be appended: plain, unless it is text that needs ``text_cell``."""
    if isinstance(value, str) and (_is_formula_like(value) or ILLEGAL_CHARACTERS_RE.search(value)):
        return text_cell(ws, value)
    return value


def write_cell(sheet, row: int, column: int, value):
    """Set a cell of a normal worksheet, with the same guard as ``text_cell``."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if _is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def print_setup(ws, *, landscape: bool = False) -> None:
    """A4, fitted to the page width (as many pages down as needed), centred, modest margins."""
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8


def new_workbook() -> Workbook:
    """An empty write-only workbook (no default sheet)."""
    return Workbook(write_only=True)


def _width(value) -> int:
    if isinstance(value, datetime.date):
        return 12
    if value is None:
        return 0
    text = str(value)
    return max((display_width(line) for line in text.splitlines()), default=0)


SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def sheet_title(title: str) -> str:
    """``title`` as Excel accepts a sheet name: no control characters, none of ``\\/*?:[]``,
    at most 31 characters."""
    cleaned = SHEET_TITLE_FORBIDDEN.sub("", ILLEGAL_CHARACTERS_RE.sub("", title)).strip("' ")
    return cleaned[:31] or "Sheet"


def table_sheet(
    workbook: Workbook,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    caption: str | None = None,
    min_widths: Sequence[int] | None = None,
    first_column_width: int | None = None,
):
    """Append a sheet holding ``header`` and ``rows`` (plain values) to a write-only workbook."""
    rows = [list(row) for row in rows]
    sheet = workbook.create_sheet(sheet_title(title))
    widths = [display_width(text) + 2 for text in header]
    for row in rows:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _width(value) + 2)
    for index, width in enumerate(widths):
        if min_widths:
            width = max(width, min_widths[index])
        if index == 0 and first_column_width:
            width = first_column_width
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(width, MAX_WIDTH)
    header_row = 2 if caption else 1
    print_setup(sheet, landscape=True)
    sheet.print_title_rows = f"{header_row}:{header_row}"  # the header on every printed page
    sheet.freeze_panes = f"{'B' if caption else 'A'}{header_row + 1}"
    last = header_row + len(rows)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(header))}{max(last, header_row)}"
    if caption:
        sheet.append([text_cell(sheet, caption, font=BOLD)])
    sheet.append([text_cell(sheet, text, font=BOLD, alignment=HEADER_ALIGN) for text in header])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    return sheet


def _cell(sheet, value):
    if isinstance(value, datetime.date):
        return text_cell(sheet, value, number_format=DATE_FORMAT)
    if isinstance(value, str) and ("\n" in value or display_width(value) > MAX_WIDTH):
        return text_cell(sheet, value, alignment=WRAP)
    return plain_value(sheet, value)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_file(workbook: Workbook):
    """The workbook in a temporary file, positioned at its start (``FileResponse`` closes it)."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse reads and closes it)
    workbook.save(output)
    output.seek(0)
    return output
