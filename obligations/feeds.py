"""Calendar feeds (iCalendar, RFC 5545) built with the ``icalendar`` library.

A branch's feed: its planned and held meetings, and what it owes (an all-day event on the last
day of each open period). A person's: the meetings they belong at and their pledge items'
deadlines (``members.deadlines``). Both reach a year back and a year ahead.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from members.deadlines import deadlines_for
from members.models import BranchPost, PartyGroupMembership
from members.orglife import MeetingKind, meetings

from .judging import compliance

WINDOW = datetime.timedelta(days=366)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//branch-portal//组织生活//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _event(uid: str, day: datetime.date, summary: str, url: str = "", description: str = ""):
    event = Event()
    event.add("uid", f"{uid}@branch-portal")
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", settings.SITE_URL + url)
    if description:
        event.add("description", description)
    return event


def _meeting_event(fact):
    status = "（计划）" if not fact.held else ""
    url = reverse("activities:meeting-detail", args=[fact.pk])
    return _event(f"meeting-{fact.pk}", fact.day, f"{fact.kind_label}{status}：{fact.topic}", url)


def branch_calendar(branch, today: datetime.date) -> bytes:
    cal = _calendar(f"{branch.short_name} 组织生活")
    start, end = today - WINDOW, today + WINDOW
    for fact in meetings([branch.pk], start, end):
        cal.add_component(_meeting_event(fact))
    for obligation in compliance(branch, today.replace(month=1, day=1), end, today=today):
        if obligation.status in ("met",):
            continue
        period = obligation.period
        cal.add_component(
            _event(
                f"due-{obligation.key}-{period.start:%Y%m%d}".replace(":", "-"),
                period.end,
                f"应完成：{obligation.label}（{period.label}，{obligation.shortfall}）",
                reverse("obligations:calendar") + f"?branch={branch.pk}&month={period.end:%Y-%m}",
                f"{obligation.rule.rate_label}；依据：{obligation.rule.source}",
            )
        )
    return cal.to_ical()


def person_calendar(person, today: datetime.date) -> bytes:
    cal = _calendar(f"{person.name} 的组织生活")
    start, end = today - WINDOW, today + WINDOW
    for fact in meetings_for_person(person, start, end):
        cal.add_component(_meeting_event(fact))
    for deadline in deadlines_for([person.pk], start, end).get(person.pk, []):
        cal.add_component(_event(deadline.key.replace(":", "-"), deadline.day, deadline.label))
    return cal.to_ical()


def meetings_for_person(person, start: datetime.date, end: datetime.date):
    """The branch's meetings a person belongs at: their own 党小组's group meetings, the
    committee's only while they hold a post, every other kind."""
    groups = set(
        PartyGroupMembership.objects.filter(person=person)
        .during(start, end)
        .values_list("group", flat=True)
    )
    on_committee = BranchPost.objects.filter(person=person).during(start, end).exists()
    found = []
    for fact in meetings([person.branch_id], start, end):
        if fact.kind == MeetingKind.GROUP and fact.party_group_id not in groups:
            continue
        if fact.kind == MeetingKind.COMMITTEE and not on_committee:
            continue
        found.append(fact)
    return found
