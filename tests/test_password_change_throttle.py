"""Changing the password: wrong old passwords are limited like logins (issue 12, item 16)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from members.forms import PASSWORD_CHANGE_LIMIT
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "a-new-long-passphrase-2026"


def change(client, old):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": NEW, "new_password2": NEW},
    )


def test_twenty_wrong_old_passwords_lock_the_change_even_for_the_right_one(client, member):
    client.force_login(member)
    for _ in range(20):
        cache.clear()  # any worker
        assert change(client, "guess-guess-guess").status_code == 200
    response = change(client, PASSWORD)
    assert response.status_code == 200
    assert "原密码输错次数过多" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD) and not member.check_password(NEW)


def test_a_few_wrong_old_passwords_then_the_right_one_changes_it(client, member):
    client.force_login(member)
    for _ in range(PASSWORD_CHANGE_LIMIT - 1):
        change(client, "guess-guess-guess")
    assert change(client, PASSWORD).status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW)
