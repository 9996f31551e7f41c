"""An error summary at the top of every form: role="alert", a link to each field, the focus on
the first error (issue 12, item 1)."""

import pytest
from django.urls import reverse

from pledges.models import Pledge
from tests.factories import PASSWORD
from tests.test_browser_pledges import (  # noqa: F401  (fixtures)
    _async_unsafe_allowed,
    branch_with_campaign,
    browser,
    log_in,
    member_account,
    written_pledge,
)


@pytest.mark.django_db
def test_a_failed_form_starts_with_a_summary_linking_each_field(client, secretary):
    client.force_login(secretary)
    response = client.post(reverse("honors:honor-create"), {"title": "", "level": "nope"})
    html = response.content.decode()
    top = html.index("data-error-summary")
    assert 'role="alert"' in html[top - 80 : top]
    assert html.index("<main") < top < html.index("<form", html.index("<main"))
    assert 'href="#id_title"' in html and 'href="#id_level"' in html
    assert "提交未成功" in html


@pytest.mark.django_db
def test_errors_of_a_formset_are_in_the_summary_too(client, member, branch):
    from tests.factories import CampaignFactory

    campaign = CampaignFactory(branch=branch, end=None)
    client.force_login(member)
    data = {
        "summary": "",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-title": "",
        "items-0-target": "有目标没有标题",
        "items-0-deadline": "2099-01-01",
        "action": "submit",
    }
    html = client.post(reverse("pledges:pledge-create", args=[campaign.pk]), data).content.decode()
    assert "data-error-summary" in html
    assert 'href="#id_items-0-title"' in html or 'href="#id_items-0-deadline"' in html


@pytest.mark.django_db
def test_login_errors_and_the_sign_page_get_the_summary(client):
    html = client.post(reverse("login"), {"username": "nobody", "password": "x"}).content.decode()
    assert "data-error-summary" in html


def test_on_a_phone_a_wrong_signing_password_puts_the_focus_on_the_error(
    browser,  # noqa: F811
    live_server,
    branch_with_campaign,  # noqa: F811  (the fixtures imported above)
):
    campaign, group = branch_with_campaign
    user, person = member_account(campaign.branch, "陈晓燕", group=group)
    pledge = written_pledge(campaign, person, Pledge.Status.APPROVED)
    context = browser.new_context(viewport={"width": 375, "height": 700}, is_mobile=True)
    page = context.new_page()
    sign_url = reverse("pledges:pledge-sign", args=[pledge.pk])
    log_in(page, live_server, user.username, sign_url)
    page.fill("input[name=signature_name]", "陈晓燕")
    page.fill("input[name=password]", "wrong-" + PASSWORD)
    page.check("input[name=confirm]")
    page.get_by_role("button", name="确认签署").click()
    page.wait_for_load_state()
    focused = page.evaluate("document.activeElement.getAttribute('data-error-field')")
    assert focused == "id_password"
    box = page.locator("[data-error-summary]").bounding_box()
    assert box is not None and 0 <= box["y"] < 700  # in view without scrolling
    page.locator("[data-error-summary] a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_password"
    context.close()
