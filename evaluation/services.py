"""Writes of the 民主评议: open and close a round, a self-assessment, a ballot, the grades."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members import freshness
from members.models import Person

from .models import (
    BallotMark,
    Decision,
    Grade,
    Handling,
    Participant,
    Round,
    SelfAssessment,
    VoterRecord,
)

ALREADY_VOTED = "您已参加过本次民主测评，每人只能投票一次。"


@transaction.atomic
def round_open(
    *, branch, year: int, opens_on: datetime.date, closes_on: datetime.date, note: str = ""
) -> Round:
    """A new round; its members evaluated are the branch's members on ``opens_on``."""
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "测评截止日期不能早于开始日期。"})
    if opens_on.year not in (year, year + 1):
        raise ValidationError({"opens_on": f"{year}年度的民主评议应在{year}年或次年年初进行。"})
    if Round.objects.filter(branch=branch, year=year).exists():
        raise ValidationError({"year": "本支部该年度已有民主评议。"})
    members = list(Person.objects.for_branch(branch).members_on(opens_on).order_by("name", "pk"))
    if len(members) < 2:
        raise ValidationError({"opens_on": "该日在册党员不足 2 人，无法开展民主测评。"})
    evaluation_round = Round.objects.create(
        branch=branch, year=year, opens_on=opens_on, closes_on=closes_on, note=note
    )
    Participant.objects.bulk_create(
        Participant(round=evaluation_round, person=person) for person in members
    )
    return evaluation_round


@transaction.atomic
def round_close(*, evaluation_round: Round, on: datetime.date) -> Round:
    """End the voting. The grades are written anew in random order with new keys, so that not
    even the table's physical order keeps one voter's grades together."""
    evaluation_round = Round.objects.select_for_update().get(pk=evaluation_round.pk)
    if not evaluation_round.is_open:
        raise ValidationError("本次民主评议已经结束。")
    if on < evaluation_round.opens_on:
        raise ValidationError("结束日期不能早于测评开始日期。")
    evaluation_round.closed_on = on
    evaluation_round.save(update_fields=["closed_on"])
    _shuffle_grades(evaluation_round)
    return evaluation_round


def _shuffle_grades(evaluation_round: Round) -> None:
    marks = BallotMark.objects.filter(round=evaluation_round)
    grades = list(marks.values_list("person_id", "grade"))
    marks.delete()
    _store_grades(evaluation_round, grades)


def _store_grades(evaluation_round: Round, grades: list[tuple[int, str]]) -> None:
    """The grades in random order, with random keys (bulk: one insert, no signals)."""
    grades = list(grades)
    random.SystemRandom().shuffle(grades)
    BallotMark.objects.bulk_create(
        BallotMark(round=evaluation_round, person_id=person_id, grade=grade)
        for person_id, grade in grades
    )
    freshness.touch_branches([evaluation_round.branch_id])


@transaction.atomic
def round_update(
    *, evaluation_round: Round, opens_on: datetime.date, closes_on: datetime.date, note: str
) -> Round:
    if not evaluation_round.is_open:
        raise ValidationError("本次民主评议已经结束，不能再修改日期。")
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "测评截止日期不能早于开始日期。"})
    evaluation_round.opens_on, evaluation_round.closes_on = opens_on, closes_on
    evaluation_round.note = note
    evaluation_round.save(update_fields=["opens_on", "closes_on", "note"])
    return evaluation_round


def _participant(evaluation_round: Round, person: Person) -> Participant:
    found = evaluation_round.participants.filter(person=person).first()
    if found is None:
        raise ValidationError("您不在本次民主评议的参评党员名单中。")
    return found


@transaction.atomic
def self_assessment_save(*, evaluation_round: Round, person: Person, text: str) -> SelfAssessment:
    if not evaluation_round.is_open:
        raise ValidationError("本次民主评议已经结束，个人自评不能再修改。")
    _participant(evaluation_round, person)
    if not text.strip():
        raise ValidationError({"text": "请填写个人自评。"})
    assessment, _created = SelfAssessment.objects.update_or_create(
        round=evaluation_round, person=person, defaults={"text": text.strip()}
    )
    return assessment


def has_voted(evaluation_round: Round, person: Person) -> bool:
    return VoterRecord.objects.filter(round=evaluation_round, person=person).exists()


@transaction.atomic
def ballot_cast(
    *, evaluation_round: Round, voter: Person, grades: dict[int, str], today: datetime.date
) -> None:
    """The voter's grade for every other member evaluated, stored without the voter.

    The record that ``voter`` has voted and their grades are written in one transaction; the
    record's unique constraint refuses a second vote even when two arrive at the same moment.
    """
    if not evaluation_round.voting_open_on(today):
        raise ValidationError(
            f"不在民主测评的投票时间内（{evaluation_round.opens_on:%Y-%m-%d} 至 "
            f"{evaluation_round.closes_on:%Y-%m-%d}）。"
            if evaluation_round.is_open
            else "本次民主评议已经结束，不能再投票。"
        )
    _participant(evaluation_round, voter)
    others = set(
        evaluation_round.participants.exclude(person=voter).values_list("person_id", flat=True)
    )
    missing = others - set(grades)
    if missing or set(grades) - others:
        raise ValidationError("请对每一位参评党员（本人除外）选择一个等次。")
    if any(grade not in Grade.values for grade in grades.values()):
        raise ValidationError("测评等次只能是优秀、合格、基本合格或不合格。")
    if has_voted(evaluation_round, voter):
        raise ValidationError(ALREADY_VOTED)
    try:
        with transaction.atomic():
            VoterRecord.objects.create(round=evaluation_round, person=voter)
    except IntegrityError:
        raise ValidationError(ALREADY_VOTED) from None
    _store_grades(evaluation_round, list(grades.items()))


# 组织评定 ------------------------------------------------------------------------------------


@dataclass
class DecisionInput:
    person: Person
    grade: str
    reason: str = ""
    handling: str = ""
    handling_note: str = ""


def decision_errors(evaluation_round: Round, decisions: list[DecisionInput]) -> dict:
    """What is wrong with the branch meeting's grades, keyed by (person pk or None, field)."""
    errors: dict = {}
    if evaluation_round.is_open:
        errors[(None, None)] = "请先结束民主测评，再由支部党员大会评定等次。"
        return errors
    evaluated = set(evaluation_round.participants.values_list("person_id", flat=True))
    given = {decision.person.pk for decision in decisions}
    if given != evaluated:
        errors[(None, None)] = "须为每一位参评党员评定等次。"
    for decision in decisions:
        if decision.grade not in Grade.values:
            errors[(decision.person.pk, "grade")] = "请选择评定等次。"
        if decision.grade == Grade.UNQUALIFIED:
            if not decision.reason.strip():
                errors[(decision.person.pk, "reason")] = "评为“不合格”须写明理由。"
            if decision.handling not in Handling.values:
                errors[(decision.person.pk, "handling")] = "评为“不合格”须作出处理决定。"
            elif decision.handling == Handling.OTHER and not decision.handling_note.strip():
                errors[(decision.person.pk, "handling_note")] = "处理决定为“其他”时须写明说明。"
    rule = evaluation_round.rule()
    if rule is None:
        errors[(None, None)] = f"{evaluation_round.closes_on:%Y-%m-%d} 没有有效的民主评议规则。"
        return errors
    excellent = sum(1 for decision in decisions if decision.grade == Grade.EXCELLENT)
    quota = rule.excellent_quota(len(evaluated))
    if excellent > quota:
        errors[(None, None)] = (
            f"评为“优秀”的党员不能超过参评党员的{rule.excellent_label}：参评 {len(evaluated)} 人，"
            f"至多 {quota} 人，现为 {excellent} 人。（依据：{rule.source}）"
        )
    return errors


@transaction.atomic
def decisions_save(
    *,
    evaluation_round: Round,
    decisions: list[DecisionInput],
    meeting_on: datetime.date,
) -> list[Decision]:
    evaluation_round = Round.objects.select_for_update().get(pk=evaluation_round.pk)
    errors = decision_errors(evaluation_round, decisions)
    if errors:
        raise ValidationError(list(errors.values()))
    if meeting_on < evaluation_round.opens_on:
        raise ValidationError({"meeting_on": "支部大会日期不能早于测评开始日期。"})
    evaluation_round.meeting_on = meeting_on
    evaluation_round.save(update_fields=["meeting_on"])
    saved = []
    for decision in decisions:
        unqualified = decision.grade == Grade.UNQUALIFIED
        record, _created = Decision.objects.update_or_create(
            round=evaluation_round,
            person=decision.person,
            defaults={
                "grade": decision.grade,
                "reason": decision.reason.strip(),
                "handling": decision.handling if unqualified else "",
                "handling_note": decision.handling_note.strip() if unqualified else "",
            },
        )
        saved.append(record)
    return saved
