"""The demo branch's current year (2026) of 组织生活: what it owed, held, missed and planned.

The source document's years (2010–2012) are left as they are. This adds 2026 for the same
branch: meetings on the days below are *held* when the day has come (with attendance drawn the
way the source's meetings are) and *planned* after today; a few are missing on purpose (May's
支委会, February's and September's 主题党日, the 党小组 in August and 初二's in April, 谈心谈话 with two members), so the
calendar, the heat map, the to-dos and a digest show something real. The demo accounts get
addresses at example.org so that ``send_digests`` (console backend in development) writes mail.
Idempotent: every row is found by its natural key.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from activities.models import Attendance, Meeting, TalkPair
from members.models import PartyGroup, Person

from .source import ACCOUNTS, DemoBuilder, DemoResult

YEAR = 2026
Kind = Meeting.Kind


def _first_friday(month: int) -> datetime.date:
    day = datetime.date(YEAR, month, 1)
    return day + datetime.timedelta(days=(4 - day.weekday()) % 7)


def plan() -> list[tuple[str, datetime.date, str, str | None]]:
    """(kind, day, topic, party group name or None) of every 2026 meeting of the demo."""
    rows = []
    for month in range(1, 13):
        if month != 5:
            rows.append((Kind.COMMITTEE, datetime.date(YEAR, month, 8), f"{month}月支委会", None))
        if month not in (2, 9):
            rows.append((Kind.THEME_DAY, _first_friday(month), f"{month}月主题党日", None))
    for index, (group, months_missing) in enumerate(
        [
            ("预备年级党小组", {8}),
            ("初一年级党小组", {8}),
            ("初二年级党小组", {4, 8}),
            ("初三年级党小组", {8}),
        ]
    ):
        for month in range(1, 13):
            if month not in months_missing:
                day = datetime.date(YEAR, month, 10 + index)
                rows.append((Kind.GROUP, day, f"{month}月党小组学习", group))
    for month, day in ((3, 20), (6, 19), (9, 18), (12, 18)):
        rows.append(
            (Kind.GENERAL, datetime.date(YEAR, month, day), f"第{month // 3}季度党员大会", None)
        )
    rows += [
        (Kind.LECTURE, datetime.date(YEAR, 6, 26), "书记讲党课：新时代教师的初心使命", None),
        (Kind.LECTURE, datetime.date(YEAR, 12, 11), "专题党课：学习党章", None),
        (Kind.TALK, datetime.date(YEAR, 3, 12), "支委与党员谈心谈话（一）", None),
        (Kind.TALK, datetime.date(YEAR, 3, 13), "支委与党员谈心谈话（二）", None),
        (Kind.LIFE, datetime.date(YEAR, 12, 25), "年度组织生活会", None),
        (Kind.EVALUATION, datetime.date(YEAR, 12, 25), "年度民主评议党员", None),
    ]
    return rows


# (talk topic, committee member, members talked with)
# Every member of 2026 talks with a committee member (the committee members with each other),
# save 孟儒渊 and 黄志刚: the calendar says "还有2名党员未谈心谈话" and names them.
TALKS = [
    (
        "支委与党员谈心谈话（一）",
        "王卫珍",
        ["沈佳敏", "吴丽娟", "周建国", "曾蓓蓓", "许美英", "蔡磊", "刘立明", "周思宁"],
    ),
    (
        "支委与党员谈心谈话（二）",
        "曾蓓蓓",
        ["陈晓燕", "李静", "朱红梅", "张慧", "赵淑贤", "钱敏", "陆海峰", "顾文斌"],
    ),
]


def build(result: DemoResult, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    builder = DemoBuilder()
    builder.tally = result.tally
    branch = result.branch
    groups = {g.name: g for g in PartyGroup.objects.filter(branch=branch)}
    meetings = {}
    for kind, day, topic, group_name in plan():
        if day.year > today.year:
            continue
        group = groups.get(group_name) if group_name else None
        held = day <= today
        meeting = builder.upsert(
            Meeting,
            {"branch": branch, "kind": kind, "held_on": day, "topic": topic, "party_group": group},
            status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
            planned_on=day,
            place="学校会议室",
            minutes="会议按议程进行。" if held else "",
        )
        meetings[topic] = meeting
        if held and kind != Kind.TALK:
            for person in builder.attendees(branch, kind, day, group):
                status, note = builder.attendance(topic, day, person)
                builder.upsert(
                    Attendance, {"meeting": meeting, "person": person}, status=status, note=note
                )
    people = {p.name: p for p in Person.objects.for_branch(branch)}
    for topic, talker, partners in TALKS:
        meeting = meetings.get(topic)
        if meeting is None or meeting.status != Meeting.Status.HELD:
            continue
        for name in partners:
            builder.upsert(
                TalkPair, {"meeting": meeting, "talker": people[talker], "partner": people[name]}
            )
    User = get_user_model()
    for username, _who, role in ACCOUNTS:
        if role is not None:
            builder.upsert(User, {"username": username}, email=f"{username}@example.org")
