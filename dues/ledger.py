"""The figures of the dues pages, each from one query of the kept dues (``MonthlyDue``).

- ``branch_ledger``: members × months of a year (due, paid, owed), with row and month totals;
- ``branch_arrears``: who owes how many months, the warning and the 党章 article 9 flag;
- ``year_figures``: a branch's year in four numbers, for the reports and the dashboard;
- ``committee_totals``: every branch of a committee in one row each.

The queries do not grow with the number of members, months or branches.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from members.models import Person

from .models import ZERO, DuesBase, DuesRule, Limit, MonthlyDue
from .months import add_months, month_of, year_months
from .national import ARTICLE_9, RULES

# The national rule of each limit (dues/national.py, with its source): what a day without a
# DuesRule row in force is judged by (before 2008-04-01, or once a secretary deleted the rows).
NATIONAL_MONTHS = {limit: months for limit, months, _text, _source in RULES}


def limits(today: datetime.date) -> dict[str, int]:
    """The months of each limit in force on ``today`` (one query), the national rule's where no
    row is in force."""
    found = DuesRule.objects.months(today)
    return {limit: found.get(limit, NATIONAL_MONTHS[limit]) for limit in Limit.values}


def lapse_text(today: datetime.date) -> str:
    rule = (
        DuesRule.objects.in_force(today).filter(limit=Limit.LAPSE).order_by("-valid_from").first()
    )
    return rule.text if rule and rule.text else ARTICLE_9


CELL_CLASS = {
    "paid": "table-success",
    "partial": "table-warning",
    "unpaid": "table-danger",
    "future": "text-body-secondary",
}


@dataclass
class Cell:
    month: datetime.date
    due: Decimal | None = None  # None: no dues that month (not a member, no base)
    paid: Decimal = ZERO
    begun: bool = True
    state: str = field(init=False)
    text: str = field(init=False)  # as the ledger shows it (paid, or "paid/due"), written once
    css: str = field(init=False)

    def __post_init__(self):
        if self.due is None:
            self.state = "none"
        elif self.paid >= self.due:
            self.state = "paid"
        elif not self.begun:
            self.state = "future"
        else:
            self.state = "partial" if self.paid > 0 else "unpaid"
        if self.due is None:
            self.text = "—"
        elif self.state in ("paid", "future"):
            self.text = str(self.paid if self.state == "paid" else self.due)
        else:
            self.text = f"{self.paid}/{self.due}"
        self.css = CELL_CLASS.get(self.state, "")

    @property
    def owed(self) -> Decimal:
        return max((self.due or ZERO) - self.paid, ZERO)


@dataclass
class LedgerRow:
    person: Person
    cells: list[Cell]

    @property
    def due(self) -> Decimal:
        return sum((c.due or ZERO for c in self.cells if c.begun), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((c.paid for c in self.cells), ZERO)

    @property
    def owed(self) -> Decimal:
        return sum((c.owed for c in self.cells if c.begun), ZERO)


@dataclass
class Ledger:
    year: int
    months: list[datetime.date]
    rows: list[LedgerRow]
    month_totals: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)


def branch_ledger(branch, year: int, today: datetime.date) -> Ledger:
    """Members × months of ``year`` for ``branch``: two queries (people, kept dues)."""
    months = year_months(year)
    this_month = month_of(today)
    rows_by_person: dict[int, dict] = defaultdict(dict)
    for row in (
        MonthlyDue.objects.for_branch(branch)
        .of_year(year)
        .values("person_id", "month", "due", "paid")
    ):
        rows_by_person[row["person_id"]][row["month"]] = row
    people = Person.objects.filter(pk__in=list(rows_by_person)).order_by("name", "pk")
    ledger_rows = []
    for person in people:
        own = rows_by_person[person.pk]
        cells = []
        for month in months:
            row = own.get(month)
            begun = month <= this_month
            if row:
                cells.append(Cell(month, due=row["due"], paid=row["paid"], begun=begun))
            else:
                cells.append(Cell(month, begun=begun))
        ledger_rows.append(LedgerRow(person, cells))
    month_totals = []
    for index, month in enumerate(months):
        cells = [row.cells[index] for row in ledger_rows]
        month_totals.append(
            {
                "month": month,
                "due": sum((c.due or ZERO for c in cells), ZERO),
                "paid": sum((c.paid for c in cells), ZERO),
                "owed": sum((c.owed for c in cells if c.begun), ZERO),
                "unpaid": sum(1 for c in cells if c.state in ("unpaid", "partial")),
            }
        )
    totals = {
        "due": sum((r.due for r in ledger_rows), ZERO),
        "paid": sum((r.paid for r in ledger_rows), ZERO),
        "owed": sum((r.owed for r in ledger_rows), ZERO),
    }
    return Ledger(year, months, ledger_rows, month_totals, totals)


@dataclass
class Arrear:
    person: Person
    months: list[datetime.date]
    owed: Decimal
    streak: int  # months in a row, up to last month, with nothing paid
    warning: bool
    flagged: bool


def _streak(unpaid: set[datetime.date], this_month: datetime.date) -> int:
    count, month = 0, add_months(this_month, -1)
    while month in unpaid:
        count += 1
        month = add_months(month, -1)
    return count


def arrears(queryset, today: datetime.date) -> list[Arrear]:
    """Who, among the kept dues of ``queryset``, owes months that have ended: one query for the
    months with their people, one for the limits in force."""
    this_month = month_of(today)
    rule = limits(today)
    owed: dict[int, list] = defaultdict(list)
    people: dict[int, Person] = {}
    fields = ("person_id", "person__name", "person__branch_id", "month", "due", "paid")
    for row in queryset.owed(today).values(*fields).order_by("month"):
        owed[row["person_id"]].append(row)
        people.setdefault(
            row["person_id"],
            Person(
                pk=row["person_id"], name=row["person__name"], branch_id=row["person__branch_id"]
            ),
        )
    found = []
    for person_id, rows in owed.items():
        unpaid = {row["month"] for row in rows if row["paid"] <= 0}
        streak = _streak(unpaid, this_month)
        found.append(
            Arrear(
                person=people[person_id],
                months=[row["month"] for row in rows],
                owed=sum((row["due"] - row["paid"] for row in rows), ZERO),
                streak=streak,
                warning=len(rows) >= rule[Limit.WARNING],
                flagged=streak >= rule[Limit.LAPSE],
            )
        )
    return sorted(found, key=lambda a: (-a.streak, -len(a.months), a.person.name))


def branch_arrears(branch, today: datetime.date) -> list[Arrear]:
    return arrears(MonthlyDue.objects.for_branch(branch), today)


def person_arrear(person, today: datetime.date) -> Arrear | None:
    found = arrears(MonthlyDue.objects.filter(person=person), today)
    return found[0] if found else None


def year_figures(branch, year: int, today: datetime.date) -> dict:
    """The branch's dues of ``year``: due (months begun), paid, owed, and members owing."""
    rows = MonthlyDue.objects.for_branch(branch).of_year(year)
    figures = rows.totals(today)
    figures["members_owing"] = rows.owed(today).values("person_id").distinct().count()
    return figures


def period_figures(branch, start: datetime.date, end: datetime.date) -> dict:
    """The branch's dues of the months from ``start`` to ``end``, judged at the period's end:
    due, paid, owed (months ended by then, unpaid part) and members owing. For the reports."""
    rows = MonthlyDue.objects.for_branch(branch).filter(
        month__gte=month_of(start), month__lte=month_of(end)
    )
    after = end + datetime.timedelta(days=1)
    figures = rows.totals(after)
    figures["members_owing"] = rows.owed(after).values("person_id").distinct().count()
    return figures


def members_without_base(branch, today: datetime.date):
    """Members of the branch today who have no base yet (they owe nothing on paper)."""
    return (
        Person.objects.for_branch(branch)
        .members_on(today)
        .exclude(pk__in=DuesBase.objects.filter(person__branch=branch).values("person_id"))
    )


@dataclass
class BranchTotals:
    branch: object
    due: Decimal
    paid: Decimal
    owed: Decimal
    owing: int
    warned: int
    flagged: int


def committee_totals(branches, year: int, today: datetime.date) -> list[BranchTotals]:
    """One row per branch: the year's totals and how many members owe (three queries in all)."""
    branches = list(branches)
    ids = [branch.pk for branch in branches]
    rule = limits(today)
    kept = MonthlyDue.objects.filter(branch_id__in=ids)
    sums = kept.of_year(year).totals_by_branch(today)
    owing = kept.owing_people_by_branch(today, warning=rule[Limit.WARNING], lapse=rule[Limit.LAPSE])
    found = []
    for branch in branches:
        row = sums.get(branch.pk, {})
        people = owing.get(branch.pk, (0, 0, 0))
        found.append(
            BranchTotals(
                branch=branch,
                due=row.get("due", ZERO),
                paid=row.get("paid", ZERO),
                owed=row.get("owed", ZERO),
                owing=people[0],
                warned=people[1],
                flagged=people[2],
            )
        )
    return found
