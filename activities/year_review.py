"""This app's sections of a member's year in review (``members.year_review``): meetings and
activities."""

from __future__ import annotations

from members.year_review import Section, year_span

from .models import ActivityParticipant, Meeting, MeetingKind


def meetings_section(person, year: int) -> Section:
    """Meetings expected of the person in ``year`` by kind, and how they attended."""
    start, end = year_span(year)
    by_kind = Meeting.objects.between(start, end).expected_of(person).attendance_of(person)
    rows = []
    for kind, counts in by_kind.items():
        text = (
            f"应参加 {counts['expected']} 次，出席 {counts['present']} 次，"
            f"请假 {counts['excused']} 次，缺席 {counts['absent']} 次"
        )
        if counts["unrecorded"]:
            text += f"，未登记 {counts['unrecorded']} 次"
        rows.append((MeetingKind(kind).label, text))
    if not rows:
        rows.append(("组织生活", "本年度没有应参加的会议记录"))
    return Section(key="meetings", title="参加组织生活", rows=rows)


def activities_section(person, year: int) -> Section:
    start, end = year_span(year)
    participations = ActivityParticipant.objects.filter(person=person).between(start, end)
    totals = participations.totals()
    titles = list(
        participations.order_by("activity__start_date", "activity__pk").values_list(
            "activity__start_date", "activity__title"
        )
    )
    rows = [("参加活动", f"{totals['activities']} 次，服务时长 {totals['hours']} 小时")]
    rows += [(f"{day:%m月%d日}", title) for day, title in titles]
    return Section(key="activities", title="参加活动", rows=rows)
