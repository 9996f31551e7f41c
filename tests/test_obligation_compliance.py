"""obligations.compliance: what each rule in force asked, period by period, and what was held."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import obligations
from activities.models import Meeting
from obligations.judging import compliance_for
from obligations.models import Rule
from tests.factories import BranchFactory, MeetingFactory, PartyGroupFactory

D = datetime.date
TODAY = D(2026, 3, 15)


def _by(rows, kind, **match):
    return [
        o
        for o in rows
        if o.kind == kind and all(getattr(o, key) == value for key, value in match.items())
    ]


def test_the_national_rules_are_seeded_with_their_dates_and_sources(db):
    rules = Rule.objects.filter(committee=None)
    kinds = set(rules.values_list("kind", flat=True))
    assert kinds == {
        "general",
        "committee",
        "group",
        "lecture",
        "theme_day",
        "life",
        "talk",
        "evaluation",
        "election",
    }
    general = rules.get(kind="general")
    assert (general.frequency, general.count, general.valid_from) == ("quarter", 1, D(2018, 10, 28))
    assert "支部工作条例" in general.source
    assert rules.get(kind="election").term_years == 3


def test_held_meetings_meet_a_month_and_the_running_month_is_due(branch):
    MeetingFactory(branch=branch, kind="committee", held_on=D(2026, 1, 20))
    MeetingFactory(branch=branch, kind="committee", held_on=D(2026, 2, 3))
    rows = obligations.compliance(branch, D(2026, 1, 1), D(2026, 4, 30), today=TODAY)
    committee = _by(rows, "committee")
    assert [(o.period.start.month, o.held, o.status) for o in committee] == [
        (1, 1, "met"),
        (2, 1, "met"),
        (3, 0, "due"),
        (4, 0, "upcoming"),
    ]
    assert [m.day for m in committee[0].meetings] == [D(2026, 1, 20)]
    theme_days = _by(rows, "theme_day")
    assert [o.status for o in theme_days] == ["overdue", "overdue", "due", "upcoming"]


def test_a_planned_meeting_is_shown_but_never_counted(branch):
    MeetingFactory(
        branch=branch, kind="theme_day", held_on=D(2026, 3, 20), status=Meeting.Status.PLANNED
    )
    (march,) = _by(
        obligations.compliance(branch, D(2026, 3, 1), D(2026, 3, 31), today=TODAY), "theme_day"
    )
    assert (march.held, march.status) == (0, "due")
    assert [m.day for m in march.planned] == [D(2026, 3, 20)]


def test_a_quarter_counts_every_meeting_in_its_months(branch):
    MeetingFactory(branch=branch, kind="general", held_on=D(2026, 2, 10))
    rows = _by(
        obligations.compliance(branch, D(2026, 1, 1), D(2026, 6, 30), today=TODAY), "general"
    )
    assert [(o.period.label, o.status) for o in rows] == [
        ("2026年第1季度", "met"),
        ("2026年第2季度", "upcoming"),
    ]


def test_group_rules_are_judged_per_party_group(branch):
    first = PartyGroupFactory(branch=branch, name="初一党小组")
    second = PartyGroupFactory(branch=branch, name="初二党小组")
    MeetingFactory(branch=branch, kind="group", party_group=first, held_on=D(2026, 2, 5))
    rows = _by(obligations.compliance(branch, D(2026, 2, 1), D(2026, 2, 28), today=TODAY), "group")
    assert {(o.group_name, o.status) for o in rows} == {
        ("初一党小组", "met"),
        ("初二党小组", "overdue"),
    }
    assert second.pk in {o.group_id for o in rows}


def test_a_period_is_judged_by_the_rules_in_force_on_its_first_day(branch):
    # The 2018 条例 took effect on 2018-10-28: October is not judged, November is; 2017 owes nothing.
    rows = obligations.compliance(branch, D(2018, 10, 1), D(2018, 11, 30), today=TODAY)
    assert {o.period.start for o in _by(rows, "committee")} == {D(2018, 11, 1)}
    assert _by(rows, "lecture") == []  # the year 2018 began before the rule
    assert [
        o
        for o in obligations.compliance(branch, D(2017, 1, 1), D(2017, 12, 31), today=TODAY)
        if o.kind != "election"
    ] == []


def test_a_committee_rule_overrides_the_national_one_for_its_branches_only(branch):
    other = BranchFactory()
    Rule.objects.create(
        committee=branch.committee,
        kind="lecture",
        scope="branch",
        frequency="year",
        count=2,
        valid_from=D(2026, 1, 1),
        source="区教育党工委关于党课的规定",
    )
    MeetingFactory(branch=branch, kind="lecture", held_on=D(2026, 1, 9))
    MeetingFactory(branch=other, kind="lecture", held_on=D(2026, 1, 9))
    found = compliance_for([branch, other], D(2025, 1, 1), D(2026, 12, 31), today=TODAY)
    own = {o.period.start.year: (o.due, o.held, o.status) for o in _by(found[branch.pk], "lecture")}
    assert own == {2025: (1, 0, "overdue"), 2026: (2, 1, "due")}
    theirs = {o.period.start.year: (o.due, o.status) for o in _by(found[other.pk], "lecture")}
    assert theirs == {2025: (1, "overdue"), 2026: (1, "met")}


def test_a_term_runs_from_the_day_its_rule_took_effect(branch):
    rows = _by(
        obligations.compliance(branch, D(2026, 1, 1), D(2026, 12, 31), today=TODAY), "election"
    )
    assert [(o.period.start, o.period.end) for o in rows] == [(D(2024, 1, 1), D(2026, 12, 31))]
    assert rows[0].status == "due"


def test_many_branches_cost_the_same_few_queries(db):
    def count(n):
        branches = [BranchFactory() for _ in range(n)]
        for b in branches:
            PartyGroupFactory(branch=b)
            MeetingFactory(branch=b, kind="theme_day", held_on=D(2026, 1, 5))
        with CaptureQueriesContext(connection) as queries:
            found = compliance_for(branches, D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
        assert len(found) == n
        return len(queries)

    # rules, 党小组, held counts, held counts of the term (换届) reaching back to 2024, and for
    # 谈心谈话 owed to each member: memberships, branch posts, talk pairs
    assert count(2) == count(6) == 7


@pytest.mark.parametrize("status,counted", [("held", 1), ("planned", 0)])
def test_meeting_figures_count_held_meetings_only(branch, status, counted):
    MeetingFactory(branch=branch, kind="general", held_on=D(2026, 3, 1), status=status)
    assert (
        Meeting.objects.for_branch(branch).between(D(2026, 1, 1), D(2026, 12, 31)).count()
        == counted
    )


def test_months_of_runs_from_the_first_month_to_the_last_across_years():
    from obligations.judging import months_of

    assert months_of(D(2025, 11, 20), D(2026, 2, 1)) == [
        D(2025, 11, 1),
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
    ]
    assert months_of(D(2026, 3, 31), D(2026, 3, 1)) == [D(2026, 3, 1)]  # the same month
    assert months_of(D(2026, 4, 1), D(2026, 3, 31)) == []


def test_compliance_each_hands_out_each_branch_with_its_own_figures_in_order(db):
    from obligations.judging import compliance_each

    first, second = BranchFactory(), BranchFactory()
    MeetingFactory(branch=second, kind="committee", held_on=D(2026, 1, 20))
    found = list(compliance_each([second, first], D(2026, 1, 1), D(2026, 1, 31), today=TODAY))
    assert [branch for branch, _rows in found] == [second, first]
    held = {branch.pk: _by(rows, "committee")[0] for branch, rows in found}
    assert (held[second.pk].held, held[second.pk].status) == (1, "met")
    assert (held[first.pk].held, held[first.pk].status) == (0, "overdue")
    assert all(o.branch_id == branch.pk for branch, rows in found for o in rows)
    assert not any(o.meetings or o.planned for _b, rows in found for o in rows)  # not asked for
