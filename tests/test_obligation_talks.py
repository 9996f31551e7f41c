"""谈心谈话 owed to each member: every member of the branch in the year talks with a member of the
branch committee at least once; the compliance row names who has not."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import obligations
from members.models import Membership
from obligations.judging import compliance_for
from obligations.models import Rule
from tests.factories import (
    BranchFactory,
    BranchPostFactory,
    MeetingFactory,
    MemberFactory,
    MembershipFactory,
    PersonFactory,
    TalkPairFactory,
)

D = datetime.date
TODAY = D(2026, 3, 15)


def _talk(year, rows, today=TODAY):
    found = [o for o in rows if o.kind == "talk" and o.period.start == D(year, 1, 1)]
    assert len(found) == 1
    return found[0]


@pytest.fixture
def talks(branch):
    """A branch with a secretary and a committee member (who talk with each other) and three
    members; a held 谈心谈话 in 2025."""
    secretary = BranchPostFactory(person__branch=branch, person__name="书记甲").person
    deputy = BranchPostFactory(
        person__branch=branch, person__name="委员乙", role="organisation"
    ).person
    members = [MemberFactory(branch=branch, name=name) for name in ("党员丙", "党员丁", "党员戊")]
    meeting = MeetingFactory(branch=branch, kind="talk", held_on=D(2025, 4, 10))
    TalkPairFactory(meeting=meeting, talker=secretary, partner=deputy)
    return {"branch": branch, "secretary": secretary, "members": members, "meeting": meeting}


def test_the_national_talk_rule_is_owed_to_each_member_with_its_source(db):
    rule = Rule.objects.get(committee=None, kind="talk")
    assert rule.unit == Rule.Unit.EACH_MEMBER and rule.per_member
    assert "支部工作条例" in rule.source and "每名党员" in rule.note
    assert "每名党员至少 1 次" in rule.rate_label


def test_a_year_with_one_member_not_talked_is_not_met_and_names_her(talks):
    secretary, members, meeting = talks["secretary"], talks["members"], talks["meeting"]
    TalkPairFactory(meeting=meeting, talker=secretary, partner=members[0])
    TalkPairFactory(meeting=meeting, talker=secretary, partner=members[1])
    rows = obligations.compliance(talks["branch"], D(2025, 1, 1), D(2025, 12, 31), today=TODAY)
    talk = _talk(2025, rows)
    assert (talk.due, talk.held, talk.status) == (5, 4, "overdue")
    assert talk.unmet_people == ["党员戊"]
    assert talk.shortfall == "还有1名党员未谈心谈话"


def test_a_year_where_every_member_talked_is_met(talks):
    secretary, meeting = talks["secretary"], talks["meeting"]
    for member in talks["members"]:
        TalkPairFactory(meeting=meeting, talker=member, partner=secretary)  # either side counts
    rows = obligations.compliance(talks["branch"], D(2025, 1, 1), D(2025, 12, 31), today=TODAY)
    talk = _talk(2025, rows)
    assert (talk.due, talk.held, talk.status, talk.unmet_people) == (5, 5, "met", [])
    assert talk.shortfall == ""


def test_only_a_talk_with_a_committee_member_at_a_held_talk_in_the_year_counts(talks):
    branch, secretary, members = talks["branch"], talks["secretary"], talks["members"]
    meeting = talks["meeting"]
    TalkPairFactory(meeting=meeting, talker=members[0], partner=members[1])  # two members
    planned = MeetingFactory(branch=branch, kind="talk", held_on=D(2025, 6, 1), status="planned")
    TalkPairFactory(meeting=planned, talker=secretary, partner=members[2])
    earlier = MeetingFactory(branch=branch, kind="talk", held_on=D(2024, 12, 30))
    TalkPairFactory(meeting=earlier, talker=secretary, partner=members[2])
    rows = obligations.compliance(branch, D(2025, 1, 1), D(2025, 12, 31), today=TODAY)
    talk = _talk(2025, rows)
    assert talk.held == 2  # the two committee members, with each other
    assert sorted(talk.unmet_people) == sorted(["党员丙", "党员丁", "党员戊"])


def test_a_member_counts_only_when_a_member_in_the_year(talks):
    branch, secretary, members, meeting = (
        talks["branch"],
        talks["secretary"],
        talks["members"],
        talks["meeting"],
    )
    for member in members:
        TalkPairFactory(meeting=meeting, talker=secretary, partner=member)
    # Transferred out in 2024: not owed in 2025.
    gone = PersonFactory(branch=branch, name="调出者", political_status="full")
    MembershipFactory(
        person=gone, start=D(2000, 1, 1), end=D(2024, 11, 30), left_how="transferred_out"
    )
    # Joined in December 2025: a member in the year, so owed, and not talked yet.
    late = PersonFactory(branch=branch, name="新党员", political_status="full")
    MembershipFactory(person=late, start=D(2025, 12, 1))
    # Transferred out in May 2025: a member in the year, talked in April, counts as talked.
    left = PersonFactory(branch=branch, name="年中调出", political_status="full")
    MembershipFactory(
        person=left, start=D(2000, 1, 1), end=D(2025, 5, 31), left_how="transferred_out"
    )
    TalkPairFactory(meeting=meeting, talker=secretary, partner=left)
    # Not a member at all.
    PersonFactory(branch=branch, name="群众")
    rows = obligations.compliance(branch, D(2025, 1, 1), D(2025, 12, 31), today=TODAY)
    talk = _talk(2025, rows)
    assert (talk.due, talk.held) == (7, 6)
    assert talk.unmet_people == ["新党员"]
    rows = obligations.compliance(branch, D(2024, 1, 1), D(2024, 12, 31), today=TODAY)
    assert "调出者" in _talk(2024, rows).unmet_people
    assert "新党员" not in _talk(2024, rows).unmet_people


def test_the_running_year_is_due_and_a_year_before_the_rule_is_not_judged(talks):
    rows = obligations.compliance(talks["branch"], D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
    talk = _talk(2026, rows)
    assert talk.status == "due" and talk.missing == 5
    rows = obligations.compliance(talks["branch"], D(2017, 1, 1), D(2017, 12, 31), today=TODAY)
    assert not [o for o in rows if o.kind == "talk"]


def test_a_past_year_is_judged_by_the_rule_then_counting_records(talks):
    """A committee's rule counting talk records in force for 2025, per member from 2026."""
    branch = talks["branch"]
    Rule.objects.create(
        committee=branch.committee,
        kind="talk",
        scope="committee",
        frequency="year",
        count=1,
        unit="meeting",
        valid_from=D(2025, 1, 1),
        valid_to=D(2025, 12, 31),
        source="区委通知",
    )
    rows = obligations.compliance(branch, D(2025, 1, 1), D(2026, 12, 31), today=TODAY)
    old, new = _talk(2025, rows), _talk(2026, rows)
    assert (old.due, old.held, old.status, old.per_member) == (1, 1, "met", False)
    assert (new.due, new.per_member) == (5, True)


def test_a_rule_per_member_for_another_kind_is_refused_in_chinese(db):
    rule = Rule(
        kind="general",
        scope="branch",
        frequency="year",
        count=1,
        unit="each_member",
        valid_from=D(2030, 1, 1),
        source="x",
    )
    with pytest.raises(Exception) as error:
        rule.full_clean()
    assert "只有谈心谈话可以按每名党员计算" in str(error.value)


def test_per_member_judging_costs_the_same_queries_for_more_branches(db):
    def count(n):
        branches = []
        for _ in range(n):
            branch = BranchFactory()
            post = BranchPostFactory(person__branch=branch)
            meeting = MeetingFactory(branch=branch, kind="talk", held_on=D(2025, 4, 1))
            TalkPairFactory(meeting=meeting, talker=post.person)
            MemberFactory(branch=branch)
            branches.append(branch)
        with CaptureQueriesContext(connection) as queries:
            found = compliance_for(branches, D(2025, 1, 1), D(2025, 12, 31), today=TODAY)
        assert all(
            any(o.kind == "talk" and o.due == 3 and o.held == 1 for o in rows)
            for rows in found.values()
        )
        return len(queries)

    assert count(2) == count(6)
    assert Membership.objects.exists()


@pytest.fixture
def pages_today(monkeypatch):
    monkeypatch.setattr("obligations.views._today", lambda: TODAY)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def test_calendar_todos_digest_and_heat_map_say_who_has_not_talked(
    client, pages_today, secretary, committee_user, branch
):
    from django.urls import reverse

    from members import todos
    from obligations.heatmap import heat_map
    from obligations.reminders import _obligation_line

    BranchPostFactory(person=secretary.person)
    missing = MemberFactory(branch=branch, name="党员未谈")
    talked = MemberFactory(branch=branch, name="党员已谈")
    meeting = MeetingFactory(branch=branch, kind="talk", held_on=D(2026, 3, 2))
    TalkPairFactory(meeting=meeting, talker=secretary.person, partner=talked)
    deputy = BranchPostFactory(person__branch=branch, person__name="委员乙", role="deputy").person
    TalkPairFactory(meeting=meeting, talker=secretary.person, partner=deputy)
    client.force_login(secretary)
    page = client.get(reverse("obligations:calendar")).content.decode()
    due = page[page.index('id="due-list"') : page.index('id="overdue-heading"')]
    assert "还有1名党员未谈心谈话：党员未谈" in due
    assert "应谈心谈话 4 名党员，已3 名" in due
    rows = {t.label: t for t in todos.todos_for(secretary, TODAY)}
    todo = rows["2026年尚未谈心谈话的党员"]
    assert todo.count == 1 and "党员未谈" in todo.detail
    talk = _talk(2026, obligations.compliance(branch, D(2026, 1, 1), D(2026, 12, 31), today=TODAY))
    assert "还有1名党员未谈心谈话：党员未谈" in _obligation_line(talk, branch, "/c/").text
    # A year later the year is overdue: the heat map's December cell says what is missing.
    later = heat_map([branch], 2026, today=D(2027, 2, 1))
    december = later.rows[0].cells[11]
    assert "谈心谈话（还有1名党员未谈心谈话）" in december.title
    assert missing.pk


def test_the_calendar_lists_overdue_obligations_of_earlier_years_back_to_the_first_rule(
    client, pages_today, secretary, branch
):
    from django.urls import reverse

    # 书记甲 is a member since 2000; the national rules begin on 2018-10-28 (the election term on
    # 2018-01-01): nothing is owed before, so 2017 lists nothing and 2018 its last months.
    MeetingFactory(branch=branch, kind="committee", held_on=D(2024, 6, 5))
    client.force_login(secretary)
    page = client.get(reverse("obligations:calendar")).content.decode()
    years = [int(y) for y in re.findall(r'earlier-overdue" data-year="(\d+)"', page)]
    assert years == [2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018]
    section = page[page.index('data-year="2024"') : page.index('data-year="2023"')]
    assert section.count('<span class="fw-semibold">支委会</span>') == 11  # June was held
    assert "支委会</span> · 2024年5月" in section and "支委会</span> · 2024年6月" not in section
    first = page[page.index('data-year="2018"') :]
    assert "2018年11月" in first and "2018年10月" not in first
    assert "2017年" not in page


def test_earlier_overdue_begins_at_the_branch_first_record_when_later_than_the_rules(
    client, pages_today, branch
):
    from obligations.judging import compliance_and_overdue_earlier, first_day_owed

    assert first_day_owed(branch) is None  # no member, no meeting: nothing owed
    MemberFactory(branch=branch, membership__start=D(2024, 9, 1))
    assert first_day_owed(branch) == D(2024, 9, 1)
    _owed, rows = compliance_and_overdue_earlier(branch, D(2026, 1, 1), D(2026, 1, 31), today=TODAY)
    monthly = [o for o in rows if o.period.frequency == "month"]
    assert min(o.period.start for o in monthly) == D(2024, 9, 1)  # periods overlapping it count
    assert min(o.period.end for o in rows) >= D(2024, 9, 1)
    assert all(o.status == "overdue" and o.period.end < D(2026, 1, 1) for o in rows)


def _figures(rows):
    return [
        (o.label, o.period.label, o.due, o.held, o.status, list(o.unmet_people))
        + ([m.pk for m in o.meetings], [m.pk for m in o.planned])
        for o in rows
    ]


def _overdue_earlier(branch, before):
    """The earlier years judged apart: every period from the branch's first day owed to the day
    before ``before``, those overdue."""
    from obligations.judging import compliance_for, first_day_owed

    found = compliance_for([branch], first_day_owed(branch), before - D.resolution, today=TODAY)
    return [o for o in found[branch.pk] if o.status == "overdue" and o.period.end < before]


def test_the_calendar_judges_the_year_and_the_earlier_years_as_apart_in_one_run(talks):
    from activities.models import Meeting
    from obligations.judging import compliance_and_overdue_earlier

    branch = talks["branch"]
    MeetingFactory(branch=branch, kind="committee", held_on=D(2024, 6, 5))
    held = MeetingFactory(branch=branch, kind="committee", held_on=D(2026, 1, 20))
    planned = MeetingFactory(
        branch=branch, kind="general", held_on=D(2026, 3, 25), status=Meeting.Status.PLANNED
    )
    with CaptureQueriesContext(connection) as together:
        owed, earlier = compliance_and_overdue_earlier(
            branch, D(2026, 1, 1), D(2026, 3, 31), today=TODAY
        )
    with CaptureQueriesContext(connection) as apart:
        year = obligations.compliance(branch, D(2026, 1, 1), D(2026, 3, 31), today=TODAY)
        before = _overdue_earlier(branch, D(2026, 1, 1))
    assert _figures(owed) == _figures(year)
    assert _figures(earlier) == _figures(before)
    assert any([m.pk for m in o.meetings] == [held.pk] for o in owed)
    assert any([m.pk for m in o.planned] == [planned.pk] for o in owed)
    assert {o.period.end.year for o in earlier} == {2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025}
    assert any(o.unmet_people for o in earlier)  # the talks of earlier years, by name
    assert len(together) < len(apart)
