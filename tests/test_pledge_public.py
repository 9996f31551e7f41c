"""The public pages (公示): what they show, when, and what they never show; the objection box."""

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from members.models import Campaign, Person
from pledges import throttle
from pledges.models import Pledge, PledgeObjection, PledgePublication
from tests.factories import (
    CampaignFactory,
    MemberFactory,
    PartyGroupMembershipFactory,
    PledgeFactory,
    PledgeItemFactory,
    PledgePointFactory,
    SignedPledgeFactory,
    StatusStageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


@pytest.fixture
def campaign(branch):
    return CampaignFactory(branch=branch, end=None)


def published(campaign, start=-1, end=30):
    return PledgePublication.objects.create(
        campaign=campaign, start=days(start), end=days(end) if end is not None else None
    )


def signed_pledge_of(person, campaign, **kwargs):
    pledge = SignedPledgeFactory(campaign=campaign, person=person, **kwargs)
    PledgePointFactory(pledge=pledge, point="study", text=f"{person.name}的学习承诺")
    PledgeItemFactory(pledge=pledge, title=f"{person.name}的事项", deadline=days(10))
    return pledge


def pages(client, campaign):
    """The page, the screen (with its embedded data decoded) and the JSON, as text."""
    args = [campaign.branch_id, campaign.pk]
    screen = client.get(reverse("pledges:public-screen", args=args))
    embedded = re.search(
        r'<script id="screen-data" type="application/json">(.*?)</script>',
        screen.content.decode(),
        re.S,
    )
    data = json.dumps(json.loads(embedded.group(1)), ensure_ascii=False)
    return {
        "page": client.get(reverse("pledges:public-page", args=args)).content.decode(),
        "screen": screen.content.decode() + data,
        "json": client.get(reverse("pledges:public-data", args=args)).content.decode(),
    }


def private_strings(person: Person) -> list[str]:
    """A person's phone and birth date, in the forms they could be printed in."""
    strings = [person.phone] if person.phone else []
    if person.birth_date:
        b = person.birth_date
        strings += [
            b.isoformat(),
            f"{b.year}年{b.month}月{b.day}日",
            f"{b.year}年{b.month:02d}月{b.day:02d}日",
            f"{b:%Y/%m/%d}",
            f"{b:%Y%m%d}",
            f"{b.year}.{b.month}.{b.day}",
        ]
    return strings


def test_the_public_page_shows_name_post_group_text_and_items(client, branch, campaign):
    person = MemberFactory(branch=branch, name="张明", post="数学教师")
    PartyGroupMembershipFactory(
        group__branch=branch, group__name="初二党小组", person=person, start=days(-100)
    )
    signed_pledge_of(person, campaign, summary="做学生喜爱的老师")
    published(campaign)
    for name, text in pages(client, campaign).items():
        assert "张明" in text, name
        assert "数学教师" in text, name
        assert "初二党小组" in text, name
        assert "张明的学习承诺" in text, name
        assert "张明的事项" in text, name
    data = client.get(reverse("pledges:public-data", args=[branch.pk, campaign.pk])).json()
    assert data["open"] is True
    assert [p["name"] for p in data["pledges"]] == ["张明"]
    assert set(data["pledges"][0]) == {
        "id",
        "name",
        "post",
        "group",
        "is_branch",
        "standard",
        "summary",
        "signed_on",
        "signature",
        "points",
        "items",
    }


def test_the_public_pages_never_contain_a_members_phone_or_birth_date(
    client, branch, campaign, secretary
):
    people = [
        MemberFactory(branch=branch, phone="13912345678", birth_date=datetime.date(1968, 3, 9)),
        MemberFactory(branch=branch, phone="021-64361234", birth_date=datetime.date(1985, 11, 23)),
    ]
    for person in people:
        StatusStageFactory(person=person, start=datetime.date(1999, 7, 1))
        pledge = signed_pledge_of(person, campaign, review_comment="内部审核意见：勿公开")
        PledgeObjection.objects.create(campaign=campaign, pledge=pledge, text="群众意见勿公开")
    published(campaign)
    for name, text in pages(client, campaign).items():
        for person in people:
            assert person.name in text
            for private in private_strings(person):
                assert private not in text, f"{private} on the {name}"
        assert "内部审核意见" not in text
        assert "群众意见勿公开" not in text
        assert "预备党员" not in text and "正式党员" not in text  # no status history


def test_the_demo_datas_public_page_has_no_phone_or_birth_date(client):
    call_command("load_demo", verbosity=0)
    campaign = Campaign.objects.filter(pledges__isnull=False).distinct().get()
    PledgePublication.objects.update_or_create(
        campaign=campaign, defaults={"start": days(-1), "end": days(1)}
    )
    texts = pages(client, campaign)
    shown = json.loads(texts["json"])["pledges"]
    assert len(shown) == Pledge.objects.filter(campaign=campaign).latest_signed().count() >= 19
    people = Person.objects.filter(pledges__campaign=campaign).distinct()
    assert people.exclude(phone="").exists() and people.exclude(birth_date=None).exists()
    for name, text in texts.items():
        for person in Person.objects.all():
            for private in private_strings(person):
                assert private not in text, f"{person.name}: {private} on the {name}"


def test_nothing_is_shown_outside_the_publication_window(client, member, campaign):
    signed_pledge_of(member.person, campaign)
    windows = [None, (1, 10), (-10, -1)]  # none set, not yet started, over
    for window in windows:
        PledgePublication.objects.filter(campaign=campaign).delete()
        if window:
            published(campaign, *window)
        for name, text in pages(client, campaign).items():
            assert "党员甲" not in text, (window, name)
        data = client.get(reverse("pledges:public-data", args=[campaign.branch_id, campaign.pk]))
        assert data.json()["open"] is False and data.json()["pledges"] == []
    PledgePublication.objects.filter(campaign=campaign).delete()
    published(campaign, -1, None)  # open-ended
    assert "党员甲" in pages(client, campaign)["page"]


def test_only_signed_pledges_are_published(client, branch, campaign):
    drafts = {}
    for status in ["draft", "submitted", "returned", "approved"]:
        person = MemberFactory(branch=branch, name=f"未签署{status}")
        drafts[status] = PledgeFactory(campaign=campaign, person=person, status=status)
    signed_pledge_of(MemberFactory(branch=branch, name="已签署者"), campaign)
    published(campaign)
    for text in pages(client, campaign).values():
        assert "已签署者" in text
        for status in drafts:
            assert f"未签署{status}" not in text


def test_a_campaign_of_another_branch_is_not_found_under_this_branch(
    client, campaign, other_branch
):
    assert (
        client.get(reverse("pledges:public-page", args=[other_branch.pk, campaign.pk])).status_code
        == 404
    )


def test_the_screen_rotates_at_the_requested_pace_within_bounds(client, member, campaign):
    signed_pledge_of(member.person, campaign)
    published(campaign)
    url = reverse("pledges:public-screen", args=[campaign.branch_id, campaign.pk])
    html = client.get(url, {"seconds": "20", "refresh": "120"}).content.decode()
    assert 'data-seconds="20"' in html and 'data-refresh="120"' in html
    assert reverse("pledges:public-data", args=[campaign.branch_id, campaign.pk]) in html
    assert "pledges/screen.js" in html
    assert "<nav" not in html and "<button" not in html and "<a " not in html  # no controls
    html = client.get(url, {"seconds": "1", "refresh": "999999"}).content.decode()
    assert 'data-seconds="5"' in html and 'data-refresh="3600"' in html
    html = client.get(url, {"seconds": "abc"}).content.decode()
    assert 'data-seconds="15"' in html


def objection(client, campaign, text, address="10.0.0.1", **fields):
    return client.post(
        reverse("pledges:public-objection", args=[campaign.branch_id, campaign.pk]),
        {"text": text, **fields},
        REMOTE_ADDR=address,
    )


def test_anyone_can_leave_an_objection_signed_or_anonymous(client, member, secretary, campaign):
    pledge = signed_pledge_of(member.person, campaign)
    published(campaign)
    assert objection(client, campaign, "匿名意见一").status_code == 302
    response = objection(
        client, campaign, "署名意见二", name="王大妈", contact="居委会", pledge=str(pledge.pk)
    )
    assert response.status_code == 302
    anonymous, signed = PledgeObjection.objects.order_by("pk")
    assert (anonymous.name, anonymous.pledge, anonymous.campaign) == ("", None, campaign)
    assert (signed.name, signed.contact, signed.pledge) == ("王大妈", "居委会", pledge)

    # Never shown publicly …
    for name, text in pages(client, campaign).items():
        assert "匿名意见一" not in text and "署名意见二" not in text and "王大妈" not in text, name
    # … but listed for the secretary, who records how it was handled.
    client.force_login(secretary)
    listing = client.get(reverse("pledges:objection-list")).content.decode()
    assert "匿名意见一" in listing and "署名意见二" in listing and "王大妈" in listing
    client.post(reverse("pledges:objection-handle", args=[signed.pk]), {"note": "已与本人沟通"})
    signed.refresh_from_db()
    assert signed.handled_by == secretary and signed.handling_note == "已与本人沟通"


def test_the_objection_box_is_rate_limited_per_address(client, member, campaign):
    signed_pledge_of(member.person, campaign)
    published(campaign)
    for i in range(throttle.OBJECTION_LIMIT):
        assert objection(client, campaign, f"意见{i}").status_code == 302
    response = objection(client, campaign, "超过次数的意见")
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert not PledgeObjection.objects.filter(text="超过次数的意见").exists()
    assert objection(client, campaign, "另一个地址的意见", address="10.0.0.2").status_code == 302
    assert PledgeObjection.objects.count() == throttle.OBJECTION_LIMIT + 1


def test_an_objection_needs_text_and_an_open_window(client, member, campaign):
    signed_pledge_of(member.person, campaign)
    response = objection(client, campaign, "公示前的意见")
    assert response.status_code == 404
    published(campaign)
    response = objection(client, campaign, "")
    assert response.status_code == 400
    assert "请填写意见内容" in response.content.decode()
    assert not PledgeObjection.objects.exists()


def test_the_public_pages_query_count_does_not_grow_with_pledges(
    client, branch, campaign, django_assert_max_num_queries
):
    published(campaign)

    def add(n):
        for _ in range(n):
            person = MemberFactory(branch=branch)
            PartyGroupMembershipFactory(group__branch=branch, person=person)
            pledge = signed_pledge_of(person, campaign)
            PledgeItemFactory(pledge=pledge)

    urls = [
        reverse(name, args=[branch.pk, campaign.pk])
        for name in ("pledges:public-page", "pledges:public-screen", "pledges:public-data")
    ]
    add(2)
    for url in urls:
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200
    add(15)
    for url in urls:
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200
