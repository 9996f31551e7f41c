"""Recording an activity: create with participants and photos, edit, delete after confirmation."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from activities.models import Activity, ActivityParticipant, ActivityPhoto
from tests.factories import (
    ActivityFactory,
    ActivityParticipantFactory,
    CampaignFactory,
    CarrierFactory,
    MemberFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def carrier(branch):
    return CarrierFactory(campaign=CampaignFactory(branch=branch), name="志愿服务")


def photo_file(name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), "orange").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def activity_data(carrier, people=(), **overrides):
    data = {
        "carrier": carrier.pk,
        "title": "社区敬老志愿服务",
        "start_date": "2011-10-15",
        "end_date": "",
        "place": "田林社区",
        "organiser": "",
        "description": "慰问社区孤老。",
        "outcome": "",
        "people-TOTAL_FORMS": str(max(len(people), 1)),
        "people-INITIAL_FORMS": "0",
    }
    for i, (person, hours) in enumerate(people):
        data[f"people-{i}-person"] = person.pk
        data[f"people-{i}-hours"] = hours
    data.update(overrides)
    return data


def test_secretary_records_an_activity_with_two_participants_and_a_photo(
    client, secretary, branch, carrier
):
    first, second = MemberFactory(branch=branch), PersonFactory(branch=branch)
    client.force_login(secretary)
    data = activity_data(carrier, [(first, "2.5"), (second, "3")], photos=[photo_file()])
    data["organiser"] = first.pk
    response = client.post(reverse("activities:activity-create"), data)

    activity = Activity.objects.get()
    assert response.url == reverse("activities:activity-detail", args=[activity.pk])
    assert activity.branch == branch and activity.organiser == first
    hours = dict(activity.participations.values_list("person", "hours"))
    assert hours == {first.pk: Decimal("2.5"), second.pk: Decimal("3")}
    assert activity.photos.count() == 1

    detail = client.get(response.url).content.decode()
    assert "社区敬老志愿服务" in detail and first.name in detail and second.name in detail


def test_the_form_offers_only_the_branchs_carriers_and_people(
    client, secretary, branch, other_branch, carrier
):
    mine, theirs = PersonFactory(branch=branch), PersonFactory(branch=other_branch)
    foreign_carrier = CarrierFactory(campaign=CampaignFactory(branch=other_branch))
    client.force_login(secretary)
    page = client.get(reverse("activities:activity-create")).content.decode()
    assert mine.name in page and theirs.name not in page
    assert foreign_carrier.name not in page


def test_a_person_of_another_branch_cannot_be_posted_as_participant(
    client, secretary, other_branch, carrier
):
    stranger = PersonFactory(branch=other_branch)
    client.force_login(secretary)
    response = client.post(
        reverse("activities:activity-create"), activity_data(carrier, [(stranger, "1")])
    )
    assert response.status_code == 200
    assert response.context["participants"].forms[0].errors["person"]
    assert not Activity.objects.exists()


def test_a_carrier_of_another_branch_is_refused(client, secretary, other_branch, carrier):
    foreign = CarrierFactory(campaign=CampaignFactory(branch=other_branch))
    client.force_login(secretary)
    response = client.post(
        reverse("activities:activity-create"), activity_data(carrier) | {"carrier": foreign.pk}
    )
    assert response.status_code == 200
    assert "carrier" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_the_same_person_twice_is_refused_next_to_the_row(client, secretary, branch, carrier):
    person = PersonFactory(branch=branch)
    client.force_login(secretary)
    response = client.post(
        reverse("activities:activity-create"),
        activity_data(carrier, [(person, "1"), (person, "2")]),
    )
    assert response.status_code == 200
    assert "此人已在参加人员名单中" in response.content.decode()
    assert not Activity.objects.exists()


def test_errors_are_shown_in_chinese_next_to_the_field(client, secretary, carrier):
    client.force_login(secretary)
    response = client.post(
        reverse("activities:activity-create"),
        activity_data(carrier, title="", start_date="2011-10-15", end_date="2011-10-01"),
    )
    form = response.context["form"]
    assert form.errors["title"] == ["这个字段是必填项。"]
    assert form.errors["end_date"] == ["结束日期不能早于开始日期。"]
    assert "invalid-feedback" in response.content.decode()


def test_negative_hours_are_refused(client, secretary, branch, carrier):
    person = PersonFactory(branch=branch)
    client.force_login(secretary)
    response = client.post(
        reverse("activities:activity-create"), activity_data(carrier, [(person, "-1")])
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_editing_changes_fields_and_participants(client, secretary, branch, carrier):
    activity = ActivityFactory(carrier=carrier, title="旧标题")
    keep = ActivityParticipantFactory(activity=activity, hours=1)
    drop = ActivityParticipantFactory(activity=activity, hours=1)
    newcomer = PersonFactory(branch=branch)
    client.force_login(secretary)

    page = client.get(reverse("activities:activity-edit", args=[activity.pk]))
    assert "旧标题" in page.content.decode()
    data = activity_data(carrier, title="新标题")
    data.update(
        {
            "people-TOTAL_FORMS": "3",
            "people-INITIAL_FORMS": "2",
            "people-0-id": keep.pk,
            "people-0-person": keep.person_id,
            "people-0-hours": "4",
            "people-1-id": drop.pk,
            "people-1-person": drop.person_id,
            "people-1-hours": "1",
            "people-1-DELETE": "on",
            "people-2-person": newcomer.pk,
            "people-2-hours": "",
        }
    )
    response = client.post(reverse("activities:activity-edit", args=[activity.pk]), data)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "新标题"
    hours = dict(activity.participations.values_list("person", "hours"))
    assert hours == {keep.person_id: Decimal("4"), newcomer.pk: None}


def test_delete_asks_first_and_then_removes_the_activity_its_people_and_photos(
    client, secretary, carrier, django_capture_on_commit_callbacks
):
    client.force_login(secretary)
    client.post(
        reverse("activities:activity-create"),
        activity_data(carrier, [(PersonFactory(branch=carrier.campaign.branch), "1")])
        | {"photos": [photo_file()]},
    )
    activity = Activity.objects.get()
    photo = activity.photos.get()
    storage, names = photo.image.storage, [photo.image.name, photo.thumbnail.name]

    confirm = client.get(reverse("activities:activity-delete", args=[activity.pk]))
    assert confirm.status_code == 200
    assert (
        "确认删除" in confirm.content.decode() and "csrfmiddlewaretoken" in confirm.content.decode()
    )
    assert Activity.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("activities:activity-delete", args=[activity.pk]))
    assert response.status_code == 302
    assert not Activity.objects.exists()
    assert not ActivityParticipant.objects.exists() and not ActivityPhoto.objects.exists()
    assert not any(storage.exists(name) for name in names)


def test_delete_needs_the_csrf_token(secretary, carrier):
    from django.test import Client

    activity = ActivityFactory(carrier=carrier)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(secretary)
    response = strict.post(reverse("activities:activity-delete", args=[activity.pk]))
    assert response.status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_the_detail_shows_edit_buttons_to_the_secretary_only(
    client, secretary, staff_user, carrier
):
    activity = ActivityFactory(carrier=carrier, start_date=datetime.date(2011, 5, 4))
    edit_url = reverse("activities:activity-edit", args=[activity.pk])
    client.force_login(secretary)
    assert (
        edit_url
        in client.get(reverse("activities:activity-detail", args=[activity.pk])).content.decode()
    )
    client.force_login(staff_user)
    assert (
        edit_url
        not in client.get(
            reverse("activities:activity-detail", args=[activity.pk])
        ).content.decode()
    )
