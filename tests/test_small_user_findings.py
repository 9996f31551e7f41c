"""Smaller things a user noticed (issue 12, item 6): an unchanged progress report is not stored
again; a long title does not squeeze the activity list; an expired session says what was lost."""

import pytest
from django.test import Client
from django.urls import reverse

from pledges.models import PledgeItemUpdate
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    CarrierFactory,
    PledgeItemFactory,
    SignedPledgeFactory,
)
from tests.test_browser_pledges import (  # noqa: F401  (fixtures)
    _async_unsafe_allowed,
    browser,
    log_in,
)


@pytest.mark.django_db
def test_saving_an_unchanged_progress_report_three_times_stores_it_once(client, member, branch):
    pledge = SignedPledgeFactory(
        campaign=CampaignFactory(branch=branch, end=None), person=member.person
    )
    item = PledgeItemFactory(pledge=pledge)
    client.force_login(member)
    url = reverse("pledges:item-progress", args=[item.pk])
    client.post(url, {"text": "已完成第一阶段。"})
    for _ in range(2):
        response = client.post(url, {"text": "已完成第一阶段。"})
        assert response.status_code == 200
        assert "与上次报告相同" in response.content.decode()
    assert PledgeItemUpdate.objects.filter(item=item).count() == 1
    client.post(url, {"text": "已完成第二阶段。"})
    assert PledgeItemUpdate.objects.filter(item=item).count() == 2


@pytest.mark.django_db
def test_a_post_after_the_session_expired_says_the_input_was_not_saved(branch):
    client = Client()  # the session is gone: no login
    response = client.post(
        reverse("activities:activity-create"), {"title": "写了很久的记录"}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "登录已超时，刚才提交的内容没有保存" in html


@pytest.mark.django_db
def test_a_stale_csrf_token_gets_a_chinese_page_that_says_what_happened(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("password_change"), {"old_password": "x"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_a_200_character_title_does_not_squeeze_the_activity_list(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    secretary,
    branch,
):
    carrier = CarrierFactory(campaign=CampaignFactory(branch=branch), name="志愿服务行动")
    ActivityFactory(branch=branch, carrier=carrier, title="很长的标题" * 40)
    ActivityFactory(branch=branch, carrier=carrier, title="短标题")
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server, secretary.username, reverse("activities:activity-list"))
    rows = page.locator("#activity-table tbody tr")
    assert rows.count() == 2
    for index in range(2):
        carrier_cell = rows.nth(index).locator("td").nth(3)
        assert carrier_cell.bounding_box()["height"] < 80  # one line of text plus padding
        title = rows.nth(index).locator("td").nth(2).locator("a")
        assert title.bounding_box()["height"] < 60  # at most two lines
    context.close()


# Item 10 ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_login_form_says_how_many_tries_are_left(client, member, settings):
    response = client.post(reverse("login"), {"username": member.username, "password": "wrong-1"})
    assert f"再输错 {settings.AXES_FAILURE_LIMIT - 1} 次" in response.content.decode()
    response = client.post(reverse("login"), {"username": member.username, "password": "wrong-2"})
    assert f"再输错 {settings.AXES_FAILURE_LIMIT - 2} 次" in response.content.decode()


@pytest.mark.django_db
def test_a_member_is_not_shown_the_content_hash_but_the_secretary_is(
    client, member, secretary, branch
):
    pledge = SignedPledgeFactory(
        campaign=CampaignFactory(branch=branch, end=None), person=member.person
    )
    url = reverse("pledges:pledge-detail", args=[pledge.pk])
    client.force_login(member)
    assert "SHA-256" not in client.get(url).content.decode()
    client.force_login(secretary)
    assert "SHA-256" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_signed_version_stays_in_force_while_its_successor_is_a_draft(client, member, branch):
    from pledges import services

    pledge = SignedPledgeFactory(
        campaign=CampaignFactory(branch=branch, end=None), person=member.person
    )
    services.pledge_new_version(pledge=pledge, by=member)
    client.force_login(member)
    html = client.get(reverse("pledges:pledge-detail", args=[pledge.pk])).content.decode()
    assert "已被新版本替代" not in html and "目前有效的第1版" in html


@pytest.mark.django_db
def test_the_photo_delete_page_shows_the_photo_not_its_stored_path(client, secretary, branch):
    from tests.factories import ActivityPhotoFactory

    photo = ActivityPhotoFactory(activity=ActivityFactory(branch=branch), caption="")
    client.force_login(secretary)
    html = client.get(reverse("activities:photo-delete", args=[photo.pk])).content.decode()
    assert photo.image.name not in html
    assert reverse("activities:photo-file", args=[photo.pk, "image"]) in html or "<img" in html


@pytest.mark.django_db
def test_a_non_member_cannot_lead_a_party_group(client, secretary, branch):
    from tests.factories import PersonFactory

    masses = PersonFactory(branch=branch, name="群众乙")
    client.force_login(secretary)
    response = client.post(
        reverse("members:party-group-create"), {"name": "新党小组", "leader": masses.pk}
    )
    assert response.status_code == 200
    assert "leader" in response.context["form"].errors


def test_the_demo_narrative_reads_correctly():
    from demo import narratives

    text = repr(vars(narratives))
    assert "进一步了" not in text and "进一步增强了" in text


def test_printing_a_list_hides_navigation_filters_and_buttons():
    from pathlib import Path

    css = (Path(__file__).resolve().parent.parent / "static" / "css" / "portal.css").read_text()
    block = css[css.index("@media print") :]
    for selector in (".portal-navbar", 'form[method="get"]', ".btn", ".pagination"):
        assert selector in block
