"""Writes of a development record, each under ``transaction.atomic``; stage changes go through
``members.services.person_change_status`` (whose checks include this app's rules)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from members.models import Person, PoliticalStatus
from members.services import person_change_status

from .checks import SOURCE, WAIVABLE
from .models import (
    Contact,
    Development,
    Introducer,
    Review,
    RuleBook,
    RuleKey,
    TimeRule,
    Training,
    Waiver,
)

S = PoliticalStatus
ONE_DAY = datetime.timedelta(days=1)


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "日期不能晚于今天。"})


def _change(development: Development, status: str, on: datetime.date, note: str = "") -> None:
    """The person's new stage through members' service (which runs the checks), then reread."""
    person_change_status(person=development.person, status=status, on=on, note=note)
    development.person.refresh_from_db()


def _committee_id(development: Development) -> int:
    return development.person.branch.committee_id


def _expect(development: Development, *statuses: str) -> None:
    if development.stopped_on:
        raise ValidationError("该发展党员档案已终止。")
    if development.person.political_status not in statuses:
        names = "、".join(S(s).label for s in statuses)
        raise ValidationError(
            f"此人当前为“{development.person.get_political_status_display()}”，"
            f"此步骤只适用于{names}。"
        )


def is_full_member_on(person: Person, day: datetime.date) -> bool:
    """Whether ``person`` was a 正式党员 on ``day`` (their status stages; else their status now)."""
    stages = list(person.status_stages.all())
    if not stages:
        return person.political_status == S.FULL
    return any(s.status == S.FULL and s.is_active_on(day) for s in stages)


def _full_members(
    people: list[Person], development: Development, day: datetime.date, role: str, field: str
):
    for someone in people:
        if someone.pk == development.person_id:
            raise ValidationError({field: f"本人不能担任自己的{role}。"})
        if someone.branch_id != development.person.branch_id:
            raise ValidationError({field: f"{role}“{someone}”不是本支部的党员。"})
        if not is_full_member_on(someone, day):
            raise ValidationError(
                {
                    field: f"{role}须是正式党员，“{someone}”在 {day:%Y-%m-%d} 不是正式党员"
                    f"（依据：{SOURCE}）。"
                }
            )


@transaction.atomic
def development_start(*, person: Person, applied_on: datetime.date) -> Development:
    """Opens the record of ``person`` from the application; a 群众 becomes 入党申请人 that day.

    A person already on the way (入党申请人, 积极分子, 发展对象) gets the record their stages lack.
    """
    _not_future(applied_on, "applied_on")
    if Development.objects.filter(person=person).exists():
        raise ValidationError({"person": "此人已有发展党员档案。"})
    if person.political_status in (S.PROBATIONARY, S.FULL):
        raise ValidationError({"person": "此人已是党员，不能建立发展党员档案。"})
    development = Development.objects.create(person=person, applied_on=applied_on)
    if person.political_status == S.MASSES:
        person_change_status(
            person=person, status=S.APPLICANT, on=applied_on, note="递交入党申请书"
        )
    else:
        applied = person.status_stages.filter(status=S.APPLICANT).order_by("start").first()
        if applied is not None and applied.start != applied_on:
            raise ValidationError(
                {"applied_on": f"此人入党申请人阶段始于 {applied.start:%Y-%m-%d}，请与之一致。"}
            )
    development.person.refresh_from_db()
    return development


@transaction.atomic
def development_talk(*, development: Development, on: datetime.date, by: str, note: str):
    _expect(development, S.APPLICANT, S.ACTIVIST, S.CANDIDATE)
    _not_future(on, "on")
    if on < development.applied_on:
        raise ValidationError({"on": "谈话日期不能早于递交入党申请书日期。"})
    development.talk_on, development.talk_by, development.talk_note = on, by, note
    development.save(update_fields=["talk_on", "talk_by", "talk_note"])
    return development


def _set_contacts(development: Development, people: list[Person], on: datetime.date) -> None:
    book = RuleBook()
    low = book.rule(RuleKey.CONTACTS_MIN, _committee_id(development), on)
    high = book.rule(RuleKey.CONTACTS_MAX, _committee_id(development), on)
    if low and high and not low.value <= len(people) <= high.value:
        raise ValidationError(
            {
                "contacts": f"培养联系人须为{low.value}至{high.value}名正式党员（依据：{low.source}）。"
            }
        )
    _full_members(people, development, on, "培养联系人", "contacts")
    for contact in development.contacts.filter(end__isnull=True):
        if on <= contact.start:
            raise ValidationError({"on": f"更换日期须晚于 {contact.start:%Y-%m-%d}。"})
        contact.end = on - ONE_DAY
        contact.save(update_fields=["end"])
    for someone in people:
        Contact.objects.create(development=development, person=someone, start=on)


@transaction.atomic
def development_make_activist(
    *, development: Development, on: datetime.date, contacts: list[Person]
) -> Development:
    """入党申请人 → 入党积极分子 on ``on``, with their 1–2 培养联系人 (full members)."""
    _expect(development, S.APPLICANT)
    _not_future(on, "on")
    if development.talk_on is None or development.talk_on > on:
        raise ValidationError({"on": "确定入党积极分子之前，须先与入党申请人谈话。"})
    _change(development, S.ACTIVIST, on)
    _set_contacts(development, contacts, on)
    return development


@transaction.atomic
def development_change_contacts(
    *, development: Development, on: datetime.date, contacts: list[Person]
) -> Development:
    _expect(development, S.ACTIVIST, S.CANDIDATE)
    _not_future(on, "on")
    _set_contacts(development, contacts, on)
    return development


@transaction.atomic
def development_review(
    *, development: Development, on: datetime.date, reviewer: str, summary: str
) -> Review:
    _expect(development, S.ACTIVIST, S.CANDIDATE, S.PROBATIONARY)
    _not_future(on, "on")
    since = development.stage_start(S.ACTIVIST)
    if since is None or on < since:
        raise ValidationError({"on": "考察日期不能早于确定为入党积极分子的日期。"})
    return Review.objects.create(
        development=development, reviewed_on=on, reviewer=reviewer, summary=summary
    )


@transaction.atomic
def development_make_candidate(
    *,
    development: Development,
    on: datetime.date,
    publicity_from: datetime.date | None = None,
    publicity_to: datetime.date | None = None,
) -> Development:
    """入党积极分子 → 发展对象 (the checks refuse it before a year as 积极分子)."""
    _expect(development, S.ACTIVIST)
    _not_future(on, "on")
    if publicity_from and publicity_to and publicity_to < publicity_from:
        raise ValidationError({"publicity_to": "公示结束日期不能早于开始日期。"})
    _change(development, S.CANDIDATE, on)
    development.publicity_from, development.publicity_to = publicity_from, publicity_to
    development.save(update_fields=["publicity_from", "publicity_to"])
    return development


@transaction.atomic
def development_set_introducers(
    *, development: Development, on: datetime.date, introducers: list[Person]
) -> Development:
    """The 2 入党介绍人 (full members on ``on``), replacing any named before."""
    _expect(development, S.CANDIDATE)
    _not_future(on, "on")
    wanted = RuleBook().rule(RuleKey.INTRODUCERS, _committee_id(development), on)
    if wanted and len({p.pk for p in introducers}) != wanted.value:
        raise ValidationError(
            {"introducers": f"入党介绍人须为{wanted.value}名正式党员（依据：{wanted.source}）。"}
        )
    _full_members(introducers, development, on, "入党介绍人", "introducers")
    development.introducers.all().delete()
    for someone in introducers:
        Introducer.objects.create(development=development, person=someone, since=on)
    return development


@transaction.atomic
def development_political_review(
    *, development: Development, on: datetime.date, result: str
) -> Development:
    _expect(development, S.CANDIDATE)
    _not_future(on, "on")
    development.political_review_on, development.political_review_result = on, result
    development.save(update_fields=["political_review_on", "political_review_result"])
    return development


@transaction.atomic
def development_training(
    *,
    development: Development,
    start: datetime.date,
    end: datetime.date,
    organiser: str,
    days: int,
    hours: int,
) -> Training:
    _expect(development, S.ACTIVIST, S.CANDIDATE)
    _not_future(end, "end")
    if end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期。"})
    if not days and not hours:
        raise ValidationError({"days": "请填写培训天数或学时。"})
    if days > (end - start).days + 1:
        raise ValidationError({"days": "天数不能多于开始至结束的日数。"})
    return Training.objects.create(
        development=development, start=start, end=end, organiser=organiser, days=days, hours=hours
    )


@transaction.atomic
def development_admission_vote(
    *,
    development: Development,
    on: datetime.date,
    entitled: int,
    present: int,
    in_favour: int,
    against: int,
    abstain: int,
) -> Development:
    """The 支部大会 that admits the 发展对象 as 预备党员; then the superior committee approves."""
    _expect(development, S.CANDIDATE)
    _not_future(on, "on")
    if development.admission_vote_on:
        raise ValidationError("已登记接收预备党员的支部大会，正等待上级党委审批。")
    book, committee_id = RuleBook(), _committee_id(development)
    since = development.stage_start(S.CANDIDATE)
    if since is not None and on <= since:
        raise ValidationError({"on": f"支部大会须在列为发展对象（{since:%Y-%m-%d}）之后。"})
    wanted = book.rule(RuleKey.INTRODUCERS, committee_id, on)
    introducers = [i.person for i in development.introducers.select_related("person")]
    if wanted and len(introducers) != wanted.value:
        raise ValidationError(
            {"on": f"支部大会之前须确定{wanted.value}名入党介绍人（依据：{wanted.source}）。"}
        )
    _full_members(introducers, development, on, "入党介绍人", "on")
    if development.political_review_on is None or development.political_review_on > on:
        raise ValidationError({"on": f"支部大会之前须完成政治审查（依据：{SOURCE}）。"})
    days, hours = development.training_totals()
    need_days = book.rule(RuleKey.TRAINING_DAYS, committee_id, on)
    need_hours = book.rule(RuleKey.TRAINING_HOURS, committee_id, on)
    if need_days and need_hours and days < need_days.value and hours < need_hours.value:
        raise ValidationError(
            {
                "on": f"集中培训不足：已登记 {days} 天、{hours} 学时，须不少于{need_days.text}或"
                f"{need_hours.text}（依据：{need_days.source}）。"
            }
        )
    if not present <= entitled:
        raise ValidationError({"present": "到会人数不能多于有表决权的正式党员人数。"})
    if in_favour + against + abstain > present:
        raise ValidationError({"in_favour": "赞成、反对、弃权合计不能多于到会人数。"})
    if present * 2 <= entitled:
        raise ValidationError(
            {"present": f"到会有表决权的正式党员须超过应到会人数的半数（依据：{SOURCE}）。"}
        )
    if in_favour * 2 <= entitled:
        raise ValidationError(
            {
                "in_favour": f"赞成人数须超过应到会有表决权的正式党员的半数（依据：{SOURCE}），未通过。"
            }
        )
    development.admission_vote_on = on
    development.admission_entitled, development.admission_present = entitled, present
    development.admission_for, development.admission_against = in_favour, against
    development.admission_abstain = abstain
    development.save()
    return development


@transaction.atomic
def development_approve(
    *,
    development: Development,
    on: datetime.date,
    talk_on: datetime.date | None,
    by,
    note: str = "",
) -> Development:
    """The superior committee approves: the person is a 预备党员 from the 支部大会's day."""
    # Two approvals of one record at once: the second waits, then finds it approved.
    Development.objects.select_for_update().filter(pk=development.pk).exists()
    development.refresh_from_db()
    development.person.refresh_from_db()
    if development.approved_on:
        raise ValidationError("该发展对象已经审批。")
    _expect(development, S.CANDIDATE)
    _not_future(on, "on")
    vote = development.admission_vote_on
    if vote is None:
        raise ValidationError("支部大会尚未讨论接收，不能审批。")
    if on < vote:
        raise ValidationError({"on": f"审批日期不能早于支部大会日期（{vote:%Y-%m-%d}）。"})
    if talk_on and not vote <= talk_on <= on:
        raise ValidationError({"talk_on": "上级党委谈话须在支部大会之后、审批之前。"})
    book, committee_id = RuleBook(), _committee_id(development)
    within = book.rule(RuleKey.APPROVAL_WITHIN, committee_id, vote)
    longest = book.rule(RuleKey.APPROVAL_MAX, committee_id, vote)
    if longest and on > longest.after(vote):
        raise ValidationError(
            {"on": f"超过{longest.cited}，最迟 {longest.after(vote):%Y-%m-%d}，须重新履行程序。"}
        )
    if within and on > within.after(vote) and not note.strip():
        raise ValidationError(
            {"note": f"已超过{within.cited}（{within.after(vote):%Y-%m-%d}），特殊情况请写明原因。"}
        )
    development.approved_on, development.committee_talk_on = on, talk_on
    development.approved_by, development.approval_note = by, note
    development.save(
        update_fields=["approved_on", "committee_talk_on", "approved_by", "approval_note"]
    )
    _change(development, S.PROBATIONARY, vote, "发展入党")
    return development


@transaction.atomic
def development_oath(*, development: Development, on: datetime.date) -> Development:
    _expect(development, S.PROBATIONARY, S.FULL)
    _not_future(on, "on")
    if on < development.admission_vote_on:
        raise ValidationError({"on": "入党宣誓不能早于支部大会接收之日。"})
    development.oath_on = on
    development.save(update_fields=["oath_on"])
    return development


@transaction.atomic
def development_extend(
    *, development: Development, on: datetime.date, months: int, reason: str
) -> Development:
    """延长预备期, once, by at least 6 months and at most a year (rules in force on ``on``)."""
    _expect(development, S.PROBATIONARY)
    _not_future(on, "on")
    if development.extension_months:
        raise ValidationError("预备期只能延长一次。")
    book, committee_id = RuleBook(), _committee_id(development)
    low = book.rule(RuleKey.EXTENSION_MIN, committee_id, on)
    high = book.rule(RuleKey.EXTENSION_MAX, committee_id, on)
    in_months = {"months": 1, "years": 12}
    low_m = low.value * in_months[low.unit] if low else 1
    high_m = high.value * in_months[high.unit] if high else months
    if not low_m <= months <= high_m:
        raise ValidationError(
            {
                "months": f"延长预备期不能少于{low.text}、最长不超过{high.text}（依据：{low.source}）。"
            }
        )
    since = development.stage_start(S.PROBATIONARY)
    if since and on <= since:
        raise ValidationError({"on": "延长预备期的决定须在预备期开始之后。"})
    development.extended_on, development.extension_months = on, months
    development.extension_reason = reason
    development.save(update_fields=["extended_on", "extension_months", "extension_reason"])
    return development


@transaction.atomic
def development_convert(
    *, development: Development, on: datetime.date, present: int, in_favour: int
) -> Development:
    """The 支部大会 that makes the 预备党员 a 正式党员 from ``on`` (党龄 counts from here)."""
    _expect(development, S.PROBATIONARY)
    _not_future(on, "on")
    if in_favour > present:
        raise ValidationError({"in_favour": "赞成人数不能多于到会人数。"})
    if in_favour * 2 <= present:
        raise ValidationError({"in_favour": "赞成人数未超过到会人数的半数，未通过。"})
    _change(development, S.FULL, on, "预备党员转正")
    development.conversion_vote_on, development.conversion_present = on, present
    development.conversion_for = in_favour
    development.save(update_fields=["conversion_vote_on", "conversion_present", "conversion_for"])
    return development


@transaction.atomic
def development_stop(*, development: Development, on: datetime.date, reason: str) -> Development:
    """Ends the development (不再列为…, 取消预备党员资格): the person is 群众 again from ``on``."""
    _expect(development, S.APPLICANT, S.ACTIVIST, S.CANDIDATE, S.PROBATIONARY)
    _not_future(on, "on")
    if not reason.strip():
        raise ValidationError({"reason": "终止发展须写明原因。"})
    _change(development, S.MASSES, on, reason[:200])
    for contact in development.contacts.filter(end__isnull=True):
        contact.end = max(on, contact.start)
        contact.save(update_fields=["end"])
    development.stopped_on, development.stop_reason = on, reason
    development.save(update_fields=["stopped_on", "stop_reason"])
    return development


@transaction.atomic
def development_waive(*, development: Development, rule: str, reason: str, by) -> Waiver:
    """The superior committee's written exception to ``rule`` for this person (kept)."""
    if rule not in WAIVABLE:
        raise ValidationError({"rule": "该规则出自党章或为程序要求，不能批准例外。"})
    if not reason.strip():
        raise ValidationError({"reason": "须写明批准例外的理由。"})
    _expect(development, S.ACTIVIST)
    if development.waivers.filter(rule=rule).exists():
        raise ValidationError({"rule": "已批准过该项例外。"})
    return Waiver.objects.create(
        development=development,
        rule=rule,
        reason=reason,
        granted_on=timezone.localdate(),
        granted_by=by,
    )


@transaction.atomic
def time_rule_override(
    *, committee, key: str, value: int, valid_from: datetime.date, source: str, note: str = ""
) -> TimeRule:
    """The committee's own value of a rule from ``valid_from``; its earlier value ends the day
    before (kept, with its history). The Party's rule is never changed here."""
    base = TimeRule.objects.filter(key=key, committee__isnull=True).order_by("-valid_from").first()
    if base is None:
        raise ValidationError({"key": "没有这条规则。"})
    if valid_from < base.valid_from:
        raise ValidationError(
            {"valid_from": f"施行日期不能早于全党规定（{base.valid_from:%Y-%m-%d}）。"}
        )
    earlier = TimeRule.objects.filter(committee=committee, key=key).order_by("-valid_from")
    for rule in earlier.select_for_update():
        if rule.valid_from >= valid_from:
            raise ValidationError(
                {
                    "valid_from": f"本党委该规则已有 {rule.valid_from:%Y-%m-%d} 施行的取值，施行日期须晚于它。"
                }
            )
        if rule.valid_to is None or rule.valid_to >= valid_from:
            rule.valid_to = valid_from - ONE_DAY
            rule.save(update_fields=["valid_to"])
    rule = TimeRule(
        committee=committee,
        key=key,
        value=value,
        unit=base.unit,
        valid_from=valid_from,
        source=source,
        note=note,
    )
    rule.full_clean()
    rule.save()  # deadlines on the branches' pages change: members.freshness.rule_changed
    return rule
