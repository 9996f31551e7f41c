"""The committee lands on 各支部情况; the navigation is grouped and stays on one line at 1 366 px;
the committee table is usable on a phone (issue 12, item 8)."""

import pytest
from django.urls import reverse

from tests.factories import BranchFactory, CampaignFactory
from tests.test_browser_pledges import (  # noqa: F401  (fixtures)
    _async_unsafe_allowed,
    browser,
    log_in,
)


@pytest.mark.django_db
def test_the_committee_account_lands_on_the_table_of_its_branches(client, committee_user):
    client.force_login(committee_user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("committees:branch-overview")


@pytest.mark.django_db
def test_the_secretary_still_lands_on_the_dashboard(client, secretary):
    client.force_login(secretary)
    assert client.get(reverse("home"))["Location"] == reverse("activities:dashboard")


def nav_row_count(page) -> int:
    """How many rows the top-level navigation items take."""
    return page.evaluate(
        """() => new Set([...document.querySelectorAll('#portal-nav > ul > li, #portal-nav > ul > div > li')]
            .map(li => Math.round(li.getBoundingClientRect().top))).size"""
    )


@pytest.mark.parametrize("persona", ["secretary", "committee_user"])
def test_the_navigation_stays_on_one_line_at_1366_px(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    request,
    persona,
):
    user = request.getfixturevalue(persona)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server, user.username, reverse("activities:dashboard"))
    assert nav_row_count(page) == 1
    for link in page.locator("#portal-nav .nav-link").all():
        box = link.bounding_box()
        assert box is None or box["height"] < 48, link.inner_text()  # no label broken in two
    context.close()


def test_a_long_account_name_does_not_push_the_navigation_onto_a_second_line(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    secretary,
):
    secretary.first_name = "诸葛" * 12  # a name as long as any; the full name stays readable
    secretary.save()
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server, secretary.username, reverse("activities:dashboard"))
    assert nav_row_count(page) == 1
    account = page.locator("#account-menu")
    assert account.get_attribute("title") == secretary.get_full_name()
    assert "诸葛" * 12 in account.inner_text()  # clipped on screen, whole for a screen reader
    context.close()


def test_the_committee_table_keeps_branch_names_readable_on_a_phone(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    committee_user,
    branch,
):
    BranchFactory(committee=branch.committee, short_name="田林第二中学党支部")
    CampaignFactory(branch=branch)
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server, committee_user.username, reverse("committees:branch-overview"))
    cell = page.locator("table.branch-overview-table tbody th", has_text="田林第二中学党支部")
    box = cell.bounding_box()
    assert box is not None and box["height"] < 40  # one line, not a character a line
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
