"""Login throttling (django-axes): an account is locked at one address after repeated failures."""

import datetime
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED_TEXT = "登录已暂时锁定"


@pytest.fixture(autouse=True)
def _throttling(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)


def log_in(client, username, password, address="127.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def is_logged_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def fail(client, user, times, address="127.0.0.1"):
    for _ in range(times):
        log_in(client, user.username, "wrong-password", address)


def test_failures_below_the_limit_show_the_login_form_and_the_limit_locks(client):
    user = UserFactory()

    responses = [log_in(client, user.username, "wrong-password") for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 429]
    assert LOCKED_TEXT not in responses[1].content.decode()
    assert LOCKED_TEXT in responses[2].content.decode()
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 3


def test_account_is_locked_after_the_configured_failures_even_with_the_right_password(client):
    user = UserFactory()
    fail(client, user, 3)

    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_TEXT in page
    assert "3 次登录失败" in page
    assert "30 分钟" in page
    assert not is_logged_in(client, user)


def test_two_failures_leave_the_account_open(client):
    user = UserFactory()
    fail(client, user, 2)

    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client, user)


def test_lockout_holds_the_account_at_that_address_only(client):
    user, other_user = UserFactory(), UserFactory()
    fail(client, user, 3, address="10.0.0.1")

    assert log_in(client, other_user.username, PASSWORD, address="10.0.0.1").status_code == 302
    assert is_logged_in(client, other_user)
    client.logout()
    assert log_in(client, user.username, PASSWORD, address="10.0.0.2").status_code == 302
    assert is_logged_in(client, user)
    client.logout()
    assert log_in(client, user.username, PASSWORD, address="10.0.0.1").status_code == 429


def test_lockout_is_released_after_the_cool_off_time(client):
    user = UserFactory()
    fail(client, user, 3)
    assert log_in(client, user.username, PASSWORD).status_code == 429

    later = timezone.now() + datetime.timedelta(minutes=31)
    with mock.patch("axes.handlers.proxy.now", return_value=later):
        response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client, user)


def test_lockout_still_holds_just_before_the_cool_off_ends(client):
    user = UserFactory()
    fail(client, user, 3)

    later = timezone.now() + datetime.timedelta(minutes=29)
    with mock.patch("axes.handlers.proxy.now", return_value=later):
        response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 429
    assert not is_logged_in(client, user)


def test_a_successful_login_resets_the_failure_count(client):
    user = UserFactory()
    fail(client, user, 2)
    assert log_in(client, user.username, PASSWORD).status_code == 302
    client.logout()

    fail(client, user, 2)

    assert log_in(client, user.username, PASSWORD).status_code == 302


def test_client_login_and_force_login_still_work_for_other_tests(client):
    user = UserFactory()

    assert client.login(username=user.username, password=PASSWORD)
    client.logout()
    client.force_login(user)

    assert is_logged_in(client, user)
