"""Who may reach a pledge: its member, the branch's readers, and for review only the secretary."""

import datetime

import pytest
from django.urls import reverse

from pledges.models import Pledge
from tests.factories import (
    PASSWORD,
    CampaignFactory,
    PledgeFactory,
    PledgeItemFactory,
    PledgeObjectionFactory,
    PledgePointFactory,
    SignedPledgeFactory,
)

pytestmark = pytest.mark.django_db

DENIED = {403, 404}


@pytest.fixture
def campaign(branch):
    return CampaignFactory(branch=branch, end=None)


def pledge_of(user, campaign, status=Pledge.Status.DRAFT):
    factory = SignedPledgeFactory if status == Pledge.Status.SIGNED else PledgeFactory
    pledge = factory(campaign=campaign, person=user.person, status=status)
    PledgePointFactory(pledge=pledge, point="study", text="原来的承诺")
    PledgeItemFactory(pledge=pledge, title="原来的事项", deadline=datetime.date(2030, 1, 1))
    return pledge


def snapshot(pledge):
    pledge.refresh_from_db()
    return (
        pledge.status,
        pledge.summary,
        pledge.signed_at,
        pledge.signature_name,
        list(pledge.points.values_list("point", "text")),
        list(pledge.items.values_list("title", "progress", "done_on", "fulfilment")),
        Pledge.objects.count(),
    )


def item_data(pledge):
    item = pledge.items.get()
    return {
        "summary": "别人改的",
        "point_study": "x",
        "point_excel": "x",
        "point_serve": "x",
        "point_law": "x",
        "point_uphold": "x",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-0-id": str(item.pk),
        "items-0-title": "别人改的事项",
        "items-0-deadline": "2030-01-01",
    }


def test_a_member_cannot_see_edit_sign_or_update_another_members_pledge(
    client, member, other_member, campaign
):
    draft = pledge_of(other_member, campaign)
    client.force_login(member)
    before = snapshot(draft)
    for url in [
        reverse("pledges:pledge-detail", args=[draft.pk]),
        reverse("pledges:pledge-edit", args=[draft.pk]),
        reverse("pledges:pledge-history", args=[draft.pk]),
    ]:
        assert client.get(url).status_code in DENIED, url
    assert (
        client.post(reverse("pledges:pledge-edit", args=[draft.pk]), item_data(draft)).status_code
        in DENIED
    )
    assert client.post(reverse("pledges:pledge-submit", args=[draft.pk])).status_code in DENIED
    assert snapshot(draft) == before

    draft.status = Pledge.Status.APPROVED
    draft.save()
    before = snapshot(draft)
    sign_url = reverse("pledges:pledge-sign", args=[draft.pk])
    assert client.get(sign_url).status_code in DENIED
    response = client.post(
        sign_url, {"confirm": "on", "signature_name": "党员乙", "password": PASSWORD}
    )
    assert response.status_code in DENIED
    assert snapshot(draft) == before

    signed = SignedPledgeFactory(
        campaign=CampaignFactory(branch=campaign.branch), person=other_member.person
    )
    item = PledgeItemFactory(pledge=signed)
    before = snapshot(signed)
    progress_url = reverse("pledges:item-progress", args=[item.pk])
    assert client.get(progress_url).status_code in DENIED
    assert client.post(progress_url, {"text": "替别人报进展"}).status_code in DENIED
    assert client.post(reverse("pledges:pledge-revise", args=[signed.pk])).status_code in DENIED
    assert client.get(reverse("pledges:item-rate", args=[item.pk])).status_code in DENIED
    assert snapshot(signed) == before


def test_another_branchs_secretary_cannot_review_rate_or_read_the_pledge(
    client, member, outsider, campaign
):
    submitted = pledge_of(member, campaign, status=Pledge.Status.SUBMITTED)
    client.force_login(outsider)
    before = snapshot(submitted)
    review_url = reverse("pledges:pledge-review", args=[submitted.pk])
    assert client.get(review_url).status_code in DENIED
    assert client.post(review_url, {"decision": "approve"}).status_code in DENIED
    assert client.get(reverse("pledges:pledge-detail", args=[submitted.pk])).status_code in DENIED
    assert client.get(reverse("pledges:pledge-history", args=[submitted.pk])).status_code in DENIED
    assert snapshot(submitted) == before

    item = submitted.items.get()
    assert (
        client.post(
            reverse("pledges:item-rate", args=[item.pk]), {"fulfilment": "fulfilled"}
        ).status_code
        in DENIED
    )
    publication = reverse("pledges:publication-edit", args=[campaign.pk])
    assert client.post(publication, {"start": "2010-07-01"}).status_code in DENIED
    objection = PledgeObjectionFactory(campaign=campaign, pledge=submitted)
    handle = reverse("pledges:objection-handle", args=[objection.pk])
    assert client.post(handle, {"note": "已处理"}).status_code in DENIED
    objection.refresh_from_db()
    assert objection.handled_at is None
    # Their own lists show nothing of this branch.
    listing = client.get(reverse("pledges:objection-list")).content.decode()
    assert objection.text not in listing
    listing = client.get(reverse("pledges:pledge-list")).content.decode()
    assert member.person.name not in listing
    assert snapshot(submitted) == before


def test_the_secretary_reviews_but_cannot_write_or_sign_a_members_pledge(
    client, member, secretary, campaign
):
    approved = pledge_of(member, campaign, status=Pledge.Status.APPROVED)
    client.force_login(secretary)
    before = snapshot(approved)
    assert client.get(reverse("pledges:pledge-detail", args=[approved.pk])).status_code == 200
    assert client.get(reverse("pledges:pledge-history", args=[approved.pk])).status_code == 200
    response = client.post(
        reverse("pledges:pledge-sign", args=[approved.pk]),
        {"confirm": "on", "signature_name": "党员甲", "password": PASSWORD},
    )
    assert response.status_code == 403
    assert client.get(reverse("pledges:pledge-edit", args=[approved.pk])).status_code == 403
    assert snapshot(approved) == before


def test_a_member_cannot_review_their_own_pledge(client, member, campaign):
    submitted = pledge_of(member, campaign, status=Pledge.Status.SUBMITTED)
    client.force_login(member)
    before = snapshot(submitted)
    response = client.post(
        reverse("pledges:pledge-review", args=[submitted.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert client.get(reverse("pledges:pledge-list")).status_code == 403
    assert client.get(reverse("pledges:objection-list")).status_code == 403
    assert snapshot(submitted) == before


def test_staff_and_committee_read_but_do_not_review(
    client, member, staff_user, committee_user, campaign
):
    submitted = pledge_of(member, campaign, status=Pledge.Status.SUBMITTED)
    for user in (staff_user, committee_user):
        client.force_login(user)
        assert client.get(reverse("pledges:pledge-detail", args=[submitted.pk])).status_code == 200
        listing = client.get(reverse("pledges:pledge-list"), {"branch": campaign.branch_id})
        assert listing.status_code == 200
        assert member.person.name in listing.content.decode()
        review = client.post(
            reverse("pledges:pledge-review", args=[submitted.pk]), {"decision": "approve"}
        )
        assert review.status_code == 403
        assert client.get(reverse("pledges:objection-list")).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Pledge.Status.SUBMITTED


def test_a_member_cannot_write_a_pledge_in_another_branchs_campaign(client, member, other_branch):
    foreign = CampaignFactory(branch=other_branch, end=None)
    client.force_login(member)
    assert client.get(reverse("pledges:pledge-create", args=[foreign.pk])).status_code == 403
    assert client.get(reverse("pledges:branch-pledge-create", args=[foreign.pk])).status_code == 403


def test_anonymous_users_are_sent_to_the_login_page(client, member, campaign):
    pledge = pledge_of(member, campaign)
    for url in [
        reverse("pledges:my-pledges"),
        reverse("pledges:pledge-list"),
        reverse("pledges:pledge-detail", args=[pledge.pk]),
        reverse("pledges:pledge-sign", args=[pledge.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_navigation_shows_each_role_its_links(client, member, secretary, staff_user):
    client.force_login(member)
    html = client.get(reverse("pledges:my-pledges")).content.decode()
    assert f'href="{reverse("pledges:my-pledges")}"' in html
    assert f'href="{reverse("pledges:pledge-list")}"' not in html
    client.force_login(staff_user)
    html = client.get(reverse("pledges:pledge-list")).content.decode()
    assert f'href="{reverse("pledges:pledge-list")}"' in html
    assert f'href="{reverse("pledges:my-pledges")}"' not in html
    assert reverse("pledges:objection-list") not in html  # the objections are the secretary's
    client.force_login(secretary)
    html = client.get(reverse("pledges:pledge-list")).content.decode()
    assert f'href="{reverse("pledges:pledge-list")}"' in html
    assert f'href="{reverse("pledges:my-pledges")}"' in html
