"""A pledge's life through the browser's eyes: write → submit → return → resubmit → approve →
sign → publish → progress → rate; a signed pledge refuses edits; a new version keeps the old."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common.history import who
from pledges import services
from pledges.models import FIVE_LEADS, Pledge, PledgeItem, PledgePublication
from tests.factories import PASSWORD, CampaignFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def in_days(n: int) -> str:
    return (today() + datetime.timedelta(days=n)).isoformat()


def pledge_data(items, *, points=None, summary="立足岗位，争当优秀共产党员。", action="save"):
    """POST data of the pledge form: the five points and ``items`` (dicts of the item fields)."""
    points = points or {code: f"{label}：我的承诺。" for code, label in FIVE_LEADS}
    initial = sum(1 for item in items if item.get("id"))
    data = {
        "summary": summary,
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(initial),
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "30",
        action: "1",
    }
    data.update({f"point_{code}": text for code, text in points.items()})
    for i, item in enumerate(items):
        for name in ("id", "title", "target", "deadline"):
            if item.get(name) is not None:
                data[f"items-{i}-{name}"] = item[name]
        if item.get("delete"):
            data[f"items-{i}-DELETE"] = "on"
    return data


def existing_items(pledge):
    return [
        {"id": str(i.pk), "title": i.title, "target": i.target, "deadline": i.deadline.isoformat()}
        for i in pledge.items.order_by("order")
    ]


@pytest.fixture
def campaign(branch):
    return CampaignFactory(branch=branch, start=datetime.date(2010, 6, 1), end=None)


def write_pledge(client, member, campaign, items=None) -> Pledge:
    client.force_login(member)
    items = items or [
        {"title": "上好每一节课", "target": "学生满意度90%以上", "deadline": in_days(60)},
        {"title": "结对辅导两名学生", "target": "每周一次", "deadline": in_days(90)},
    ]
    response = client.post(reverse("pledges:pledge-create", args=[campaign.pk]), pledge_data(items))
    assert response.status_code == 302, response.content.decode()
    return Pledge.objects.get(campaign=campaign, person=member.person)


def test_the_whole_life_cycle_through_the_client(client, member, secretary, campaign):
    # The member sees the campaign on 我的承诺 and writes a pledge: a draft.
    client.force_login(member)
    page = client.get(reverse("pledges:my-pledges"))
    assert reverse("pledges:pledge-create", args=[campaign.pk]) in page.content.decode()
    pledge = write_pledge(client, member, campaign)
    assert pledge.status == Pledge.Status.DRAFT
    assert pledge.points.count() == 5
    assert list(pledge.items.values_list("order", "title")) == [
        (1, "上好每一节课"),
        (2, "结对辅导两名学生"),
    ]

    # Submit.
    response = client.post(reverse("pledges:pledge-submit", args=[pledge.pk]))
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED

    # The secretary finds it in the queue; returning it needs a comment.
    client.force_login(secretary)
    queue = client.get(reverse("pledges:pledge-list"), {"campaign": campaign.pk})
    assert reverse("pledges:pledge-review", args=[pledge.pk]) in queue.content.decode()
    review_url = reverse("pledges:pledge-review", args=[pledge.pk])
    response = client.post(review_url, {"decision": "return", "comment": ""})
    assert response.status_code == 200
    assert "退回时请填写审核意见" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED
    client.post(review_url, {"decision": "return", "comment": "第二项请写明辅导的学科。"})
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.RETURNED
    assert pledge.review_comment == "第二项请写明辅导的学科。"
    assert pledge.reviewed_by == secretary

    # The member reads the comment, edits (drops the first item, changes the second, adds one)
    # and resubmits in the same step.
    client.force_login(member)
    assert "第二项请写明辅导的学科。" in client.get(
        reverse("pledges:pledge-detail", args=[pledge.pk])
    ).content.decode("utf-8")
    items = existing_items(pledge)
    items[0]["delete"] = True
    items[1]["title"] = "结对辅导两名学生的数学"
    items.append({"title": "读两本教育专著", "target": "写读书笔记", "deadline": in_days(120)})
    response = client.post(
        reverse("pledges:pledge-edit", args=[pledge.pk]), pledge_data(items, action="submit")
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SUBMITTED
    assert list(pledge.items.values_list("order", "title")) == [
        (1, "结对辅导两名学生的数学"),
        (2, "读两本教育专著"),
    ]

    # Approve, then the member signs with their password and their name.
    client.force_login(secretary)
    client.post(review_url, {"decision": "approve", "comment": "同意。"})
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.APPROVED
    client.force_login(member)
    response = client.post(
        reverse("pledges:pledge-sign", args=[pledge.pk]),
        {"confirm": "on", "signature_name": "党员甲", "password": PASSWORD},
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SIGNED
    assert pledge.signed_by == member
    assert pledge.signature_name == "党员甲"
    assert pledge.signed_at is not None
    assert pledge.signed_hash == pledge.text_hash()

    # The secretary opens the publication window; the public page shows the pledge.
    client.force_login(secretary)
    response = client.post(
        reverse("pledges:publication-edit", args=[campaign.pk]),
        {"start": in_days(-1), "end": in_days(30), "note": ""},
    )
    assert response.status_code == 302
    assert PledgePublication.objects.get(campaign=campaign).end == today() + datetime.timedelta(30)
    client.logout()
    public_url = reverse("pledges:public-page", args=[campaign.branch_id, campaign.pk])
    public = client.get(public_url).content.decode()
    assert "党员甲" in public
    assert "结对辅导两名学生的数学" in public

    # Progress with a photo: the item is done.
    client.force_login(member)
    item = pledge.items.get(order=1)
    with open_photo() as photo:
        response = client.post(
            reverse("pledges:item-progress", args=[item.pk]),
            {"text": "已完成一学期的辅导。", "done_on": in_days(0), "photos": photo},
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.progress == "已完成一学期的辅导。"
    assert item.done_on == today()
    assert item.updates.get().photos.count() == 1

    # The secretary rates it; the public page shows progress and rating.
    client.force_login(secretary)
    response = client.post(
        reverse("pledges:item-rate", args=[item.pk]), {"fulfilment": "fulfilled", "comment": ""}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.fulfilment == PledgeItem.Fulfilment.FULFILLED
    assert item.rated_by == secretary
    client.logout()
    public = client.get(public_url).content.decode()
    assert "已完成一学期的辅导。" in public
    assert "已兑现" in public

    # The signature still covers the text: progress and rating are not part of it.
    pledge.refresh_from_db()
    assert pledge.signature_is_intact()


def open_photo():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    return _Closing(SimpleUploadedFile("evidence.jpg", buffer.getvalue(), "image/jpeg"))


class _Closing:
    def __init__(self, upload):
        self.upload = upload

    def __enter__(self):
        return self.upload

    def __exit__(self, *exc):
        self.upload.close()


def signed_pledge(client, member, secretary, campaign) -> Pledge:
    """A pledge taken through submit, approve and sign by the services."""
    pledge = write_pledge(client, member, campaign)
    services.pledge_submit(pledge=pledge)
    services.pledge_approve(pledge=pledge, by=secretary)
    services.pledge_sign(pledge=pledge, by=member, signature_name="党员甲")
    pledge.refresh_from_db()
    return pledge


def test_a_signed_pledge_refuses_edits(client, member, secretary, campaign):
    pledge = signed_pledge(client, member, secretary, campaign)
    text_before = pledge.signed_text()
    client.force_login(member)

    items = existing_items(pledge)
    items[0]["title"] = "偷偷改掉的事项"
    points = {code: "改过的承诺" for code, _ in FIVE_LEADS}
    edit_url = reverse("pledges:pledge-edit", args=[pledge.pk])
    response = client.post(edit_url, pledge_data(items, points=points), follow=True)
    assert "已签署的承诺书不能修改" in response.content.decode()
    assert client.get(edit_url).status_code == 302
    response = client.post(reverse("pledges:pledge-submit", args=[pledge.pk]), follow=True)
    assert "不能提交审核" in response.content.decode()

    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SIGNED
    assert pledge.signed_text() == text_before
    assert pledge.signature_is_intact()
    with pytest.raises(services.PledgeStateError):
        services.pledge_return(pledge=pledge, by=secretary, comment="再改改")


def test_a_new_version_keeps_the_old_signed_one_readable(client, member, secretary, campaign):
    old = signed_pledge(client, member, secretary, campaign)
    old_hash = old.signed_hash
    PledgePublication.objects.create(campaign=campaign, start=today())
    client.force_login(member)

    assert client.get(reverse("pledges:pledge-revise", args=[old.pk])).status_code == 200
    response = client.post(reverse("pledges:pledge-revise", args=[old.pk]))
    new = Pledge.objects.get(previous=old)
    assert response.status_code == 302
    assert response["Location"] == reverse("pledges:pledge-edit", args=[new.pk])
    old.refresh_from_db()
    assert old.status == Pledge.Status.SUPERSEDED
    assert (new.version, new.status, new.signed_at) == (2, Pledge.Status.DRAFT, None)
    assert [p.text for p in new.points.all()] == [p.text for p in old.points.all()]
    assert list(new.items.values_list("order", "title", "deadline")) == list(
        old.items.values_list("order", "title", "deadline")
    )

    # The member changes the new version; the old one keeps its text and its signature.
    items = existing_items(new)
    items[0]["title"] = "上好每一节课，开一节区级公开课"
    client.post(reverse("pledges:pledge-edit", args=[new.pk]), pledge_data(items))
    old_page = client.get(reverse("pledges:pledge-detail", args=[old.pk])).content.decode()
    assert "目前有效的第1版" in old_page  # in force until the new version is signed
    assert "上好每一节课" in old_page and "区级公开课" not in old_page
    assert "内容与签署时一致" in old_page and old_hash not in old_page  # no hash for a member
    old.refresh_from_db()
    assert old.signed_hash == old_hash and old.signature_is_intact()

    # Until the new version is signed, the public page shows the old one.
    public_url = reverse("pledges:public-page", args=[campaign.branch_id, campaign.pk])
    public = client.get(public_url).content.decode()
    assert "区级公开课" not in public and "上好每一节课" in public

    services.pledge_submit(pledge=new)
    services.pledge_approve(pledge=new, by=secretary)
    client.post(
        reverse("pledges:pledge-sign", args=[new.pk]),
        {"confirm": "on", "signature_name": "党员甲", "password": PASSWORD},
    )
    new.refresh_from_db()
    assert new.status == Pledge.Status.SIGNED
    public = client.get(public_url).content.decode()
    assert "上好每一节课，开一节区级公开课" in public
    old_page = client.get(reverse("pledges:pledge-detail", args=[old.pk])).content.decode()
    assert "已被新版本替代" in old_page  # now that version 2 is signed
    assert public.count("党员甲的承诺") <= 1  # one pledge per member on the page
    # Counted once among the signers, whatever the number of signed versions.
    assert Pledge.objects.filter(campaign=campaign).signers_count() == 1


def test_the_secretary_reads_the_change_history(client, member, secretary, campaign):
    pledge = write_pledge(client, member, campaign)
    client.post(reverse("pledges:pledge-submit", args=[pledge.pk]))
    client.force_login(secretary)
    client.post(
        reverse("pledges:pledge-review", args=[pledge.pk]),
        {"decision": "return", "comment": "请细化目标。"},
    )
    client.force_login(member)
    items = existing_items(pledge)
    items[0]["target"] = "学生满意度95%以上"
    client.post(reverse("pledges:pledge-edit", args=[pledge.pk]), pledge_data(items))

    client.force_login(secretary)
    page = client.get(reverse("pledges:pledge-history", args=[pledge.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "请细化目标。" in html  # the review comment as a change of the pledge
    assert "学生满意度90%以上" in html and "学生满意度95%以上" in html  # old → new target
    # who did it, named as on every history page (the person's name, else the account)
    assert who(secretary) in html and who(member) in html
    assert member.person.name == who(member)
    assert "创建承诺事项" in html  # the one label set of common.history


def test_the_branch_pledge_is_written_and_signed_by_the_secretary(client, secretary, campaign):
    client.force_login(secretary)
    from pledges.models import FIVE_GOODS

    points = {code: f"{label}方面的承诺" for code, label in FIVE_GOODS}
    items = [{"title": "创建区先进基层党支部", "target": "", "deadline": in_days(200)}]
    response = client.post(
        reverse("pledges:branch-pledge-create", args=[campaign.pk]),
        pledge_data(items, points=points, action="submit"),
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get(campaign=campaign, person__isnull=True)
    assert pledge.status == Pledge.Status.SUBMITTED
    assert sorted(pledge.points.values_list("point", flat=True)) == sorted(
        code for code, _ in FIVE_GOODS
    )
    client.post(reverse("pledges:pledge-review", args=[pledge.pk]), {"decision": "approve"})
    response = client.post(
        reverse("pledges:pledge-sign", args=[pledge.pk]),
        {"confirm": "on", "signature_name": "书记甲", "password": PASSWORD},
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SIGNED
    assert (pledge.signed_by, pledge.signature_name) == (secretary, "书记甲")


def test_the_item_formset_reports_errors_next_to_the_item(client, member, campaign):
    client.force_login(member)
    items = [{"title": "", "target": "", "deadline": "2009-01-01"}, {"title": "有标题"}]
    response = client.post(reverse("pledges:pledge-create", args=[campaign.pk]), pledge_data(items))
    assert response.status_code == 200
    html = response.content.decode()
    assert "请填写承诺事项。" in html
    assert "完成时限不能早于活动开始日期" in html
    assert "请填写完成时限。" in html
    assert not Pledge.objects.exists()
