"""Compliance, computed: what each rule in force asked of a branch, period by period, and what
was held.

``compliance(branch, start, end)`` is the one answer every page, export, to-do, feed and digest
reads. ``compliance_for(branches, start, end)`` gives the same for many branches at a fixed
number of queries: the rules (1), the 党小组 (1) and the held meetings counted in the database
by (branch, 党小组, kind, month) through ``members.orglife`` (1, and 1 more for the kinds whose
periods reach outside the range: a term, a year begun before it); with ``with_meetings`` the
meetings themselves (1 more); when a rule owed to each member is in force (谈心谈话), the
memberships and branch posts of the branches' people and the held talk pairs (3 more). Everything
else is arithmetic on those rows.

How a period is judged:
- periods are calendar months, quarters and years; a term runs ``term_years`` from the rule's
  ``valid_from``;
- a period is judged by the rule in force on its first day (so a rule that starts in October
  judges the months from November on and the years from the next one); a committee's rule for
  the same kind and scope beats the national one;
- a 党小组 rule gives one obligation per 党小组 of the branch; the other scopes one per branch,
  counted over every meeting of that kind;
- a rule owed to each member (``Rule.per_member``: 谈心谈话) is due to every member of the branch
  in the period (a membership on at least one of its days, as ``Person.objects.members_during``),
  and held for each who talked, ``count`` times or more, in a pair with a member of the branch
  committee (a post on the talk's day) at a held 谈心谈话 of the period; ``unmet_people`` names
  who has not;
- held ≥ due: met; otherwise overdue once the period has ended, due while it runs, upcoming
  before it starts. Only held meetings count; planned ones are shown, never counted.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from common.periods import holds_during
from members.models import BranchPost, Membership, PartyGroup
from members.orglife import MeetingFact, MeetingKind, first_day, held_counts, meetings, talks

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
    """The first days of the months from ``start``'s to ``end``'s."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [datetime.date(index // 12, index % 12 + 1, 1) for index in range(first, last + 1)]


@dataclass
class Period:
    start: datetime.date
    end: datetime.date
    frequency: str

    @property
    def label(self) -> str:
        start, end = self.start, self.end
        if self.frequency == Frequency.MONTH:
            return f"{start.year}年{start.month}月"
        if self.frequency == Frequency.QUARTER:
            return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
        if self.frequency == Frequency.YEAR:
            return f"{start.year}年"
        return f"{start.year}年{start.month}月至{end.year}年{end.month}月"

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
    """One rule × one period (× one 党小组): what was due, what was held, its status.

    The heat map makes one for each of 200 branches × 81 rules and periods: the lists it does not
    need stay the shared empty tuple, so that a judgement leaves one object per obligation for
    the garbage collector to scan, not four."""

    rule: Rule
    period: Period
    branch_id: int
    group_id: int | None
    group_name: str
    due: int
    held: int
    status: str
    meetings: Sequence[MeetingFact] = ()  # held (with ``with_meetings``)
    planned: Sequence[MeetingFact] = ()
    plan_day: datetime.date | None = None  # set by the calendar: a suggested day to plan it
    unmet_people: Sequence[str] = ()  # a per-member rule: who is missing

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
    def per_member(self) -> bool:
        return self.rule.per_member

    @property
    def progress(self) -> str:
        """What was owed and done, in words: "应开展 1 次，已开展 0 次" or, owed to each member,
        "应谈 12 名党员，已谈 11 名"."""
        if self.per_member:
            return f"应{KIND_LABELS[self.kind]} {self.due} 名党员，已{self.held} 名"
        return f"应开展 {self.due} 次，已开展 {self.held} 次"

    @property
    def shortfall(self) -> str:
        """What is still missing: "还差 1 次" or "还有2名党员未谈心谈话" ("" when met)."""
        if not self.missing:
            return ""
        if self.per_member:
            return f"还有{self.missing}名党员未{KIND_LABELS[self.kind]}"
        return f"还差 {self.missing} 次"

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
    judged = compliance_each(branches, start, end, today=today, with_meetings=with_meetings)
    return {branch.pk: found for branch, found in judged}


def compliance_each(
    branches,
    start: datetime.date,
    end: datetime.date,
    *,
    today: datetime.date | None = None,
    with_meetings: bool = False,
) -> Iterator[tuple[object, list[Obligation]]]:
    """``compliance_for`` one branch after the other: every query is made before the first
    branch, then each branch's obligations are judged as it is asked for. A caller that sums
    them up (the heat map: 200 branches × 81 obligations) lets each branch's go before the next
    is made, so they never pile up for the garbage collector to scan again and again."""
    today = today or timezone.localdate()
    branches = list(branches)
    ids = [branch.pk for branch in branches]
    committee_ids = {branch.committee_id for branch in branches}
    rules = list(Rule.objects.for_committees(committee_ids).overlapping(_far_back(start), end))
    schedules: dict[int, list[tuple[Rule, Period]]] = {}
    # Which schedule entries each (kind, month) counts towards, per committee, and whether the
    # entry is owed per 党小组.
    slots: dict[int, dict[tuple[str, datetime.date], list[tuple[int, bool]]]] = {}
    for committee_id in committee_ids:
        own = [r for r in rules if r.committee_id in (None, committee_id)]
        schedule = schedules[committee_id] = _schedule(own, start, end)
        found = slots[committee_id] = defaultdict(list)
        for index, (rule, period) in enumerate(schedule):
            by_group = rule.scope == Scope.GROUP
            for month in period.months:
                found[(rule.kind, month)].append((index, by_group))
    periods = [period for schedule in schedules.values() for _rule, period in schedule]
    reach_start = min([p.start for p in periods], default=start)
    reach_end = max([p.end for p in periods], default=end)

    groups = defaultdict(list)
    rows = PartyGroup.objects.filter(branch__in=ids).order_by("name", "pk")
    for pk, branch_id, name in rows.values_list("pk", "branch", "name"):
        groups[branch_id].append((pk, name))

    # One count of held meetings by (branch, 党小组, kind, month) for the range, of the kinds a rule
    # names; a second one only for the kinds whose periods reach outside it (a term, a year begun
    # before ``start``).
    outside = {
        rule.kind
        for schedule in schedules.values()
        for rule, period in schedule
        if period.start < start or period.end > end
    }
    inside = {rule.kind for schedule in schedules.values() for rule, _period in schedule} - outside
    counts = held_counts(ids, start, end, kinds=sorted(inside)) if inside else {}
    if outside:
        counts.update(held_counts(ids, reach_start, reach_end, kinds=sorted(outside)))
    committee_of = {branch.pk: branch.committee_id for branch in branches}
    # Held meetings per (branch, 党小组 or None, schedule entry).
    held: dict[tuple[int, int | None, int], int] = {}
    for (branch_id, group_id, kind, month), n in counts.items():
        for index, by_group in slots[committee_of[branch_id]].get((kind, month), ()):
            if by_group:
                if group_id is None:
                    continue
                key = (branch_id, group_id, index)
            else:
                key = (branch_id, None, index)
            held[key] = held.get(key, 0) + n

    per_member = _per_member_held(branches, schedules, committee_of)

    facts = defaultdict(list)
    if with_meetings:
        for fact in meetings(ids, reach_start, reach_end):
            facts[fact.branch_id].append(fact)

    judged = {  # per committee: each entry, what its obligations share and its status unmet
        committee_id: [
            (
                index,
                rule,
                period,
                rule.count,
                _status(rule.count, 0, period, today),
                rule.scope == Scope.GROUP,
                rule.per_member,
            )
            for index, (rule, period) in enumerate(schedule)
        ]
        for committee_id, schedule in schedules.items()
    }
    for branch in branches:
        branch_id = branch.pk
        found = []
        for index, rule, period, due, unmet, by_group, each_member in judged[branch.committee_id]:
            for group_id, group_name in groups[branch_id] if by_group else NO_GROUP:
                if each_member:
                    owed, talked = per_member[(branch_id, index)]
                    obligation = Obligation(
                        rule,
                        period,
                        branch_id,
                        group_id,
                        group_name,
                        len(owed),
                        len(talked),
                        MET if len(talked) >= len(owed) else _status(len(owed), 0, period, today),
                        (),
                        (),
                        None,
                        sorted(name for pk, name in owed.items() if pk not in talked),
                    )
                else:
                    done = held.get((branch_id, group_id, index), 0)
                    obligation = Obligation(
                        rule,
                        period,
                        branch_id,
                        group_id,
                        group_name,
                        due,
                        done,
                        MET if done >= due else unmet,
                    )
                found.append(obligation)
        if with_meetings:
            attach_meetings(found, facts[branch_id])
        yield branch, found


NO_GROUP = [(None, "")]


def attach_meetings(obligations: list[Obligation], facts: list[MeetingFact]) -> None:
    """Gives each obligation its meetings among ``facts`` (one branch's, in the order of the
    day): those of its kind in its period (and of its 党小组), held and planned apart."""
    by_kind = defaultdict(list)
    for fact in facts:
        by_kind[fact.kind].append(fact)
    for obligation in obligations:
        period, group_id = obligation.period, obligation.group_id
        mine = [
            f
            for f in by_kind[obligation.rule.kind]
            if period.start <= f.day <= period.end
            and (group_id is None or f.party_group_id == group_id)
        ]
        obligation.meetings = [f for f in mine if f.held]
        obligation.planned = [f for f in mine if not f.held]


def _per_member_held(branches, schedules, committee_of):
    """For each schedule entry of a rule owed to each member, per branch: who was owed it
    ({person id: name}, members in the period) and who has it (the set of their ids). Three
    queries whatever the number of branches and periods; none without such a rule."""
    wanted = [
        (committee_id, index, rule, period)
        for committee_id, schedule in schedules.items()
        for index, (rule, period) in enumerate(schedule)
        if rule.per_member
    ]
    found: dict[tuple[int, int], tuple[dict[int, str], set[int]]] = {}
    if not wanted:
        return found
    ids = [branch.pk for branch in branches]
    start = min(period.start for *_, period in wanted)
    end = max(period.end for *_, period in wanted)
    # Plain rows, not model instances: a district of 12 000 people is read in one go.
    memberships = defaultdict(list)
    rows = (
        Membership.objects.filter(person__branch__in=ids)
        .during(start, end)
        .order_by()  # sorted in Python, only the names of who is missing
        .values_list("person__branch", "person_id", "person__name", "start", "end")
    )
    for row in rows:  # kept as read: no list per row
        memberships[row[0]].append(row)
    posts = defaultdict(list)
    rows = BranchPost.objects.filter(person__branch__in=ids).during(start, end)
    for person_id, post_start, post_end in rows.values_list("person_id", "start", "end"):
        posts[person_id].append((post_start, post_end))
    pairs = defaultdict(list)
    for fact in talks(ids, start, end):
        pairs[fact.branch_id].append(fact)

    def on_committee(person_id, day):
        return any(holds_during(a, b, day, day) for a, b in posts.get(person_id, ()))

    for branch_id in ids:
        for committee_id, index, rule, period in wanted:
            if committee_of[branch_id] != committee_id:
                continue
            owed = {
                person_id: name
                for _branch, person_id, name, member_from, member_to in memberships[branch_id]
                if holds_during(member_from, member_to, period.start, period.end)
            }
            times: dict[int, int] = defaultdict(int)
            for fact in pairs[branch_id]:
                if not period.start <= fact.day <= period.end:
                    continue
                if on_committee(fact.talker_id, fact.day):
                    times[fact.partner_id] += 1
                if on_committee(fact.partner_id, fact.day):
                    times[fact.talker_id] += 1
            talked = {pk for pk in owed if times[pk] >= rule.count}
            found[(branch_id, index)] = (owed, talked)
    return found


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


def first_day_owed(branch) -> datetime.date | None:
    """From when anything can be overdue for ``branch``: the later of its first record (its first
    member's membership, its first meeting) and the first day a rule for it took effect. None
    when it has no record or no rule."""
    first_member = (
        Membership.objects.filter(person__branch=branch)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    records = [day for day in (first_member, first_day(branch.pk)) if day is not None]
    rules = Rule.objects.for_committees([branch.committee_id]).order_by("valid_from")
    first_rule = rules.values_list("valid_from", flat=True).first()
    if not records or first_rule is None:
        return None
    return max(min(records), first_rule)


def compliance_and_overdue_earlier(
    branch, start: datetime.date, end: datetime.date, *, today: datetime.date
) -> tuple[list[Obligation], list[Obligation]]:
    """``compliance(branch, start, end)`` and every obligation whose period ended before
    ``start`` and is still unmet, back to ``first_day_owed`` (oldest first), judged in one go (the
    calendar): the rules, 党小组, counts and talks are read once for both, from ``first_day_owed``
    (when earlier than ``start``) to ``end``. Only the obligations of ``compliance`` get their
    meetings (none satisfy an earlier unmet one)."""
    first = first_day_owed(branch)
    begin = first if first is not None and first < start else start
    found = compliance_for([branch], begin, end, today=today)[branch.pk]
    owed = [o for o in found if o.period.end >= start]
    if owed:
        reach_start = min(o.period.start for o in owed)
        reach_end = max(o.period.end for o in owed)
        attach_meetings(owed, meetings([branch.pk], reach_start, reach_end))
    return owed, _overdue_before(found, start)


def _overdue_before(found: list[Obligation], before: datetime.date) -> list[Obligation]:
    return [o for o in found if o.status == OVERDUE and o.period.end < before]
