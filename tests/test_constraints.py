"""The database refuses bad data, and model validation explains why in Chinese."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from honors.models import Honor
from members.models import BranchRating, RoleAssignment
from pledges.models import Pledge
from tests.factories import (
    ActivityFactory,
    BranchFactory,
    BranchRatingFactory,
    CampaignFactory,
    CarrierFactory,
    HonorFactory,
    MechanismFactory,
    PersonFactory,
    PledgeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def refused_by_database(obj):
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def test_rating_outside_the_allowed_values_is_refused():
    rating = BranchRating(branch=BranchFactory(), rated_on=D(2012, 4, 15), rating="excellent")
    with pytest.raises(ValidationError) as caught:
        rating.full_clean()
    assert "rating" in caught.value.message_dict
    refused_by_database(rating)


def test_two_ratings_on_one_day_are_refused():
    first = BranchRatingFactory()
    second = BranchRating(branch=first.branch, rated_on=first.rated_on, rating="good")
    with pytest.raises(ValidationError, match="同一天只能有一次分类定级"):
        second.full_clean()
    refused_by_database(second)


def test_campaign_ending_before_it_starts_is_refused():
    campaign = CampaignFactory.build(branch=BranchFactory(), start=D(2012, 1, 1), end=D(2011, 1, 1))
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        campaign.full_clean()
    refused_by_database(campaign)


def test_activity_ending_before_it_starts_is_refused():
    activity = ActivityFactory.build(
        carrier=CarrierFactory(), start_date=D(2011, 5, 2), end_date=D(2011, 5, 1)
    )
    activity.branch = activity.carrier.campaign.branch
    refused_by_database(activity)


def test_activity_under_another_branchs_carrier_is_refused():
    activity = ActivityFactory.build(carrier=CarrierFactory(), branch=BranchFactory())
    with pytest.raises(ValidationError) as caught:
        activity.full_clean()
    assert caught.value.message_dict["carrier"] == ["所选载体不属于本支部的活动。"]


def test_personal_honor_needs_a_person_and_collective_honor_must_not_have_one():
    refused_by_database(
        HonorFactory.build(branch=BranchFactory(), recipient=Honor.Recipient.PERSON)
    )
    branch = BranchFactory()
    refused_by_database(
        HonorFactory.build(branch=branch, recipient="school", person=PersonFactory(branch=branch))
    )


def test_honor_level_outside_the_allowed_values_is_refused():
    refused_by_database(HonorFactory.build(branch=BranchFactory(), level="galactic"))


def test_new_mechanism_must_name_its_campaign():
    mechanism = MechanismFactory.build(branch=BranchFactory(), is_new=True, campaign=None)
    with pytest.raises(ValidationError, match="须指明所属活动"):
        mechanism.full_clean()
    refused_by_database(mechanism)


def test_member_has_one_current_pledge_per_campaign():
    pledge = PledgeFactory()
    second = Pledge(campaign=pledge.campaign, person=pledge.person)
    with pytest.raises(ValidationError, match="已有一份承诺书"):
        second.full_clean()
    refused_by_database(second)


def test_signed_pledge_needs_its_signature():
    campaign = CampaignFactory()
    person = PersonFactory(branch=campaign.branch)
    refused_by_database(Pledge(campaign=campaign, person=person, status="signed"))


def test_committee_role_needs_a_committee_and_branch_roles_a_branch():
    user = UserFactory()
    refused_by_database(RoleAssignment(user=user, role="committee", branch=BranchFactory()))
    refused_by_database(RoleAssignment(user=user, role="secretary"))


def test_every_choice_check_allows_exactly_the_fields_choices():
    """A check constraint on a choice field takes its values from the choices, so a new choice
    (a new meeting kind, say) moves the constraint with it in the next migration."""
    from django.db.models import CheckConstraint

    from members.freshness import portal_models

    checked = 0
    for model in portal_models():
        for constraint in model._meta.constraints:
            if not isinstance(constraint, CheckConstraint) or len(constraint.condition) != 1:
                continue
            lookup, values = constraint.condition.children[0]
            name, _, operator = lookup.partition("__")
            if operator != "in":
                continue
            field = model._meta.get_field(name)
            assert list(values) == [value for value, _ in field.choices], constraint.name
            checked += 1
    assert checked >= 11
