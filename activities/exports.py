"""The activity list as an Excel sheet (``common.xlsx.table_sheet``: header, frozen panes,
auto-filter, dates as dates, widths from the values; user text never becomes a formula)."""

from __future__ import annotations

from common.xlsx import new_workbook, table_sheet, workbook_bytes

# Header and the narrowest width (column units) of each column.
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
            activity.hours_total,
            activity.description,
            activity.outcome,
        ]


def activity_workbook(activities, *, title: str = "活动记录") -> bytes:
    workbook = new_workbook()
    table_sheet(
        workbook,
        title,
        [name for name, _ in COLUMNS],
        activity_rows(activities),
        min_widths=[width for _, width in COLUMNS],
    )
    return workbook_bytes(workbook)
