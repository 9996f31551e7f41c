"""Arrears: months owed, the warning after 3, the 党章 article 9 flag after 6 in a row — a flag
for people to decide on, never an action; the to-do list and the year in review."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dues.ledger import branch_arrears, person_arrear
from dues.models import Category, Way
from dues.months import add_months, month_of
from dues.services import BaseEntry, base_year_set, payment_record
from members import todos, year_review
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

D = Decimal


def setup_owing(branch, name, unpaid_months):
    """A member with a base since January last year who paid everything but the last months."""
    today = timezone.localdate()
    person = MemberFactory(branch=branch, name=name)
    base_year_set(
        branch=branch,
        year=today.year - 1,
        entries=[BaseEntry(person=person, category=Category.SALARIED, income=D("2000"))],
    )
    this_month = month_of(today)
    last_paid = add_months(this_month, -1 - unpaid_months)
    first = datetime.date(today.year - 1, 1, 1)
    months = []
    month = first
    while month <= last_paid:
        months.append(month)
        month = add_months(month, 1)
    if months:
        payment_record(
            person=person,
            months=months,
            amount=D("10.00") * len(months),
            paid_on=today,
            way=Way.CASH,
            note="测试",
        )
    return person


def test_months_owed_the_warning_and_the_flag(branch):
    today = timezone.localdate()
    two = setup_owing(branch, "欠二", 2)
    four = setup_owing(branch, "欠四", 4)
    seven = setup_owing(branch, "欠七", 7)
    setup_owing(branch, "不欠", 0)
    found = {a.person.name: a for a in branch_arrears(branch, today)}
    assert set(found) == {"欠二", "欠四", "欠七"}
    assert (len(found["欠二"].months), found["欠二"].warning, found["欠二"].flagged) == (
        2,
        False,
        False,
    )
    assert (found["欠四"].warning, found["欠四"].flagged) == (True, False)
    assert (found["欠七"].streak, found["欠七"].flagged) == (7, True)
    assert found["欠七"].owed == D("70.00")
    assert person_arrear(two, today).owed == D("20.00")
    assert four.memberships.get().end is None
    assert seven.memberships.get().end is None  # the flag never ends a membership


def test_a_partial_payment_breaks_the_streak_but_the_month_stays_owed(branch):
    today = timezone.localdate()
    person = setup_owing(branch, "欠七", 7)
    payment_record(
        person=person,
        months=[add_months(month_of(today), -3)],
        amount=D("1.00"),
        paid_on=today,
        way=Way.CASH,
    )
    arrear = person_arrear(person, today)
    assert len(arrear.months) == 7
    assert arrear.streak == 2 and not arrear.flagged


def test_the_secretary_sees_article_9_quoted_on_the_arrears_list(client, secretary, branch):
    setup_owing(branch, "欠七", 7)
    client.force_login(secretary)
    text = client.get(f"{reverse('dues:arrears')}?branch={branch.pk}").content.decode()
    assert "党章第九条" in text
    assert "连续六个月不参加党的组织生活，或不交纳党费" in text
    assert "系统不自动处理" in text


def test_the_to_do_list_shows_owed_dues_to_the_member_and_the_secretary(secretary, member, branch):
    today = timezone.localdate()
    person = member.person
    base_year_set(
        branch=branch,
        year=today.year - 1,
        entries=[BaseEntry(person=person, category=Category.SALARIED, income=D("2000"))],
    )
    mine = {t.label: t.count for t in todos.todos_for(member, today)}
    assert mine["欠交党费（月）"] == 12 + today.month - 1
    branch_rows = {t.label: t.count for t in todos.todos_for(secretary, today)}
    assert branch_rows["欠交党费3个月以上的党员"] == 1
    assert branch_rows["连续6个月未交党费、须由支部研究的党员（党章第九条）"] == 1
    assert branch_rows["尚未核定党费基数的党员"] == 1  # the secretary's own record


def test_the_year_in_review_has_a_dues_section(branch):
    today = timezone.localdate()
    person = setup_owing(branch, "欠二", 2)
    sections = {s.key: s for s in year_review.sections_for(person, today.year - 1)}
    rows = dict(sections["dues"].rows)
    assert rows["应交党费"] == "12 个月，共 120.00 元"
    assert rows["实交党费"] == "120.00 元"


def test_the_year_in_review_page_shows_the_dues_to_the_member(client, member, branch):
    today = timezone.localdate()
    base_year_set(
        branch=branch,
        year=today.year - 1,
        entries=[BaseEntry(person=member.person, category=Category.SALARIED, income=D("2000"))],
    )
    client.force_login(member)
    url = reverse("members:person-year-review", args=[member.person.pk])
    text = client.get(f"{url}?year={today.year - 1}").content.decode()
    assert "交纳党费" in text and "120.00" in text


def test_limits_come_from_the_rules_in_force_and_else_from_the_national_rule_with_its_source():
    from dues.ledger import NATIONAL_MONTHS, limits
    from dues.models import DuesRule, Limit
    from dues.national import RULES

    today = timezone.localdate()
    assert limits(today) == {limit: months for limit, months, _text, _source in RULES}
    DuesRule.objects.filter(limit=Limit.WARNING).update(months=2)
    DuesRule.objects.filter(limit=Limit.LAPSE).delete()
    found = limits(today)
    assert found[Limit.WARNING] == 2
    assert found[Limit.LAPSE] == NATIONAL_MONTHS[Limit.LAPSE] == 6
    assert all(source for _limit, _months, _text, source in RULES)
