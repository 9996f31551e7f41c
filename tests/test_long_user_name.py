"""A user name longer than any account's on the login pages (issue 12, item 14): a form error
next to the field, never a server error."""

import pytest
from django.urls import reverse

from members.forms import LOGIN_NAME_MAX

pytestmark = pytest.mark.django_db

LONG = "张" * 300


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_a_user_name_over_the_limit_is_a_form_error(client, url_name):
    response = client.post(reverse(url_name), {"username": LONG, "password": "whatever-123"})
    assert response.status_code == 200
    assert f"用户名不能超过 {LOGIN_NAME_MAX} 个字符" in response.content.decode()


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_many_long_names_do_not_fill_the_lock_table(client, url_name):
    from axes.models import AccessAttempt

    for _ in range(3):
        client.post(reverse(url_name), {"username": LONG, "password": "whatever-123"})
    assert not AccessAttempt.objects.filter(username__startswith="张张").exists()
