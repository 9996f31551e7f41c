"""Change history on every record a secretary edits (issue 12, item 21): activities, meetings,
attendance, measures, posts, status stages and groups; a mechanism keeps every document it had."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities import services
from activities.models import Activity, ActivityParticipant, Attendance, Measure, Meeting
from mechanisms.models import Mechanism
from members.models import BranchPost, PartyGroup, PartyGroupMembership, StatusStage
from tests.factories import (
    ActivityFactory,
    BranchPostFactory,
    MeasureFactory,
    MechanismFactory,
    MeetingFactory,
    MemberFactory,
    PartyGroupFactory,
    PartyGroupMembershipFactory,
    PersonFactory,
    StatusStageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        Activity,
        ActivityParticipant,
        Meeting,
        Attendance,
        Measure,
        BranchPost,
        StatusStage,
        PartyGroup,
        PartyGroupMembership,
    ],
)
def test_each_record_type_keeps_its_history(model):
    assert hasattr(model, "history"), f"{model.__name__} has no change history"


def test_an_edited_activity_shows_who_changed_what_to_its_secretary(
    client, secretary, staff_user, branch
):
    activity = ActivityFactory(branch=branch, title="旧标题")
    client.force_login(secretary)
    activity.title = "新标题"
    activity._history_user = secretary
    activity.save()
    page = client.get(reverse("activities:activity-detail", args=[activity.pk])).content.decode()
    assert "修改记录" in page and "旧标题 → 新标题" in page
    client.force_login(staff_user)
    page = client.get(reverse("activities:activity-detail", args=[activity.pk])).content.decode()
    assert "旧标题 → 新标题" not in page


def test_a_meeting_page_shows_its_history_to_the_secretary(client, secretary, branch):
    meeting = MeetingFactory(branch=branch, topic="旧议题")
    meeting.topic = "新议题"
    meeting.save()
    client.force_login(secretary)
    page = client.get(reverse("activities:meeting-detail", args=[meeting.pk])).content.decode()
    assert "旧议题 → 新议题" in page


def test_measures_posts_stages_and_groups_record_their_changes(branch):
    measure = MeasureFactory(carrier__campaign__branch=branch)
    measure.title = "改过的举措"
    measure.save()
    post = BranchPostFactory(person=MemberFactory(branch=branch))
    post.end = datetime.date(2012, 1, 1)
    post.save()
    group = PartyGroupFactory(branch=branch)
    group.name = "改名的党小组"
    group.save()
    place = PartyGroupMembershipFactory(group=group, person=MemberFactory(branch=branch))
    place_pk = place.pk
    place.delete()
    stage = StatusStageFactory(person=PersonFactory(branch=branch))
    stage.end = datetime.date(2011, 12, 31)
    stage.save()
    for record, types in (
        (measure, ["~", "+"]),
        (post, ["~", "+"]),
        (group, ["~", "+"]),
        (stage, ["~", "+"]),
    ):
        assert list(record.history.values_list("history_type", flat=True)) == types
    assert list(
        PartyGroupMembership.history.filter(id=place_pk).values_list("history_type", flat=True)
    ) == ["-", "+"]


def test_the_attendance_sheet_records_history_only_for_rows_that_changed(branch, secretary):
    meeting = MeetingFactory(branch=branch)
    a, b = MemberFactory(branch=branch), MemberFactory(branch=branch)
    services.attendance_record(meeting=meeting, rows=[(a.pk, "present", ""), (b.pk, "present", "")])
    assert Attendance.history.filter(history_type="+").count() == 2
    services.attendance_record(
        meeting=meeting, rows=[(a.pk, "present", ""), (b.pk, "excused", "病假")]
    )
    changed = Attendance.history.filter(history_type="~")
    assert [(row.person_id, row.status, row.note) for row in changed] == [(b.pk, "excused", "病假")]


def pdf(text: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("rule.pdf", b"%PDF-1.4\n" + text + b"\n%%EOF\n", "application/pdf")


def test_a_replaced_mechanism_document_keeps_every_version_readable(
    client, secretary, staff_user, outsider, branch
):
    client.force_login(secretary)
    mechanism = MechanismFactory(branch=branch, name="学习制度", document=pdf(b"first"))
    url = reverse("mechanisms:mechanism-update", args=[mechanism.pk])
    for text in (b"second", b"third"):
        response = client.post(
            url,
            {
                "name": "学习制度",
                "category": mechanism.category,
                "established_on": "2011-03-01",
                "document": pdf(text),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    mechanism.refresh_from_db()
    assert b"third" in mechanism.document.read()

    client.force_login(staff_user)
    page = client.get(reverse("mechanisms:mechanism-detail", args=[mechanism.pk]))
    versions = page.context["file_versions"]
    assert len(versions) == 2
    contents = []
    for version in versions:
        link = reverse(
            "mechanisms:mechanism-document-version", args=[mechanism.pk, version.history_id]
        )
        assert link in page.content.decode()
        response = client.get(link)
        assert response.status_code == 200
        contents.append(b"".join(response.streaming_content))
    assert [b"second" in contents[0], b"first" in contents[1]] == [True, True]

    client.force_login(outsider)
    assert client.get(link).status_code == 403
    assert Mechanism.history.filter(id=mechanism.pk).count() == 3
