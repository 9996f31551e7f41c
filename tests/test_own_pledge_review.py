"""Nobody reviews or rates their own pledge (issue 12, item 15): a 支委's pledge is reviewed and
rated by another 支委 of the branch or by the superior committee."""

import pytest
from django.urls import reverse

from conftest import _persona
from pledges import services
from pledges.models import Pledge, PledgeItem
from pledges.todos import branch_pledges
from tests.factories import (
    CampaignFactory,
    MemberFactory,
    PledgeFactory,
    PledgeItemFactory,
    SignedPledgeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_secretary(branch):
    return _persona("secretary", branch=branch, person=MemberFactory(branch=branch, name="支委乙"))


def submitted_pledge_of(user):
    return PledgeFactory(
        campaign=CampaignFactory(branch=user.person.branch, end=None),
        person=user.person,
        status=Pledge.Status.SUBMITTED,
    )


def approve(client, pledge):
    return client.post(
        reverse("pledges:pledge-review", args=[pledge.pk]), {"decision": "approve", "comment": ""}
    )


def test_a_secretary_cannot_approve_their_own_pledge(client, secretary):
    pledge = submitted_pledge_of(secretary)
    client.force_login(secretary)
    assert client.get(reverse("pledges:pledge-review", args=[pledge.pk])).status_code == 403
    assert approve(client, pledge).status_code == 403
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED
    with pytest.raises(services.PledgeStateError):
        services.pledge_approve(pledge=pledge, by=secretary)


def test_another_branch_committee_member_approves_it(client, secretary, second_secretary):
    pledge = submitted_pledge_of(secretary)
    client.force_login(second_secretary)
    assert approve(client, pledge).status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.APPROVED and pledge.reviewed_by == second_secretary


def test_the_superior_committee_approves_a_secretarys_pledge_but_not_a_members(
    client, secretary, member, committee_user
):
    own, members = submitted_pledge_of(secretary), submitted_pledge_of(member)
    client.force_login(committee_user)
    assert approve(client, own).status_code == 302
    assert approve(client, members).status_code == 403
    own.refresh_from_db()
    assert own.status == Pledge.Status.APPROVED and own.reviewed_by == committee_user


def test_a_secretary_cannot_rate_their_own_item(client, secretary, committee_user):
    pledge = SignedPledgeFactory(
        campaign=CampaignFactory(branch=secretary.person.branch, end=None), person=secretary.person
    )
    item = PledgeItemFactory(pledge=pledge)
    url = reverse("pledges:item-rate", args=[item.pk])
    client.force_login(secretary)
    assert client.post(url, {"fulfilment": "fulfilled", "comment": ""}).status_code == 403
    with pytest.raises(services.PledgeStateError):
        services.item_rate(item=item, by=secretary, fulfilment="fulfilled", comment="")
    client.force_login(committee_user)
    assert client.post(url, {"fulfilment": "fulfilled", "comment": ""}).status_code == 302
    item.refresh_from_db()
    assert item.fulfilment == PledgeItem.Fulfilment.FULFILLED and item.rated_by == committee_user


def test_the_secretarys_to_do_does_not_count_their_own_pledge(secretary, member):
    submitted_pledge_of(secretary)
    waiting = next(t for t in branch_pledges(secretary, None) if "待审核" in t.label)
    assert waiting.count == 0
    PledgeFactory(
        campaign=CampaignFactory(branch=member.person.branch, end=None),
        person=member.person,
        status=Pledge.Status.SUBMITTED,
    )
    waiting = next(t for t in branch_pledges(secretary, None) if "待审核" in t.label)
    assert waiting.count == 1
