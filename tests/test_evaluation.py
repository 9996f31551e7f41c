"""民主评议党员: rounds, anonymous ballots cast once, counts, the branch's grades and their rules."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx.oxml.ns import qn
from openpyxl import load_workbook

from evaluation import services
from evaluation.models import (
    BallotMark,
    Decision,
    Grade,
    Handling,
    SelfAssessment,
    VoterRecord,
)
from members import todos
from tests.factories import MemberFactory

TODAY = datetime.date(2026, 12, 6)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    return TODAY


@pytest.fixture
def evaluation_round(branch, member, secretary, today):
    """An open round of ``branch``: 书记甲, 党员甲 and four more members evaluated."""
    for number in range(4):
        MemberFactory(branch=branch, name=f"党员{number}号")
    return services.round_open(
        branch=branch,
        year=2026,
        opens_on=datetime.date(2026, 12, 1),
        closes_on=datetime.date(2026, 12, 31),
    )


def people_of(evaluation_round):
    return [p.person for p in evaluation_round.participants.select_related("person")]


def vote(evaluation_round, voter, grade=Grade.QUALIFIED, day=TODAY):
    grades = {p.pk: grade for p in people_of(evaluation_round) if p.pk != voter.pk}
    services.ballot_cast(evaluation_round=evaluation_round, voter=voter, grades=grades, today=day)


# Anonymity -----------------------------------------------------------------------------------


def test_no_column_of_a_grade_or_of_the_voter_record_can_join_them():
    """A grade names its round and the member graded; the record of a vote its round and the
    voter. Neither has a time, a sequence number, a link to the other, or a history."""
    mark_fields = {f.name: f for f in BallotMark._meta.get_fields() if f.concrete}
    voter_fields = {f.name: f for f in VoterRecord._meta.get_fields() if f.concrete}
    assert set(mark_fields) == {"id", "round", "person", "grade"}
    assert set(voter_fields) == {"id", "round", "person"}
    for fields in (mark_fields, voter_fields):
        assert isinstance(fields["id"], models.UUIDField)  # random, not in the order of votes
        assert not any(
            isinstance(f, models.DateField | models.AutoField | models.BigAutoField)
            for f in fields.values()
        )
    assert BallotMark._meta.ordering == [] and VoterRecord._meta.ordering == []
    from simple_history.models import registered_models

    assert BallotMark not in registered_models.values()
    assert VoterRecord not in registered_models.values()


def test_casting_a_ballot_writes_no_query_that_pairs_voter_and_grades(evaluation_round, member):
    voter = member.person
    with CaptureQueriesContext(connection) as queries:
        vote(evaluation_round, voter)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]
    voter_inserts = [sql for sql in writes if "voterrecord" in sql]
    mark_inserts = [sql for sql in writes if "ballotmark" in sql]
    assert len(voter_inserts) == 1 and len(mark_inserts) == 1
    assert "ballotmark" not in voter_inserts[0]
    # the grades do not name the voter, and the stored set of graded people is not one ballot
    assert not BallotMark.objects.filter(person=voter).exists()
    assert VoterRecord.objects.filter(round=evaluation_round).count() == 1


def test_closing_the_round_rewrites_the_grades_with_new_keys(evaluation_round, member, secretary):
    vote(evaluation_round, member.person)
    vote(evaluation_round, secretary.person, Grade.EXCELLENT)
    before = set(BallotMark.objects.values_list("id", flat=True))
    counts = BallotMark.objects.filter(round=evaluation_round).count_by_person()
    services.round_close(evaluation_round=evaluation_round, on=TODAY)
    assert not before & set(BallotMark.objects.values_list("id", flat=True))
    assert BallotMark.objects.filter(round=evaluation_round).count_by_person() == counts


def test_the_secretary_sees_who_voted_but_no_count_while_the_round_is_open(
    client, evaluation_round, member, secretary
):
    vote(evaluation_round, member.person, Grade.EXCELLENT)
    client.force_login(secretary)
    page = client.get(reverse("evaluation:round-detail", args=[evaluation_round.pk]))
    text = page.content.decode()
    assert "测评结束后显示" in text and "已投票" in text
    assert page.context["result"].lines[0].counts is None


# One vote per voter ----------------------------------------------------------------------------


def test_a_second_ballot_by_the_same_voter_is_refused(evaluation_round, member):
    vote(evaluation_round, member.person)
    with pytest.raises(ValidationError, match="每人只能投票一次"):
        vote(evaluation_round, member.person, Grade.EXCELLENT)
    assert BallotMark.objects.filter(grade=Grade.EXCELLENT).count() == 0
    assert BallotMark.objects.count() == len(people_of(evaluation_round)) - 1


def test_two_ballots_at_the_same_moment_leave_one_vote(evaluation_round, member, monkeypatch):
    """A race: both requests pass the check before either writes; the unique constraint on the
    record of who has voted refuses the second, and its grades are not stored."""
    vote(evaluation_round, member.person)
    monkeypatch.setattr(services, "has_voted", lambda *args: False)
    with pytest.raises(ValidationError, match="每人只能投票一次"):
        vote(evaluation_round, member.person, Grade.EXCELLENT)
    assert VoterRecord.objects.filter(person=member.person).count() == 1
    assert not BallotMark.objects.filter(grade=Grade.EXCELLENT).exists()


def test_the_database_refuses_a_second_record_of_the_same_voter(evaluation_round, member):
    VoterRecord.objects.create(round=evaluation_round, person=member.person)
    with pytest.raises(IntegrityError), transaction.atomic():
        VoterRecord.objects.create(round=evaluation_round, person=member.person)


def test_a_ballot_outside_the_rounds_dates_is_refused(evaluation_round, member):
    with pytest.raises(ValidationError, match="不在民主测评的投票时间内"):
        vote(evaluation_round, member.person, day=datetime.date(2027, 1, 5))
    assert not VoterRecord.objects.exists() and not BallotMark.objects.exists()


def test_a_ballot_must_grade_every_other_member(evaluation_round, member):
    others = [p for p in people_of(evaluation_round) if p != member.person]
    with pytest.raises(ValidationError, match="请对每一位参评党员"):
        services.ballot_cast(
            evaluation_round=evaluation_round,
            voter=member.person,
            grades={others[0].pk: Grade.QUALIFIED},
            today=TODAY,
        )
    assert not VoterRecord.objects.exists()


def test_a_member_votes_on_the_page_and_cannot_vote_again(client, evaluation_round, member):
    client.force_login(member)
    url = reverse("evaluation:ballot", args=[evaluation_round.pk])
    others = [p for p in people_of(evaluation_round) if p != member.person]
    data = {f"grade_{p.pk}": Grade.QUALIFIED for p in others}
    data.pop(f"grade_{others[0].pk}")
    response = client.post(url, data)
    assert f"请为{others[0].name}选择等次" in response.content.decode()
    data[f"grade_{others[0].pk}"] = Grade.EXCELLENT
    assert client.post(url, data).status_code == 302
    assert VoterRecord.objects.filter(person=member.person).exists()
    again = client.get(url)
    assert "您已参加本次民主测评" in again.content.decode()
    client.post(url, data)
    assert BallotMark.objects.count() == len(others)


# Counts ----------------------------------------------------------------------------------------


def test_counts_are_shown_after_closing_from_three_voters(client, evaluation_round, secretary):
    people = people_of(evaluation_round)
    for voter in people[:3]:
        vote(evaluation_round, voter, Grade.EXCELLENT)
    services.round_close(evaluation_round=evaluation_round, on=TODAY)
    client.force_login(secretary)
    result = client.get(reverse("evaluation:round-detail", args=[evaluation_round.pk])).context[
        "result"
    ]
    lines = {line.person: line for line in result.lines}
    # people[3:] were graded by all three voters; people[0] only by the two others
    assert lines[people[4]].counts[Grade.EXCELLENT] == 3
    assert lines[people[0]].counts is None
    assert "不足 3 票" in lines[people[0]].counts_note


# 组织评定 --------------------------------------------------------------------------------------


def decisions(evaluation_round, grades: dict):
    return [
        services.DecisionInput(
            person=p,
            grade=grades.get(p.pk, Grade.QUALIFIED),
            reason="多次无故不参加组织生活" if grades.get(p.pk) == Grade.UNQUALIFIED else "",
            handling=Handling.CORRECT if grades.get(p.pk) == Grade.UNQUALIFIED else "",
        )
        for p in people_of(evaluation_round)
    ]


@pytest.fixture
def closed_round(evaluation_round):
    return services.round_close(evaluation_round=evaluation_round, on=TODAY)


def test_at_most_one_third_excellent(closed_round):
    people = people_of(closed_round)  # 6 evaluated: at most 2 优秀
    three = {p.pk: Grade.EXCELLENT for p in people[:3]}
    with pytest.raises(ValidationError) as error:
        services.decisions_save(
            evaluation_round=closed_round,
            decisions=decisions(closed_round, three),
            meeting_on=TODAY,
        )
    assert "不能超过参评党员的三分之一" in str(error.value) and "至多 2 人" in str(error.value)
    assert not Decision.objects.exists()
    two = {p.pk: Grade.EXCELLENT for p in people[:2]}
    services.decisions_save(
        evaluation_round=closed_round, decisions=decisions(closed_round, two), meeting_on=TODAY
    )
    assert Decision.objects.filter(round=closed_round).distribution()[Grade.EXCELLENT] == 2


def test_the_quota_follows_the_rule_in_force(closed_round):
    from evaluation.models import EvaluationRule

    EvaluationRule.objects.update(valid_to=datetime.date(2025, 12, 31))
    EvaluationRule.objects.create(
        valid_from=datetime.date(2026, 1, 1),
        excellent_numerator=1,
        excellent_denominator=2,
        excellent_label="二分之一",
        source="测试规则",
    )
    people = people_of(closed_round)
    three = {p.pk: Grade.EXCELLENT for p in people[:3]}
    services.decisions_save(
        evaluation_round=closed_round, decisions=decisions(closed_round, three), meeting_on=TODAY
    )
    assert Decision.objects.filter(grade=Grade.EXCELLENT).count() == 3


def test_unqualified_needs_a_reason_and_a_handling_decision(client, closed_round, secretary):
    people = people_of(closed_round)
    client.force_login(secretary)
    url = reverse("evaluation:round-decide", args=[closed_round.pk])
    data = {"meeting_on": "2026-12-20"}
    for p in people:
        data[f"grade_{p.pk}"] = Grade.QUALIFIED
    data[f"grade_{people[1].pk}"] = Grade.UNQUALIFIED
    response = client.post(url, data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "评为“不合格”须写明理由" in text and "评为“不合格”须作出处理决定" in text
    assert not Decision.objects.exists()
    data[f"reason_{people[1].pk}"] = "全年无故缺席组织生活"
    data[f"handling_{people[1].pk}"] = Handling.CORRECT
    assert client.post(url, data).status_code == 302
    decision = Decision.objects.get(person=people[1])
    assert (decision.grade, decision.handling) == (Grade.UNQUALIFIED, Handling.CORRECT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(reason="")


def test_grades_wait_for_the_voting_to_end(evaluation_round):
    with pytest.raises(ValidationError, match="请先结束民主测评"):
        services.decisions_save(
            evaluation_round=evaluation_round,
            decisions=decisions(evaluation_round, {}),
            meeting_on=TODAY,
        )


# The rest of the round -------------------------------------------------------------------------


def test_opening_takes_the_members_of_the_day_and_one_round_a_year(branch, member, today):
    MemberFactory(branch=branch, name="党员乙")
    evaluation_round = services.round_open(
        branch=branch, year=2026, opens_on=TODAY, closes_on=TODAY
    )
    assert evaluation_round.participants.count() == 2
    with pytest.raises(ValidationError, match="该年度已有民主评议"):
        services.round_open(branch=branch, year=2026, opens_on=TODAY, closes_on=TODAY)
    with pytest.raises(ValidationError, match="截止日期不能早于开始日期"):
        services.round_open(
            branch=branch, year=2025, opens_on=TODAY, closes_on=datetime.date(2026, 11, 1)
        )


def test_the_self_assessment_starts_from_the_year_in_review(client, evaluation_round, member):
    client.force_login(member)
    url = reverse("evaluation:self-assessment", args=[evaluation_round.pk])
    start = client.get(url).context["form"].initial["text"]
    assert "参加组织生活" in start and "参加活动" in start
    assert client.post(url, {"text": start + "本人表现合格。"}).status_code == 302
    assert SelfAssessment.objects.get(person=member.person).text.endswith("本人表现合格。")


def test_the_open_round_is_on_the_to_do_lists(evaluation_round, member, secretary):
    mine = [t.label for t in todos.todos_for(member, TODAY)]
    assert "2026年度民主测评：请投票" in mine and "2026年度民主评议：请填写个人自评" in mine
    vote(evaluation_round, member.person)
    assert "2026年度民主测评：请投票" not in [t.label for t in todos.todos_for(member, TODAY)]
    branch_rows = {t.label: t.count for t in todos.todos_for(secretary, TODAY)}
    name = f"{evaluation_round.branch.short_name}2026年度民主评议"
    assert branch_rows[f"{name}：尚未投票"] == 5
    assert branch_rows[f"{name}：尚未自评"] == 6


def test_who_has_not_voted_or_assessed_is_counted_in_one_query(
    evaluation_round, member, django_assert_num_queries
):
    vote(evaluation_round, member.person)
    places = evaluation_round.participants.all()
    with django_assert_num_queries(1):
        waiting = places.count_waiting()
    progress = list(places.with_progress())
    assert waiting["not_voted"] == sum(not p.has_voted for p in progress) == len(progress) - 1
    assert waiting["not_assessed"] == sum(not p.has_assessed for p in progress) == len(progress)


def test_the_grade_is_in_the_record_and_the_year_in_review(client, closed_round, member):
    services.decisions_save(
        evaluation_round=closed_round, decisions=decisions(closed_round, {}), meeting_on=TODAY
    )
    client.force_login(member)
    person_page = client.get(reverse("members:person-detail", args=[member.person.pk]))
    assert "2026年度：<strong>合格</strong>" in person_page.content.decode()
    review = client.get(
        reverse("members:person-year-review", args=[member.person.pk]) + "?year=2026"
    )
    section = next(s for s in review.context["sections"] if s.key == "evaluation")
    assert section.rows[0][1].startswith("合格")


def test_the_committee_sees_the_distribution_per_branch(
    client, closed_round, committee_user, other_branch
):
    people = people_of(closed_round)
    services.decisions_save(
        evaluation_round=closed_round,
        decisions=decisions(closed_round, {people[0].pk: Grade.EXCELLENT}),
        meeting_on=TODAY,
    )
    client.force_login(committee_user)
    page = client.get(reverse("evaluation:distribution") + "?year=2026")
    rows = {row["branch"]: row for row in page.context["rows"]}
    assert rows[closed_round.branch]["counts"] == [1, 5, 0, 0]
    assert other_branch not in rows  # another committee's branch


def test_the_result_in_word_and_excel(client, evaluation_round, secretary):
    from docx import Document

    people = people_of(evaluation_round)
    for voter in people:
        vote(evaluation_round, voter)
    services.round_close(evaluation_round=evaluation_round, on=TODAY)
    services.decisions_save(
        evaluation_round=evaluation_round,
        decisions=decisions(evaluation_round, {}),
        meeting_on=TODAY,
    )
    client.force_login(secretary)
    word = client.get(reverse("evaluation:round-export", args=[evaluation_round.pk, "docx"]))
    document = Document(io.BytesIO(word.content))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2026年度民主评议党员结果" in text and "合格 6 人" in text
    title_fonts = document.paragraphs[0].runs[0]._r.rPr.rFonts
    assert title_fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body_fonts = document.paragraphs[1].runs[0]._r.rPr.rFonts
    assert body_fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    excel = client.get(reverse("evaluation:round-export", args=[evaluation_round.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(excel.content))["民主评议结果"]
    names = [row[0].value for row in sheet.iter_rows(min_row=3)]
    assert names == [p.name for p in people]
    # 测评票数 5 (everyone but the member graded), all 合格
    assert [sheet.cell(row=3, column=c).value for c in (4, 5, 6)] == [5, 0, 5]
