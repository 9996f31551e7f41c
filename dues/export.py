"""党费收缴登记表: a branch's year as one printable sheet (A4 landscape, one page wide), built
with ``common.xlsx``'s cell guard; the data come from ``ledger.branch_ledger``."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from common.xlsx import workbook_bytes, write_cell

from .ledger import Ledger

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
MONEY_FORMAT = "0.00"
LEFT_COLUMNS = Alignment(horizontal="center")
MONEY_COLUMNS = Alignment(horizontal="right")
BOLD = Font(bold=True)
TITLE = "党费收缴登记表"


def ledger_workbook(branch, ledger: Ledger, bases: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{ledger.year}年党费"
    header = ["序号", "姓名", "类别", "月计算基数", "月应交"]
    header += [f"{m.month}月" for m in ledger.months]
    header += ["全年应交", "全年实交", "欠交"]
    width = len(header)
    last = get_column_letter(width)
    sheet.merge_cells(f"A1:{last}1")
    title = write_cell(sheet, 1, 1, f"{branch.name} {ledger.year}年{TITLE}")
    title.font = Font(bold=True, size=14)
    title.alignment = CENTRE
    sheet.row_dimensions[1].height = 28
    sheet.merge_cells(f"A2:{last}2")
    write_cell(
        sheet, 2, 1, "单位：元；月份栏为当月实交金额，未交的月份留空。"
    ).alignment = Alignment(horizontal="right")
    for column, text in enumerate(header, start=1):
        cell = write_cell(sheet, 3, column, text)
        cell.font = BOLD
        cell.alignment = CENTRE
        cell.border = BORDER
    row_number = 3
    for index, row in enumerate(ledger.rows, start=1):
        row_number += 1
        base = bases.get(row.person.pk)
        current = [c.due for c in row.cells if c.due is not None]
        values = [
            index,
            row.person.name,
            base.get_category_display() if base else "",
            base.income if base and base.income is not None else None,
            current[-1] if current else None,
        ]
        values += [c.paid if c.paid else None for c in row.cells]
        values += [row.due, row.paid, row.owed]
        _write_row(sheet, row_number, values)
    row_number += 1
    totals = ["", "合计", "", None, None]
    totals += [t["paid"] for t in ledger.month_totals]
    totals += [ledger.totals["due"], ledger.totals["paid"], ledger.totals["owed"]]
    _write_row(sheet, row_number, totals, bold=True)
    widths = [5, 9, 10, 10, 8] + [7] * 12 + [10, 10, 9]
    for column, size in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    row_number += 2
    write_cell(sheet, row_number, 2, "收缴人：")
    write_cell(sheet, row_number, 8, "支部书记：")
    write_cell(sheet, row_number, 15, "填表日期：")
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.freeze_panes = "C4"
    return workbook_bytes(workbook)


def _write_row(sheet, number: int, values: list, *, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        cell = write_cell(sheet, number, column, value)
        cell.border = BORDER
        if column <= 3:
            cell.alignment = LEFT_COLUMNS
        else:
            cell.alignment = MONEY_COLUMNS
            cell.number_format = MONEY_FORMAT
        if bold:
            cell.font = BOLD
