"""What a development needs next and by when, read from the record and the rules in force.

One function, ``steps_of``, serves the pipeline page, the dossier, the to-do lists and the
committee's approvals: each deadline is worked out once, here, from a development's ``Facts``
(``next_steps`` reads them from a development loaded ``for_pipeline``; the to-dos read them as
rows of ``Development.objects.step_facts()``, with no instances).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from members.models import PoliticalStatus

from .checks import probation_end
from .models import Development, RuleBook, RuleKey

S = PoliticalStatus


@dataclass(frozen=True)
class Step:
    label: str
    due: datetime.date | None = None
    overdue: bool = False
    note: str = ""


def _step(label: str, due: datetime.date | None, today: datetime.date, note: str = "") -> Step:
    return Step(label, due, due is not None and due < today, note)


def stage_label(development: Development) -> str:
    if development.stopped_on:
        return "已终止"
    if development.person.political_status == S.PROBATIONARY and development.extension_months:
        return "预备党员（延长预备期）"
    if development.person.political_status == S.CANDIDATE and development.admission_vote_on:
        return "发展对象（待上级党委审批）"
    return development.person.get_political_status_display()


@dataclass(frozen=True)
class Facts:
    """What a development's next steps are worked out from, as plain values: read from a
    development loaded ``for_pipeline`` (``Facts.of``) or from a row of
    ``Development.objects.step_facts()``, which counts and sums in the query instead."""

    status: str
    committee_id: int | None
    since: datetime.date | None  # the start of the person's current stage
    applied_on: datetime.date
    talk_on: datetime.date | None
    admission_vote_on: datetime.date | None
    political_review_on: datetime.date | None
    oath_on: datetime.date | None
    extension_months: int | None
    stopped_on: datetime.date | None
    last_review_on: datetime.date | None
    contact_count: int  # current 培养联系人
    introducer_count: int
    training_days: int
    training_hours: int

    @classmethod
    def of(cls, development: Development) -> Facts:
        status = development.person.political_status
        days, hours = development.training_totals()
        return cls(
            status=status,
            committee_id=development.person.branch.committee_id,
            since=development.stage_start(status),
            applied_on=development.applied_on,
            talk_on=development.talk_on,
            admission_vote_on=development.admission_vote_on,
            political_review_on=development.political_review_on,
            oath_on=development.oath_on,
            extension_months=development.extension_months,
            stopped_on=development.stopped_on,
            last_review_on=development.last_review_on(),
            contact_count=len(development.current_contacts()),
            introducer_count=len(development.introducers.all()),
            training_days=days,
            training_hours=hours,
        )

    @classmethod
    def of_row(cls, row: dict) -> Facts:
        """From a row of ``step_facts()`` (its other keys, the name and branch, left out)."""
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


def next_steps(development: Development, book: RuleBook, today: datetime.date) -> list[Step]:
    """The steps due next, the most urgent first; nothing once stopped or a full member."""
    return steps_of(Facts.of(development), book, today)


def steps_of(facts: Facts, book: RuleBook, today: datetime.date) -> list[Step]:
    """``next_steps`` from the development's ``Facts``."""
    if facts.stopped_on:
        return []
    status = facts.status
    committee_id = facts.committee_id
    since = facts.since
    steps: list[Step] = []

    def dated(label: str, key: str, start: datetime.date) -> Step:
        """The step due one rule's duration after ``start`` (undated when no rule was in force)."""
        rule = book.rule(key, committee_id, start)
        if rule is None:
            return Step(label)
        return _step(label, rule.after(start), today, rule.cited)

    def value(key: str, day: datetime.date) -> int:
        rule = book.rule(key, committee_id, day)
        return rule.value if rule else 0

    def review_due(start: datetime.date) -> None:
        steps.append(dated("半年考察", RuleKey.REVIEW_EVERY, facts.last_review_on or start))

    if status == S.APPLICANT:
        if facts.talk_on is None:
            steps.append(dated("与入党申请人谈话", RuleKey.TALK_WITHIN, facts.applied_on))
        else:
            steps.append(Step("确定为入党积极分子"))
    elif status == S.ACTIVIST and since:
        if facts.contact_count < value(RuleKey.CONTACTS_MIN, since):
            steps.append(_step("指定培养联系人", since, today))
        review_due(since)
        step = dated("列为发展对象", RuleKey.MIN_ACTIVIST, since)
        note = f"最早 {step.due:%Y-%m-%d}；{step.note}" if step.due else ""
        steps.append(Step("列为发展对象", None, False, note))
    elif status == S.CANDIDATE and since:
        if facts.admission_vote_on:
            steps.append(dated("上级党委审批", RuleKey.APPROVAL_WITHIN, facts.admission_vote_on))
            return steps
        wanted = value(RuleKey.INTRODUCERS, today)
        if facts.introducer_count < wanted:
            steps.append(Step("确定入党介绍人", note=f"须{wanted}名正式党员"))
        if facts.political_review_on is None:
            steps.append(Step("政治审查"))
        days, hours = facts.training_days, facts.training_hours
        need_days, need_hours = (
            value(RuleKey.TRAINING_DAYS, today),
            value(RuleKey.TRAINING_HOURS, today),
        )
        if days < need_days and hours < need_hours:
            note = f"已 {days} 天 / {hours} 学时，须不少于{need_days}天或{need_hours}学时"
            steps.append(Step("集中培训", note=note))
        review_due(since)
        steps.append(Step("支部大会讨论接收预备党员"))
    elif status == S.PROBATIONARY and since:
        if facts.oath_on is None:
            steps.append(Step("入党宣誓"))
        review_due(since)
        end = probation_end(facts, since, book, committee_id)
        rule = book.rule(RuleKey.PROBATION, committee_id, since)
        steps.append(_step("支部大会讨论转正", end, today, rule.cited if rule else ""))
    return sorted(steps, key=lambda s: (s.due is None, s.due or datetime.date.max))


def first_due(steps: list[Step]) -> Step | None:
    dated = [s for s in steps if s.due is not None]
    return dated[0] if dated else None
