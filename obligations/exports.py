"""The heat map as a workbook (``common.xlsx``): one row per branch, one column per month."""

from __future__ import annotations

from common.xlsx import new_workbook, table_sheet, workbook_file

from .heatmap import HeatMap


def heat_map_workbook(table: HeatMap, title: str):
    months = [f"{month.month}月" for month in table.months]
    header = ["党支部", *months, "已完成", "应完成", "完成率(%)", "逾期项数"]
    rows = [
        [
            row.branch.short_name,
            *[f"{cell.label} {cell.text}".strip() for cell in row.cells],
            row.met,
            row.judged,
            row.rate,
            row.overdue,
        ]
        for row in table.rows
    ]
    missing = [
        [row.branch.short_name, f"{cell.month.month}月", name]
        for row in table.rows
        for cell in row.cells
        for name in cell.missing
    ]
    workbook = new_workbook()
    table_sheet(workbook, "完成情况", header, rows, caption=title)
    table_sheet(workbook, "逾期未完成", ["党支部", "月份", "应开展的组织生活"], missing)
    return workbook_file(workbook)
