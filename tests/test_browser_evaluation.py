"""The 民主测评 ballot and the year in review on a phone (Playwright, /usr/bin/chromium).

The browser fixtures are those of ``test_browser_pledges``: without a browser the tests skip
with the reason, unless REQUIRE_BROWSER=1.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.models import BallotMark, VoterRecord
from members.models import RoleAssignment
from tests import test_browser_pledges
from tests.factories import BranchFactory, MemberFactory, UserFactory
from tests.test_browser_pledges import (
    _async_unsafe_allowed,  # noqa: F401 (a fixture)
    log_in,
    screenshot,
)

# The module-scoped browser of the pledges' tests, under a name of this module's own.
chromium = test_browser_pledges.browser


@pytest.fixture
def voting_round(transactional_db):
    branch = BranchFactory(short_name="田林二中党支部")
    user = UserFactory()
    person = MemberFactory(branch=branch, name="陈晓燕", user=user)
    RoleAssignment.objects.create(user=user, role="member", branch=branch)
    for name in ("王卫珍", "曾蓓蓓", "徐静雯", "李明华", "张建国"):
        MemberFactory(branch=branch, name=name)
    today = timezone.localdate()
    evaluation_round = services.round_open(
        branch=branch,
        year=today.year,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=10),
    )
    return evaluation_round, user, person


def phone(browser):
    return browser.new_context(
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )


def test_a_member_votes_on_a_phone(chromium, live_server, voting_round):
    evaluation_round, user, person = voting_round
    context = phone(chromium)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    url = reverse("evaluation:ballot", args=[evaluation_round.pk])
    log_in(page, live_server, user.username, url)
    assert page.url.endswith(url)
    for index, fieldset in enumerate(page.locator("fieldset").all()):
        fieldset.get_by_label("合格" if index else "优秀", exact=True).check()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "evaluation-ballot-phone.png")
    page.get_by_role("button", name="提交测评票").click()
    page.wait_for_url(f"**{reverse('evaluation:mine')}")
    assert page.get_by_text("已投票").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not errors
    context.close()
    assert VoterRecord.objects.filter(person=person).exists()
    assert BallotMark.objects.filter(round=evaluation_round).count() == 5
    assert BallotMark.objects.filter(grade="excellent").count() == 1


def test_the_year_in_review_fits_a_phone(chromium, live_server, voting_round):
    evaluation_round, user, person = voting_round
    context = phone(chromium)
    page = context.new_page()
    url = reverse("members:person-year-review", args=[person.pk])
    log_in(page, live_server, user.username, url)
    assert page.locator("#year-review h1").inner_text().endswith("年度党员纪实")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
