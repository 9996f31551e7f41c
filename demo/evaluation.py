"""The demo branch's 民主评议党员: a closed round for 2025 (ballots, grades) and an open one for
2026 with some ballots cast and self-assessments written — the ``member`` and ``secretary``
accounts still have theirs to do, so the to-do lists show them.

Built through the app's services, as a secretary and members would. Idempotent: a round that
exists is left as it is. Nothing of the source document's records changes.
"""

from __future__ import annotations

import datetime
import random

from evaluation import services
from evaluation.models import BallotMark, Grade, Round, ensure_default_rule
from members import year_review
from members.models import Branch

# Weights of the grades on the demo's ballots: most members 合格, some 优秀, a few 基本合格.
WEIGHTS = {Grade.EXCELLENT: 3, Grade.QUALIFIED: 6, Grade.BASIC: 1, Grade.UNQUALIFIED: 0}
LEAVE_OUT = ("王卫珍",)  # the secretary's account votes itself in the demo


def _vote(evaluation_round: Round, voters, rng: random.Random, day: datetime.date) -> int:
    people = list(evaluation_round.participants.values_list("person_id", flat=True))
    grades, weights = list(WEIGHTS), list(WEIGHTS.values())
    for voter in voters:
        marks = {pk: rng.choices(grades, weights)[0] for pk in people if pk != voter.pk}
        services.ballot_cast(
            evaluation_round=evaluation_round, voter=voter, grades=marks, today=day
        )
    return len(voters)


def _assess(evaluation_round: Round, people) -> None:
    for person in people:
        sections = year_review.sections_for(person, evaluation_round.year)
        text = (
            year_review.as_text(sections)
            + "\n\n个人自评：\n本年度认真参加组织生活，完成公开承诺事项，"
            + "今后在理论学习和联系群众方面继续努力。"
        )
        services.self_assessment_save(evaluation_round=evaluation_round, person=person, text=text)


def _closed_2025(branch: Branch, rng: random.Random) -> Round:
    evaluation_round = services.round_open(
        branch=branch,
        year=2025,
        opens_on=datetime.date(2025, 12, 1),
        closes_on=datetime.date(2025, 12, 15),
        note="结合2025年度组织生活会开展。",
    )
    people = [p.person for p in evaluation_round.participants.select_related("person")]
    _assess(evaluation_round, people)
    _vote(evaluation_round, people[:-1], rng, datetime.date(2025, 12, 10))
    services.round_close(evaluation_round=evaluation_round, on=datetime.date(2025, 12, 16))
    counts = BallotMark.objects.filter(round=evaluation_round).count_by_person()
    quota = evaluation_round.rule().excellent_quota(len(people))
    ranked = sorted(people, key=lambda p: (-counts.get(p.pk, {}).get(Grade.EXCELLENT, 0), p.pk))
    excellent = {p.pk for p in ranked[:quota]}
    decisions = [
        services.DecisionInput(
            person=p, grade=Grade.EXCELLENT if p.pk in excellent else Grade.QUALIFIED
        )
        for p in people
    ]
    services.decisions_save(
        evaluation_round=evaluation_round,
        decisions=decisions,
        meeting_on=datetime.date(2025, 12, 22),
    )
    return evaluation_round


def _open_2026(branch: Branch, rng: random.Random) -> Round:
    evaluation_round = services.round_open(
        branch=branch,
        year=2026,
        opens_on=datetime.date(2026, 12, 1),
        closes_on=datetime.date(2026, 12, 31),
        note="请全体党员在截止日期前填写个人自评并完成民主测评，未能到会的党员可在线投票。",
    )
    people = [
        p.person
        for p in evaluation_round.participants.select_related("person")
        if p.person.user_id is None and p.person.name not in LEAVE_OUT
    ]
    half = people[: max(len(people) // 2, 1)]
    _assess(evaluation_round, half)
    _vote(evaluation_round, half, rng, datetime.date(2026, 12, 2))
    return evaluation_round


def build_evaluation(branch: Branch) -> list[tuple[str, str]]:
    """The two rounds, each built only when missing; returns (round, what was done) lines."""
    ensure_default_rule()
    done = []
    for year, build in ((2025, _closed_2025), (2026, _open_2026)):
        if Round.objects.filter(branch=branch, year=year).exists():
            done.append((f"{year}年度民主评议", "未变"))
            continue
        evaluation_round = build(branch, random.Random(year))
        done.append(
            (f"{year}年度民主评议", f"新建（测评票 {evaluation_round.voter_records.count()} 张）")
        )
    return done
