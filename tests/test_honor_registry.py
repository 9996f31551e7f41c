"""The honors registry: list and filters, create / edit / delete, certificate images checked."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from honors.forms import MAX_CERTIFICATE_BYTES
from honors.models import Honor, Level
from tests.factories import CampaignFactory, HonorFactory, PersonFactory, TypicalHonorFactory

pytestmark = pytest.mark.django_db


def image_file(name="certificate.png", size=(40, 30), image_format="PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def honor_data(**overrides):
    data = {
        "recipient": "school",
        "title": "徐汇区先进职工之家",
        "level": "district",
        "awarded_by": "徐汇区总工会",
        "awarded_on": "2011-12-01",
    }
    data.update(overrides)
    return data


def create(client, **overrides):
    return client.post(reverse("honors:honor-create"), honor_data(**overrides))


def test_list_filters_by_level_recipient_typical_and_campaign(client, secretary, branch):
    campaign = CampaignFactory(
        branch=branch, start=datetime.date(2010, 6, 1), end=datetime.date(2012, 9, 30)
    )
    TypicalHonorFactory(branch=branch, level=Level.CITY, title="市优秀共产党员")
    HonorFactory(branch=branch, level=Level.DISTRICT, title="区先进集体")
    HonorFactory(
        branch=branch, level=Level.SCHOOL, title="早年荣誉", awarded_on=datetime.date(2008, 1, 1)
    )
    HonorFactory(title="别的支部的荣誉")
    client.force_login(secretary)

    def titles(**params):
        response = client.get(reverse("honors:honor-list"), params)
        return sorted(honor.title for honor in response.context["page"])

    assert titles() == sorted(["市优秀共产党员", "区先进集体", "早年荣誉"])
    assert titles(level="city") == ["市优秀共产党员"]
    assert titles(recipient="person") == ["市优秀共产党员"]
    assert titles(typical="yes") == ["市优秀共产党员"]
    assert titles(typical="no") == sorted(["区先进集体", "早年荣誉"])
    assert titles(campaign=campaign.pk) == sorted(["市优秀共产党员", "区先进集体"])
    assert titles(q="先进") == ["区先进集体"]


def test_list_shows_the_count_by_level_of_the_filtered_honors(client, secretary, branch):
    TypicalHonorFactory(branch=branch, level=Level.CITY)
    TypicalHonorFactory.create_batch(2, branch=branch, level=Level.DISTRICT)
    HonorFactory(branch=branch, level=Level.SCHOOL)
    client.force_login(secretary)

    content = client.get(reverse("honors:honor-list"), {"typical": "yes"}).content.decode()

    assert "国家级 0，市级 1，区级 2，校级 0" in content


def test_secretary_registers_an_honor_with_a_certificate(client, secretary, branch):
    client.force_login(secretary)

    response = create(client, certificate=image_file())

    honor = Honor.objects.get(title="徐汇区先进职工之家")
    assert response.status_code == 302
    assert honor.branch == branch and honor.certificate
    served = client.get(reverse("honors:honor-certificate", args=[honor.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"


def test_a_text_file_renamed_to_jpg_is_refused(client, secretary):
    client.force_login(secretary)
    fake = SimpleUploadedFile("certificate.jpg", b"just some text, not an image", "image/jpeg")

    response = create(client, certificate=fake)

    assert response.status_code == 200
    assert response.context["form"].errors["certificate"]
    assert not Honor.objects.exists()


def test_a_huge_dimension_image_is_refused(client, secretary):
    client.force_login(secretary)
    huge = image_file(size=(13000, 10), image_format="PNG")

    response = create(client, certificate=huge)

    assert "证书图片尺寸过大" in response.context["form"].errors["certificate"][0]
    assert not Honor.objects.exists()


def test_a_decompression_bomb_is_refused(client, secretary, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    client.force_login(secretary)

    response = create(client, certificate=image_file(size=(100, 100)))

    assert response.context["form"].errors["certificate"]
    assert not Honor.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, secretary):
    client.force_login(secretary)
    png = image_file().read()
    big = SimpleUploadedFile("certificate.png", png + b"\0" * MAX_CERTIFICATE_BYTES, "image/png")

    response = create(client, certificate=big)

    assert "证书图片不能超过 5 MB" in response.context["form"].errors["certificate"][0]
    assert not Honor.objects.exists()


def test_an_extension_that_does_not_match_the_image_is_refused(client, secretary):
    client.force_login(secretary)

    response = create(client, certificate=image_file(name="certificate.jpg"))

    assert "与图片的实际格式（PNG）不符" in response.context["form"].errors["certificate"][0]


def test_a_personal_honor_needs_a_person_of_the_branch(client, secretary, branch, other_branch):
    client.force_login(secretary)

    missing = create(client, recipient="person")
    assert "个人荣誉须指定获奖个人" in missing.context["form"].errors["person"][0]
    outsider = create(client, recipient="person", person=PersonFactory(branch=other_branch).pk)
    assert outsider.context["form"].errors["person"]
    assert not Honor.objects.exists()


def test_delete_asks_first_and_deletes_on_post(
    client, secretary, branch, django_capture_on_commit_callbacks
):
    honor = HonorFactory(branch=branch, certificate=image_file())
    stored = Path(honor.certificate.path)
    client.force_login(secretary)
    url = reverse("honors:honor-delete", args=[honor.pk])

    confirm = client.get(url)
    assert "确定要删除荣誉" in confirm.content.decode()
    assert Honor.objects.filter(pk=honor.pk).exists() and stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert not Honor.objects.filter(pk=honor.pk).exists()
    assert not stored.exists()


def test_staff_read_but_cannot_change_honors(client, staff_user, branch):
    honor = HonorFactory(branch=branch)
    client.force_login(staff_user)

    assert client.get(reverse("honors:honor-detail", args=[honor.pk])).status_code == 200
    assert client.post(reverse("honors:honor-delete", args=[honor.pk])).status_code == 403
    assert Honor.objects.filter(pk=honor.pk).exists()


def test_another_branchs_secretary_cannot_see_the_certificate(client, outsider, branch):
    honor = HonorFactory(branch=branch, certificate=image_file())
    client.force_login(outsider)

    assert client.get(reverse("honors:honor-certificate", args=[honor.pk])).status_code == 403


@pytest.mark.parametrize("rows", [10, 300])
def test_list_query_count_does_not_grow_with_the_rows(
    client, secretary, branch, rows, django_assert_max_num_queries
):
    TypicalHonorFactory.create_batch(rows, branch=branch)
    client.force_login(secretary)

    with django_assert_max_num_queries(20):  # a query per row would add 30
        response = client.get(reverse("honors:honor-list"))
    assert response.context["page"].paginator.count == rows
