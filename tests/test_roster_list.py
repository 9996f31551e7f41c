"""The roster page: filters, search, masking of private data, pages, and a bounded query count."""

import datetime

import pytest
from django.urls import reverse

from members.models import BranchPost, Membership, PoliticalStatus
from tests.factories import (
    BranchPostFactory,
    MemberFactory,
    MembershipFactory,
    PartyGroupFactory,
    PartyGroupMembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [person.name for person in response.context["page"]]


def roster(client, **params):
    return client.get(reverse("members:person-list"), params)


def test_filters_by_status_group_post_and_search(client, secretary, branch):
    client.force_login(secretary)
    group = PartyGroupFactory(branch=branch, name="初一年级党小组")
    in_group = MemberFactory(branch=branch, name="甲老师", post="数学教师")
    PartyGroupMembershipFactory(group=group, person=in_group)
    PersonFactory(branch=branch, name="乙老师", political_status=PoliticalStatus.ACTIVIST)
    left = PersonFactory(branch=branch, name="丙老师", political_status=PoliticalStatus.FULL)
    MembershipFactory(
        person=left,
        start=datetime.date(2000, 1, 1),
        end=datetime.date(2011, 6, 30),
        left_how=Membership.Left.TRANSFERRED_OUT,
    )
    BranchPostFactory(person=in_group, role=BranchPost.Role.ORGANISATION)
    PersonFactory(name="别的支部的人")

    assert set(names(roster(client))) == {"丙老师", "乙老师", "书记甲", "甲老师"}
    assert set(names(roster(client, status="members_now"))) == {"书记甲", "甲老师"}
    assert names(roster(client, status="former")) == ["丙老师"]
    assert names(roster(client, status=PoliticalStatus.ACTIVIST)) == ["乙老师"]
    assert names(roster(client, group=group.pk)) == ["甲老师"]
    assert names(roster(client, branch_post=BranchPost.Role.ORGANISATION)) == ["甲老师"]
    assert names(roster(client, post="数学")) == ["甲老师"]
    assert names(roster(client, q="乙")) == ["乙老师"]


def test_phones_and_birth_dates_show_only_to_the_secretary(client, secretary, staff_user, branch):
    PersonFactory(branch=branch, name="甲老师", phone="13912345678")

    client.force_login(secretary)
    page = roster(client).content.decode()
    assert "13912345678" in page and "1975-05-01" in page

    client.force_login(staff_user)
    page = roster(client).content.decode()
    assert "13912345678" not in page and "1975-05-01" not in page
    assert "139******78" in page


def test_committee_user_reads_the_roster_masked(client, committee_user, branch):
    PersonFactory(branch=branch, name="甲老师", phone="13912345678")
    client.force_login(committee_user)

    page = roster(client, branch=branch.pk).content.decode()

    assert "甲老师" in page and "13912345678" not in page


def test_another_branchs_secretary_sees_only_their_own_branch(client, outsider, branch):
    PersonFactory(branch=branch, name="甲老师")
    client.force_login(outsider)

    response = roster(client, branch=branch.pk)

    assert names(response) == ["外支部书记"]


def test_the_roster_is_paginated(client, secretary, branch):
    PersonFactory.create_batch(60, branch=branch)
    client.force_login(secretary)

    first, second = roster(client), roster(client, page=2)

    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 11


@pytest.mark.parametrize("rows", [10, 300])
def test_query_count_does_not_grow_with_the_rows(
    client, secretary, branch, rows, django_assert_max_num_queries
):
    group = PartyGroupFactory(branch=branch)
    for person in MemberFactory.create_batch(rows, branch=branch):
        PartyGroupMembershipFactory(group=group, person=person)
        BranchPostFactory(person=person, role=BranchPost.Role.COMMITTEE)
    client.force_login(secretary)

    with django_assert_max_num_queries(20):  # a query per row would add 50
        response = roster(client, status="members_now")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows + 1


@pytest.mark.parametrize("rows", [10, 300])
def test_export_query_count_does_not_grow_with_the_rows(
    client, secretary, branch, rows, django_assert_max_num_queries
):
    MemberFactory.create_batch(rows, branch=branch)
    client.force_login(secretary)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("members:person-export"))
    assert response.status_code == 200
