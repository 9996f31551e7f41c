"""Adding participants: a searchable multi-select with whole-党小组 and all-members shortcuts,
vendored (static/activities/forms.js, no CDN), usable by keyboard and on a phone (issue 12,
item 4): the activity form, and the meeting attendance sheet (people beyond those expected —
another 党小组, 列席 — are put on the sheet with the same widget)."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Activity, Attendance
from tests.factories import (
    CampaignFactory,
    CarrierFactory,
    MeetingFactory,
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


@pytest.mark.django_db
def test_the_attendance_sheet_carries_the_picker_and_the_branch_people_off_the_sheet(
    client, secretary, branch
):
    group, other = PartyGroupFactory(branch=branch, name="甲组"), PartyGroupFactory(branch=branch)
    inside = MemberFactory(branch=branch, name="甲组员")
    PartyGroupMembershipFactory(group=group, person=inside)
    outside = MemberFactory(branch=branch, name="乙组员")
    PartyGroupMembershipFactory(group=other, person=outside)
    guest = PersonFactory(branch=branch, name="列席群众")
    meeting = MeetingFactory(
        branch=branch, kind="group", party_group=group, held_on=datetime.date(2011, 5, 10)
    )
    client.force_login(secretary)
    url = reverse("activities:meeting-attendance", args=[meeting.pk])
    response = client.get(url)
    page = response.content.decode()
    assert [p.name for p in response.context["form"].people] == ["甲组员"]
    shortcuts = response.context["participant_shortcuts"]
    assert shortcuts[0]["label"] == "全体党员" and outside.pk in shortcuts[0]["people"]
    assert {"label": "甲组", "people": [inside.pk]} in shortcuts
    assert 'id="participant-picker"' in page and 'id="participant-people"' in page
    assert f'<tr id="attendance-row-{guest.pk}" class="attendance-row" hidden>' in page
    assert f'<tr id="attendance-row-{inside.pk}" class="attendance-row">' in page
    assert "cdn" not in page.lower()

    data = {
        f"status_{inside.pk}": "present",
        f"status_{outside.pk}": "present",  # put on the sheet by the picker
        f"status_{guest.pk}": "",  # left off
    }
    assert client.post(url, data).status_code == 302
    saved = dict(meeting.attendances.values_list("person__name", "status"))
    assert saved == {"甲组员": "present", "乙组员": "present"}


def test_a_whole_party_group_and_a_guest_are_put_on_the_attendance_sheet_on_a_phone(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    secretary,
    branch,
):
    group, other = (
        PartyGroupFactory(branch=branch, name="甲组"),
        PartyGroupFactory(branch=branch, name="乙组"),
    )
    PartyGroupMembershipFactory(group=group, person=MemberFactory(branch=branch, name="甲组员"))
    for name in ("乙组一", "乙组二"):
        PartyGroupMembershipFactory(group=other, person=MemberFactory(branch=branch, name=name))
    PersonFactory(branch=branch, name="列席群众", post="")
    PersonFactory(branch=branch, name="不来的群众", post="")
    meeting = MeetingFactory(
        branch=branch, kind="group", party_group=group, held_on=datetime.date(2011, 5, 10)
    )
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(
        page,
        live_server,
        secretary.username,
        reverse("activities:meeting-attendance", args=[meeting.pk]),
    )
    assert page.locator("tr.attendance-row:visible").count() == 1
    summary = page.locator("#participant-picker summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens by keyboard
    page.get_by_role("button", name="乙组（2人）").click()
    page.fill("#participant-search", "列席")
    assert page.locator("#participant-choices .form-check:not([hidden])").count() == 1
    page.get_by_role("checkbox", name="列席群众").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="添加所选人员").click()
    assert "已添加 3 人" in page.locator("#participant-picker-status").inner_text()
    assert page.locator("tr.attendance-row:visible").count() == 4
    assert page.locator("#attendance-count").inner_text() == "4"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="保存出席情况").click()
    page.wait_for_load_state()
    assert not errors
    context.close()

    saved = dict(Attendance.objects.filter(meeting=meeting).values_list("person__name", "status"))
    assert saved == {
        "甲组员": "present",
        "乙组一": "present",
        "乙组二": "present",
        "列席群众": "present",
    }
