"""A favicon on every page; HTML compressed only where BREACH cannot reach a secret
(issue 12, item 9: the favicon and compression parts)."""

import datetime

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from pledges.models import PledgePublication
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_every_page_links_a_favicon_that_exists(client, secretary):
    assert finders.find("favicon.svg")
    for url in (reverse("home"), reverse("login")):
        assert 'rel="icon"' in client.get(url).content.decode()
    client.force_login(secretary)
    assert 'rel="icon"' in client.get(reverse("members:person-list")).content.decode()


def test_a_public_page_is_compressed(client, branch):
    campaign = CampaignFactory(branch=branch, end=None)
    PledgePublication.objects.create(
        campaign=campaign, start=timezone.localdate() - datetime.timedelta(days=1)
    )
    url = reverse("pledges:public-screen", args=[branch.pk, campaign.pk])
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"


def test_pages_with_a_csrf_token_or_personal_data_are_not_compressed(client, secretary, branch):
    campaign = CampaignFactory(branch=branch, end=None)
    PledgePublication.objects.create(
        campaign=campaign, start=timezone.localdate() - datetime.timedelta(days=1)
    )
    public_page = client.get(
        reverse("pledges:public-page", args=[branch.pk, campaign.pk]), HTTP_ACCEPT_ENCODING="gzip"
    )  # the comment box carries a CSRF token
    assert b"csrfmiddlewaretoken" in public_page.content
    assert not public_page.has_header("Content-Encoding")
    assert not client.get(reverse("login"), HTTP_ACCEPT_ENCODING="gzip").has_header(
        "Content-Encoding"
    )
    client.force_login(secretary)
    roster = client.get(reverse("members:person-list"), HTTP_ACCEPT_ENCODING="gzip")
    assert roster.status_code == 200 and not roster.has_header("Content-Encoding")
