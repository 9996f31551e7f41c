"""Adding participants: a searchable multi-select with whole-党小组 and all-members shortcuts,
vendored (static/activities/forms.js, no CDN), usable by keyboard and on a phone
(issue 12, item 4; the activity form — the attendance sheet already lists everyone)."""

import pytest
from django.urls import reverse

from activities.models import Activity
from tests.factories import (
    CampaignFactory,
    CarrierFactory,
    MemberFactory,
    PartyGroupFactory,
    PartyGroupMembershipFactory,
    PersonFactory,
)
from tests.test_browser_pledges import (  # noqa: F401  (fixtures)
    _async_unsafe_allowed,
    browser,
    log_in,
)


@pytest.mark.django_db
def test_the_form_carries_the_shortcuts_for_the_branch_and_its_groups(client, secretary, branch):
    group = PartyGroupFactory(branch=branch, name="初二党小组")
    member = MemberFactory(branch=branch, name="组员甲")
    PartyGroupMembershipFactory(group=group, person=member)
    client.force_login(secretary)
    response = client.get(reverse("activities:activity-create"))
    shortcuts = response.context["participant_shortcuts"]
    assert shortcuts[0]["label"] == "全体党员" and member.pk in shortcuts[0]["people"]
    assert {"label": "初二党小组", "people": [member.pk]} in shortcuts
    assert 'id="participant-shortcuts"' in response.content.decode()


def test_a_whole_party_group_and_a_searched_name_are_added_on_a_phone(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    secretary,
    branch,
):
    carrier = CarrierFactory(campaign=CampaignFactory(branch=branch), name="志愿服务行动")
    group = PartyGroupFactory(branch=branch, name="初二党小组")
    in_group = [MemberFactory(branch=branch, name=f"组员{n}") for n in "甲乙丙"]
    for person in in_group:
        PartyGroupMembershipFactory(group=group, person=person)
    MemberFactory(branch=branch, name="别的党员")
    PersonFactory(branch=branch, name="群众王")
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, secretary.username, reverse("activities:activity-create"))
    page.fill("#id_title", "社区志愿服务")
    page.select_option("#id_carrier", value=str(carrier.pk))
    page.fill("#id_start_date", "2011-10-15")
    page.locator("#participant-picker summary").click()
    page.get_by_role("button", name="初二党小组（3人）").click()
    page.fill("#participant-search", "群众")
    assert page.locator("#participant-choices .form-check:not([hidden])").count() == 1
    page.get_by_label("群众王").check()
    page.get_by_role("button", name="添加所选人员").click()
    assert "已添加 4 人" in page.locator("#participant-picker-status").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="保存").last.click()
    page.wait_for_load_state()
    assert not errors
    context.close()

    activity = Activity.objects.get(title="社区志愿服务")
    names = set(activity.participations.values_list("person__name", flat=True))
    assert names == {"组员甲", "组员乙", "组员丙", "群众王"}
