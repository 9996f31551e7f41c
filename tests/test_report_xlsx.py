"""The Excel writer's layout, read back with openpyxl: the printable form and the data sheets."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from reports.document import (
    Cell,
    DataSheet,
    Document,
    Heading,
    Paragraph,
    Section,
    Signature,
    Table,
)
from reports.writers.xlsx import lines_needed, write_xlsx

FORMULA = "=cmd|' /C calc'!A0"


def form() -> Document:
    def para(text):
        return Paragraph.plain(text, indent=False)

    return Document(
        title="基层党组织建立健全创先争优长效机制情况表",
        filename="x",
        blocks=[
            Table(
                [40, 48, 28, 40],
                [
                    [
                        Cell([para("党组织名称")], label=True),
                        Cell([para("中共某支部委员会")], colspan=3),
                    ],
                    [
                        Cell([para("党组织负责人")], label=True),
                        Cell([para("王卫珍")]),
                        Cell([para("联系电话")], label=True),
                        Cell([para("64362741")]),
                    ],
                    [
                        Cell([para("党建特色工作")], label=True),
                        Cell([para("1、" + "很长的特色工作" * 12), para(FORMULA)], colspan=3),
                    ],
                ],
            )
        ],
        data_sheets=[
            DataSheet(
                "活动",
                ["日期", "标题", "服务时长（小时）"],
                [
                    (datetime.date(2010, 7, 12), FORMULA, Decimal("40")),
                    (datetime.date(2011, 4, 9), "+1 看起来像公式", None),
                    (datetime.date(2011, 5, 9), "@SUM(A1)", Decimal("2.5")),
                ],
            )
        ],
    )


@pytest.fixture(scope="module")
def book():
    return openpyxl.load_workbook(io.BytesIO(write_xlsx(form())))


def test_sheet_one_is_the_form_with_title_and_merged_cells(book):
    sheet = book.worksheets[0]
    assert sheet.title == "情况表"
    assert sheet["A1"].value == "基层党组织建立健全创先争优长效机制情况表"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:D1", "B2:D2", "B4:D4"} <= merged
    assert [sheet[c].value for c in ("A3", "B3", "C3", "D3")] == [
        "党组织负责人",
        "王卫珍",
        "联系电话",
        "64362741",
    ]
    assert sheet["B4"].value.endswith("\n" + FORMULA)


def test_form_cells_are_bordered_wrapped_and_centred_vertically(book):
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(min_row=2, max_row=4, max_col=4):
        for cell in row:  # cells inside a merge come back with the merge's outer edges only
            assert cell.border.top.style == "thin" and cell.border.bottom.style == "thin"
    for coordinate in ("A2", "B2", "A3", "B3", "C3", "D3", "A4", "B4"):
        assert sheet[coordinate].border.left.style == "thin"
    assert sheet["D2"].border.right.style == "thin"
    assert sheet["B4"].alignment.wrap_text and sheet["B4"].alignment.vertical == "center"
    assert sheet["A2"].alignment.horizontal == "center" and sheet["A2"].font.b


def test_form_prints_on_a4_portrait_fitted_to_the_width_and_centred(book):
    sheet = book.worksheets[0]
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.print_options.horizontalCentered


def test_column_widths_and_row_heights_are_set_for_wrapped_chinese_text(book):
    sheet = book.worksheets[0]
    widths = [sheet.column_dimensions[c].width for c in "ABCD"]
    assert all(width > 10 for width in widths)
    assert sheet.row_dimensions[4].height > sheet.row_dimensions[3].height  # a long wrapped cell


def test_a_wide_character_counts_twice_when_wrapping():
    assert lines_needed("一" * 10, 24) == 1
    assert lines_needed("一" * 20, 24) == 2
    assert lines_needed("a" * 20, 24) == 1
    assert lines_needed("甲\n乙", 40) == 2


def test_formula_looking_text_is_stored_as_text(book):
    sheet = book["活动"]
    cell = sheet["B2"]
    assert cell.value == FORMULA and cell.data_type == "s"
    assert sheet["B3"].value == "+1 看起来像公式" and sheet["B3"].data_type == "s"
    assert sheet["B4"].value == "@SUM(A1)" and sheet["B4"].data_type == "s"
    assert book.worksheets[0]["B4"].data_type == "s"


def test_data_sheets_have_a_header_frozen_panes_and_a_filter(book):
    sheet = book["活动"]
    assert [c.value for c in sheet[1]] == ["日期", "标题", "服务时长（小时）"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    assert sheet["A2"].value == datetime.datetime(2010, 7, 12)
    assert sheet["A2"].is_date
    assert sheet["C2"].value == 40 and sheet["C3"].value is None


def test_a_summary_becomes_one_printable_column():
    document = Document(
        title="某党支部创先争优工作总结",
        filename="x",
        blocks=[
            Paragraph.plain("开篇。"),
            Section(Heading(1, "一、", "制定计划"), [Paragraph.plain(FORMULA)]),
        ],
        signature=Signature("某党支部", "2012年9月"),
    )
    sheet = openpyxl.load_workbook(io.BytesIO(write_xlsx(document))).worksheets[0]
    values = [row[0].value for row in sheet.iter_rows()]
    assert values == [
        "某党支部创先争优工作总结",
        "\u3000\u3000开篇。",
        "一、制定计划",
        "\u3000\u3000" + FORMULA,
        None,
        "某党支部",
        "2012年9月",
    ]
    assert sheet.title == "工作总结"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True


def test_display_width_agrees_with_unicode_east_asian_width():
    import unicodedata

    from reports.writers.text import display_width

    text = (
        "田林二中党支部创先争优工作总结2012年9月（一）“较好”、。，：；！？《》〈〉·—…％"
        "ABCxyz 0123456789-+=@#\t한국어かなカナ＃＠　ｱ€£é"
    )
    for char in text:
        expected = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        assert display_width(char) == expected, char
    assert display_width("田林2012") == 8
