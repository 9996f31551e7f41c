"""Every branch's figures at once: the committee table, in a fixed number of queries.

Each figure is the same QuerySet method chain a branch's own pages use (``members_on``,
``signed_between``, ``tracked().overdue``, ``between``, ``attendance``, ``count_by_level`` …),
grouped by branch with ``values(<branch>).annotate(...)`` instead of being counted for one branch:
so the committee table and a branch's dashboard and report cannot disagree, and the number of
queries does not depend on the number of branches (one query per figure group, ``QUERIES``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery

from activities.models import Activity, Attendance, Meeting
from honors.models import Honor, Level
from members import freshness
from members.models import Branch, BranchRating, Campaign, Carrier, Person, ratio
from pledges.models import Pledge, PledgeItem, SigningRate

OTHER_CARRIER = "其他"  # activities recorded without a carrier (as ``count_by_carrier`` names them)
RATING_RANK = {value: rank for rank, value in enumerate(reversed(BranchRating.Rating.values))}


@dataclass(frozen=True)
class CommitteePeriod:
    """What the table covers: one calendar year (up to ``today``, as ``ReportPeriod.for_year``),
    or one campaign by name, from its earliest start to its latest end in the branches."""

    start: datetime.date
    end: datetime.date
    year: int | None = None
    campaign: str = ""

    @classmethod
    def for_year(cls, year: int, today: datetime.date) -> CommitteePeriod:
        return cls(datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today), year=year)

    @classmethod
    def for_campaign(cls, name: str, branches, today: datetime.date) -> CommitteePeriod:
        span = Campaign.objects.filter(branch__in=branches.values("pk"), name=name).aggregate(
            first=Min("start"), last=Max("end"), running=Count("pk", filter=Q(end__isnull=True))
        )
        end = today if span["running"] or span["last"] is None else min(span["last"], today)
        return cls(span["first"] or today, end, campaign=name)

    @property
    def label(self) -> str:
        if self.campaign:
            return f"{self.campaign}（{self.start:%Y年%-m月}至{self.end:%Y年%-m月}）"
        return f"{self.year}年度"

    @property
    def query(self) -> str:
        """The query string that asks for this period again."""
        if self.campaign:
            return urlencode({"campaign": self.campaign})
        return urlencode({"year": self.year})


def default_year(branches, today: datetime.date) -> int:
    """This year while a campaign of ``branches`` runs, else the year the last one ended."""
    last = Campaign.objects.filter(branch__in=branches.values("pk")).aggregate(
        running=Count("pk", filter=Q(end__isnull=True) | Q(end__gte=today)), last_end=Max("end")
    )
    if last["running"] or last["last_end"] is None:
        return today.year
    return last["last_end"].year


def campaign_names(branches) -> list[str]:
    """The names of the branches' campaigns, latest first."""
    rows = (
        Campaign.objects.filter(branch__in=branches.values("pk"))
        .values("name")
        .annotate(latest=Max("start"))
        .order_by("-latest", "name")
    )
    return [row["name"] for row in rows]


@dataclass
class BranchFigures:
    """One row of the committee table."""

    branch: Branch
    members: int = 0
    signing: SigningRate = field(default_factory=SigningRate)
    overdue_items: int = 0
    activities: int = 0
    activities_by_carrier: dict[str, int] = field(default_factory=dict)
    meetings: int = 0
    attendance_recorded: int = 0
    attendance_present: int = 0
    honors_by_level: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Level.values, 0))
    carrier_orders: dict[str, int] = field(default_factory=dict)  # name -> its campaign order
    rating: str | None = None
    rated_on: datetime.date | None = None

    @property
    def signers(self) -> int:
        """Members in the period who signed a pledge in force in it (the rate's numerator)."""
        return self.signing.signers

    @property
    def signed_percent(self) -> Decimal | None:
        """签订率: ``Pledge.objects.signing_by_branch`` (the dashboard's and reports' figure)."""
        return self.signing.percent

    @property
    def attendance_rate(self) -> Decimal | None:
        return ratio(self.attendance_present, self.attendance_recorded)

    @property
    def honors(self) -> int:
        return sum(self.honors_by_level.values())

    @property
    def rating_label(self) -> str:
        return BranchRating.Rating(self.rating).label if self.rating else ""

    def carrier_count(self, name: str) -> int:
        return self.activities_by_carrier.get(name, 0)


@dataclass
class CommitteeTable:
    period: CommitteePeriod
    rows: list[BranchFigures]
    carriers: list[str]  # the carrier names found, in the campaigns' order


# branches + members + signers + overdue + activities + their carriers + meetings + attendance
# + honors
QUERIES = 9


def _grouped(queryset, key: str, **aggregates):
    """``queryset`` grouped by ``key`` (a path to the branch, and more), one dict per group."""
    keys = key.split(",")
    return queryset.values(*keys).annotate(**aggregates).order_by()


def branch_table(branches, period: CommitteePeriod, today: datetime.date) -> CommitteeTable:
    """The figures of every branch in ``branches`` (a Branch QuerySet) for ``period``.

    Members are counted on the period's end, overdue items as of ``today``; the rest over the
    period. ``QUERIES`` queries whatever the number of branches.
    """
    start, end = period.start, period.end
    latest = BranchRating.objects.filter(branch=OuterRef("pk"), rated_on__lte=end).order_by(
        "-rated_on"
    )
    branch_rows = list(
        branches.select_related("committee")
        .annotate(
            latest_rating=Subquery(latest.values("rating")[:1]),
            latest_rated_on=Subquery(latest.values("rated_on")[:1]),
        )
        .order_by("short_name", "pk")
    )
    ids = Branch.objects.filter(pk__in=branches.values("pk")).values("pk")
    rows = {
        branch.pk: BranchFigures(
            branch=branch, rating=branch.latest_rating, rated_on=branch.latest_rated_on
        )
        for branch in branch_rows
    }

    for row in _grouped(
        Person.objects.filter(branch__in=ids).members_on(end), "branch", n=Count("pk")
    ):
        rows[row["branch"]].members = row["n"]

    signing = Pledge.objects.filter(campaign__branch__in=ids).signing_by_branch(
        Person.objects.filter(branch__in=ids), start, end
    )
    for branch_id, rate in signing.items():
        rows[branch_id].signing = rate

    overdue = PledgeItem.objects.filter(pledge__campaign__branch__in=ids).tracked().overdue(today)
    for row in _grouped(overdue, "pledge__campaign__branch", n=Count("pk")):
        rows[row["pledge__campaign__branch"]].overdue_items = row["n"]

    # Counted per carrier id (``COUNT(*)`` over the columns of one index, no join), then named:
    # a quarter of the time of grouping by the joined carrier's name.
    activities = Activity.objects.filter(branch__in=ids).between(start, end)
    counts = list(_grouped(activities, "branch,carrier", n=Count("*")))
    named = {
        pk: (name, order)
        for pk, name, order in Carrier.objects.filter(campaign__branch__in=ids).values_list(
            "pk", "name", "order"
        )
    }
    for row in counts:
        name, order = named.get(row["carrier"], (OTHER_CARRIER, None))
        figures = rows[row["branch"]]
        figures.activities += row["n"]
        figures.activities_by_carrier[name] = figures.activities_by_carrier.get(name, 0) + row["n"]
        order = order if order is not None else 10_000
        figures.carrier_orders[name] = min(figures.carrier_orders.get(name, order), order)
    meetings = Meeting.objects.filter(branch__in=ids).between(start, end)
    for row in _grouped(meetings, "branch", n=Count("pk")):
        rows[row["branch"]].meetings = row["n"]

    attendance = Attendance.objects.filter(meeting__branch__in=ids).between(start, end)
    for row in _grouped(
        attendance,
        "meeting__branch",
        total=Count("pk"),
        present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
    ):
        figures = rows[row["meeting__branch"]]
        figures.attendance_recorded, figures.attendance_present = row["total"], row["present"]

    honors = Honor.objects.filter(branch__in=ids).between(start, end)
    for row in _grouped(honors, "branch,level", n=Count("pk")):
        rows[row["branch"]].honors_by_level[row["level"]] = row["n"]

    return CommitteeTable(
        period=period, rows=list(rows.values()), carriers=carrier_names(rows.values())
    )


def carrier_names(rows) -> list[str]:
    """The carrier names of the rows, in the order the campaigns list them, 其他 (none) last."""
    lowest: dict[str, int] = {}
    for row in rows:
        for name, order in row.carrier_orders.items():
            lowest[name] = min(lowest.get(name, order), order)
    return [name for order, name in sorted((order, name) for name, order in lowest.items())]


def cached_branch_table(branches, period: CommitteePeriod, today: datetime.date) -> CommitteeTable:
    """``branch_table``, with each branch's row kept in the cache under its data version.

    A row depends only on its own branch's records (and the period and day), so after a change
    in one branch only that branch's row is worked out again (``branch_table`` over the stale
    branches: the same ``QUERIES`` queries, over one branch's rows instead of the district's);
    the others come from the cache in one read. Rows are in the order of ``branch_table``.
    """
    listed = list(branches.order_by("short_name", "pk"))
    keys = {
        branch.pk: freshness.fragment_key(
            "committee-row", [(branch.pk, branch.data_version)], period, today
        )
        for branch in listed
    }
    found = freshness.get_many(keys.values())
    rows = {pk: found[key] for pk, key in keys.items() if key in found}
    stale = [branch.pk for branch in listed if branch.pk not in rows]
    if stale:
        fresh = branch_table(Branch.objects.filter(pk__in=stale), period, today).rows
        rows.update((row.branch.pk, row) for row in fresh)
        freshness.set_many({keys[row.branch.pk]: row for row in fresh})
    ordered = [rows[branch.pk] for branch in listed]
    return CommitteeTable(period=period, rows=ordered, carriers=carrier_names(ordered))


# ---------------------------------------------------------------------------------------------
# Sorting: ``?sort=key`` or ``?sort=-key``; every column has a key.


def column_keys(table: CommitteeTable) -> dict[str, Callable]:
    """Sort key of each column: a function of a row."""
    keys = {
        "name": lambda r: r.branch.short_name,
        "members": lambda r: r.members,
        "signed": lambda r: r.signed_percent,
        "overdue": lambda r: r.overdue_items,
        "activities": lambda r: r.activities,
        "meetings": lambda r: r.meetings,
        "attendance": lambda r: r.attendance_rate,
        "honors": lambda r: r.honors,
        "rating": lambda r: RATING_RANK.get(r.rating),
    }
    for index, name in enumerate(table.carriers, 1):
        keys[f"carrier{index}"] = lambda r, name=name: r.carrier_count(name)
    for level in Level.values:
        keys[f"level-{level}"] = lambda r, level=level: r.honors_by_level[level]
    return keys


def sort_rows(table: CommitteeTable, sort: str) -> str:
    """Sort ``table.rows`` in place by ``sort``; rows without a value go last. Returns the key used."""
    keys = column_keys(table)
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in keys:
        key, descending = "name", False
    value = keys[key]
    table.rows.sort(key=lambda r: r.branch.short_name)
    present = [row for row in table.rows if value(row) is not None]
    missing = [row for row in table.rows if value(row) is None]
    present.sort(key=value, reverse=descending)
    table.rows[:] = present + missing
    return f"-{key}" if descending else key


def by_level_label() -> list[tuple[str, str]]:
    return [(level.value, level.label) for level in Level]
