"""The committee's heat map: branches × the months of a year, coloured by compliance.

A cell holds the obligations whose period ends in that month (a monthly rule's month, a
quarter's last month, a year's December): all met — met; one overdue — overdue; one still
running — due; before they start — upcoming; none ending there — empty. Read from
``judging.compliance_for`` (a fixed number of queries for any number of branches).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .judging import DUE, MET, OVERDUE, STATUS_LABELS, UPCOMING, compliance_for, months_of

NONE = "none"
CELL_LABELS = {**STATUS_LABELS, NONE: "无应完成事项"}
SORTS = {"name", "rate", "overdue"}


@dataclass
class Cell:
    month: datetime.date
    status: str = NONE
    met: int = 0
    judged: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return CELL_LABELS[self.status]

    @property
    def text(self) -> str:
        return f"{self.met}/{self.judged}" if self.judged else ""

    @property
    def title(self) -> str:
        return " ".join([self.label, *self.missing])


@dataclass
class Row:
    branch: object
    cells: list[Cell]
    met: int = 0
    judged: int = 0
    overdue: int = 0

    @property
    def rate(self) -> float | None:
        """Share of the periods ended or running that are met, in percent (one decimal)."""
        return round(100 * self.met / self.judged, 1) if self.judged else None


@dataclass
class HeatMap:
    year: int
    months: list[datetime.date]
    rows: list[Row]


def _cell_status(statuses: list[str]) -> str:
    if not statuses:
        return NONE
    for status in (OVERDUE, DUE):
        if status in statuses:
            return status
    return MET if all(s == MET for s in statuses) else UPCOMING


def heat_map(branches, year: int, *, today: datetime.date, sort: str = "name") -> HeatMap:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    months = months_of(start, end)
    branches = list(branches)
    found = compliance_for(branches, start, end, today=today)
    rows = []
    for branch in branches:
        cells = {month: Cell(month) for month in months}
        statuses: dict[datetime.date, list[str]] = {month: [] for month in months}
        row = Row(branch, [])
        for obligation in found[branch.pk]:
            cell = cells.get(obligation.period.end_month)
            if cell is None:
                continue  # a term ending in another year
            status = obligation.status
            statuses[cell.month].append(status)
            if status == UPCOMING:
                continue
            cell.judged += 1
            if status == MET:
                cell.met += 1
            elif status == OVERDUE:
                short = f"（{obligation.shortfall}）" if obligation.per_member else ""
                cell.missing.append(f"{obligation.label}{short}")
        for month, cell in cells.items():
            cell.status = _cell_status(statuses[month])
            row.judged += cell.judged
            row.met += cell.met
            row.overdue += len(cell.missing)
        row.cells = list(cells.values())
        rows.append(row)
    return HeatMap(year, months, sort_rows(rows, sort))


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    by_name = sorted(rows, key=lambda r: (r.branch.short_name, r.branch.pk))
    if sort == "rate":  # the slipping branches first
        return sorted(by_name, key=lambda r: (r.rate is None, r.rate if r.rate is not None else 0))
    if sort == "overdue":
        return sorted(by_name, key=lambda r: -r.overdue)
    return by_name
