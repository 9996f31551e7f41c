"""A pledge counts by its latest signed version until a new version is signed; the ratings of its
items pass to the same items of the new version."""

import datetime

import pytest
from django.urls import reverse

from pledges import services
from pledges.models import FIVE_LEADS, Pledge, PledgeItem
from reports.figures import Figures, ReportPeriod
from tests.factories import (
    CampaignFactory,
    PledgeItemFactory,
    PledgePointFactory,
    SignedPledgeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(member, secretary, branch):
    campaign = CampaignFactory(branch=branch, end=None)
    pledge = SignedPledgeFactory(campaign=campaign, person=member.person)
    for code, label in FIVE_LEADS:
        PledgePointFactory(pledge=pledge, point=code, text=f"{label}：我的承诺。")
    first = PledgeItemFactory(pledge=pledge, title="上好示范课")
    PledgeItemFactory(pledge=pledge, title="结对带教一名青年教师")
    services.item_rate(item=first, by=secretary, fulfilment="fulfilled", comment="很好")
    return pledge


def figures_of(pledge):
    period = ReportPeriod.for_campaign(pledge.campaign, datetime.date(2026, 12, 1))
    f = Figures(pledge.campaign.branch, period)
    items = PledgeItem.objects.for_branch(pledge.campaign.branch).tracked()
    return (
        f.value("已签订承诺党员人数"),
        f.value("承诺签订率"),
        items.count(),
        items.fulfilment()["fulfilled"],
        items.fulfilment()["rate"],
    )


def test_pressing_revise_changes_no_figure_until_the_new_version_is_signed(signed, member):
    before = figures_of(signed)
    assert before[2:4] == (2, 1)
    draft = services.pledge_new_version(pledge=signed, by=member)
    assert figures_of(signed) == before
    assert list(Pledge.objects.latest_signed()) == [signed]

    services.pledge_submit(pledge=draft)
    assert figures_of(signed) == before


def test_the_signed_version_can_still_be_rated_while_a_new_one_is_written(
    signed, member, secretary, client
):
    services.pledge_new_version(pledge=signed, by=member)
    second = signed.items.get(title="结对带教一名青年教师")
    client.force_login(secretary)
    url = reverse("pledges:item-rate", args=[second.pk])
    response = client.post(url, {"fulfilment": "partly", "comment": "进行中"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.fulfilment == "partly"


def test_ratings_pass_to_the_same_items_of_the_new_version_when_it_is_signed(
    signed, member, secretary
):
    draft = services.pledge_new_version(pledge=signed, by=member)
    draft.items.filter(title="结对带教一名青年教师").update(title="结对带教两名青年教师")
    services.pledge_submit(pledge=draft)
    services.pledge_approve(pledge=draft, by=secretary)
    services.pledge_sign(pledge=draft, by=member, signature_name=member.person.name)

    ratings = dict(draft.items.values_list("title", "fulfilment"))
    assert ratings == {"上好示范课": "fulfilled", "结对带教两名青年教师": "unrated"}
    tracked = PledgeItem.objects.tracked()
    assert set(tracked.values_list("pledge", flat=True)) == {draft.pk}
    # the old version's items no longer count, and cannot be rated any more
    old = signed.items.get(title="上好示范课")
    with pytest.raises(services.PledgeStateError):
        services.item_rate(item=old, by=secretary, fulfilment="partly", comment="")
    assert figures_of(draft)[2:4] == (2, 1)
