"""组织生活 as the rules name it: the meeting kinds, and a source of held meetings the apps fill.

Two domain apps meet here without importing each other. ``activities`` records meetings;
``obligations`` judges them against dated rules. The rules name meeting kinds, so the kinds live
in this lower layer (``MeetingKind``, which ``activities.Meeting.Kind`` is); and ``obligations``
reads meetings through the one source ``activities`` registers in its ``AppConfig.ready``::

    from members import orglife

    orglife.register_source(orglife.MeetingSource(held_counts=..., meetings=...))

``held_counts(branch_ids, start, end, kinds=None)`` answers, in one query, how many meetings were
*held* (planned ones never count) per ``(branch_id, party_group_id or None, kind, first day of
month)``, of every kind or of ``kinds`` only;
``meetings(branch_ids, start, end)`` lists them (planned and held) as plain ``MeetingFact`` rows;
``talks(branch_ids, start, end)`` lists who talked with whom at held 谈心谈话 (``TalkFact`` rows);
``first_day(branch_id)`` is the day of the branch's first meeting (planned or held), or None.
Nothing here reads a table of a higher app: without a registered source there are no meetings.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models


class MeetingKind(models.TextChoices):
    COMMITTEE = "committee", "支委会"
    GENERAL = "general", "党员大会"
    GROUP = "group", "党小组会"
    LECTURE = "lecture", "党课"
    LIFE = "life", "组织生活会"
    CENTRAL_STUDY = "central_study", "中心组学习"
    STAFF = "staff", "教职工大会"
    THEME_DAY = "theme_day", "主题党日"
    TALK = "talk", "谈心谈话"
    EVALUATION = "evaluation", "民主评议党员"
    ELECTION = "election", "换届选举"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "计划"
    HELD = "held", "已召开"


@dataclass(frozen=True)
class MeetingFact:
    pk: int
    branch_id: int
    party_group_id: int | None
    kind: str
    day: datetime.date
    topic: str
    status: str

    @property
    def held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def kind_label(self) -> str:
        return MeetingKind(self.kind).label


@dataclass(frozen=True)
class TalkFact:
    """One pair of a held 谈心谈话: who talked with whom, on which day."""

    branch_id: int
    day: datetime.date
    talker_id: int
    partner_id: int


Counts = dict[tuple[int, int | None, str, datetime.date], int]


@dataclass(frozen=True)
class MeetingSource:
    held_counts: Callable[..., Counts]
    meetings: Callable[[Iterable[int], datetime.date, datetime.date], list[MeetingFact]]
    talks: Callable[[Iterable[int], datetime.date, datetime.date], list[TalkFact]] = (
        lambda branch_ids, start, end: []
    )
    first_day: Callable[[int], datetime.date | None] = lambda branch_id: None


_source: list[MeetingSource] = []


def register_source(source: MeetingSource) -> None:
    """Sets the one source of meetings (registering again replaces it)."""
    _source[:] = [source]


def held_counts(
    branch_ids: Iterable[int], start: datetime.date, end: datetime.date, kinds=None
) -> Counts:
    return _source[0].held_counts(list(branch_ids), start, end, kinds) if _source else {}


def meetings(branch_ids: Iterable[int], start: datetime.date, end: datetime.date):
    return _source[0].meetings(list(branch_ids), start, end) if _source else []


def talks(branch_ids: Iterable[int], start: datetime.date, end: datetime.date) -> list[TalkFact]:
    return _source[0].talks(list(branch_ids), start, end) if _source else []


def first_day(branch_id: int) -> datetime.date | None:
    return _source[0].first_day(branch_id) if _source else None
