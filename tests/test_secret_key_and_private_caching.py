"""A server does not start on the development key with DEBUG off; pages and exports with
personal data are never stored by a cache (issue 12, item 20)."""

import os

import pytest
from django.urls import reverse

from tests.test_security_settings import run_python


def start_server(**env):
    environment = {"DEBUG": "0", **env}
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    os.environ.clear()
    os.environ.update(base)
    try:
        return run_python("import branch_portal.wsgi, branch_portal.asgi", **environment)
    finally:
        os.environ.clear()
        os.environ.update(base)


@pytest.fixture
def restore_environ():
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def test_with_debug_off_and_no_secret_key_the_server_refuses_to_start(restore_environ):
    result = start_server()
    assert result.returncode != 0
    assert "SECRET_KEY 未设置" in result.stderr


def test_with_a_secret_key_or_debug_on_it_starts(restore_environ):
    assert start_server(SECRET_KEY="k" * 60).returncode == 0
    assert start_server(DEBUG="1").returncode == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["members:person-list", "members:person-export", "activities:activity-export"]
)
def test_pages_and_exports_for_signed_in_users_are_private_and_not_stored(
    client, secretary, url_name
):
    client.force_login(secretary)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_the_person_page_is_not_stored(client, secretary, member):
    client.force_login(secretary)
    response = client.get(reverse("members:person-detail", args=[member.person.pk]))
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_a_public_page_for_an_anonymous_visitor_keeps_its_own_caching(client, branch):
    response = client.get(reverse("pledges:public-index", args=[branch.pk]))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
