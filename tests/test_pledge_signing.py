"""Signing a pledge: the password and the name are checked, and a pledge is signed exactly once."""

import datetime
import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import Attempt
from pledges import services, throttle
from pledges.models import Pledge
from tests.factories import (
    PASSWORD,
    CampaignFactory,
    MemberFactory,
    PledgeFactory,
    PledgeItemFactory,
    PledgePointFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def approved_pledge(person):
    pledge = PledgeFactory(
        campaign=CampaignFactory(branch=person.branch, end=None),
        person=person,
        status=Pledge.Status.APPROVED,
    )
    PledgePointFactory(pledge=pledge, point="study", text="认真学习")
    PledgeItemFactory(pledge=pledge, title="读两本书")
    return pledge


def unsigned(pledge):
    pledge.refresh_from_db()
    return (
        pledge.status == Pledge.Status.APPROVED
        and pledge.signed_at is None
        and pledge.signed_by is None
        and pledge.signature_name == ""
        and pledge.signed_hash == ""
    )


def sign(client, pledge, *, name, password, confirm=True):
    data = {"signature_name": name, "password": password}
    if confirm:
        data["confirm"] = "on"
    return client.post(reverse("pledges:pledge-sign", args=[pledge.pk]), data)


@pytest.mark.django_db
def test_signing_with_a_wrong_password_fails_and_changes_nothing(client, member):
    pledge = approved_pledge(member.person)
    history_before = pledge.history.count()
    client.force_login(member)
    response = sign(client, pledge, name="党员甲", password="not-my-password")
    assert response.status_code == 200
    assert "密码不正确" in response.content.decode()
    assert unsigned(pledge)
    assert pledge.history.count() == history_before


@pytest.mark.django_db
def test_the_signature_must_be_the_members_own_name(client, member):
    pledge = approved_pledge(member.person)
    client.force_login(member)
    response = sign(client, pledge, name="党员乙", password=PASSWORD)
    assert "签名须与您登记的姓名“党员甲”一致" in response.content.decode()
    response = sign(client, pledge, name="党员甲", password=PASSWORD, confirm=False)
    assert "请确认已阅读承诺内容" in response.content.decode()
    assert unsigned(pledge)
    with pytest.raises(services.PledgeStateError):
        services.pledge_sign(pledge=pledge, by=member, signature_name="党员乙")
    assert unsigned(pledge)


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_signing_for_a_while(client, member):
    pledge = approved_pledge(member.person)
    client.force_login(member)
    for _ in range(throttle.SIGN_FAILURE_LIMIT):
        sign(client, pledge, name="党员甲", password="guess")
    response = sign(client, pledge, name="党员甲", password=PASSWORD)
    assert "密码错误次数过多" in response.content.decode()
    assert unsigned(pledge)
    Attempt.objects.update(at=timezone.now() - datetime.timedelta(hours=1))  # the window passed
    sign(client, pledge, name="党员甲", password=PASSWORD)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SIGNED


@pytest.mark.django_db
def test_only_an_approved_pledge_can_be_signed(client, member):
    pledge = approved_pledge(member.person)
    Pledge.objects.filter(pk=pledge.pk).update(status=Pledge.Status.SUBMITTED)
    client.force_login(member)
    response = sign(client, pledge, name="党员甲", password=PASSWORD)
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED and pledge.signed_at is None


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sign_requests_record_one_signature(monkeypatch):
    """On PostgreSQL the two requests really overlap; on SQLite (which has no row locks and one
    writer at a time) they run one after the other. The end state must be the same."""
    user = UserFactory()
    person = MemberFactory(name="党员丙", user=user)
    from members.models import RoleAssignment

    RoleAssignment.objects.create(user=user, role="member", branch=person.branch)
    pledge = approved_pledge(person)

    # Hold the row lock a little while the signature is computed, so the requests overlap.
    original = Pledge.text_hash

    def slow_hash(self):
        time.sleep(0.3)
        return original(self)

    monkeypatch.setattr(Pledge, "text_hash", slow_hash)

    clients = [Client(), Client()]
    for c in clients:
        c.force_login(user)
    results = []

    def post(c, barrier=None):
        try:
            if barrier is not None:
                barrier.wait(timeout=10)
            response = sign(c, pledge, name="党员丙", password=PASSWORD)
            results.append(response.status_code)
        finally:
            if barrier is not None:
                connection.close()

    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=post, args=(c, barrier)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    else:
        for c in clients:
            post(c)

    assert results == [302, 302]
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SIGNED
    assert pledge.signed_by == user
    assert pledge.signed_hash == original(pledge)
    signatures = pledge.history.filter(status=Pledge.Status.SIGNED)
    assert signatures.count() == 1
    assert signatures.get().signed_at == pledge.signed_at
