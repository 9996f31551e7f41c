"""The QuerySet methods behind the reports' figures, on factory-built data of other shapes."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from honors.models import Honor
from mechanisms.models import Mechanism
from members.models import Campaign, Membership, Person, PersonQuerySet
from pledges.models import Pledge, PledgeItem
from reports.figures import campaigns_with_records, first_record_year
from tests.factories import (
    ActivityFactory,
    BranchFactory,
    CampaignFactory,
    CarrierFactory,
    HonorFactory,
    MechanismFactory,
    MeetingFactory,
    MemberFactory,
    MembershipFactory,
    PersonFactory,
    PledgeFactory,
    PledgeItemFactory,
    SignedPledgeFactory,
    TypicalHonorFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def aware(*args):
    return timezone.make_aware(datetime.datetime(*args))


def test_pledge_signed_outside_the_period_is_not_counted():
    campaign = CampaignFactory()
    SignedPledgeFactory(campaign=campaign, signed_at=aware(2010, 7, 1, 9, 0))
    SignedPledgeFactory(campaign=campaign, signed_at=aware(2010, 9, 30, 23, 0))
    SignedPledgeFactory(campaign=campaign, signed_at=aware(2010, 10, 1, 8, 0))
    PledgeFactory(campaign=campaign)  # a draft: not signed at all

    signed = Pledge.objects.for_branch(campaign.branch).signed_between(
        D(2010, 7, 1), D(2010, 9, 30)
    )
    assert signed.signers_count() == 2


def test_signing_day_follows_the_local_time_zone():
    campaign = CampaignFactory()
    # 2010-09-30 23:30 in Shanghai is still 2010-09-30 there, though 15:30 UTC.
    SignedPledgeFactory(campaign=campaign, signed_at=aware(2010, 9, 30, 23, 30))
    signed = Pledge.objects.signed_between(D(2010, 9, 30), D(2010, 9, 30))
    assert signed.signers_count() == 1


def test_a_member_who_signed_two_versions_counts_once_and_the_branch_pledge_not_at_all():
    campaign = CampaignFactory()
    first = SignedPledgeFactory(campaign=campaign, status=Pledge.Status.SUPERSEDED)
    SignedPledgeFactory(campaign=campaign, person=first.person, version=2, previous=first)
    SignedPledgeFactory(campaign=campaign, person=None, signature_name="书记")

    signed = Pledge.objects.for_branch(campaign.branch).signed_between(
        D(2010, 1, 1), D(2010, 12, 31)
    )
    assert signed.count() == 3
    assert signed.signers_count() == 1


def test_pledges_of_another_branch_are_not_counted():
    SignedPledgeFactory()
    assert Pledge.objects.for_branch(BranchFactory()).signers_count() == 0


def test_overdue_items_are_past_deadline_and_not_done():
    today = D(2012, 1, 10)
    late = PledgeItemFactory(deadline=D(2012, 1, 9))
    PledgeItemFactory(deadline=D(2012, 1, 9), done_on=D(2012, 1, 5))
    PledgeItemFactory(deadline=D(2012, 1, 10))
    PledgeItemFactory(deadline=None)

    assert list(PledgeItem.objects.overdue(today)) == [late]
    assert late.is_overdue(today)


def test_fulfilment_counts_open_and_overdue_items_as_the_filters_do():
    today = D(2012, 1, 10)
    PledgeItemFactory(deadline=D(2012, 1, 9))  # overdue
    PledgeItemFactory(deadline=D(2012, 1, 9), done_on=D(2012, 1, 5), fulfilment="fulfilled")
    PledgeItemFactory(deadline=D(2012, 1, 10))  # open, due today
    PledgeItemFactory(deadline=None)  # open, no deadline
    items = PledgeItem.objects.all()

    counts = items.fulfilment(today)

    assert (counts["open"], counts["overdue"]) == (3, 1)
    assert counts["open"] == items.open().count()
    assert counts["overdue"] == items.overdue(today).count()
    assert counts["fulfilled"] == 1
    assert "open" not in items.fulfilment()


def test_fulfilment_rate_is_over_rated_items():
    pledge = PledgeFactory()
    for fulfilment in ["fulfilled", "fulfilled", "partly", "unfulfilled", "unrated"]:
        PledgeItemFactory(pledge=pledge, fulfilment=fulfilment)
    result = PledgeItem.objects.filter(pledge=pledge).fulfilment()
    assert (result["total"], result["rated"], result["fulfilled"]) == (5, 4, 2)
    assert result["rate"] == Decimal("50.0")


def test_typical_models_by_level_in_a_period():
    branch = BranchFactory()
    TypicalHonorFactory(branch=branch, level="city", awarded_on=D(2011, 6, 1))
    TypicalHonorFactory(branch=branch, level="school", awarded_on=D(2011, 6, 1))
    TypicalHonorFactory(branch=branch, level="school", awarded_on=D(2013, 1, 1))  # after
    HonorFactory(branch=branch, level="district", awarded_on=D(2011, 6, 1))  # not typical

    counts = (
        Honor.objects.for_branch(branch)
        .typical_models()
        .between(D(2010, 6, 1), D(2012, 9, 30))
        .count_by_level()
    )
    assert counts == {"national": 0, "city": 1, "district": 0, "school": 1}


def test_honors_and_typical_models_by_level_in_one_query(django_assert_num_queries):
    branch = BranchFactory()
    TypicalHonorFactory(branch=branch, level="city", awarded_on=D(2011, 6, 1))
    HonorFactory(branch=branch, level="city", awarded_on=D(2011, 7, 1))  # not typical
    HonorFactory(branch=branch, level="district", awarded_on=D(2011, 6, 1))  # not typical
    TypicalHonorFactory(branch=branch, level="school", awarded_on=D(2013, 1, 1))  # after
    honors = Honor.objects.for_branch(branch).between(D(2010, 6, 1), D(2012, 9, 30))

    with django_assert_num_queries(1):
        every, typical = honors.count_by_level_and_typical()

    assert every == {"national": 0, "city": 2, "district": 1, "school": 0}
    assert typical == {"national": 0, "city": 1, "district": 0, "school": 0}
    assert (every, typical) == (honors.count_by_level(), honors.typical_models().count_by_level())


def test_mechanisms_by_category_and_the_new_ones():
    campaign = CampaignFactory()
    branch = campaign.branch
    MechanismFactory(branch=branch, category="ideology", is_new=True, campaign=campaign)
    MechanismFactory(branch=branch, category="ideology")
    MechanismFactory(branch=branch, category="integrity")
    MechanismFactory(category="ideology")  # another branch

    mechanisms = Mechanism.objects.for_branch(branch)
    assert mechanisms.count_by_category() == {
        "ideology": 2,
        "organisation": 0,
        "democracy": 0,
        "conduct": 0,
        "integrity": 1,
    }
    assert mechanisms.new_in(campaign).count() == 1


def test_member_share_of_key_teachers_counts_only_staff_on_the_day():
    branch = BranchFactory()
    day = D(2012, 9, 30)
    MemberFactory(branch=branch, is_key_teacher=True)
    PersonFactory(branch=branch, is_key_teacher=True)
    PersonFactory(branch=branch, is_key_teacher=True)
    PersonFactory(branch=branch, is_key_teacher=False)
    gone = PersonFactory(branch=branch, is_key_teacher=True, staff_until=D(2011, 1, 31))
    MembershipFactory(person=gone, end=D(2011, 1, 31), left_how=Membership.Left.TRANSFERRED_OUT)

    share = Person.objects.for_branch(branch).on_staff(day).key_teachers().member_share(day)
    assert share == {"members": 1, "total": 3, "percent": Decimal("33.3")}


def test_member_shares_of_several_groups_match_each_share_in_one_query(
    django_assert_num_queries,
):
    branch = BranchFactory()
    day = D(2012, 9, 30)
    MemberFactory(branch=branch, is_key_teacher=True, is_senior_cadre=True)
    MemberFactory(branch=branch, is_key_teacher=True)
    PersonFactory(branch=branch, is_key_teacher=True)
    PersonFactory(branch=branch, is_senior_cadre=True)
    PersonFactory(branch=branch)
    staff = Person.objects.for_branch(branch).on_staff(day)

    with django_assert_num_queries(1):
        shares = staff.member_shares(
            day, key=PersonQuerySet.KEY_TEACHERS, cadre=PersonQuerySet.SENIOR_CADRES
        )

    assert shares["key"] == staff.key_teachers().member_share(day)
    assert shares["key"] == {"members": 2, "total": 3, "percent": Decimal("66.7")}
    assert shares["cadre"] == staff.senior_cadres().member_share(day)
    assert shares["cadre"] == {"members": 1, "total": 2, "percent": Decimal("50.0")}
    assert staff.member_share(day) == {"members": 2, "total": 5, "percent": Decimal("40.0")}


def test_member_share_of_nobody_has_no_percent():
    share = Person.objects.none().member_share(D(2012, 1, 1))
    assert share == {"members": 0, "total": 0, "percent": None}


def test_the_first_record_year_comes_with_the_campaigns_or_from_one_query(
    django_assert_num_queries,
):
    branch = BranchFactory()
    MeetingFactory(branch=branch, held_on=D(2010, 3, 1))
    assert first_record_year(branch, []) == 2010  # no campaign yet: the first meeting's year
    campaign = CampaignFactory(branch=branch, start=D(2012, 6, 1))
    old = CampaignFactory(branch=branch, start=D(2011, 6, 1), end=D(2012, 5, 31))
    ActivityFactory(carrier=CarrierFactory(campaign=old), start_date=D(2009, 9, 1))
    ActivityFactory(start_date=D(2005, 1, 1))  # another branch's

    with django_assert_num_queries(1):
        rows = list(campaigns_with_records(branch))
        year = first_record_year(branch, rows)

    assert year == 2009 == first_record_year(branch, Campaign.objects.for_branch(branch))
    assert [row.pk for row in rows] == [campaign.pk, old.pk]
    assert [row.has_records for row in rows] == [False, True]
