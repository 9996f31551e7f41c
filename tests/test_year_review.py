"""党员年度纪实: the sections the apps register, the page, its print sheet and its Word file."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from activities.models import Attendance, Meeting
from members import year_review
from tests.factories import (
    ActivityFactory,
    ActivityParticipantFactory,
    AttendanceFactory,
    BranchPostFactory,
    HonorFactory,
    MeetingFactory,
    MemberFactory,
    MembershipFactory,
    PartyGroupFactory,
    PartyGroupMembershipFactory,
    PersonFactory,
)


def rows_of(person, year, key):
    section = next(s for s in year_review.sections_for(person, year) if s.key == key)
    return dict(section.rows)


@pytest.mark.django_db
def test_meetings_expected_by_kind_while_a_member_with_excused_and_absent_apart(branch):
    person = PersonFactory(branch=branch, political_status="full")
    MembershipFactory(
        person=person,
        start=datetime.date(2025, 3, 1),
        end=datetime.date(2025, 10, 31),
        left_how="transferred_out",
    )
    mine, other = PartyGroupFactory(branch=branch), PartyGroupFactory(branch=branch)
    PartyGroupMembershipFactory(group=mine, person=person, start=datetime.date(2025, 3, 1))

    def meeting(kind, day, group=None, status=None):
        held = MeetingFactory(branch=branch, kind=kind, held_on=day, party_group=group)
        if status:
            AttendanceFactory(meeting=held, person=person, status=status)
        return held

    meeting(Meeting.Kind.GENERAL, datetime.date(2025, 1, 10), status=Attendance.Status.PRESENT)
    meeting(Meeting.Kind.GENERAL, datetime.date(2025, 4, 10), status=Attendance.Status.PRESENT)
    meeting(Meeting.Kind.GENERAL, datetime.date(2025, 6, 10), status=Attendance.Status.EXCUSED)
    meeting(Meeting.Kind.GENERAL, datetime.date(2025, 9, 10), status=Attendance.Status.ABSENT)
    meeting(Meeting.Kind.GENERAL, datetime.date(2025, 10, 20))  # not recorded
    meeting(Meeting.Kind.GENERAL, datetime.date(2025, 11, 10))  # after the transfer out
    meeting(Meeting.Kind.GROUP, datetime.date(2025, 5, 5), mine, Attendance.Status.PRESENT)
    meeting(Meeting.Kind.GROUP, datetime.date(2025, 5, 6), other)  # another group's
    meeting(Meeting.Kind.COMMITTEE, datetime.date(2025, 5, 7))  # holds no branch post
    meeting(Meeting.Kind.STAFF, datetime.date(2025, 5, 8))  # not a party meeting

    rows = rows_of(person, 2025, "meetings")
    assert rows == {
        "党员大会": "应参加 4 次，出席 1 次，请假 1 次，缺席 1 次，未登记 1 次",
        "党小组会": "应参加 1 次，出席 1 次，请假 0 次，缺席 0 次",
    }


@pytest.mark.django_db
def test_a_committee_member_is_expected_at_the_committee_meetings(branch):
    person = MemberFactory(branch=branch)
    BranchPostFactory(person=person, start=datetime.date(2025, 1, 1))
    held = MeetingFactory(
        branch=branch, kind=Meeting.Kind.COMMITTEE, held_on=datetime.date(2025, 2, 1)
    )
    AttendanceFactory(meeting=held, person=person, status=Attendance.Status.PRESENT)
    assert rows_of(person, 2025, "meetings")["支委会"].startswith("应参加 1 次，出席 1 次")


@pytest.mark.django_db
def test_activities_hours_pledges_and_honors_of_the_year(branch):
    person = MemberFactory(branch=branch)
    for day, hours in (
        (datetime.date(2025, 3, 1), Decimal("2.5")),
        (datetime.date(2025, 7, 1), None),
    ):
        ActivityParticipantFactory(
            activity=ActivityFactory(branch=branch, start_date=day, title=f"活动{day.month}月"),
            person=person,
            hours=hours,
        )
    ActivityParticipantFactory(
        activity=ActivityFactory(branch=branch, start_date=datetime.date(2024, 3, 1)), person=person
    )
    HonorFactory(
        branch=branch,
        recipient="person",
        person=person,
        title="优秀共产党员",
        awarded_on=datetime.date(2025, 7, 1),
    )
    rows = rows_of(person, 2025, "activities")
    assert rows["参加活动"] == "2 次，服务时长 2.5 小时"
    assert rows["03月01日"] == "活动3月"
    assert "优秀共产党员" in rows_of(person, 2025, "honors")["07月01日"]


@pytest.mark.django_db
def test_the_member_and_the_secretary_see_it_and_it_prints_on_a4(client, member, secretary):
    url = reverse("members:person-year-review", args=[member.person.pk])
    for user in (member, secretary):
        client.force_login(user)
        page = client.get(url + "?year=2025")
        assert page.status_code == 200
        text = page.content.decode()
        assert "党甲2025年度党员纪实" in text.replace("党员甲", "党甲")
        assert "members/year_review.css" in text
    detail = client.get(reverse("members:person-detail", args=[member.person.pk]))
    assert url in detail.content.decode()


def test_the_print_sheet_is_a4_and_leaves_the_navigation_out():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "members" / "year_review.css").read_text()
    assert "size: A4" in css and "@media print" in css and "nav, .no-print" in css


@pytest.mark.django_db
def test_the_word_file_follows_the_official_basics(client, member):
    client.force_login(member)
    response = client.get(
        reverse("members:year-review-docx", args=[member.person.pk]) + "?year=2025"
    )
    assert response["Content-Type"].endswith("wordprocessingml.document")
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    title = document.paragraphs[0]
    assert title.text == "党员甲2025年度党员纪实"
    assert title.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert document.paragraphs[1].runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    headings = [p.text for p in document.paragraphs if p.text[:2] in ("一、", "二、", "三、")]
    assert headings[:3] == ["一、参加组织生活", "二、参加活动", "三、获得荣誉"]
    footer = section.footer._element.xml
    assert "PAGE" in footer


@pytest.mark.django_db
def test_the_transfer_page_offers_the_year_in_review(client, secretary, member):
    client.force_login(secretary)
    page = client.get(reverse("members:person-transfer-out", args=[member.person.pk]))
    assert reverse("members:year-review-docx", args=[member.person.pk]) in page.content.decode()
    assert "随组织关系一并转出" in page.content.decode()


@pytest.mark.django_db
def test_another_member_cannot_read_it(client, member, other_member):
    client.force_login(other_member)
    url = reverse("members:person-year-review", args=[member.person.pk])
    assert client.get(url).status_code == 403
