"""The activity list as an Excel sheet: header row, frozen panes, auto-filter, CJK column widths.

Text typed by users that begins with ``=``, ``+``, ``-`` or ``@`` is written as text (with Excel's
quote prefix), never as a formula.
"""

from __future__ import annotations

import datetime
import io
import unicodedata

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@")
COLUMNS = [
    ("开始日期", 12),
    ("结束日期", 12),
    ("载体", 12),
    ("标题", 30),
    ("地点", 16),
    ("组织者", 10),
    ("参加人数", 9),
    ("服务时长（小时）", 10),
    ("内容", 50),
    ("成效", 40),
]
MAX_WIDTH = 60


def display_width(text: str) -> int:
    """Column units a text needs: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_cell(sheet, row: int, column: int, value):
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def activity_rows(activities):
    """Plain row values; ``activities`` needs ``with_participant_totals()`` and the relations."""
    for activity in activities:
        yield [
            activity.start_date,
            activity.end_date,
            activity.carrier.name if activity.carrier_id else "",
            activity.title,
            activity.place,
            activity.organiser.name if activity.organiser_id else "",
            activity.participant_count,
            float(activity.hours_total) if activity.hours_total is not None else None,
            activity.description,
            activity.outcome,
        ]


def activity_workbook(activities, *, title: str = "活动记录") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    widths = [display_width(name) + 2 for name, _ in COLUMNS]
    for column, (name, _) in enumerate(COLUMNS, start=1):
        cell = write_cell(sheet, 1, column, name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    row = 1
    for row, values in enumerate(activity_rows(activities), start=2):
        for column, value in enumerate(values, start=1):
            cell = write_cell(sheet, row, column, value)
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
                widths[column - 1] = max(widths[column - 1], 12)
            elif isinstance(value, str) and value:
                longest = max(display_width(line) for line in value.splitlines() or [""])
                widths[column - 1] = max(widths[column - 1], longest + 2)
                if "\n" in value or longest > MAX_WIDTH:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")

    for column, (_, minimum) in enumerate(COLUMNS, start=1):
        width = min(max(widths[column - 1], minimum), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(row, 1)}"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
