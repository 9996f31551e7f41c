"""Hostile input: refused with a clear message and nothing stored, or shown escaped.

Only what the per-feature tests do not already try is here (docs/security.md lists those):
script in the free text of every main record on its detail, list and public pages; 50 MB
uploads; a path-traversal file name; SVG with script; dates out of range and in the wrong order.
"""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from activities.models import Activity, ActivityPhoto, Meeting
from common.forms import OUT_OF_RANGE
from honors.models import Honor
from mechanisms.models import Mechanism
from members.models import Person
from pledges.models import PledgeItemPhoto, PledgeItemUpdate, PledgePublication
from tests.factories import (
    ActivityFactory,
    ActivityParticipantFactory,
    CampaignFactory,
    CarrierFactory,
    HonorFactory,
    MechanismFactory,
    MeetingFactory,
    PersonFactory,
    PledgeItemFactory,
    PledgePointFactory,
    SignedPledgeFactory,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
HOSTILE = f"{SCRIPT}{IMG}&amp;"
FIFTY_MB = 50 * 1024 * 1024

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


def hostile(label, short=False):
    """``label`` and the hostile text (``short``: the script alone, for 30- and 50-character fields)."""
    return f"{label}{SCRIPT}" if short else f"{label}{HOSTILE}"


def assert_escaped(html: str, *labels: str):
    """Every hostile text is on the page, escaped; no tag of it survives."""
    assert SCRIPT not in html and IMG not in html and 'onerror="alert' not in html
    for label in labels:
        assert f"{label}&lt;script&gt;alert(" in html, label


def stored_files() -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def jpeg_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def campaign(branch):
    return CampaignFactory(branch=branch, end=None)


@pytest.fixture
def activity(campaign):
    return ActivityFactory(carrier=CarrierFactory(campaign=campaign))


# Script in free text: escaped wherever it is shown ------------------------------------------


def test_script_in_an_activity_is_escaped_on_its_detail_and_list(client, secretary, branch):
    carrier = CarrierFactory(
        campaign=CampaignFactory(branch=branch), name=hostile("载体", short=True)
    )
    activity = ActivityFactory(
        carrier=carrier,
        title=hostile("标题"),
        place=hostile("地点"),
        description=hostile("内容"),
        outcome=hostile("成效"),
    )
    ActivityParticipantFactory(activity=activity, person__name=hostile("参加人", short=True))
    client.force_login(secretary)

    detail = client.get(reverse("activities:activity-detail", args=[activity.pk])).content
    listing = client.get(reverse("activities:activity-list")).content

    assert_escaped(detail.decode(), "标题", "地点", "内容", "成效", "参加人")
    assert_escaped(listing.decode(), "标题")


def test_script_in_a_meeting_is_escaped_on_its_detail_and_list(client, secretary, branch):
    meeting = MeetingFactory(
        branch=branch, topic=hostile("主题"), place=hostile("地点"), minutes=hostile("记录")
    )
    client.force_login(secretary)

    detail = client.get(reverse("activities:meeting-detail", args=[meeting.pk])).content
    listing = client.get(reverse("activities:meeting-list")).content

    assert_escaped(detail.decode(), "主题", "记录")
    assert_escaped(listing.decode(), "主题")


def test_script_in_a_person_is_escaped_on_the_page_and_roster(client, secretary, branch):
    person = PersonFactory(branch=branch, name=hostile("姓名", short=True), post=hostile("岗位"))
    client.force_login(secretary)

    detail = client.get(reverse("members:person-detail", args=[person.pk])).content
    listing = client.get(reverse("members:person-list")).content

    assert_escaped(detail.decode(), "姓名", "岗位")
    assert_escaped(listing.decode(), "姓名")


def test_script_in_an_honor_is_escaped_on_its_detail_and_list(client, secretary, branch):
    honor = HonorFactory(
        branch=branch, title=hostile("称号"), awarded_by=hostile("单位"), note=hostile("备注")
    )
    client.force_login(secretary)

    detail = client.get(reverse("honors:honor-detail", args=[honor.pk])).content
    listing = client.get(reverse("honors:honor-list")).content

    assert_escaped(detail.decode(), "称号", "单位", "备注")
    assert_escaped(listing.decode(), "称号")


def test_script_in_a_mechanism_is_escaped_on_its_detail_and_list(client, secretary, branch):
    mechanism = MechanismFactory(branch=branch, name=hostile("名称"), summary=hostile("内容"))
    client.force_login(secretary)

    detail = client.get(reverse("mechanisms:mechanism-detail", args=[mechanism.pk])).content
    listing = client.get(reverse("mechanisms:mechanism-list")).content

    assert_escaped(detail.decode(), "名称", "内容")
    assert_escaped(listing.decode(), "名称")


def test_script_in_a_pledge_is_escaped_for_the_member_the_secretary_and_the_public(
    client, secretary, member, campaign
):
    pledge = SignedPledgeFactory(campaign=campaign, person=member.person, summary=hostile("概述"))
    PledgePointFactory(pledge=pledge, point="study", text=hostile("承诺"))
    item = PledgeItemFactory(
        pledge=pledge, title=hostile("事项"), deadline=timezone.localdate(), progress=""
    )
    PledgeItemUpdate.objects.create(item=item, text=hostile("进展"), created_by=member)
    today = timezone.localdate()
    PledgePublication.objects.create(campaign=campaign, start=today, end=None)
    detail_url = reverse("pledges:pledge-detail", args=[pledge.pk])
    args = [campaign.branch_id, campaign.pk]

    for user in (member, secretary):
        client.force_login(user)
        assert_escaped(client.get(detail_url).content.decode(), "概述", "承诺", "事项", "进展")
    client.logout()
    public = client.get(reverse("pledges:public-page", args=args)).content.decode()
    screen = client.get(reverse("pledges:public-screen", args=args)).content.decode()
    data = client.get(reverse("pledges:public-data", args=args))

    assert_escaped(public, "承诺", "事项")
    assert SCRIPT not in screen and IMG not in screen  # its data is JSON in a json_script tag
    assert re.search(r'<script id="screen-data" type="application/json">', screen)
    assert data["Content-Type"].startswith("application/json")
    assert "事项" in data.json().__repr__()


# 50 MB uploads: refused with a message, nothing stored -------------------------------------


def big_upload(name, head=b"", content_type="application/octet-stream"):
    return SimpleUploadedFile(name, head + b"\0" * (FIFTY_MB - len(head)), content_type)


def test_a_50_mb_certificate_is_refused_and_nothing_is_stored(client, secretary):
    client.force_login(secretary)
    data = {
        "recipient": "school",
        "title": "先进集体",
        "level": "district",
        "awarded_on": "2011-12-01",
        "certificate": big_upload("big.jpg", jpeg_bytes(), "image/jpeg"),
    }

    response = client.post(reverse("honors:honor-create"), data)

    assert response.status_code == 413  # refused unread: over MAX_REQUEST_BODY_SIZE
    assert "请求无法处理" in response.content.decode()
    assert not Honor.objects.exists() and stored_files() == []


def test_a_50_mb_mechanism_document_is_refused_and_nothing_is_stored(client, secretary):
    client.force_login(secretary)
    data = {
        "name": "学习制度",
        "category": "democracy",
        "established_on": "2011-03-01",
        "document": big_upload("big.pdf", b"%PDF-1.4\n"),
    }

    response = client.post(reverse("mechanisms:mechanism-create"), data)

    assert response.status_code == 413  # refused unread: over MAX_REQUEST_BODY_SIZE
    assert "请求无法处理" in response.content.decode()
    assert not Mechanism.objects.exists() and stored_files() == []


def test_a_50_mb_activity_photo_is_refused_and_nothing_is_stored(client, secretary, activity):
    client.force_login(secretary)
    data = {
        "carrier": activity.carrier_id,
        "title": activity.title,
        "start_date": "2011-03-01",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
        "photos": [big_upload("big.jpg", jpeg_bytes(), "image/jpeg")],
    }

    response = client.post(reverse("activities:activity-edit", args=[activity.pk]), data)

    assert response.status_code == 413  # refused unread: over MAX_REQUEST_BODY_SIZE
    assert "请求无法处理" in response.content.decode()
    assert not ActivityPhoto.objects.exists() and stored_files() == []


def test_a_50_mb_progress_photo_is_refused_and_nothing_is_stored(client, member, campaign):
    item = PledgeItemFactory(pledge=SignedPledgeFactory(campaign=campaign, person=member.person))
    client.force_login(member)

    response = client.post(
        reverse("pledges:item-progress", args=[item.pk]),
        {"text": "进展", "photos": big_upload("big.jpg", jpeg_bytes(), "image/jpeg")},
    )

    assert response.status_code == 413  # refused unread: over MAX_REQUEST_BODY_SIZE
    assert "请求无法处理" in response.content.decode()
    assert not PledgeItemUpdate.objects.exists() and not PledgeItemPhoto.objects.exists()
    assert stored_files() == []


def test_a_50_mb_roster_file_is_refused_and_nothing_is_stored(client, secretary, branch):
    client.force_login(secretary)
    people = Person.objects.count()

    response = client.post(
        reverse("members:roster-import"), {"file": big_upload("roster.xlsx", b"PK\x03\x04")}
    )

    assert response.status_code == 413  # refused unread: over MAX_REQUEST_BODY_SIZE
    assert "请求无法处理" in response.content.decode()
    assert Person.objects.count() == people and stored_files() == []


def test_a_50_mb_text_field_is_refused_with_a_chinese_page_not_a_500(client, secretary, branch):
    client.force_login(secretary)
    client.raise_request_exception = False

    response = client.post(
        reverse("mechanisms:mechanism-create"),
        {"name": "学习制度", "category": "democracy", "summary": "长" * (FIFTY_MB // 3)},
    )

    assert response.status_code == 413
    assert "请求无法处理" in response.content.decode()
    assert "未保存任何内容" in response.content.decode()
    assert not Mechanism.objects.exists()


# File names and types ----------------------------------------------------------------------


def test_a_path_traversal_file_name_is_stored_under_a_safe_name(client, secretary, activity):
    client.force_login(secretary)
    honor = client.post(
        reverse("honors:honor-create"),
        {
            "recipient": "school",
            "title": "先进集体",
            "level": "district",
            "awarded_on": "2011-12-01",
            "certificate": SimpleUploadedFile("../../etc/passwd.jpg", jpeg_bytes(), "image/jpeg"),
        },
    )
    photo = client.post(
        reverse("activities:activity-edit", args=[activity.pk]),
        {
            "carrier": activity.carrier_id,
            "title": activity.title,
            "start_date": "2011-03-01",
            "people-TOTAL_FORMS": "0",
            "people-INITIAL_FORMS": "0",
            "photos": [SimpleUploadedFile("../../../passwd.jpg", jpeg_bytes(), "image/jpeg")],
        },
    )

    assert honor.status_code == photo.status_code == 302
    media = Path(settings.MEDIA_ROOT).resolve()
    names = [Honor.objects.get().certificate.name, ActivityPhoto.objects.get().image.name]
    for name in names:
        assert ".." not in name and not name.startswith("/")
        assert (media / name).resolve().is_relative_to(media)
    assert all(path.resolve().is_relative_to(media) for path in stored_files())
    assert not any(
        p.name == "passwd.jpg" and p.parent == media.parent for p in media.parent.iterdir()
    )


@pytest.mark.parametrize("name", ["certificate.svg", "certificate.jpg"])
def test_an_svg_certificate_with_script_is_refused(client, secretary, name):
    client.force_login(secretary)

    response = client.post(
        reverse("honors:honor-create"),
        {
            "recipient": "school",
            "title": "先进集体",
            "level": "district",
            "awarded_on": "2011-12-01",
            "certificate": SimpleUploadedFile(name, SVG, "image/svg+xml"),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["certificate"]
    assert not Honor.objects.exists() and stored_files() == []


def test_an_svg_photo_with_script_is_refused(client, secretary, activity, member, campaign):
    client.force_login(secretary)
    response = client.post(
        reverse("activities:activity-edit", args=[activity.pk]),
        {
            "carrier": activity.carrier_id,
            "title": activity.title,
            "start_date": "2011-03-01",
            "people-TOTAL_FORMS": "0",
            "people-INITIAL_FORMS": "0",
            "photos": [SimpleUploadedFile("photo.svg", SVG, "image/svg+xml")],
        },
    )
    item = PledgeItemFactory(pledge=SignedPledgeFactory(campaign=campaign, person=member.person))
    client.force_login(member)
    progress = client.post(
        reverse("pledges:item-progress", args=[item.pk]),
        {"text": "进展", "photos": SimpleUploadedFile("photo.svg", SVG, "image/svg+xml")},
    )

    assert response.status_code == progress.status_code == 200
    assert "不是有效的图片" in response.content.decode()
    assert "不是有效的图片" in progress.content.decode()
    assert not ActivityPhoto.objects.exists() and not PledgeItemUpdate.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize("name", ["rule.svg", "rule.pdf"])
def test_an_svg_mechanism_document_is_refused(client, secretary, name):
    client.force_login(secretary)

    response = client.post(
        reverse("mechanisms:mechanism-create"),
        {
            "name": "学习制度",
            "category": "democracy",
            "established_on": "2011-03-01",
            "document": SimpleUploadedFile(name, SVG, "image/svg+xml"),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["document"]
    assert not Mechanism.objects.exists() and stored_files() == []


# Dates out of range and in the wrong order ------------------------------------------------

BAD_YEARS = ["1800-01-01", "9999-12-31"]


@pytest.mark.parametrize("day", BAD_YEARS)
def test_an_activity_dated_1800_or_9999_is_refused(client, secretary, campaign, day):
    carrier = CarrierFactory(campaign=campaign)
    client.force_login(secretary)
    data = {
        "carrier": carrier.pk,
        "title": "读书会",
        "start_date": day,
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
    }

    response = client.post(
        reverse("activities:activity-create") + f"?branch={campaign.branch_id}", data
    )

    assert response.status_code == 200
    assert OUT_OF_RANGE in response.context["form"].errors["start_date"]
    assert not Activity.objects.exists()


@pytest.mark.parametrize("day", BAD_YEARS)
def test_a_meeting_dated_1800_or_9999_is_refused(client, secretary, branch, day):
    client.force_login(secretary)

    response = client.post(
        reverse("activities:meeting-create"), {"kind": "general", "held_on": day, "topic": "学习"}
    )

    assert response.status_code == 200
    assert OUT_OF_RANGE in response.context["form"].errors["held_on"]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("day", BAD_YEARS)
def test_a_birth_date_of_1800_or_9999_is_refused(client, secretary, branch, day):
    person = PersonFactory(branch=branch, birth_date=datetime.date(1975, 5, 1))
    client.force_login(secretary)

    response = client.post(
        reverse("members:person-update", args=[person.pk]),
        {"name": person.name, "gender": "F", "birth_date": day},
    )

    assert response.status_code == 200
    assert OUT_OF_RANGE in response.context["form"].errors["birth_date"]
    person.refresh_from_db()
    assert person.birth_date == datetime.date(1975, 5, 1)


@pytest.mark.parametrize("day", BAD_YEARS)
def test_an_honor_or_mechanism_dated_1800_or_9999_is_refused(client, secretary, branch, day):
    client.force_login(secretary)

    honor = client.post(
        reverse("honors:honor-create"),
        {"recipient": "school", "title": "先进集体", "level": "district", "awarded_on": day},
    )
    mechanism = client.post(
        reverse("mechanisms:mechanism-create"),
        {"name": "学习制度", "category": "democracy", "established_on": day},
    )

    assert OUT_OF_RANGE in honor.context["form"].errors["awarded_on"]
    assert OUT_OF_RANGE in mechanism.context["form"].errors["established_on"]
    assert not Honor.objects.exists() and not Mechanism.objects.exists()


def test_an_activity_ending_before_it_starts_is_refused_in_the_form(client, secretary, campaign):
    carrier = CarrierFactory(campaign=campaign)
    client.force_login(secretary)
    data = {
        "carrier": carrier.pk,
        "title": "读书会",
        "start_date": "2011-03-05",
        "end_date": "2011-03-01",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("activities:activity-create"), data)

    assert response.status_code == 200
    assert "结束" in response.content.decode()
    assert not Activity.objects.exists()


def test_leaving_before_arriving_or_repealing_before_establishing_is_refused(
    client, secretary, branch
):
    person = PersonFactory(branch=branch, staff_since=datetime.date(2000, 9, 1))
    client.force_login(secretary)

    leaving = client.post(
        reverse("members:person-update", args=[person.pk]),
        {"name": person.name, "staff_since": "2000-09-01", "staff_until": "1999-07-01"},
    )
    repeal = client.post(
        reverse("mechanisms:mechanism-create"),
        {
            "name": "学习制度",
            "category": "democracy",
            "established_on": "2011-03-01",
            "repealed_on": "2010-01-01",
        },
    )

    assert leaving.status_code == repeal.status_code == 200
    assert "离校日期不能早于到校日期" in leaving.content.decode()
    assert repeal.context["form"].errors
    person.refresh_from_db()
    assert person.staff_until is None
    assert not Mechanism.objects.exists()
