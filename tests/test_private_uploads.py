"""Uploads reach a browser only through views that check who asks (issue 12, item 11).

Photos, certificates, documents and roster imports are stored under random names; no URL serves
the media folder; behind nginx the views answer with ``X-Accel-Redirect`` to an internal
location; an import's file is deleted when it is confirmed or abandoned.
"""

import datetime
import os
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import (
    ActivityFactory,
    ActivityPhotoFactory,
    MechanismFactory,
    PledgeFactory,
    PledgeItemFactory,
    PledgeItemPhotoFactory,
)
from tests.test_roster_import import GOOD_ROWS, upload, workbook_bytes

pytestmark = pytest.mark.django_db

RANDOM_NAME = re.compile(r"^[a-z]+/(thumbs/)?\d{4}/(\d{2}/)?[0-9a-f]{32}\.[a-z]+$")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def photo(branch):
    return ActivityPhotoFactory(
        activity=ActivityFactory(branch=branch, carrier__campaign__branch=branch),
        image__filename="王老师的身份证.jpg",
    )


def test_uploads_are_stored_under_random_names_without_the_uploaders_file_name(photo, branch):
    document = MechanismFactory(
        branch=branch,
        document=SimpleUploadedFile("张三 家庭住址.pdf", b"%PDF-1.4\n%%EOF\n"),
    ).document
    for name in (photo.image.name, document.name):
        assert RANDOM_NAME.match(name), name
        assert "王老师" not in name and "张三" not in name


def test_the_media_folder_is_not_served_by_any_url(client, secretary, photo, settings):
    settings.DEBUG = True  # not even in development
    client.force_login(secretary)
    assert client.get(f"/{settings.MEDIA_URL}{photo.image.name}").status_code == 404


def test_an_activity_photo_is_streamed_to_readers_of_its_branch_only(
    client, secretary, staff_user, member, outsider, photo
):
    url = reverse("activities:photo-file", args=[photo.pk, "image"])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(staff_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == photo.image.open("rb").read()
    assert response["Cache-Control"] == "private, no-store"


def test_pages_link_photos_through_the_checked_view_not_the_media_folder(client, secretary, photo):
    client.force_login(secretary)
    page = client.get(reverse("activities:activity-detail", args=[photo.activity_id]))
    html = page.content.decode()
    assert reverse("activities:photo-file", args=[photo.pk, "image"]) in html
    assert "/media/" not in html


def test_a_progress_photo_is_shown_to_the_pledges_writer_and_readers_only(
    client, member, other_member, secretary, branch
):
    pledge = PledgeFactory(campaign__branch=branch, person=member.person)
    photo = PledgeItemPhotoFactory(update__item=PledgeItemFactory(pledge=pledge))
    url = reverse("pledges:photo-file", args=[photo.pk, "thumbnail"])
    client.force_login(other_member)
    assert client.get(url).status_code == 403
    for user in (member, secretary):
        client.force_login(user)
        assert (
            client.get(reverse("pledges:photo-file", args=[photo.pk, "image"])).status_code == 200
        )


def test_behind_nginx_the_view_hands_the_file_over_with_x_accel_redirect(
    client, secretary, photo, branch, settings
):
    settings.MEDIA_SERVE = "nginx"
    settings.MEDIA_ACCEL_PREFIX = "/protected-media/"
    client.force_login(secretary)
    response = client.get(reverse("activities:photo-file", args=[photo.pk, "image"]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"
    assert response.content == b""
    mechanism = MechanismFactory(
        branch=branch, document=SimpleUploadedFile("rule.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    response = client.get(reverse("mechanisms:mechanism-document", args=[mechanism.pk]))
    assert response["X-Accel-Redirect"].startswith("/protected-media/mechanisms/")
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_documented_nginx_block_serves_no_media_folder_only_an_internal_location():
    text = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    block = text[text.index("```nginx") :]
    block = block[: block.index("```", 3)]
    assert "location /media/" not in block
    internal = block[block.index("location /protected-media/") :]
    assert "internal;" in internal[: internal.index("}")]


def _stored_imports() -> list[str]:
    try:
        return default_storage.listdir("imports")[1]
    except FileNotFoundError:
        return []


def test_a_confirmed_import_leaves_no_file_behind(client, secretary):
    client.force_login(secretary)
    client.post(reverse("members:roster-import"), {"file": upload(workbook_bytes(GOOD_ROWS))})
    assert len(_stored_imports()) == 1
    client.post(reverse("members:roster-import-confirm"))
    assert _stored_imports() == []


def test_an_abandoned_import_is_deleted_at_once(client, secretary):
    client.force_login(secretary)
    client.post(reverse("members:roster-import"), {"file": upload(workbook_bytes(GOOD_ROWS))})
    assert len(_stored_imports()) == 1
    response = client.post(reverse("members:roster-import-cancel"))
    assert response.status_code == 302
    assert _stored_imports() == []


def test_an_import_left_waiting_is_removed_by_the_next_upload(client, secretary):
    stale = default_storage.save("imports/roster-old.xlsx", upload(b"old"))
    old = time.time() - datetime.timedelta(days=2).total_seconds()
    os.utime(default_storage.path(stale), (old, old))
    client.force_login(secretary)
    client.post(reverse("members:roster-import"), {"file": upload(workbook_bytes(GOOD_ROWS))})
    assert "roster-old.xlsx" not in _stored_imports()
    assert len(_stored_imports()) == 1
    assert settings.MEDIA_URL  # the folder name stays for storage, never as a served URL
