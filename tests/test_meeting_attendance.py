"""The attendance sheet: everyone present by default, exceptions changed, one POST saves all rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Attendance, Meeting
from members.models import Membership
from tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    MemberFactory,
    PartyGroupFactory,
    PartyGroupMembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def meeting(branch):
    return MeetingFactory(branch=branch, kind=Meeting.Kind.GENERAL, held_on=D(2011, 6, 28))


def sheet_url(meeting):
    return reverse("activities:meeting-attendance", args=[meeting.pk])


def sheet_people(client, meeting):
    form = client.get(sheet_url(meeting)).context["form"]
    return {person.name for person in form.people}


def full_sheet(form):
    """The POST data of ``form`` as shown (everyone present unless recorded otherwise)."""
    data = {}
    for _person, status, note in form.rows():
        data[status.html_name] = status.value()
        data[note.html_name] = note.value() or ""
    return data


def test_a_general_meeting_lists_the_members_on_its_day_all_present(
    client, secretary, branch, meeting
):
    MemberFactory(branch=branch, name="在册党员")
    gone = MemberFactory(branch=branch, name="已调出党员", membership=None)
    Membership.objects.create(
        person=gone,
        start=D(2000, 1, 1),
        end=D(2011, 1, 31),
        left_how=Membership.Left.TRANSFERRED_OUT,
    )
    PersonFactory(branch=branch, name="群众教师")
    MemberFactory(name="别的支部党员")
    client.force_login(secretary)

    response = client.get(sheet_url(meeting))
    form = response.context["form"]
    assert {p.name for p in form.people} == {"书记甲", "在册党员"}
    assert all(status.value() == "present" for _, status, _ in form.rows())
    assert "全部设为出席" in response.content.decode()


def test_a_staff_meeting_lists_everyone_on_staff_and_a_group_meeting_its_group(
    client, secretary, branch
):
    teacher = PersonFactory(branch=branch, name="群众教师")
    PersonFactory(branch=branch, name="已离校教师", staff_until=D(2010, 12, 31))
    staff_meeting = MeetingFactory(branch=branch, kind=Meeting.Kind.STAFF, held_on=D(2011, 6, 1))
    group = PartyGroupFactory(branch=branch)
    grouped = MemberFactory(branch=branch, name="小组成员")
    PartyGroupMembershipFactory(group=group, person=grouped, start=D(2010, 9, 1))
    group_meeting = MeetingFactory(
        branch=branch, kind=Meeting.Kind.GROUP, party_group=group, held_on=D(2011, 6, 1)
    )
    client.force_login(secretary)

    assert teacher.name in sheet_people(client, staff_meeting)
    assert "已离校教师" not in sheet_people(client, staff_meeting)
    assert sheet_people(client, group_meeting) == {"小组成员"}


def test_one_post_saves_every_row_with_the_exceptions(client, secretary, branch, meeting):
    excused, absent = MemberFactory(branch=branch), MemberFactory(branch=branch)
    MemberFactory(branch=branch)
    client.force_login(secretary)
    form = client.get(sheet_url(meeting)).context["form"]

    data = full_sheet(form) | {
        f"status_{excused.pk}": "excused",
        f"note_{excused.pk}": "外出培训",
        f"status_{absent.pk}": "absent",
    }
    response = client.post(sheet_url(meeting), data)

    assert response.url == reverse("activities:meeting-detail", args=[meeting.pk])
    saved = dict(meeting.attendances.values_list("person", "status"))
    assert len(saved) == 4
    assert saved[excused.pk] == "excused" and saved[absent.pk] == "absent"
    assert list(saved.values()).count("present") == 2
    assert meeting.attendances.get(person=excused).note == "外出培训"


def test_saving_again_updates_the_rows_instead_of_adding(client, secretary, branch, meeting):
    person = MemberFactory(branch=branch)
    AttendanceFactory(meeting=meeting, person=person, status=Attendance.Status.ABSENT)
    client.force_login(secretary)
    form = client.get(sheet_url(meeting)).context["form"]
    assert dict((p.pk, s.value()) for p, s, _ in form.rows())[person.pk] == "absent"

    client.post(sheet_url(meeting), full_sheet(form) | {f"status_{person.pk}": "present"})
    assert meeting.attendances.count() == 2
    assert meeting.attendances.get(person=person).status == "present"


def test_an_invalid_row_saves_nothing_and_is_marked_next_to_the_row(
    client, secretary, branch, meeting
):
    excused = MemberFactory(branch=branch)
    client.force_login(secretary)
    form = client.get(sheet_url(meeting)).context["form"]

    response = client.post(
        sheet_url(meeting),
        full_sheet(form) | {f"status_{excused.pk}": "excused", f"note_{excused.pk}": "长" * 201},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"note_{excused.pk}"]
    assert "不超过 200 字符" in response.content.decode()
    assert "table-danger" in response.content.decode()
    assert not Attendance.objects.exists()


def test_an_unknown_status_is_refused(client, secretary, meeting):
    client.force_login(secretary)
    form = client.get(sheet_url(meeting)).context["form"]
    person = form.people[0]
    response = client.post(sheet_url(meeting), full_sheet(form) | {f"status_{person.pk}": "late"})
    assert response.status_code == 200
    assert not Attendance.objects.exists()


def test_the_sheet_costs_the_same_queries_for_40_people_as_for_5(
    client, secretary, branch, meeting, django_assert_max_num_queries
):
    MemberFactory.create_batch(4, branch=branch)
    client.force_login(secretary)
    with CaptureQueriesContext(connection) as small_get:
        form = client.get(sheet_url(meeting)).context["form"]
    with CaptureQueriesContext(connection) as small_post:
        client.post(sheet_url(meeting), full_sheet(form))
    assert meeting.attendances.count() == 5

    MemberFactory.create_batch(35, branch=branch)
    with django_assert_max_num_queries(len(small_get)):
        form = client.get(sheet_url(meeting)).context["form"]
    with django_assert_max_num_queries(len(small_post)):
        client.post(sheet_url(meeting), full_sheet(form))
    assert meeting.attendances.count() == 40


def test_attendance_rate_per_meeting_and_per_member_over_a_period(branch):
    alice, bob = MemberFactory(branch=branch, name="甲"), MemberFactory(branch=branch, name="乙")
    spring = MeetingFactory(branch=branch, held_on=D(2011, 3, 1))
    autumn = MeetingFactory(branch=branch, held_on=D(2011, 9, 1), kind=Meeting.Kind.LECTURE)
    later = MeetingFactory(branch=branch, held_on=D(2012, 3, 1))
    for meeting, alice_status, bob_status in [
        (spring, "present", "present"),
        (autumn, "present", "excused"),
        (later, "absent", "absent"),
    ]:
        AttendanceFactory(meeting=meeting, person=alice, status=alice_status)
        AttendanceFactory(meeting=meeting, person=bob, status=bob_status)

    per_meeting = {
        m.pk: m.attendance_percent
        for m in Meeting.objects.for_branch(branch).with_attendance_counts()
    }
    assert per_meeting == {spring.pk: Decimal("100.0"), autumn.pk: Decimal("50.0"), later.pk: 0}

    year = Attendance.objects.for_branch(branch).between(D(2011, 1, 1), D(2011, 12, 31))
    rows = {row["name"]: row for row in year.rate_by_person()}
    assert rows["甲"]["rate"] == Decimal("100.0") and rows["甲"]["recorded"] == 2
    assert rows["乙"]["rate"] == Decimal("50.0") and rows["乙"]["excused"] == 1

    by_kind = Meeting.objects.for_branch(branch).between(D(2011, 1, 1), D(2011, 12, 31))
    assert by_kind.attendance_rate_by_kind() == {
        "general": {"meetings": 1, "recorded": 2, "present": 2, "rate": Decimal("100.0")},
        "lecture": {"meetings": 1, "recorded": 2, "present": 1, "rate": Decimal("50.0")},
    }
    MeetingFactory(branch=branch, held_on=D(2011, 10, 1))  # no attendance recorded
    assert by_kind.attendance_totals() == {
        "meetings": 3,
        "recorded": 4,
        "present": 3,
        "rate": Decimal("75.0"),
    }
    assert by_kind.attendance_rate() == Decimal("75.0") and by_kind.count() == 3


def test_the_report_page_shows_the_rates_for_the_chosen_period(client, staff_user, branch):
    alice = MemberFactory(branch=branch, name="甲")
    AttendanceFactory(
        meeting=MeetingFactory(branch=branch, held_on=D(2011, 3, 1)), person=alice, status="present"
    )
    AttendanceFactory(
        meeting=MeetingFactory(branch=branch, held_on=D(2012, 3, 1)), person=alice, status="absent"
    )
    client.force_login(staff_user)
    response = client.get(
        reverse("activities:attendance-report"), {"start": "2011-01-01", "end": "2011-12-31"}
    )
    assert response.context["overall_rate"] == Decimal("100.0")
    assert response.context["by_person"][0]["recorded"] == 1

    wrong = client.get(
        reverse("activities:attendance-report"), {"start": "2012-01-01", "end": "2011-01-01"}
    )
    assert wrong.context["form"].errors["end"] == ["截止日期不能早于起始日期。"]
