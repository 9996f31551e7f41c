"""The navigation's links (``{% nav_url %}``): reversed once, yet what ``{% url %}`` gives,
under the script prefix of the request."""

from unittest.mock import patch

import pytest
from django.core.cache import caches
from django.template import Context, Template
from django.urls import clear_script_prefix, reverse, set_script_prefix

from members.templatetags.navigation import nav_url

NAMES = ["home", "activities:activity-list", "pledges:pledge-list", "dues:ledger", "logout"]


@pytest.mark.parametrize("name", NAMES)
def test_a_navigation_link_is_what_reverse_gives(name):
    assert nav_url(name) == reverse(name)
    assert nav_url(name) == reverse(name)  # and again, from the cache


def test_a_navigation_link_follows_the_script_prefix():
    plain = nav_url("members:person-list")
    set_script_prefix("/portal/")
    try:
        assert nav_url("members:person-list") == "/portal" + plain
        assert nav_url("members:person-list") == reverse("members:person-list")
    finally:
        clear_script_prefix()
    assert nav_url("members:person-list") == plain


def test_the_tag_writes_the_same_link_as_the_url_tag():
    context = Context({})
    ours = Template("{% load navigation %}{% nav_url 'honors:honor-list' %}").render(context)
    django = Template("{% url 'honors:honor-list' %}").render(context)
    assert ours == django == reverse("honors:honor-list")


@pytest.mark.django_db
def test_every_page_shows_the_navigation_links_of_its_roles(client, secretary):
    client.force_login(secretary)
    page = client.get(reverse("pledges:pledge-list")).content.decode()
    for name in ["activities:dashboard", "members:person-list", "honors:honor-list", "dues:ledger"]:
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("admin:index")}"' not in page  # superusers only


@pytest.mark.django_db
@pytest.mark.parametrize("seconds, looked_up", [(0, False), (600, True)])
def test_the_navigation_is_looked_up_in_the_cache_only_while_it_is_on(
    client, secretary, settings, seconds, looked_up
):
    settings.PAGE_CACHE_SECONDS = seconds
    backend = type(caches["default"])
    keys = []
    real_get = backend.get

    def get(self, key, *args, **kwargs):
        keys.append(key)
        return real_get(self, key, *args, **kwargs)

    client.force_login(secretary)
    with patch.object(backend, "get", get):
        page = client.get(reverse("honors:honor-list")).content.decode()
    assert f'href="{reverse("honors:honor-list")}"' in page
    assert any("navbar-links" in key for key in keys) == looked_up
