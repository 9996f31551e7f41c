"""Compliance, computed: what each rule in force asked of a branch, period by period, and what
was held.

``compliance(branch, start, end)`` is the one answer every page, export, to-do, feed and digest
reads. ``compliance_for(branches, start, end)`` gives the same for many branches at a fixed
number of queries: the rules (1), the 党小组 (1) and the held meetings counted in the database
by (branch, 党小组, kind, month) through ``members.orglife`` (1); with ``with_meetings`` the
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

from django.utils import timezone

from members.models import PartyGroup
from members.orglife import MeetingFact, MeetingKind, held_counts, meetings

from .models import Frequency, Rule, Scope

MET = "met"
OVERDUE = "overdue"
DUE = "due"
UPCOMING = "upcoming"
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


@dataclass(frozen=True)
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

    @property
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


@dataclass
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
    meetings: list[MeetingFact] = field(default_factory=list)
    planned: list[MeetingFact] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.rule.kind

    @property
    def label(self) -> str:
        who = f"（{self.group_name}）" if self.group_id else ""
        return f"{self.rule.get_kind_display()}{who}"

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
    schedules = {}
    for committee_id in committee_ids:
        own = [r for r in rules if r.committee_id in (None, committee_id)]
        schedules[committee_id] = _schedule(own, start, end)
    span_start = min([start, *(p.start for s in schedules.values() for _r, p in s)], default=start)
    span_end = max([end, *(p.end for s in schedules.values() for _r, p in s)], default=end)

    groups = defaultdict(list)
    for pk, branch_id, name in (
        PartyGroup.objects.filter(branch__in=ids)
        .order_by("name", "pk")
        .values_list("pk", "branch", "name")
    ):
        groups[branch_id].append((pk, name))

    counts = held_counts(ids, span_start, span_end)
    by_group: dict[tuple, int] = defaultdict(int)
    by_branch: dict[tuple, int] = defaultdict(int)
    for (branch_id, group_id, kind, month), n in counts.items():
        by_group[(branch_id, group_id, kind, month)] += n
        by_branch[(branch_id, kind, month)] += n

    facts = defaultdict(list)
    if with_meetings:
        for fact in meetings(ids, span_start, span_end):
            facts[fact.branch_id].append(fact)

    result: dict[int, list[Obligation]] = {}
    for branch in branches:
        rows = []
        for rule, period in schedules[branch.committee_id]:
            months = period.months
            targets = groups[branch.pk] if rule.scope == Scope.GROUP else [(None, "")]
            for group_id, group_name in targets:
                if group_id is None:
                    held = sum(by_branch.get((branch.pk, rule.kind, m), 0) for m in months)
                else:
                    held = sum(by_group.get((branch.pk, group_id, rule.kind, m), 0) for m in months)
                obligation = Obligation(
                    rule=rule,
                    period=period,
                    branch_id=branch.pk,
                    group_id=group_id,
                    group_name=group_name,
                    due=rule.count,
                    held=held,
                    status=_status(rule.count, held, period, today),
                )
                if with_meetings:
                    mine = [
                        f
                        for f in facts[branch.pk]
                        if f.kind == rule.kind
                        and period.start <= f.day <= period.end
                        and (group_id is None or f.party_group_id == group_id)
                    ]
                    obligation.meetings = [f for f in mine if f.held]
                    obligation.planned = [f for f in mine if not f.held]
                rows.append(obligation)
        result[branch.pk] = rows
    return result


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
