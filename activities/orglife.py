"""The meetings ``obligations`` judges, given through ``members.orglife`` (registered in ``ready``).

Each answer costs one query whatever the number of branches or months: the held counts are
grouped by branch, 党小组, kind and month in the database.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Count, DateField
from django.db.models.functions import Cast, Substr, TruncMonth

from members.orglife import Counts, MeetingFact, MeetingKind, MeetingSource, TalkFact

from .models import Meeting, TalkPair


def held_counts(branch_ids, start: datetime.date, end: datetime.date, kinds=None) -> Counts:
    meetings = Meeting.objects.filter(branch__in=branch_ids).between(start, end)
    if kinds is not None:
        meetings = meetings.filter(kind__in=kinds)
    if connection.vendor == "sqlite":
        # SQLite keeps a date as "YYYY-MM-DD" text and truncates dates in a Python function
        # called per row: the month is the text's first seven characters, cut in SQL.
        meetings = meetings.annotate(month=Substr("held_on", 1, 7))
    else:
        # DATE_TRUNC of a date gives a timestamp with a time zone, converted back per row: cast
        # to a date in SQL instead (11 000 rows for a district's year: 20 -> 13 ms).
        meetings = meetings.annotate(month=Cast(TruncMonth("held_on"), DateField()))
    rows = meetings.values_list("branch", "party_group", "kind", "month").annotate(n=Count("pk"))
    counts: Counts = {}
    months: dict = {}
    for branch_id, group_id, kind, month, n in rows.order_by():
        if month not in months:
            months[month] = _first_of_month(month)
        counts[(branch_id, group_id, kind, months[month])] = n  # a month names one first day
    return counts


def _first_of_month(value) -> datetime.date:
    if isinstance(value, str):  # "YYYY-MM" (SQLite)
        return datetime.date(int(value[:4]), int(value[5:7]), 1)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)


def meetings(branch_ids, start: datetime.date, end: datetime.date) -> list[MeetingFact]:
    rows = (
        Meeting.objects.filter(branch__in=branch_ids, held_on__range=(start, end))
        .order_by("held_on", "pk")
        .values_list("pk", "branch", "party_group", "kind", "held_on", "topic", "status")
    )
    return [MeetingFact(*row) for row in rows]


def talks(branch_ids, start: datetime.date, end: datetime.date) -> list[TalkFact]:
    """The pairs of the 谈心谈话 held from ``start`` to ``end`` (planned ones never count)."""
    held = Meeting.objects.filter(branch__in=branch_ids, kind=MeetingKind.TALK).between(start, end)
    rows = (
        TalkPair.objects.filter(meeting__in=held)
        .order_by("meeting__held_on", "pk")
        .values_list("meeting__branch", "meeting__held_on", "talker", "partner")
    )
    return [TalkFact(*row) for row in rows]


def first_day(branch_id: int) -> datetime.date | None:
    """The day of the branch's first meeting, planned or held."""
    return (
        Meeting.objects.filter(branch=branch_id)
        .order_by("held_on")
        .values_list("held_on", flat=True)
        .first()
    )


SOURCE = MeetingSource(held_counts=held_counts, meetings=meetings, talks=talks, first_day=first_day)
