"""The mechanisms registry: list and filters, create / edit / delete, documents checked."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from mechanisms.forms import MAX_DOCUMENT_BYTES
from mechanisms.models import Category, Mechanism
from tests.factories import CampaignFactory, MechanismFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("党务公开相关制度")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(name, content) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def create(client, **overrides):
    data = {"name": "党务公开相关制度", "category": "democracy", "established_on": "2011-03-01"}
    data.update(overrides)
    return client.post(reverse("mechanisms:mechanism-create"), data)


def test_list_filters_by_category_and_new_in_campaign(client, secretary, branch):
    campaign = CampaignFactory(branch=branch)
    MechanismFactory(
        branch=branch,
        name="永葆党员政治本色监督机制",
        category=Category.INTEGRITY,
        campaign=campaign,
        is_new=True,
    )
    MechanismFactory(branch=branch, name="三会一课制度", category=Category.ORGANISATION)
    MechanismFactory(branch=branch, name="校务公开", category=Category.DEMOCRACY, campaign=campaign)
    MechanismFactory(name="别的支部的制度")
    client.force_login(secretary)

    def names(**params):
        response = client.get(reverse("mechanisms:mechanism-list"), params)
        return sorted(m.name for m in response.context["page"])

    assert names() == sorted(["永葆党员政治本色监督机制", "三会一课制度", "校务公开"])
    assert names(category="organisation") == ["三会一课制度"]
    assert names(new="yes", campaign=campaign.pk) == ["永葆党员政治本色监督机制"]
    assert names(new="no") == sorted(["三会一课制度", "校务公开"])
    assert names(q="监督") == ["永葆党员政治本色监督机制"]


def test_list_counts_by_category_in_the_documents_order(client, secretary, branch):
    MechanismFactory.create_batch(3, branch=branch, category=Category.IDEOLOGY)
    MechanismFactory.create_batch(4, branch=branch, category=Category.INTEGRITY)
    client.force_login(secretary)

    content = client.get(reverse("mechanisms:mechanism-list")).content.decode()

    assert "思想建设 3，组织建设 0，民主建设 0，作风建设 0，反腐倡廉建设 4" in content


def test_repealed_mechanisms_filter(client, secretary, branch):
    MechanismFactory(branch=branch, name="旧制度", repealed_on=datetime.date(2012, 1, 1))
    MechanismFactory(branch=branch, name="现行制度")
    client.force_login(secretary)

    response = client.get(reverse("mechanisms:mechanism-list"), {"in_force": "no"})

    assert [m.name for m in response.context["page"]] == ["旧制度"]


@pytest.mark.parametrize(("name", "content"), [("rule.pdf", PDF), ("rule.docx", None)])
def test_a_real_pdf_or_docx_is_accepted_and_downloaded(client, secretary, branch, name, content):
    content = content or docx_bytes()
    client.force_login(secretary)

    response = create(client, document=upload(name, content))

    mechanism = Mechanism.objects.get(branch=branch)
    assert response.status_code == 302
    download = client.get(reverse("mechanisms:mechanism-document", args=[mechanism.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rule.txt", b"plain text", "只接受 PDF 或 Word"),
        ("rule.exe", b"MZ\x90\x00", "只接受 PDF 或 Word"),
        ("rule.doc", b"\xd0\xcf\x11\xe0", "只接受 PDF 或 Word"),
        ("rule.pdf", b"just text renamed", "不是有效的 PDF"),
        ("rule.pdf", b"PK\x03\x04 a zip", "不是有效的 PDF"),
        ("rule.docx", PDF, "不是有效的 Word"),
        ("rule.docx", b"PK\x03\x04 broken zip", "不是有效的 Word"),
    ],
)
def test_a_document_of_another_type_is_refused(client, secretary, name, content, message):
    client.force_login(secretary)

    response = create(client, document=upload(name, content))

    assert response.status_code == 200
    assert message in response.context["form"].errors["document"][0]
    assert not Mechanism.objects.exists()


def test_a_zip_renamed_to_docx_is_refused(client, secretary):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"x")
    client.force_login(secretary)

    response = create(client, document=upload("rule.docx", buffer.getvalue()))

    assert "不是有效的 Word" in response.context["form"].errors["document"][0]


def test_a_document_over_the_size_limit_is_refused(client, secretary):
    client.force_login(secretary)

    response = create(client, document=upload("rule.pdf", PDF + b"\0" * MAX_DOCUMENT_BYTES))

    assert "制度文件不能超过 10 MB" in response.context["form"].errors["document"][0]


def test_new_without_campaign_and_duplicate_names_are_named_next_to_the_field(
    client, secretary, branch
):
    MechanismFactory(branch=branch, name="党务公开相关制度")
    client.force_login(secretary)

    response = create(client, is_new="on")

    errors = response.context["form"].errors
    assert "本支部已有同名制度" in errors["name"][0]
    assert "须指明所属活动" in errors["campaign"][0]


def test_edit_and_delete(client, secretary, branch):
    mechanism = MechanismFactory(branch=branch, name="旧名")
    client.force_login(secretary)

    client.post(
        reverse("mechanisms:mechanism-update", args=[mechanism.pk]),
        {"name": "新名", "category": "conduct", "established_on": "2011-03-01"},
    )
    mechanism.refresh_from_db()
    assert (mechanism.name, mechanism.category) == ("新名", "conduct")

    url = reverse("mechanisms:mechanism-delete", args=[mechanism.pk])
    assert "确定要删除制度" in client.get(url).content.decode()
    client.post(url)
    assert not Mechanism.objects.exists()


def test_committee_reads_but_cannot_change(client, committee_user, branch):
    mechanism = MechanismFactory(branch=branch)
    client.force_login(committee_user)

    assert (
        client.get(reverse("mechanisms:mechanism-detail", args=[mechanism.pk])).status_code == 200
    )
    assert (
        client.post(reverse("mechanisms:mechanism-delete", args=[mechanism.pk])).status_code == 403
    )


@pytest.mark.parametrize("rows", [10, 300])
def test_list_query_count_does_not_grow_with_the_rows(
    client, secretary, branch, rows, django_assert_max_num_queries
):
    campaign = CampaignFactory(branch=branch)
    MechanismFactory.create_batch(rows, branch=branch, campaign=campaign)
    client.force_login(secretary)

    with django_assert_max_num_queries(20):  # a query per row would add 30
        response = client.get(reverse("mechanisms:mechanism-list"))
    assert response.context["page"].paginator.count == rows
