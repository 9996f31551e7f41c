"""Facts over time: members on a day, roles on a day, and the constraints that guard them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import LeadingGroupRole, Membership, Person
from tests.factories import (
    BranchFactory,
    CampaignFactory,
    LeadingGroupRoleFactory,
    MemberFactory,
    MembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def test_member_transferred_out_before_a_day_is_not_counted_on_it():
    branch = BranchFactory()
    stays = MemberFactory(branch=branch)
    leaves = PersonFactory(branch=branch)
    MembershipFactory(
        person=leaves,
        start=D(2005, 1, 1),
        end=D(2011, 6, 30),
        left_how=Membership.Left.TRANSFERRED_OUT,
    )

    on_day = Person.objects.for_branch(branch).members_on(D(2012, 9, 30))
    assert list(on_day) == [stays]
    assert set(Person.objects.for_branch(branch).members_on(D(2011, 6, 30))) == {stays, leaves}


def test_member_who_joined_after_a_day_is_not_counted_on_it():
    branch = BranchFactory()
    newcomer = PersonFactory(branch=branch)
    MembershipFactory(person=newcomer, start=D(2012, 10, 1))

    assert not Person.objects.for_branch(branch).members_on(D(2012, 9, 30)).exists()
    assert Membership.objects.for_branch(branch).on(D(2012, 10, 1)).count() == 1


def test_members_of_another_branch_are_not_counted():
    MemberFactory()
    assert Person.objects.for_branch(BranchFactory()).members_on(D(2012, 1, 1)).count() == 0


def test_membership_end_before_start_is_rejected():
    membership = MembershipFactory.build(
        person=PersonFactory(), start=D(2012, 1, 1), end=D(2011, 1, 1), left_how="transferred_out"
    )
    with pytest.raises(ValidationError) as caught:
        membership.full_clean()
    assert "结束日期不能早于开始日期。" in str(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_second_active_membership_for_one_person_is_rejected():
    person = MemberFactory()
    second = Membership(person=person, start=D(2011, 1, 1))
    with pytest.raises(ValidationError) as caught:
        second.full_clean()
    assert "尚未结束的党员关系" in str(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_overlapping_closed_memberships_are_rejected_by_validation():
    person = PersonFactory()
    MembershipFactory(person=person, start=D(2001, 1, 1), end=D(2005, 1, 1), left_how="other")
    overlapping = Membership(
        person=person, start=D(2004, 1, 1), end=D(2006, 1, 1), left_how="other"
    )
    with pytest.raises(ValidationError, match="时间不能重叠"):
        overlapping.full_clean()


def test_leader_of_leading_group_on_a_day():
    campaign = CampaignFactory()
    first = LeadingGroupRoleFactory(
        campaign=campaign, role="leader", start=D(2010, 6, 1), end=D(2010, 8, 31)
    )
    second = LeadingGroupRoleFactory(campaign=campaign, role="leader", start=D(2010, 9, 1))
    leaders = LeadingGroupRole.objects.filter(campaign=campaign, role="leader")

    assert leaders.on(D(2010, 8, 1)).get() == first
    assert leaders.on(D(2011, 1, 1)).get() == second
    assert leaders.during(D(2010, 8, 1), D(2010, 9, 30)).count() == 2


def test_two_leaders_at_once_are_rejected():
    campaign = CampaignFactory()
    LeadingGroupRoleFactory(campaign=campaign, role="leader", start=D(2010, 6, 1))
    clash = LeadingGroupRoleFactory.build(
        campaign=campaign,
        person=PersonFactory(branch=campaign.branch),
        role="leader",
        start=D(2011, 1, 1),
    )
    with pytest.raises(ValidationError, match="只能有一位组长"):
        clash.full_clean()
