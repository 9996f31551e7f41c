"""The home page leads anonymous visitors to the pledge pages being published (issue 12, item 3),
and a member's home page starts with their to-dos (item 2, built earlier)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pledges.models import Pledge, PledgePublication
from tests.factories import CampaignFactory, PledgeFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_find_the_published_pledge_pages(client, branch):
    today = timezone.localdate()
    open_campaign = CampaignFactory(branch=branch, name="正在公示的活动", end=None)
    PledgePublication.objects.create(
        campaign=open_campaign, start=today - datetime.timedelta(days=1)
    )
    closed = CampaignFactory(branch=branch, name="已结束公示的活动", end=None)
    PledgePublication.objects.create(
        campaign=closed,
        start=today - datetime.timedelta(days=30),
        end=today - datetime.timedelta(days=2),
    )
    html = client.get(reverse("home")).content.decode()
    assert reverse("pledges:public-page", args=[branch.pk, open_campaign.pk]) in html
    assert reverse("pledges:public-screen", args=[branch.pk, open_campaign.pk]) in html
    assert "正在公示的活动" in html and "已结束公示的活动" not in html


def test_without_a_publication_the_home_page_says_so(client):
    assert "目前没有正在公示的承诺" in client.get(reverse("home")).content.decode()


def test_a_members_home_page_starts_with_a_pledge_waiting_to_be_signed(client, member, branch):
    PledgeFactory(
        campaign=CampaignFactory(branch=branch, end=None),
        person=member.person,
        status=Pledge.Status.APPROVED,
    )
    client.force_login(member)
    html = client.get(reverse("home")).content.decode()
    assert "签署" in html
    assert html.index("签署") < html.index("我的角色")
