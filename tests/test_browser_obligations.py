"""The calendar and the heat map on a phone (375 px): nothing sticks out sideways."""

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import RoleAssignment
from tests.factories import BranchFactory, MeetingFactory, MemberFactory, UserFactory
from tests.test_browser_pledges import (  # noqa: F401 (the browser fixtures)
    _async_unsafe_allowed,
    browser,
    log_in,
    screenshot,
)


@pytest.fixture
def accounts(transactional_db):
    branch = BranchFactory(short_name="田林二中党支部")
    for n in range(3):
        BranchFactory(committee=branch.committee, short_name=f"第{n}中学党支部")
    today = timezone.localdate()
    MeetingFactory(branch=branch, kind="theme_day", held_on=today.replace(day=1), topic="主题党日")
    secretary = UserFactory()
    MemberFactory(branch=branch, name="王卫珍", user=secretary)
    RoleAssignment.objects.create(user=secretary, role="secretary", branch=branch)
    committee = UserFactory()
    RoleAssignment.objects.create(user=committee, role="committee", committee=branch.committee)
    return secretary, committee


@pytest.mark.parametrize(
    "who,url,shot",
    [
        (0, "obligations:calendar", "obligations-calendar-phone.png"),
        (1, "obligations:heatmap", "obligations-heatmap-phone.png"),
    ],
)
def test_obligation_pages_fit_a_phone(browser, live_server, accounts, who, url, shot):  # noqa: F811
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, accounts[who].username, reverse(url))
    assert page.url.endswith(reverse(url))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, shot)
    assert not errors
    context.close()
