"""The secretary's dashboard: this campaign's figures, chart series and the lists to act on.

The figures the reports also print (members, signers, activities, meetings, attendance, typical
models) are read from the reports' figure registry, so the dashboard and the summary cannot
disagree; the others come straight from a QuerySet method of the model's app. This module only
chooses the branch, the campaign period and the order things are shown in.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F

from activities.models import Activity, Meeting
from honors.models import Level
from members.models import Campaign
from pledges.models import Pledge, PledgeItem

from .figures import Figures, ReportPeriod, honors_by_level

UPCOMING_DAYS = 30
LIST_LENGTH = 8


@dataclass
class Dashboard:
    branch: object
    campaign: Campaign | None
    start: datetime.date
    end: datetime.date
    today: datetime.date
    figures: dict = field(default_factory=dict)
    charts: dict = field(default_factory=dict)
    upcoming_items: list = field(default_factory=list)
    overdue_items: list = field(default_factory=list)
    latest_activities: list = field(default_factory=list)
    label: str = ""


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """First days of every month from ``start``'s month to ``end``'s month."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def build_dashboard(branch, period: ReportPeriod | None, today: datetime.date) -> Dashboard:
    """Everything on the dashboard belongs to ``period`` (a campaign or a year) and its campaign."""
    if period is None:
        return Dashboard(branch=branch, campaign=None, start=today, end=today, today=today)
    campaign = period.campaign
    start, end = period.start, period.end
    shared = Figures(branch, period)
    board = Dashboard(branch=branch, campaign=campaign, start=start, end=end, today=today)
    board.label = period.label

    activities = Activity.objects.for_branch(branch).between(start, end)
    meetings = Meeting.objects.for_branch(branch).between(start, end)
    pledges = Pledge.objects.for_branch(branch).current().filter(campaign=campaign)
    # Items are commitments once their pledge is signed; drafts are not tracked yet. A signed
    # pledge is a current one (superseded versions are not "signed"), so the items are read
    # through one join rather than ``pledge__in=pledges`` (a subquery in each of five queries).
    items = PledgeItem.objects.for_branch(branch).filter(pledge__campaign=campaign).tracked()
    carrier_names = [carrier.name for carrier in shared.carriers]
    pledge_status = pledges.count_by_status()
    item_counts = items.fulfilment(today)  # with the open and overdue items, one query
    all_honors_by_level = honors_by_level(shared)[0]  # and the 先进典型, in one query
    rate_by_kind = meetings.attendance_rate_by_kind()
    by_kind = {kind: rate_by_kind[kind] for kind in Meeting.Kind.values if kind in rate_by_kind}

    board.figures = {
        "members": shared.value("党员人数"),
        "pledges_signed": shared.value("已签订承诺党员人数"),
        "members_during": shared.value("期内党员人数"),
        "signing_rate": shared.value("承诺签订率"),
        "pledge_status": pledge_status,
        "items_open": item_counts["open"],
        "items_overdue": item_counts["overdue"],
        "items_fulfilment": item_counts,
        "activities_total": shared.value("活动总数"),
        "activities_by_carrier": [(name, shared.value(f"{name}活动数")) for name in carrier_names],
        "meetings_held": shared.value("组织生活次数"),
        "attendance_rate": shared.value("组织生活出勤率"),
        "typical_by_level": [
            (level.label, shared.value(f"先进典型·{level.label}")) for level in Level
        ],
        "typical_total": shared.value("先进典型总数"),
        "honors_by_level": [(Level(level).label, n) for level, n in all_honors_by_level.items()],
    }

    months = months_between(start, end)
    series = {name: [0] * len(months) for name in carrier_names}
    index = {month: i for i, month in enumerate(months)}
    for name, month, n in activities.filter(
        carrier__campaign=campaign
    ).count_by_carrier_and_month():
        if name in series and month in index:
            series[name][index[month]] = n
    board.charts = {
        "activities_by_month": {
            "labels": [f"{month:%Y-%m}" for month in months],
            "datasets": [{"label": name, "data": data} for name, data in series.items()],
        },
        "pledge_status": {
            "labels": [label for value, label in Pledge.Status.choices if value != "superseded"],
            "data": [
                pledge_status.get(value, 0)
                for value, _ in Pledge.Status.choices
                if value != "superseded"
            ],
        },
        "attendance_by_kind": {
            "labels": [Meeting.Kind(kind).label for kind in by_kind],
            "data": [float(row["rate"] or 0) for row in by_kind.values()],
            "meetings": [row["meetings"] for row in by_kind.values()],
        },
    }

    # The lists show a few fields of each row: read as named rows, not as model instances.
    items = items.annotate(person_name=F("pledge__person__name"))
    fields = ("title", "deadline", "person_name")
    board.upcoming_items = list(
        items.due_within(today, UPCOMING_DAYS)
        .order_by("deadline", "pk")
        .values_list(*fields, named=True)[:LIST_LENGTH]
    )
    board.overdue_items = list(
        items.overdue(today)
        .order_by("deadline", "pk")
        .values_list(*fields, named=True)[:LIST_LENGTH]
    )
    board.latest_activities = list(
        activities.annotate(carrier_name=F("carrier__name"), organiser_name=F("organiser__name"))
        .order_by("-start_date", "-pk")
        .values_list("pk", "title", "start_date", "carrier_name", "organiser_name", named=True)[
            :LIST_LENGTH
        ]
    )
    return board
