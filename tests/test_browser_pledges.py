"""Browser tests of the pledges with Playwright driving Debian's Chromium (/usr/bin/chromium).

A member signs on a phone-sized screen; the public page and the electronic screen show the
signed pledge. Screenshots go to docs/screenshots/ with UPDATE_SCREENSHOTS=1 (on a machine with
CJK fonts, e.g. Debian's fonts-noto-cjk), otherwise to a temporary folder, so that a test run
never replaces the committed pictures. When the browser cannot start, the tests
skip with the reason — unless REQUIRE_BROWSER=1, when they fail.
"""

import datetime
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from members.models import RoleAssignment
from pledges import services
from pledges.models import FIVE_LEADS, Pledge, PledgePublication
from tests.factories import (
    PASSWORD,
    CampaignFactory,
    MemberFactory,
    PartyGroupFactory,
    PartyGroupMembershipFactory,
    PledgeFactory,
    PledgeItemFactory,
    PledgePointFactory,
    UserFactory,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = (
    Path(settings.BASE_DIR) / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "branch-portal-screenshots"
)

POINTS = {
    "study": "每月精读一本教育专著，写好读书笔记，参加区级培训不缺课。",
    "excel": "所教班级数学合格率达到95%以上，开一节区级公开课。",
    "serve": "每周两次为学习困难的学生义务辅导，做学生的知心朋友。",
    "law": "严格遵守教师职业道德规范，不从事有偿家教。",
    "uphold": "带头抵制不良风气，敢于批评和自我批评。",
}
ITEMS = [
    ("开一节区级公开课", "课例获区教研室好评", 120),
    ("结对辅导两名学习困难学生", "期末成绩均达合格", 150),
    ("撰写教学反思十篇", "在校刊发表一篇", 200),
]


@pytest.fixture(scope="module")
def _async_unsafe_allowed():
    """Playwright's sync API runs an event loop in this thread, so Django would refuse the ORM
    calls of the tests (and of the database fixtures) while the browser is open; they are still
    synchronous and safe. Allowed for this module only: the variable must not leak into other
    tests (``check --deploy`` rejects it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(_async_unsafe_allowed):
    try:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
    except Exception as error:  # not installed, or no event loop
        _cannot_start(error)
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        _cannot_start(error)
    yield browser
    browser.close()
    playwright.stop()


def _cannot_start(error):
    reason = f"Chromium could not be started with Playwright ({CHROMIUM}): {error}"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(f"{reason}. Set REQUIRE_BROWSER=1 to make this a failure.")


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=name != "pledge-screen.png")


def today():
    return timezone.localdate()


def member_account(branch, name, post="数学教师", group=None):
    user = UserFactory()
    person = MemberFactory(branch=branch, name=name, post=post, user=user)
    RoleAssignment.objects.create(user=user, role="member", branch=branch)
    if group is not None:
        PartyGroupMembershipFactory(group=group, person=person, start=datetime.date(2010, 1, 1))
    return user, person


def written_pledge(campaign, person, status, summary="立足岗位，做学生喜爱的好老师。"):
    pledge = PledgeFactory(campaign=campaign, person=person, status=status, summary=summary)
    for code, _ in FIVE_LEADS:
        PledgePointFactory(pledge=pledge, point=code, text=POINTS[code])
    for order, (title, target, days) in enumerate(ITEMS, start=1):
        PledgeItemFactory(
            pledge=pledge,
            order=order,
            title=title,
            target=target,
            deadline=today() + datetime.timedelta(days=days),
        )
    return pledge


def signed(pledge, user, secretary_user=None):
    Pledge.objects.filter(pk=pledge.pk).update(status=Pledge.Status.APPROVED)
    services.pledge_sign(pledge=pledge, by=user, signature_name=pledge.person.name)
    pledge.refresh_from_db()
    return pledge


def log_in(page, live_server, username, next_url):
    page.goto(f"{live_server.url}{reverse('login')}?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.fixture
def branch_with_campaign(transactional_db):
    campaign = CampaignFactory(
        name="创先争优活动",
        start=datetime.date(2010, 6, 1),
        end=None,
        branch__name="中共上海市田林第二中学支部委员会",
        branch__short_name="田林二中党支部",
    )
    group = PartyGroupFactory(branch=campaign.branch, name="初二党小组")
    return campaign, group


def test_a_member_signs_on_a_phone(browser, live_server, branch_with_campaign):
    campaign, group = branch_with_campaign
    user, person = member_account(campaign.branch, "陈晓燕", group=group)
    pledge = written_pledge(campaign, person, Pledge.Status.APPROVED)
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_url = reverse("pledges:pledge-sign", args=[pledge.pk])
    log_in(page, live_server, user.username, sign_url)

    assert page.url.endswith(sign_url)
    assert page.get_by_text(POINTS["excel"]).is_visible()
    page.fill("input[name=signature_name]", "陈晓燕")
    page.fill("input[name=password]", PASSWORD)
    page.check("input[name=confirm]")
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "pledge-sign-phone.png")

    page.get_by_role("button", name="确认签署").click()
    page.wait_for_url(f"**{reverse('pledges:pledge-detail', args=[pledge.pk])}")
    assert page.locator("#signature .signature-name").inner_text() == "陈晓燕"
    assert page.get_by_text("内容与签署时一致").is_visible()
    assert not errors
    context.close()

    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SIGNED
    assert (pledge.signed_by, pledge.signature_name) == (user, "陈晓燕")
    assert pledge.signed_hash == pledge.text_hash()


def test_the_public_page_and_the_screen_show_the_signed_pledge(
    browser, live_server, branch_with_campaign
):
    from playwright.sync_api import expect

    campaign, group = branch_with_campaign
    first_user, first = member_account(campaign.branch, "陈晓燕", group=group)
    pledge = signed(written_pledge(campaign, first, Pledge.Status.DRAFT), first_user)
    done = pledge.items.get(order=1)
    services.item_update_progress(
        item=done, by=first_user, text="公开课已于区教研活动中开设。", done_on=today()
    )
    services.item_rate(item=done, by=UserFactory(), fulfilment="fulfilled", comment="")  # 支委
    second_user, second = member_account(campaign.branch, "周建国", post="语文教师", group=group)
    signed(
        written_pledge(campaign, second, Pledge.Status.DRAFT, summary="用心教书，用爱育人。"),
        second_user,
    )
    PledgePublication.objects.create(campaign=campaign, start=today() - datetime.timedelta(days=1))
    args = [campaign.branch_id, campaign.pk]

    # The public page, without logging in.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + reverse("pledges:public-page", args=args))
    cards = page.locator(".public-pledge")
    assert cards.count() == 2
    card = page.locator(f"#pledge-{first.pledges.get().pk}")
    assert card.get_by_role("heading", name="陈晓燕").is_visible()
    assert card.get_by_text("初二党小组").is_visible()
    assert page.get_by_text(POINTS["serve"]).first.is_visible()
    assert page.locator("#objection-box").is_visible()
    assert card.get_by_text("公开课已于区教研活动中开设。").is_visible()
    assert card.get_by_text("已兑现").is_visible()
    screenshot(page, "pledge-public.png")
    context.close()

    # The screen: one pledge at a time, rotating, refreshing its data by itself.
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    url = reverse("pledges:public-screen", args=args)
    page.goto(f"{live_server.url}{url}?seconds=5&refresh=10")
    name = page.locator(".screen-name")
    name.wait_for()
    shown_first = name.inner_text()
    assert shown_first in {"陈晓燕", "周建国"}
    assert page.locator("#screen-counter").inner_text() == "1 / 2"
    assert page.locator(".screen-pledge").count() == 1
    assert page.locator("button, a, input, select").count() == 0
    # The pledge fits the 1920×1080 screen.
    assert page.evaluate(
        "(() => { const s = document.getElementById('screen-stage');"
        " return s.scrollHeight <= s.clientHeight + 1; })()"
    )

    shown_next = ({"陈晓燕", "周建国"} - {shown_first}).pop()
    # (Locator assertions, not wait_for_function: the portal's CSP forbids eval in the page.)
    expect(name).to_have_text(shown_next, timeout=8000)
    assert page.locator("#screen-counter").inner_text() == "2 / 2"
    screenshot(page, "pledge-screen.png")
    third_user, third = member_account(campaign.branch, "吴丽娟", post="英语教师")
    signed(written_pledge(campaign, third, Pledge.Status.DRAFT), third_user)
    expect(page.locator("#screen-counter")).to_have_text(re.compile(r"/ 3$"), timeout=20000)
    assert not errors
    context.close()
