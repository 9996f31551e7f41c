"""The committee's heat map: branches × the months of a year, coloured by compliance.

A cell holds the obligations whose period ends in that month (a monthly rule's month, a
quarter's last month, a year's December): all met — met; one overdue — overdue; one still
running — due; before they start — upcoming; none ending there — empty. Read from
``judging.compliance_each`` (a fixed number of queries for any number of branches).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from .judging import DUE, MET, OVERDUE, STATUS_LABELS, UPCOMING, compliance_each, months_of

NONE = "none"
CELL_LABELS = {**STATUS_LABELS, NONE: "无应完成事项"}
SORTS = {"name", "rate", "overdue"}


@dataclass(slots=True)
class Cell:
    month: datetime.date
    status: str = NONE
    met: int = 0
    judged: int = 0
    missing: Sequence[str] = ()  # the overdue obligations' labels

    @property
    def label(self) -> str:
        return CELL_LABELS[self.status]

    @property
    def text(self) -> str:
        return f"{self.met}/{self.judged}" if self.judged else ""

    @property
    def title(self) -> str:
        return " ".join([self.label, *self.missing])


@dataclass(slots=True)
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
    position = {month: index for index, month in enumerate(months)}
    rows = []
    for branch, obligations in compliance_each(branches, start, end, today=today):
        # Summed up month by month in plain lists; a branch's obligations go once it is done.
        statuses: list[list[str]] = [[] for _month in months]
        met = [0] * len(months)
        judged = [0] * len(months)
        missing: list[list[str]] = [[] for _month in months]
        for obligation in obligations:
            index = position.get(obligation.period.end_month)
            if index is None:
                continue  # a term ending in another year
            status = obligation.status
            statuses[index].append(status)
            if status == UPCOMING:
                continue
            judged[index] += 1
            if status == MET:
                met[index] += 1
            elif status == OVERDUE:
                short = f"（{obligation.shortfall}）" if obligation.per_member else ""
                missing[index].append(f"{obligation.label}{short}")
        cells = [
            Cell(
                month,
                _cell_status(statuses[index]),
                met[index],
                judged[index],
                tuple(missing[index]),
            )
            if statuses[index]
            else Cell(month)
            for index, month in enumerate(months)
        ]
        overdue = sum(len(cell.missing) for cell in cells)
        rows.append(Row(branch, cells, sum(met), sum(judged), overdue))
    return HeatMap(year, months, sort_rows(rows, sort))


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    by_name = sorted(rows, key=lambda r: (r.branch.short_name, r.branch.pk))
    if sort == "rate":  # the slipping branches first
        return sorted(by_name, key=lambda r: (r.rate is None, r.rate if r.rate is not None else 0))
    if sort == "overdue":
        return sorted(by_name, key=lambda r: -r.overdue)
    return by_name
