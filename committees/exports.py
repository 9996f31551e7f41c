"""The committee's consolidated workbook: one row per branch, then one sheet per figure group.

Written with openpyxl's write-only mode (rows go to a temporary file as they are appended, so the
memory used does not grow with the number of branches) and returned as a file that Django streams
in chunks. The figures come from ``committees.figures.branch_table``; nothing is computed here.
"""

from __future__ import annotations

from common.xlsx import new_workbook, table_sheet, workbook_file

from .figures import CommitteeTable, by_level_label


def _percent(value):
    return float(value) if value is not None else None


def sheets(table: CommitteeTable) -> list[tuple[str, list[str], list[list]]]:
    """(sheet title, header, rows) of every sheet, the overview first."""
    levels = by_level_label()
    overview_header = [
        "党支部",
        "党员人数",
        "承诺签订人数",
        "承诺签订率(%)",
        "逾期承诺事项",
        "活动总数",
        *[f"{name}活动数" for name in table.carriers],
        "组织生活次数",
        "出勤率(%)",
        *[f"荣誉·{label}" for _, label in levels],
        "荣誉合计",
        "最近分类定级",
        "定级日期",
    ]
    overview, pledges, activities, meetings, honors, ratings = [], [], [], [], [], []
    for row in table.rows:
        name = row.branch.short_name
        by_carrier = [row.carrier_count(carrier) for carrier in table.carriers]
        by_level = [row.honors_by_level[level] for level, _ in levels]
        overview.append(
            [
                name,
                row.members,
                row.signers,
                _percent(row.signed_percent),
                row.overdue_items,
                row.activities,
                *by_carrier,
                row.meetings,
                _percent(row.attendance_rate),
                *by_level,
                row.honors,
                row.rating_label,
                row.rated_on,
            ]
        )
        pledges.append(
            [name, row.members, row.signers, _percent(row.signed_percent), row.overdue_items]
        )
        activities.append([name, *by_carrier, row.activities])
        meetings.append(
            [
                name,
                row.meetings,
                row.attendance_recorded,
                row.attendance_present,
                _percent(row.attendance_rate),
            ]
        )
        honors.append([name, *by_level, row.honors])
        ratings.append([name, row.rating_label, row.rated_on])
    return [
        ("各支部汇总", overview_header, overview),
        (
            "党员与承诺",
            ["党支部", "党员人数", "承诺签订人数", "承诺签订率(%)", "逾期承诺事项"],
            pledges,
        ),
        ("活动（按载体）", ["党支部", *table.carriers, "活动总数"], activities),
        ("组织生活", ["党支部", "会议次数", "应记出勤人次", "出席人次", "出勤率(%)"], meetings),
        ("荣誉（按级别）", ["党支部", *[label for _, label in levels], "合计"], honors),
        ("分类定级", ["党支部", "最近分类定级", "定级日期"], ratings),
    ]


def write_workbook(table: CommitteeTable, title: str):
    """The workbook in a temporary file, positioned at its start (closed when the caller is done)."""
    workbook = new_workbook()
    caption = f"{title}（{table.period.label}）"
    for sheet_title, header, rows in sheets(table):
        table_sheet(workbook, sheet_title, header, rows, caption=caption, first_column_width=24)
    return workbook_file(workbook)
