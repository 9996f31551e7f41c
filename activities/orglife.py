"""The meetings ``obligations`` judges, given through ``members.orglife`` (registered in ``ready``).

Both answers cost one query whatever the number of branches or months: the held counts are
grouped by branch, 党小组, kind and month in the database.
"""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth

from members.orglife import Counts, MeetingFact, MeetingSource

from .models import Meeting


def held_counts(branch_ids, start: datetime.date, end: datetime.date) -> Counts:
    rows = (
        Meeting.objects.filter(branch__in=branch_ids)
        .between(start, end)
        .annotate(month=TruncMonth("held_on"))
        .values_list("branch", "party_group", "kind", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: Counts = {}
    for branch_id, group_id, kind, month, n in rows:
        if isinstance(month, datetime.datetime):
            month = month.date()
        key = (branch_id, group_id, kind, month)
        counts[key] = counts.get(key, 0) + n
    return counts


def meetings(branch_ids, start: datetime.date, end: datetime.date) -> list[MeetingFact]:
    rows = (
        Meeting.objects.filter(branch__in=branch_ids, held_on__range=(start, end))
        .order_by("held_on", "pk")
        .values_list("pk", "branch", "party_group", "kind", "held_on", "topic", "status")
    )
    return [MeetingFact(*row) for row in rows]


SOURCE = MeetingSource(held_counts=held_counts, meetings=meetings)
