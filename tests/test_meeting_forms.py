"""Meetings: list with attendance rates, create, edit, delete after confirmation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Attendance, Meeting
from tests.factories import MeetingFactory, MemberFactory, PartyGroupFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def make_meetings(branch, people, count, start=0):
    meetings = Meeting.objects.bulk_create(
        Meeting(
            branch=branch,
            kind=Meeting.Kind.GENERAL,
            held_on=D(2010, 1, 1) + datetime.timedelta(days=start + i),
            topic=f"学习会{start + i}",
        )
        for i in range(count)
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person=person, status="present")
        for meeting in meetings
        for person in people
    )


def test_the_meeting_list_runs_as_many_queries_for_300_meetings_as_for_10(
    client, staff_user, branch, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # the page built each time (the rows are written in bulk)
    people = MemberFactory.create_batch(3, branch=branch)
    client.force_login(staff_user)
    url = reverse("activities:meeting-list")
    make_meetings(branch, people, 10)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    make_meetings(branch, people, 290, start=10)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 300
    assert response.context["page"][0]["rate"] == 100


def test_meetings_filter_by_kind_and_date(client, staff_user, branch):
    MeetingFactory(branch=branch, kind=Meeting.Kind.LECTURE, held_on=D(2011, 5, 1), topic="党课")
    MeetingFactory(branch=branch, kind=Meeting.Kind.GENERAL, held_on=D(2011, 6, 1), topic="大会")
    MeetingFactory(branch=branch, kind=Meeting.Kind.LECTURE, held_on=D(2012, 5, 1), topic="党课二")
    client.force_login(staff_user)

    def topics(**params):
        response = client.get(reverse("activities:meeting-list"), params)
        return {m["topic"] for m in response.context["page"]}

    assert topics(kind="lecture") == {"党课", "党课二"}
    assert topics(kind="lecture", date_to="2011-12-31") == {"党课"}


def test_creating_a_meeting_leads_to_its_attendance_sheet(client, secretary, branch):
    client.force_login(secretary)
    response = client.post(
        reverse("activities:meeting-create"),
        {
            "kind": "general",
            "held_on": "2010-07-01",
            "topic": "创先争优动员大会",
            "place": "会议室",
            "minutes": "书记作动员报告。",
        },
    )
    meeting = Meeting.objects.get()
    assert meeting.branch == branch and meeting.minutes == "书记作动员报告。"
    assert response.url == reverse("activities:meeting-attendance", args=[meeting.pk])


def test_a_group_meeting_needs_one_of_the_branchs_groups(client, secretary, branch, other_branch):
    foreign = PartyGroupFactory(branch=other_branch)
    client.force_login(secretary)
    data = {"kind": "group", "held_on": "2011-01-01", "topic": "小组学习"}
    response = client.post(reverse("activities:meeting-create"), data)
    assert response.context["form"].errors["party_group"] == ["党小组会须选择党小组。"]
    response = client.post(reverse("activities:meeting-create"), data | {"party_group": foreign.pk})
    assert "party_group" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_editing_a_meeting_keeps_its_branch(client, secretary, branch):
    meeting = MeetingFactory(branch=branch, topic="旧主题")
    client.force_login(secretary)
    response = client.post(
        reverse("activities:meeting-edit", args=[meeting.pk]),
        {"kind": "lecture", "held_on": "2011-07-01", "topic": "新主题", "minutes": "记录"},
    )
    assert response.url == reverse("activities:meeting-detail", args=[meeting.pk])
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.kind, meeting.branch) == ("新主题", "lecture", branch)


def test_delete_asks_first_then_removes_the_meeting_and_its_attendance(client, secretary, branch):
    meeting = MeetingFactory(branch=branch)
    Attendance.objects.create(
        meeting=meeting, person=MemberFactory(branch=branch), status="present"
    )
    client.force_login(secretary)
    confirm = client.get(reverse("activities:meeting-delete", args=[meeting.pk]))
    assert "确认删除" in confirm.content.decode()
    assert Meeting.objects.exists()

    client.post(reverse("activities:meeting-delete", args=[meeting.pk]))
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_the_detail_shows_minutes_attendance_and_rate(client, committee_user, branch):
    meeting = MeetingFactory(branch=branch, minutes="讨论了承诺书。")
    Attendance.objects.create(
        meeting=meeting, person=MemberFactory(branch=branch, name="甲"), status="present"
    )
    Attendance.objects.create(
        meeting=meeting, person=MemberFactory(branch=branch, name="乙"), status="absent"
    )
    client.force_login(committee_user)
    response = client.get(reverse("activities:meeting-detail", args=[meeting.pk]))
    page = response.content.decode()
    assert "讨论了承诺书。" in page and "缺席" in page
    assert response.context["rate"] == 50
    assert reverse("activities:meeting-attendance", args=[meeting.pk]) not in page
