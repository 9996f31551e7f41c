"""Limits hold across worker processes and read the client's address as django-axes does
(issue 12, item 12).

Each worker has its own memory cache; clearing the cache between requests stands for the next
request landing on another worker. The counts live in the database, so they survive it.
"""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse

from pledges import throttle
from pledges.models import Pledge, PledgeObjection
from tests.factories import PASSWORD, CampaignFactory
from tests.test_pledge_public import objection, published, signed_pledge_of
from tests.test_pledge_signing import approved_pledge, sign

pytestmark = pytest.mark.django_db


def test_thirty_wrong_signing_passwords_on_many_workers_check_only_five(
    client, member, monkeypatch
):
    pledge = approved_pledge(member.person)
    client.force_login(member)
    checked = []
    check_password = User.check_password
    monkeypatch.setattr(
        User, "check_password", lambda self, raw: checked.append(raw) or check_password(self, raw)
    )
    for _ in range(30):
        cache.clear()  # the next request goes to another worker
        sign(client, pledge, name="党员甲", password="guess")
    assert len(checked) == throttle.SIGN_FAILURE_LIMIT
    for _ in range(3):  # the right password stays refused, on every worker, while locked
        cache.clear()
        response = sign(client, pledge, name="党员甲", password=PASSWORD)
        assert "密码错误次数过多" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.APPROVED


def test_fifteen_comments_from_one_address_on_many_workers_accept_only_three(
    client, member, branch
):
    campaign = CampaignFactory(branch=member.person.branch, end=None)
    signed_pledge_of(member.person, campaign)
    published(campaign)
    accepted = 0
    for i in range(15):
        cache.clear()
        accepted += objection(client, campaign, f"意见{i}").status_code == 302
    assert accepted == throttle.OBJECTION_LIMIT
    assert PledgeObjection.objects.count() == throttle.OBJECTION_LIMIT


def test_behind_the_proxy_each_visitor_has_their_own_comment_limit(client, member, settings):
    settings.PROXY_COUNT = 1
    campaign = CampaignFactory(branch=member.person.branch, end=None)
    signed_pledge_of(member.person, campaign)
    published(campaign)
    url = reverse("pledges:public-objection", args=[campaign.branch_id, campaign.pk])

    def comment(visitor, text):
        return client.post(
            url, {"text": text}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=visitor
        )

    for i in range(throttle.OBJECTION_LIMIT):
        assert comment("203.0.113.7", f"甲的意见{i}").status_code == 302
    assert comment("203.0.113.7", "甲的第四条").status_code == 429
    # nginx's own address is the same for both, but the second visitor is not blocked
    assert comment("198.51.100.9", "乙的意见").status_code == 302
    # nor can the first one get round the limit by sending an address of their own
    assert comment("10.9.9.9, 203.0.113.7", "甲伪造的地址").status_code == 429


def test_login_throttling_reads_the_same_client_address(rf, settings):
    from axes.helpers import get_client_ip_address

    from members.throttle import client_address

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert get_client_ip_address(request) == client_address(request) == "127.0.0.1"
    settings.PROXY_COUNT = 1
    assert get_client_ip_address(request) == client_address(request) == "203.0.113.7"
