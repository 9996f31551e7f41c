"""The rules of admission, checked on every change of political status (``members.status_checks``).

Registered in ``RecruitmentConfig.ready``; ``members.services.person_change_status`` runs it
before it writes. A refusal names the rule, its source and, for a time rule, the earliest day
allowed. A period is judged by the rule in force on the day it began.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from members.models import PoliticalStatus

from .models import Development, RuleBook, RuleKey, add_months

# The time rules a superior committee may waive for one person, with a written reason (Waiver).
# The 党章's rules (age, the order of the stages, the probation) are never waived.
WAIVABLE = (RuleKey.MIN_ACTIVIST,)

S = PoliticalStatus
ORDER = [S.MASSES, S.APPLICANT, S.ACTIVIST, S.CANDIDATE, S.PROBATIONARY, S.FULL]
SOURCE = "《中国共产党发展党员工作细则》（2014年）"


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def probation_end(development: Development | None, start: datetime.date, book, committee_id):
    """The first day after the probation begun on ``start`` (one year, plus an extension)."""
    rule = book.rule(RuleKey.PROBATION, committee_id, start)
    if rule is None:
        return None
    end = rule.after(start)
    if development is not None and development.extension_months:
        end = add_months(end, development.extension_months)
    return end


def admission_rules(*, person, current, status: str, on: datetime.date, book=None) -> None:
    """Refuses a change of political status that breaks the order or a rule of admission."""
    old = person.political_status
    if old not in ORDER or status not in ORDER or ORDER.index(status) <= ORDER.index(old):
        return  # going back (stopped, a correction) is not a step of admission
    if ORDER.index(status) > ORDER.index(old) + 1:
        chain = "→".join(S(s).label for s in ORDER[1:])
        raise ValidationError(
            {
                "status": f"政治面貌须按 {chain} 逐级变更，不能由“{S(old).label}”直接变为"
                f"“{S(status).label}”（依据：{SOURCE}）。"
            }
        )
    book = book or RuleBook()
    committee_id = person.branch.committee_id
    since = current.start if current is not None else None
    development = Development.objects.filter(person=person).first()

    if status == S.APPLICANT:
        rule = book.rule(RuleKey.MIN_AGE, committee_id, on)
        if rule is None:
            return
        if person.birth_date is None:
            raise ValidationError({"on": f"请先登记出生日期，以核对{rule.cited}。"})
        if age_on(person.birth_date, on) < rule.value:
            earliest = rule.after(person.birth_date)
            raise ValidationError(
                {
                    "on": f"递交入党申请时须年满{rule.value}周岁（{rule.cited}），"
                    f"此人最早可于 {earliest:%Y-%m-%d} 申请。"
                }
            )
    elif status == S.CANDIDATE and since is not None:
        rule = book.rule(RuleKey.MIN_ACTIVIST, committee_id, since)
        earliest = rule.after(since) if rule else on
        waived = development is not None and any(
            w.rule == RuleKey.MIN_ACTIVIST for w in development.waivers.all()
        )
        if on < earliest and not waived:
            raise ValidationError(
                {
                    "on": f"列为发展对象须在确定为入党积极分子满{rule.text}之后（{rule.cited}），"
                    f"最早 {earliest:%Y-%m-%d}；特殊情况须经上级党委书面批准。"
                }
            )
    elif status == S.PROBATIONARY:
        if development is None or development.approved_on is None:
            raise ValidationError(
                {
                    "status": "接收为预备党员须经支部大会讨论通过并报上级党委审批：请在发展党员档案中"
                    f"登记支部大会表决，由上级党委审批（依据：{SOURCE}）。"
                }
            )
        if on != development.admission_vote_on:
            raise ValidationError(
                {
                    "on": f"预备期自支部大会通过之日算起，应为 "
                    f"{development.admission_vote_on:%Y-%m-%d}（依据：{SOURCE}）。"
                }
            )
    elif status == S.FULL and since is not None:
        rule = book.rule(RuleKey.PROBATION, committee_id, since)
        earliest = probation_end(development, since, book, committee_id)
        if earliest is not None and on < earliest:
            extended = "（含延长的预备期）" if development and development.extension_months else ""
            raise ValidationError(
                {
                    "on": f"预备党员须在预备期满后转正{extended}（{rule.cited}），"
                    f"最早 {earliest:%Y-%m-%d}。"
                }
            )
