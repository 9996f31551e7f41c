"""common.xlsx: the one Excel toolkit every export of the portal writes through."""

import datetime
import decimal
import io
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Border, Font, Side

from common.xlsx import (
    StyledRows,
    display_width,
    new_workbook,
    table_sheet,
    text_cell,
    workbook_bytes,
    write_cell,
)


def _read(workbook):
    return load_workbook(io.BytesIO(workbook_bytes(workbook)))


def test_a_table_sheet_keeps_user_text_as_text_and_drops_characters_excel_cannot_store():
    workbook = new_workbook()
    table_sheet(workbook, "名单", ["姓名", "备注"], [["=1+1", "坏\x01字\x0b符\x1b"]])
    sheet = _read(workbook)["名单"]
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == "坏字符"


def test_a_table_sheet_writes_dates_as_dates_and_sizes_columns_for_chinese_text():
    workbook = new_workbook()
    long_name = "上海市徐汇区田林第二中学党支部"
    table_sheet(workbook, "表", ["日期", "名称"], [[datetime.date(2012, 6, 1), long_name]])
    sheet = _read(workbook)["表"]
    assert sheet["A2"].value == datetime.datetime(2012, 6, 1)
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["B"].width == display_width(long_name) + 2 == 32


def test_a_table_sheet_prints_on_a4_landscape_with_its_header_on_every_page():
    workbook = new_workbook()
    table_sheet(workbook, "表", ["甲", "乙"], [[1, 2]] * 3, caption="标题")
    sheet = _read(workbook)["表"]
    assert sheet["A1"].value == "标题" and sheet["A2"].value == "甲"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.freeze_panes == "B3"
    assert sheet.auto_filter.ref == "A2:B5"


def test_write_cell_guards_a_normal_worksheet_the_same_way():
    from openpyxl import Workbook

    sheet = Workbook().active
    cell = write_cell(sheet, 1, 1, "@SUM(A1)\x01")
    assert cell.value == "@SUM(A1)" and cell.data_type == "s" and cell.quotePrefix


ODD_VALUES = [
    *["=1+1", "+x", "-3", "@a", "#N/A", "#DIV/0!", " lead", "trail ", "a\x01b", "", "\t"],
    *["x" * 40000, "a\nb", "<&>\"'", "中文", 0, -5, 10**17, 1.5, float("nan"), float("inf")],
    *[decimal.Decimal("2.50"), True, False, None, datetime.date(1900, 1, 15)],
    *[datetime.date(2011, 3, 4), datetime.datetime(2011, 3, 4, 5, 6), datetime.time(7, 8)],
]
THIN = Side(style="thin")
STYLES = [
    {"font": Font(bold=True), "border": Border(left=THIN, bottom=THIN)},
    {"alignment": Alignment(wrap_text=True), "number_format": "yyyy-mm-dd"},
    {"font": Font(name="宋体", size=11), "number_format": "General"},
    {},
]


def _parts(workbook) -> dict:
    archive = zipfile.ZipFile(io.BytesIO(workbook_bytes(workbook)))
    return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("shift", [0, 3, 7])
def test_styled_rows_write_the_very_file_that_text_cells_write(shift):
    """StyledRows writes some values itself: the sheet and its styles come out byte for byte as
    when every value is a ``text_cell``, whatever the value and whichever comes first."""
    values = ODD_VALUES[shift:] + ODD_VALUES[:shift]
    width = 6
    rows = [[values[(i + j) % len(values)] for j in range(width)] for i in range(len(values) * 2)]

    def style_of(i, j):
        return STYLES[(i * 7 + j) % len(STYLES)]

    by_cells = new_workbook()
    sheet = by_cells.create_sheet("表")
    sheet.row_dimensions[2].height = 30
    for i, row in enumerate(rows):
        sheet.append([text_cell(sheet, v, **style_of(i, j)) for j, v in enumerate(row)])
    by_cells.create_sheet("空")

    fast = new_workbook()
    sheet = fast.create_sheet("表")
    sheet.row_dimensions[2].height = 30
    writer = StyledRows(sheet)
    handles = [writer.style(**settings) for settings in STYLES]
    for i, row in enumerate(rows):
        writer.append(row, [handles[(i * 7 + j) % len(STYLES)] for j in range(width)])
    StyledRows(fast.create_sheet("空"))

    assert _parts(fast) == _parts(by_cells)


def test_styled_rows_take_every_row_of_their_sheet():
    workbook = new_workbook()
    sheet = workbook.create_sheet("表")
    StyledRows(sheet)
    with pytest.raises(TypeError):
        sheet.append(["x"])
    other = workbook.create_sheet("另一张")
    other.append(["x"])
    with pytest.raises(ValueError):
        StyledRows(other)
    assert _read(workbook)["另一张"]["A1"].value == "x"
