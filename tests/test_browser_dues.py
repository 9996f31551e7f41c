"""The dues pages on a phone-sized screen (375 px): the ledger's table scrolls inside its box,
the page itself never wider than the screen. Chromium via Playwright, as the pledges' tests."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dues.models import Category
from dues.services import BaseEntry, base_year_set
from members.models import RoleAssignment
from tests.factories import MemberFactory, UserFactory
from tests.test_browser_pledges import _async_unsafe_allowed, browser, log_in  # noqa: F401


@pytest.fixture
def secretary_with_dues(transactional_db, branch):
    user = UserFactory()
    person = MemberFactory(branch=branch, name="书记甲", user=user)
    RoleAssignment.objects.create(user=user, role="secretary", branch=branch)
    people = [person] + [MemberFactory(branch=branch, name=f"党员{n:02d}") for n in range(12)]
    base_year_set(
        branch=branch,
        year=timezone.localdate().year,
        entries=[
            BaseEntry(person=p, category=Category.SALARIED, income=Decimal("5600.50"))
            for p in people
        ],
    )
    return user


@pytest.mark.parametrize("name", ["dues:ledger", "dues:record-month", "dues:mine"])
def test_dues_pages_fit_a_phone_screen(browser, live_server, secretary_with_dues, name):  # noqa: F811
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        log_in(page, live_server, secretary_with_dues.username, reverse(name))
        assert page.url.endswith(reverse(name)), page.url
        assert page.locator("table").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        page.close()
