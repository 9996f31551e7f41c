"""Excel files, written one way for the whole portal (openpyxl).

Every workbook the portal sends is built from these pieces:

- ``text_cell`` / ``plain_value``: text typed by users is stored as text, never as a formula
  (a value starting with ``=``, ``+``, ``-`` or ``@`` gets Excel's quote prefix), and characters
  Excel cannot store are dropped instead of breaking the file.
- ``write_cell``: the same for a normal (not write-only) worksheet, as the roster template needs.
- ``StyledRows``: many styled cells appended to a write-only sheet at a fraction of openpyxl's
  per-cell cost, written as the same XML.
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
import decimal
import io
import re
import tempfile
from collections.abc import Iterable, Sequence

from lxml.etree import Element, SubElement
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell._writer import write_cell as openpyxl_write_cell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
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
    "StyledRows",
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


XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NUMBERS = frozenset({int, float, decimal.Decimal})  # not bool: Excel has its own type for it
MAX_TEXT = 32767  # openpyxl cuts longer text (check_string); such a value takes its path


class _Style:
    """A style of ``StyledRows``: registered with the workbook when first written, so that the
    workbook's styles come in the same order as when each cell is made by ``text_cell``."""

    __slots__ = ("settings", "id", "dated")

    def __init__(self, settings: dict):
        self.settings = settings
        self.id: str | None = None
        # A date in a style without a number format gets openpyxl's date format, and
        # ``text_cell`` keeps that in the style for later cells: such dates take its path.
        self.dated = "number_format" in settings


class _SheetData:
    """Stands for a write-only sheet's row stream (``ws._rows``): opens ``<sheetData>``, refuses
    rows given to ``ws.append`` and closes the element when the sheet is saved."""

    def __init__(self, writer):
        self.writer = writer
        self.xf = writer.xf.send(True)
        self.element = self.xf.element("sheetData")
        self.element.__enter__()

    def send(self, row):
        raise TypeError("this sheet's rows go through StyledRows.append")

    def close(self) -> None:
        if self.element is not None:
            self.element.__exit__(None, None, None)
            self.element = None
            self.writer.xf.send(None)


class StyledRows:
    """Rows appended to a write-only sheet, each cell's XML made by lxml directly.

    openpyxl makes a cell object per value, binds its type, hashes its style and writes it
    through Python-level element contexts. Here each style (``style``) is registered once, and
    text, numbers, dates and empty cells are written as the very elements openpyxl writes
    for a ``text_cell`` with that style (``tests/test_xlsx_helper.py`` compares the files). Any
    other value (a decimal, text that looks like a formula or an error code …) is made by
    ``text_cell`` and written by openpyxl. Once a sheet has a ``StyledRows``, every row of it
    goes through ``append``.
    """

    def __init__(self, ws):
        if ws._rows is not None:
            raise ValueError("StyledRows must write every row of the sheet")
        ws._get_writer()
        self.ws = ws
        self.epoch = ws.parent.epoch
        self.row = 0
        self.letters: list[str] = []
        ws._rows = _SheetData(ws._writer)  # closed by the sheet when the workbook is saved
        self.xf = ws._rows.xf

    def style(self, **settings) -> _Style:
        """A style (font, alignment, border, fill, number_format) as ``text_cell`` takes it."""
        return _Style(settings)

    def _style_id(self, style: _Style) -> str:
        if style.id is None:
            cell = text_cell(self.ws, None, **style.settings)
            style.id = f"{cell.style_id}" if cell.has_style else ""
        return style.id

    def append(self, values: Sequence, styles: Sequence[_Style]) -> None:
        """One row: ``values[i]`` in ``styles[i]``."""
        self.row += 1
        number = self.row
        suffix = str(number)
        while len(self.letters) < len(values):
            self.letters.append(get_column_letter(len(self.letters) + 1))
        attrs = {"r": suffix}
        attrs.update(self.ws.row_dimensions.get(number, {}))
        xf = self.xf
        with xf.element("row", attrs):
            for column, (value, style) in enumerate(zip(values, styles, strict=True)):
                kind = type(value)
                if kind is str:
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    if (
                        value.startswith(FORMULA_STARTS)
                        or value in ERROR_CODES
                        or len(value) > MAX_TEXT
                    ):
                        self._openpyxl_cell(value, style, number, column)
                        continue
                    cell = self._element(column, suffix, style, "inlineStr")
                    if value:
                        text = SubElement(
                            SubElement(cell, "is"),
                            "t",
                            {XML_SPACE: "preserve"} if value != value.strip() else {},
                        )
                        text.text = value
                    else:
                        cell.text = ""  # <c …></c>, as openpyxl writes an empty cell
                elif kind in NUMBERS:
                    cell = self._element(column, suffix, style, "n")
                    SubElement(cell, "v").text = safe_string(value)
                elif kind is datetime.date and style.dated:
                    cell = self._element(column, suffix, style, "n")
                    SubElement(cell, "v").text = safe_string(to_excel(value, self.epoch))
                elif value is None:
                    if not (style.id if style.id is not None else self._style_id(style)):
                        continue
                    cell = self._element(column, suffix, style, "n")
                    cell.text = ""
                else:
                    self._openpyxl_cell(value, style, number, column)
                    continue
                xf.write(cell)

    def _element(self, column: int, suffix: str, style: _Style, data_type: str):
        """``<c>`` of a cell in ``style``, registered now if this is its first cell."""
        attrs = {"r": self.letters[column] + suffix}
        style_id = style.id if style.id is not None else self._style_id(style)
        if style_id:
            attrs["s"] = style_id
        attrs["t"] = data_type
        return Element("c", attrs)

    def _openpyxl_cell(self, value, style: _Style, row: int, column: int) -> None:
        cell = text_cell(self.ws, value, **style.settings)
        cell.row, cell.column = row, column + 1
        if cell._value is not None or cell.has_style:
            openpyxl_write_cell(self.xf, self.ws, cell, cell.has_style)


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
