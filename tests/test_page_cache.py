"""Whole pages served again to the same account (``members.pagecache``): never after a change,
never to another account, with valid CSRF tokens, private, and not while a message waits."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import pagecache
from members.models import Branch, RoleAssignment
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    MeetingFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROSTER = reverse("members:person-list")
ACTIVITIES = reverse("activities:activity-list")
DASHBOARD = reverse("activities:dashboard")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


SERVED_WHOLE = sorted(pagecache.PAGES - {"reports:report-download"})  # downloads: below
COMMITTEE_PAGES = {"obligations:heatmap", "committees:branch-overview"}


@pytest.mark.parametrize("name", SERVED_WHOLE)
def test_a_repeated_page_costs_the_session_and_the_account_only_until_a_change(
    client, secretary, committee_user, branch, name
):
    client.force_login(committee_user if name in COMMITTEE_PAGES else secretary)
    url = reverse(name)
    first, _ = _queries(client, url)
    again, count = _queries(client, url)
    assert count == 2  # the session, the account (with the branches' newest version)
    assert again.content.replace(b"\n", b"") != b""
    assert TOKEN.sub("", again.content.decode()) == TOKEN.sub("", first.content.decode())
    MeetingFactory(branch=branch)
    _response, rebuilt = _queries(client, url)
    assert rebuilt > 2


def test_a_change_in_any_branch_is_shown_on_the_next_request(client, secretary, branch):
    client.force_login(secretary)
    client.get(ROSTER)
    client.get(ROSTER)
    PersonFactory(branch=branch, name="新来的老师")
    response, count = _queries(client, ROSTER)
    assert "新来的老师" in response.content.decode()
    assert count > 2


def test_a_page_stored_for_one_account_is_never_served_to_another(
    client, secretary, branch, other_branch
):
    ActivityFactory(branch=branch, title="本支部的活动")
    client.force_login(secretary)
    assert "本支部的活动" in client.get(ACTIVITIES).content.decode()
    outsider = UserFactory()
    RoleAssignment.objects.create(user=outsider, role="secretary", branch=other_branch)
    other = Client()
    other.force_login(outsider)
    page = other.get(ACTIVITIES).content.decode()
    assert "本支部的活动" not in page
    assert f"?branch={branch.pk}" not in page
    # asking for the first branch by its number does not reach the stored page either
    assert other.get(f"{ACTIVITIES}?branch={branch.pk}").content.decode().count("本支部的活动") == 0


def test_rights_taken_away_apply_on_the_next_request(client, branch):
    committee_user = UserFactory()
    role = RoleAssignment.objects.create(
        user=committee_user, role="committee", committee=branch.committee
    )
    client.force_login(committee_user)
    url = f"{DASHBOARD}?branch={branch.pk}"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    before = Branch.objects.get(pk=branch.pk).data_version
    role.delete()
    assert Branch.objects.get(pk=branch.pk).data_version > before
    assert client.get(url).status_code == 403


def test_the_served_page_is_private_and_its_csrf_token_works(secretary):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary)
    client.get(ROSTER)
    served, count = _queries(client, ROSTER)
    assert count == 2
    assert served["Cache-Control"] == "private, no-store"
    assert "Content-Security-Policy" in served and served["X-Frame-Options"] == "DENY"
    token = TOKEN.search(served.content.decode())[1]
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # logged out, not refused for a stale token
    assert client.get(ROSTER).status_code == 302  # to the login page, not the stored page


def test_a_waiting_message_is_shown_once_and_the_page_is_not_stored(client, secretary, rf):
    client.force_login(secretary)
    client.get(ROSTER)
    client.get(ROSTER)
    storage = CookieStorage(rf.get("/"))  # what a view's messages.success(...) leaves
    storage.add(messages.SUCCESS, "已保存。")
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    assert "已保存。" in client.get(ROSTER).content.decode()
    assert "已保存。" not in client.get(ROSTER).content.decode()


def test_the_cache_off_serves_every_request_from_the_view(client, secretary, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(secretary)
    client.get(ROSTER)
    _response_, count = _queries(client, ROSTER)
    assert count > 2


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_a_repeated_report_download_is_served_whole(client, secretary, branch, fmt):
    CampaignFactory(branch=branch)
    client.force_login(secretary)
    url = reverse("reports:report-download", args=[branch.pk, "summary", fmt])
    first, _ = _queries(client, url)
    again, count = _queries(client, url)
    assert count == 2
    assert again.content == first.content
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Cache-Control"] == "private, no-store"


def test_a_change_through_a_server_whose_clock_is_behind_is_shown_too(
    client, secretary, branch, other_branch
):
    """A data version is a time read by the app server. Another server whose clock runs ahead
    has put the other branch's version past this server's now: a change of this branch must
    still reach the next request (the key sums the versions; a maximum would not move)."""
    Branch.objects.filter(pk=other_branch.pk).update(data_version=2**62)
    client.force_login(secretary)
    client.get(ROSTER)
    client.get(ROSTER)
    PersonFactory(branch=branch, name="时钟落后时来的老师")
    assert Branch.objects.get(pk=branch.pk).data_version < 2**62
    assert "时钟落后时来的老师" in client.get(ROSTER).content.decode()


# With a shared cache (Redis): copies kept in the process ----------------------------------------


def test_local_copies_keep_the_last_pages_and_none_past_its_expiry(monkeypatch):
    from members import pagecache

    copies = pagecache.LocalCopies(2)
    now = 1_000_000.0
    monkeypatch.setattr(pagecache.time, "time", lambda: now)
    copies.set("a", (b"A", [], now + 60))
    copies.set("b", (b"B", [], now + 60))
    assert copies.get("a")[0] == b"A"  # "a" is now the most recently served
    copies.set("c", (b"C", [], now + 5))
    assert copies.get("b") is None and len(copies) == 2  # the least recently served went
    assert copies.get("c")[0] == b"C"
    now += 5
    assert copies.get("c") is None  # its shared entry has expired: so has the copy
    assert copies.get("a")[0] == b"A"


@pytest.fixture
def shared_cache(monkeypatch):
    """The middleware as it is set up with Redis: the page cache with copies in the process.
    (The tests' cache is the process's memory; the shared entry is read through it.)"""
    from members import pagecache

    monkeypatch.setattr(pagecache, "shared_cache", lambda: True)
    reads = []
    real_get = pagecache.cache.get

    def counting_get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(pagecache.cache, "get", counting_get)
    return reads


def test_with_a_shared_cache_a_repeated_page_is_served_from_the_process(
    client, secretary, branch, shared_cache
):
    client.force_login(secretary)
    first, _ = _queries(client, ROSTER)
    shared_cache.clear()
    again, count = _queries(client, ROSTER)
    assert [key for key in shared_cache if key.startswith("page:")] == []  # not asked for
    assert count == 2
    assert TOKEN.sub("", again.content.decode()) == TOKEN.sub("", first.content.decode())
    assert TOKEN.search(again.content.decode()).group(1) != TOKEN.search(first.content.decode())

    PersonFactory(branch=branch, name="新来的老师")  # a change: the page is built again
    assert "新来的老师" in client.get(ROSTER).content.decode()


def test_with_a_shared_cache_a_page_another_process_stored_is_used(client, secretary, shared_cache):
    other_process = Client()  # its own middleware, and so its own copies
    other_process.force_login(secretary)
    other_process.get(reverse("password_change_done"))  # its session renewed once, as on login
    client.force_login(secretary)
    first = client.get(ROSTER)
    with CaptureQueriesContext(connection) as queries:
        again = other_process.get(ROSTER)
    assert len(queries) == 2, [q["sql"][:150] for q in queries]  # the session and the account
    assert TOKEN.sub("", again.content.decode()) == TOKEN.sub("", first.content.decode())
