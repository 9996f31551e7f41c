"""The to-do list: each role's home page starts with what needs this person's action."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dues.months import add_months, month_of
from members import todos
from pledges.models import Pledge
from tests.factories import (
    CampaignFactory,
    MonthlyDueFactory,
    PledgeFactory,
    PledgeItemFactory,
    PledgeObjectionFactory,
    SignedPledgeFactory,
)

pytestmark = pytest.mark.django_db


def _labels(response) -> dict[str, int]:
    return {todo.label: todo.count for todo in response.context["todos"]}


def test_a_member_is_told_to_revise_a_returned_pledge_and_to_sign_an_approved_one(
    client, member, branch
):
    campaign = CampaignFactory(branch=branch)
    PledgeFactory(campaign=campaign, person=member.person, status=Pledge.Status.RETURNED)
    client.force_login(member)
    response = client.get(reverse("home"))
    assert _labels(response)["承诺书被退回，请修改后重新提交"] == 1
    assert "承诺书已通过审核，请签署" not in _labels(response)  # a count of 0 is left out
    assert reverse("pledges:my-pledges") in response.content.decode()


def test_a_member_sees_their_overdue_items_but_not_another_members(
    client, member, other_member, branch
):
    campaign = CampaignFactory(branch=branch)
    mine = SignedPledgeFactory(campaign=campaign, person=member.person)
    theirs = SignedPledgeFactory(campaign=campaign, person=other_member.person)
    PledgeItemFactory(pledge=mine, deadline=datetime.date(2011, 1, 1))
    PledgeItemFactory(pledge=theirs, deadline=datetime.date(2011, 1, 1))
    PledgeItemFactory(pledge=theirs, deadline=datetime.date(2011, 1, 1))
    client.force_login(member)
    assert _labels(client.get(reverse("home")))["承诺事项已过完成时限，请更新进展"] == 1


def test_the_secretary_dashboard_lists_pledges_to_review_and_unanswered_comments(
    client, secretary, member, branch, other_branch
):
    campaign = CampaignFactory(branch=branch)
    PledgeFactory(campaign=campaign, person=member.person, status=Pledge.Status.SUBMITTED)
    PledgeObjectionFactory(campaign=campaign)
    PledgeObjectionFactory(campaign=CampaignFactory(branch=other_branch))  # not theirs
    client.force_login(secretary)
    response = client.get(reverse("activities:dashboard"))
    labels = _labels(response)
    assert labels["待审核的承诺书"] == 1
    assert labels["未处理的群众意见"] == 1
    assert 'id="todos"' in response.content.decode()


def test_staff_are_not_given_the_secretarys_to_dos(client, staff_user, member, branch):
    campaign = CampaignFactory(branch=branch)
    PledgeFactory(campaign=campaign, person=member.person, status=Pledge.Status.SUBMITTED)
    client.force_login(staff_user)
    response = client.get(reverse("activities:dashboard"))
    assert _labels(response) == {}
    assert "目前没有需要您处理的事项" in response.content.decode()


def test_the_registry_orders_overdue_first_and_drops_zero_counts(django_user_model):
    user = django_user_model.objects.create_user("todo-user")

    def provider(user, today):
        yield todos.Todo("稍后", 2, "/b", todos.INFO)
        yield todos.Todo("没有", 0, "/c", todos.ACTION)
        yield todos.Todo("逾期", 1, "/a", todos.OVERDUE)

    todos.register(provider)
    try:
        found = [t.label for t in todos.todos_for(user, datetime.date(2026, 12, 2))]
    finally:
        todos._providers.remove(provider)
    assert found == ["逾期", "稍后"]  # this user has no role: no other provider says anything


def test_cached_to_dos_follow_a_change_to_the_branch(client, member, branch, settings):
    settings.PAGE_CACHE_SECONDS = 600
    campaign = CampaignFactory(branch=branch)
    pledge = PledgeFactory(campaign=campaign, person=member.person, status=Pledge.Status.RETURNED)
    client.force_login(member)
    assert _labels(client.get(reverse("home")))["承诺书被退回，请修改后重新提交"] == 1
    pledge.status = Pledge.Status.SUBMITTED
    pledge.save()  # moves the branch's data version on: the cached list is not asked for again
    assert "承诺书被退回，请修改后重新提交" not in _labels(client.get(reverse("home")))


def test_a_member_is_told_this_months_dues_and_the_months_owed(member):
    today = timezone.localdate()
    this_month = month_of(today)
    person = member.person
    MonthlyDueFactory(person=person, month=this_month, due=Decimal("40.00"), paid=Decimal("15.00"))
    for back in (1, 2):
        MonthlyDueFactory(person=person, month=add_months(this_month, -back), paid=Decimal("0"))
    MonthlyDueFactory(person=person, month=add_months(this_month, -3))  # paid
    MonthlyDueFactory(month=this_month, paid=Decimal("0"))  # someone else's

    rows = {todo.label: todo for todo in todos.todos_for(member, today)}

    assert rows["本月党费待交纳"].count == 1 and rows["本月党费待交纳"].detail == "25.00 元"
    assert rows["欠交党费（月）"].count == 2
