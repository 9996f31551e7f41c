"""Phones and birth dates of the demo branch never reach public pages, staff exports or error reports."""

import io
import sys
import zipfile
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.debug import ExceptionReporter

from members.models import Branch, Campaign, Person

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for this module and rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=io.StringIO())
        branch = Branch.objects.get(name="中共上海市田林第二中学支部委员会")
        people = list(Person.objects.filter(branch=branch))
        yield SimpleNamespace(
            branch=branch,
            campaign=Campaign.objects.get(branch=branch, name="创先争优活动"),
            phones={p.phone for p in people if p.phone},
            births={p.birth_date for p in people if p.birth_date},
        )
        transaction.set_rollback(True)


def others_of(demo, user):
    """The personal data ``user`` must not see: everyone's but their own."""
    own = Person.objects.filter(user=user).first()
    if own is None:
        return demo
    return SimpleNamespace(phones=demo.phones - {own.phone}, births=demo.births - {own.birth_date})


def date_texts(day):
    return {
        day.isoformat(),
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y/%m/%d}",
        f"{day:%Y.%m.%d}",
    }


def leaks(demo, text: str) -> list[str]:
    found = [phone for phone in demo.phones if phone in text]
    for day in demo.births:
        found += [shown for shown in date_texts(day) if shown in text]
    return found


def xlsx_leaks(demo, content: bytes) -> list[str]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if hasattr(value, "date") and value.date() in demo.births:
                    found.append(f"{sheet.title}: {value}")
                elif value is not None:
                    found += leaks(demo, str(value))
    return found


def zip_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith(".xml")
        )


def public_patterns(resolver=None, prefix=""):
    """(route, url name) of every @public view in the URLconf."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from public_patterns(pattern, prefix + namespace)
        elif isinstance(pattern, URLPattern) and getattr(pattern.callback, "access_public", False):
            yield str(pattern.pattern), prefix + (pattern.name or "")


def test_the_demo_has_phones_and_birth_dates_to_look_for(demo, db):
    assert len(demo.phones) > 20 and len(demo.births) > 20


def test_no_public_page_shows_a_phone_or_birth_date(demo, db, client):
    from obligations import services as obligation_services

    # the calendar feeds: the branch's and a member's (their meetings and pledge items)
    person = demo.branch.people.filter(user__isnull=False, phone__gt="").first()
    feeds = [
        obligation_services.feed_for(branch=demo.branch),
        obligation_services.feed_for(branch=demo.branch, person=person),
    ]
    checked = []
    for route, name in public_patterns():
        if "<str:token>" in route:
            for feed in feeds:
                body = client.get(reverse(name, args=[feed.token])).content.decode()
                assert "BEGIN:VCALENDAR" in body
                assert leaks(demo, body) == [], (name, feed)
            checked.append((name, 200))
            continue
        if "branch_pk" in route and "campaign_pk" in route:
            args = [demo.branch.pk, demo.campaign.pk]
        elif "branch_pk" in route:
            args = [demo.branch.pk]
        elif "<" in route:
            raise AssertionError(f"unknown public route {route}: add it to this test")
        else:
            args = []
        response = client.get(reverse(name, args=args))
        body = b"".join(response) if response.streaming else response.content
        assert leaks(demo, body.decode("utf-8", "replace")) == [], name
        checked.append((name, response.status_code))
    by_name = dict(checked)
    for name in ("pledges:public-index", "pledges:public-page", "pledges:public-screen"):
        assert by_name[name] == 200
    assert by_name["pledges:public-data"] == 200


@pytest.mark.parametrize("who", ["staff", "committee"])
def test_staff_and_committee_see_masked_phones_on_the_roster_and_person_pages(
    demo, db, client, who
):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=who)
    client.force_login(user)
    hidden = others_of(demo, user)
    pages = [reverse("members:person-list") + f"?branch={demo.branch.pk}"]
    people = Person.objects.filter(branch=demo.branch).order_by("pk")
    pages += [reverse("members:person-detail", args=[p.pk]) for p in people[:10]]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert leaks(hidden, response.content.decode()) == [], url


def test_staff_exports_carry_no_phone_or_birth_date(demo, db, client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="staff")
    client.force_login(user)
    hidden = others_of(demo, user)
    query = f"?branch={demo.branch.pk}"
    roster = client.get(reverse("members:person-export") + query)
    activities = client.get(reverse("activities:activity-export") + query)
    assert roster.status_code == activities.status_code == 200
    assert xlsx_leaks(hidden, roster.content) == []
    assert xlsx_leaks(hidden, activities.content) == []
    for kind in ("summary", "table"):
        for fmt in ("xlsx", "docx", "html"):
            url = reverse("reports:report-download", args=[demo.branch.pk, kind, fmt])
            response = client.get(url + "?period=campaign")
            if response.status_code != 200:
                response = client.get(url)
            assert response.status_code == 200, url
            content = b"".join(response) if response.streaming else response.content
            if fmt == "xlsx":
                assert xlsx_leaks(hidden, content) == [], url
            elif fmt == "docx":
                assert leaks(hidden, zip_text(content)) == [], url
            else:
                assert leaks(hidden, content.decode()) == [], url


PHONE = "".join(["139", "0000", "2101"])  # never written whole in this file's source, which
BORN = "-".join(["1975", "05", "01"])  # the report quotes around the failing line
SECRET = "".join(["pass", "word", "-", "x9"])


@override_settings(DEBUG=False)
def test_error_reports_hide_phones_birth_dates_and_passwords(settings):
    request = RequestFactory().post(
        "/members/1/edit/",
        {"name": "李老师", "phone": PHONE, "birth_date": BORN, "password": SECRET},
    )

    def failing_view(phone, birth_date):
        row = {"name": "李老师", "phone": phone, "birth_date": birth_date}  # noqa: F841
        raise ValueError("boom")

    try:
        failing_view(PHONE, BORN)
    except ValueError:
        report = ExceptionReporter(request, *sys.exc_info())
        text = report.get_traceback_text() + report.get_traceback_html()

    assert "boom" in text and "李老师" in text
    assert PHONE not in text
    assert BORN not in text
    assert SECRET not in text
