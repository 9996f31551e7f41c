"""Compliance, computed: what each rule in force asked of a branch, period by period, and what
was held.

``compliance(branch, start, end)`` is the one answer every page, export, to-do, feed and digest
reads. ``compliance_for(branches, start, end)`` gives the same for many branches at a fixed
number of queries: the rules (1), the 党小组 (1) and the held meetings counted in the database
by (branch, 党小组, kind, month) through ``members.orglife`` (1, and 1 more for the kinds whose
periods reach outside the range: a term, a year begun before it); with ``with_meetings`` the
meetings themselves (1 more). Everything else is arithmetic on those rows.

How a period is judged:
- periods are calendar months, quarters and years; a term runs ``term_years`` from the rule's
  ``valid_from``;
- a period is judged by the rule in force on its first day (so a rule that starts in October
  judges the months from November on and the years from the next one); a committee's rule for
  the same kind and scope beats the national one;
- a 党小组 rule gives one obligation per 党小组 of the branch; the other scopes one per branch,
  counted over every meeting of that kind;
- held ≥ due: met; otherwise overdue once the period has ended, due while it runs, upcoming
  before it starts. Only held meetings count; planned ones are shown, never counted.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone

from members.models import PartyGroup
from members.orglife import MeetingFact, MeetingKind, held_counts, meetings

from .models import Frequency, Rule, Scope

MET = "met"
OVERDUE = "overdue"
DUE = "due"
UPCOMING = "upcoming"
KIND_LABELS = dict(MeetingKind.choices)
STATUS_LABELS = {MET: "已完成", OVERDUE: "逾期未完成", DUE: "本期待完成", UPCOMING: "未开始"}


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_of(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    found, month = [], month_start(start)
    while month <= end:
        found.append(month)
        month = add_months(month, 1)
    return found


@dataclass
class Period:
    start: datetime.date
    end: datetime.date
    frequency: str

    @property
    def label(self) -> str:
        if self.frequency == Frequency.MONTH:
            return f"{self.start:%Y年%-m月}"
        if self.frequency == Frequency.QUARTER:
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        if self.frequency == Frequency.YEAR:
            return f"{self.start.year}年"
        return f"{self.start:%Y年%-m月}至{self.end:%Y年%-m月}"

    @cached_property
    def end_month(self) -> datetime.date:
        return self.end.replace(day=1)

    @cached_property
    def months(self) -> list[datetime.date]:
        return months_of(self.start, self.end)


def periods_of(rule: Rule, start: datetime.date, end: datetime.date) -> list[Period]:
    """The rule's periods overlapping ``start``…``end`` that begin while the rule is in force."""
    step = {Frequency.MONTH: 1, Frequency.QUARTER: 3, Frequency.YEAR: 12}.get(rule.frequency)
    if step is None:  # a term, counted from the day the rule took effect
        step = 12 * (rule.term_years or 1)
        first = rule.valid_from
    else:
        first = month_start(start)
        first = first.replace(month=(first.month - 1) // step * step + 1)
    found = []
    period_start = first
    while period_start <= end:
        period_end = _next(period_start, step) - datetime.timedelta(days=1)
        if period_end >= start and rule.in_force_on(period_start):
            found.append(Period(period_start, period_end, rule.frequency))
        period_start = _next(period_start, step)
    return found


def _next(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1)  # periods start on the 1st, or a term's day


@dataclass(slots=True)
class Obligation:
    """One rule × one period (× one 党小组): what was due, what was held, its status."""

    rule: Rule
    period: Period
    branch_id: int
    group_id: int | None
    group_name: str
    due: int
    held: int
    status: str
    meetings: list[MeetingFact] = field(default_factory=list)  # held (with ``with_meetings``)
    planned: list[MeetingFact] = field(default_factory=list)
    plan_day: datetime.date | None = None  # set by the calendar: a suggested day to plan it

    @property
    def kind(self) -> str:
        return self.rule.kind

    @property
    def label(self) -> str:
        who = f"（{self.group_name}）" if self.group_id else ""
        return f"{KIND_LABELS[self.rule.kind]}{who}"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def missing(self) -> int:
        return max(self.due - self.held, 0)

    @property
    def key(self) -> str:
        """Names this obligation across runs (the digest's log of what was sent)."""
        return f"{self.branch_id}:{self.rule.kind}:{self.rule.scope}:{self.group_id or 0}"

    @property
    def is_open(self) -> bool:
        return self.status in (DUE, OVERDUE)


def _status(due: int, held: int, period: Period, today: datetime.date) -> str:
    if held >= due:
        return MET
    if period.end < today:
        return OVERDUE
    if period.start <= today:
        return DUE
    return UPCOMING


def _schedule(rules: list[Rule], start, end) -> list[tuple[Rule, Period]]:
    """Each rule's periods, save the national rule's where a committee rule for the same kind
    and scope is in force on the period's first day (the committee's rule judges it)."""
    local = [rule for rule in rules if rule.committee_id is not None]
    result = []
    for rule in rules:
        for period in periods_of(rule, start, end):
            if rule.committee_id is None and any(
                other.kind == rule.kind
                and other.scope == rule.scope
                and other.in_force_on(period.start)
                for other in local
            ):
                continue
            result.append((rule, period))
    kind_order = {kind: index for index, kind in enumerate(MeetingKind.values)}
    result.sort(key=lambda rp: (rp[1].end, kind_order.get(rp[0].kind, 99), rp[0].scope))
    return result


def compliance_for(
    branches,
    start: datetime.date,
    end: datetime.date,
    *,
    today: datetime.date | None = None,
    with_meetings: bool = False,
) -> dict[int, list[Obligation]]:
    """``compliance`` for many branches at once (their ``committee_id`` read from the rows)."""
    today = today or timezone.localdate()
    branches = list(branches)
    ids = [branch.pk for branch in branches]
    committee_ids = {branch.committee_id for branch in branches}
    rules = list(Rule.objects.for_committees(committee_ids).overlapping(_far_back(start), end))
    schedules: dict[int, list[tuple[Rule, Period]]] = {}
    # Which schedule entries each (kind, month) counts towards, per committee.
    slots: dict[int, dict[tuple[str, datetime.date], list[int]]] = {}
    for committee_id in committee_ids:
        own = [r for r in rules if r.committee_id in (None, committee_id)]
        schedule = schedules[committee_id] = _schedule(own, start, end)
        found = slots[committee_id] = defaultdict(list)
        for index, (rule, period) in enumerate(schedule):
            for month in period.months:
                found[(rule.kind, month)].append(index)
    periods = [period for schedule in schedules.values() for _rule, period in schedule]
    reach_start = min([p.start for p in periods], default=start)
    reach_end = max([p.end for p in periods], default=end)

    groups = defaultdict(list)
    rows = PartyGroup.objects.filter(branch__in=ids).order_by("name", "pk")
    for pk, branch_id, name in rows.values_list("pk", "branch", "name"):
        groups[branch_id].append((pk, name))

    # One count of held meetings by (branch, 党小组, kind, month) for the range; a second one only
    # for the kinds whose periods reach outside it (a term, a year begun before ``start``).
    counts = held_counts(ids, start, end)
    outside = {
        rule.kind
        for schedule in schedules.values()
        for rule, period in schedule
        if period.start < start or period.end > end
    }
    if outside:
        counts = {key: n for key, n in counts.items() if key[2] not in outside}
        counts.update(held_counts(ids, reach_start, reach_end, kinds=sorted(outside)))
    committee_of = {branch.pk: branch.committee_id for branch in branches}
    held: dict[tuple[int, int | None, int], int] = defaultdict(int)
    for (branch_id, group_id, kind, month), n in counts.items():
        committee_id = committee_of[branch_id]
        schedule = schedules[committee_id]
        for index in slots[committee_id].get((kind, month), ()):
            if schedule[index][0].scope == Scope.GROUP:
                if group_id is not None:
                    held[(branch_id, group_id, index)] += n
            else:
                held[(branch_id, None, index)] += n

    facts = defaultdict(list)
    if with_meetings:
        for fact in meetings(ids, reach_start, reach_end):
            facts[fact.branch_id].append(fact)

    result: dict[int, list[Obligation]] = {}
    judged = {  # per committee: each entry with its status when nothing was held
        committee_id: [
            (index, rule, period, rule.count, _status(rule.count, 0, period, today))
            for index, (rule, period) in enumerate(schedule)
        ]
        for committee_id, schedule in schedules.items()
    }
    for branch in branches:
        branch_id = branch.pk
        found = []
        for index, rule, period, due, unmet in judged[branch.committee_id]:
            targets = groups[branch_id] if rule.scope == Scope.GROUP else NO_GROUP
            for group_id, group_name in targets:
                done = held.get((branch_id, group_id, index), 0)
                status = MET if done >= due else unmet
                obligation = Obligation(
                    rule, period, branch_id, group_id, group_name, due, done, status, [], []
                )
                if with_meetings:
                    mine = [
                        f
                        for f in facts[branch_id]
                        if f.kind == rule.kind
                        and period.start <= f.day <= period.end
                        and (group_id is None or f.party_group_id == group_id)
                    ]
                    obligation.meetings = [f for f in mine if f.held]
                    obligation.planned = [f for f in mine if not f.held]
                found.append(obligation)
        result[branch_id] = found
    return result


NO_GROUP = [(None, "")]


def _far_back(start: datetime.date) -> datetime.date:
    """Terms reach back: a rule that ended before ``start`` may not judge it, but one in force
    on a term's first day years earlier may; the rules table is small, so read generously."""
    return datetime.date(max(start.year - 10, 1), 1, 1)


def compliance(
    branch, start: datetime.date, end: datetime.date, *, today: datetime.date | None = None
) -> list[Obligation]:
    """Per rule in force and per period overlapping ``start``…``end``: due, held (the meetings),
    status. The 党小组 rules once per group."""
    return compliance_for([branch], start, end, today=today, with_meetings=True)[branch.pk]
