"""A member transferred out is no longer expected at the branch's meetings after the day: the
report's 会议 data sheet, the attendance sheet and ``Meeting.expected_people`` agree (issue 13)."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Attendance
from reports.datasets import build_data_sheets
from reports.figures import ReportPeriod
from tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    MemberFactory,
    PartyGroupFactory,
    PartyGroupMembershipFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
TRANSFER = D(2011, 6, 30)


@pytest.fixture
def meetings(branch):
    """Two members, a general meeting and a group meeting before and after 2011-06-30, with
    attendance recorded for both members at every one (as the demo's years are)."""
    leaving = MemberFactory(branch=branch, name="调出党员")
    staying = MemberFactory(branch=branch, name="留下党员")
    group = PartyGroupFactory(branch=branch)
    for person in (leaving, staying):
        PartyGroupMembershipFactory(group=group, person=person, start=D(2010, 1, 1))
    found = {}
    for name, kind, day in (
        ("before", "general", D(2011, 3, 10)),
        ("after", "general", D(2011, 9, 10)),
        ("group_after", "group", D(2011, 10, 12)),
        ("staff_after", "staff", D(2011, 11, 3)),
    ):
        meeting = MeetingFactory(
            branch=branch, kind=kind, held_on=day, party_group=group if kind == "group" else None
        )
        AttendanceFactory(meeting=meeting, person=leaving, status="absent")
        AttendanceFactory(meeting=meeting, person=staying)
        found[name] = meeting
    found["leaving"], found["staying"] = leaving, staying
    return found


def _transfer(client, secretary, person, **extra):
    client.force_login(secretary)
    data = {"on": TRANSFER.isoformat(), "how": "transferred_out", "note": "调往区教育局", **extra}
    response = client.post(reverse("members:person-transfer-out", args=[person.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def _meeting_sheet(branch):
    period = ReportPeriod(D(2011, 1, 1), D(2011, 12, 31), campaign=None, year=2011)
    sheet = next(s for s in build_data_sheets(branch, period) if s.name == "会议")
    recorded = sheet.headers.index("记录人数")
    return {row[0]: row[recorded] for row in sheet.rows}


def test_after_her_transfer_out_she_is_expected_before_it_and_not_after(
    client, secretary, branch, meetings
):
    leaving = meetings["leaving"]
    _transfer(client, secretary, leaving)
    counts = _meeting_sheet(branch)
    assert counts[D(2011, 3, 10)] == 2  # before: both expected
    assert counts[D(2011, 9, 10)] == 1  # after: only the one who stayed
    assert counts[D(2011, 10, 12)] == 1
    assert counts[D(2011, 11, 3)] == 2  # 教职工大会: she is still on the staff
    assert leaving in meetings["before"].expected_people()
    assert leaving not in meetings["after"].expected_people()
    assert leaving not in meetings["group_after"].expected_people()
    staying = meetings["staying"]
    page = client.get(reverse("activities:meeting-attendance", args=[meetings["after"].pk]))
    people = page.context["form"].people  # on the sheet, shown and 出席 by default
    assert staying in people and leaving not in people
    assert f'<tr id="attendance-row-{leaving.pk}" class="attendance-row" hidden>' in (
        page.content.decode()  # only the picker can put her on it
    )
    page = client.get(reverse("activities:meeting-attendance", args=[meetings["before"].pk]))
    assert leaving in page.context["form"].people


def test_leaving_the_staff_too_drops_her_from_later_staff_meetings(
    client, secretary, branch, meetings
):
    response = _transfer(client, secretary, meetings["leaving"], leaves_staff="on")
    assert _meeting_sheet(branch)[D(2011, 11, 3)] == 1
    assert not Attendance.objects.filter(person=meetings["leaving"], meeting__held_on__gt=TRANSFER)
    assert Attendance.objects.filter(person=meetings["leaving"]).count() == 1  # March's kept
    message = str(list(response.wsgi_request._messages)[0])
    assert "3 次会议" in message


def test_a_status_change_ending_the_membership_drops_later_member_meetings(branch, meetings):
    from members.services import person_change_status

    person_change_status(person=meetings["leaving"], status="masses", on=D(2011, 7, 1))
    assert meetings["leaving"] not in meetings["after"].expected_people()
    assert meetings["leaving"] in meetings["staff_after"].expected_people()
