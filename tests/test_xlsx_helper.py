"""common.xlsx: the one Excel toolkit every export of the portal writes through."""

import datetime
import io

from openpyxl import load_workbook

from common.xlsx import display_width, new_workbook, table_sheet, workbook_bytes, write_cell


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
