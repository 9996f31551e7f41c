"""Party groups with members over date ranges, branch posts, and the leading group's tenures."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import BranchPost, LeadingGroupRole, PartyGroup, PartyGroupMembership
from members.services import leading_role_replace, party_group_join
from tests.factories import (
    BranchPostFactory,
    CampaignFactory,
    LeadingGroupRoleFactory,
    MemberFactory,
    PartyGroupFactory,
    PartyGroupMembershipFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def test_joining_a_group_ends_the_previous_one_the_day_before(branch):
    person = MemberFactory(branch=branch)
    first = PartyGroupFactory(branch=branch, name="初一")
    second = PartyGroupFactory(branch=branch, name="初二")
    PartyGroupMembershipFactory(group=first, person=person, start=D(2010, 9, 1))

    party_group_join(group=second, person=person, on=D(2011, 9, 1))

    places = PartyGroupMembership.objects.filter(person=person)
    assert places.on(D(2011, 8, 31)).get().group == first
    assert places.on(D(2011, 9, 1)).get().group == second


def test_a_group_of_another_branch_is_refused(branch, other_branch):
    person = MemberFactory(branch=branch)
    with pytest.raises(ValidationError):
        party_group_join(
            group=PartyGroupFactory(branch=other_branch), person=person, on=D(2011, 1, 1)
        )
    assert not PartyGroupMembership.objects.exists()


def test_leading_role_replacement_keeps_both_tenures(branch):
    campaign = CampaignFactory(branch=branch)
    he = MemberFactory(branch=branch, name="何耀华")
    wang = MemberFactory(branch=branch, name="王卫珍")
    leader = LeadingGroupRoleFactory(
        campaign=campaign, person=he, role=LeadingGroupRole.Role.LEADER, start=D(2010, 6, 1)
    )

    successor = leading_role_replace(role=leader, successor=wang, on=D(2010, 10, 1))

    leaders = LeadingGroupRole.objects.filter(campaign=campaign, role="leader")
    assert leaders.on(D(2010, 9, 30)).get().person == he
    assert leaders.on(D(2010, 10, 1)).get().person == wang
    assert successor.predecessor == leader


def test_secretary_creates_a_group_and_adds_a_member_in_the_browser(client, secretary, branch):
    person = MemberFactory(branch=branch, name="孙老师")
    client.force_login(secretary)

    client.post(
        reverse("members:party-group-create"), {"name": "初一年级党小组", "based_on": "初一年级组"}
    )
    group = PartyGroup.objects.get(branch=branch, name="初一年级党小组")
    client.post(
        reverse("members:party-group-join", args=[group.pk]),
        {"person": person.pk, "on": "2011-09-01"},
    )

    detail = client.get(reverse("members:party-group-detail", args=[group.pk]))
    assert [place.person for place in detail.context["current"]] == [person]


def test_a_duplicate_group_name_is_named_next_to_the_field(client, secretary, branch):
    PartyGroupFactory(branch=branch, name="初一年级党小组")
    client.force_login(secretary)

    response = client.post(reverse("members:party-group-create"), {"name": "初一年级党小组"})

    assert response.status_code == 200
    assert "本支部已有同名党小组" in response.content.decode()


def test_ending_a_branch_post_before_it_began_is_refused(client, secretary, branch):
    post = BranchPostFactory(person=MemberFactory(branch=branch), start=D(2010, 1, 1))
    client.force_login(secretary)
    url = reverse("members:branch-post-end", args=[post.pk])

    refused = client.post(url, {"on": "2009-12-31"})
    assert "结束日期不能早于开始日期" in refused.content.decode()
    client.post(url, {"on": "2012-03-31"})

    post.refresh_from_db()
    assert post.end == D(2012, 3, 31)


def test_secretary_adds_a_branch_post_in_the_browser(client, secretary, branch):
    person = MemberFactory(branch=branch)
    client.force_login(secretary)

    client.post(
        reverse("members:branch-post-create", args=[person.pk]),
        {"role": "organisation", "start": "2010-01-01"},
    )

    assert BranchPost.objects.get(person=person).role == "organisation"


def test_leading_group_page_lists_tenures_and_the_replacement(client, secretary, branch):
    campaign = CampaignFactory(branch=branch)
    guo = MemberFactory(branch=branch, name="郭玮")
    zhao = MemberFactory(branch=branch, name="赵淑贤")
    role = LeadingGroupRoleFactory(campaign=campaign, person=guo, start=D(2010, 6, 1))
    client.force_login(secretary)

    client.post(
        reverse("members:leading-role-replace", args=[role.pk]),
        {"successor": zhao.pk, "on": "2011-09-01"},
    )
    content = client.get(reverse("members:leading-role-list")).content.decode()

    assert "郭玮" in content and "赵淑贤" in content and "2011-08-31" in content


def test_another_branchs_secretary_cannot_change_a_group(client, outsider, branch):
    group = PartyGroupFactory(branch=branch, name="初一")
    client.force_login(outsider)

    response = client.post(reverse("members:party-group-update", args=[group.pk]), {"name": "改名"})

    assert response.status_code == 403
    group.refresh_from_db()
    assert group.name == "初一"
