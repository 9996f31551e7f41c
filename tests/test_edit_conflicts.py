"""Two people editing the same record: the second of two stale edits is refused, nothing changes."""

import pytest
from django.urls import reverse

from activities.models import Activity, Meeting
from common.concurrency import CONFLICT_MESSAGE, save_or_conflict
from honors.models import Honor
from mechanisms.models import Mechanism
from members.forms import PersonForm
from members.models import Person
from reports.models import NarrativeText
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    HonorFactory,
    MechanismFactory,
    MeetingFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def form_data(response) -> dict:
    """What the browser would post back from the edit page, unchanged."""
    forms = [response.context["form"]]
    participants = response.context.get("participants")
    if participants is not None:
        forms += [participants.management_form, *participants.forms]
    data = {}
    for form in forms:
        for field in [*form.visible_fields(), *form.hidden_fields()]:
            if field.widget_type in ("clearablefile", "file", "multiplephoto"):
                continue
            value = field.value()
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            elif value is not None:
                data[field.html_name] = str(value)
    return data


def two_stale_edits(client, url, first: dict, second: dict):
    """Open the edit page twice (two tabs / two people), save both; return both responses."""
    page = client.get(url)
    assert 'type="hidden" name="record_version"' in page.content.decode()
    tab_a = form_data(page)
    tab_b = form_data(client.get(url))
    saved = client.post(url, {**tab_a, **first})
    refused = client.post(url, {**tab_b, **second})
    return saved, refused


def assert_refused(response):
    assert response.status_code == 200
    assert CONFLICT_MESSAGE in response.content.decode()


def test_second_stale_edit_of_a_person_is_refused(client, branch, secretary):
    person = PersonFactory(branch=branch, post="语文教师", phone="13900000001")
    client.force_login(secretary)
    url = reverse("members:person-update", args=[person.pk])

    saved, refused = two_stale_edits(client, url, {"post": "数学教师"}, {"phone": "13900000009"})

    assert saved.status_code == 302
    assert_refused(refused)
    person = Person.objects.get(pk=person.pk)
    assert (person.post, person.phone) == ("数学教师", "13900000001")


def test_second_stale_edit_of_an_activity_is_refused(client, branch, secretary):
    activity = ActivityFactory(carrier__campaign__branch=branch, title="读书会", place="礼堂")
    client.force_login(secretary)
    url = reverse("activities:activity-edit", args=[activity.pk])

    saved, refused = two_stale_edits(client, url, {"title": "读书分享会"}, {"place": "图书馆"})

    assert saved.status_code == 302
    assert_refused(refused)
    activity = Activity.objects.get(pk=activity.pk)
    assert (activity.title, activity.place) == ("读书分享会", "礼堂")


def test_second_stale_edit_of_a_mechanism_is_refused(client, branch, secretary):
    mechanism = MechanismFactory(branch=branch, name="学习制度")
    client.force_login(secretary)
    url = reverse("mechanisms:mechanism-update", args=[mechanism.pk])

    saved, refused = two_stale_edits(client, url, {"summary": "每月一次"}, {"name": "学习例会制度"})

    assert saved.status_code == 302
    assert_refused(refused)
    mechanism = Mechanism.objects.get(pk=mechanism.pk)
    assert (mechanism.name, mechanism.summary) == ("学习制度", "每月一次")


def test_second_stale_edit_of_a_meeting_is_refused(client, branch, secretary):
    meeting = MeetingFactory(branch=branch, topic="学习会")
    client.force_login(secretary)
    url = reverse("activities:meeting-edit", args=[meeting.pk])

    saved, refused = two_stale_edits(client, url, {"topic": "学习交流会"}, {"topic": "别的主题"})

    assert saved.status_code == 302
    assert_refused(refused)
    assert Meeting.objects.get(pk=meeting.pk).topic == "学习交流会"


def test_second_stale_edit_of_an_honor_is_refused(client, branch, secretary):
    honor = HonorFactory(branch=branch, title="先进集体")
    client.force_login(secretary)
    url = reverse("honors:honor-update", args=[honor.pk])

    saved, refused = two_stale_edits(client, url, {"awarded_by": "市教委"}, {"note": "覆盖"})

    assert saved.status_code == 302
    assert_refused(refused)
    honor = Honor.objects.get(pk=honor.pk)
    assert (honor.awarded_by, honor.note) == ("市教委", "")


def test_second_stale_edit_of_a_narrative_section_is_refused(client, branch, secretary):
    campaign = CampaignFactory(branch=branch)
    url = reverse("reports:narrative-edit", args=[branch.pk, campaign.pk, "opening"])
    client.force_login(secretary)
    client.post(url, {"title": "开篇", "text": "初稿"})

    saved, refused = two_stale_edits(client, url, {"text": "甲的修改"}, {"text": "乙的修改"})

    assert saved.status_code == 302
    assert_refused(refused)
    assert NarrativeText.objects.get(campaign=campaign, section="opening").text == "甲的修改"


def test_an_edit_after_reloading_the_page_is_saved(client, branch, secretary):
    person = PersonFactory(branch=branch, post="语文教师")
    client.force_login(secretary)
    url = reverse("members:person-update", args=[person.pk])
    client.post(url, {**form_data(client.get(url)), "post": "数学教师"})

    response = client.post(url, {**form_data(client.get(url)), "post": "英语教师"})

    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).post == "英语教师"


def test_a_change_between_validation_and_save_is_caught_under_the_row_lock(branch):
    person = PersonFactory(branch=branch, post="语文教师")
    shown = PersonForm(instance=Person.objects.get(pk=person.pk))
    data = {name: shown[name].value() or "" for name in shown.fields}
    form = PersonForm({**data, "post": "数学教师"}, instance=Person.objects.get(pk=person.pk))
    assert form.is_valid(), form.errors
    Person.objects.filter(pk=person.pk).update(phone="13911112222")  # someone else, meanwhile

    assert save_or_conflict(form) is None

    assert CONFLICT_MESSAGE in form.non_field_errors()
    person.refresh_from_db()
    assert (person.post, person.phone) == ("语文教师", "13911112222")
