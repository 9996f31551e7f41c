"""The secretary runs campaigns in the browser: create (six carriers, or a copy), edit, close,
reopen; carriers, leading group, 分类定级 and 党建特色工作 without the admin."""

import datetime

import pytest
from django.urls import reverse

from mechanisms.models import FeaturedWork
from members.models import BranchRating, Campaign, Carrier, LeadingGroupRole
from members.services import SOURCE_CARRIERS
from tests.factories import CampaignFactory, CarrierFactory, LeadingGroupRoleFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _new(client, **data):
    payload = {
        "name": "2026年创先争优活动",
        "start": "2026-03-01",
        "end": "",
        "theme": "",
        "goals": "",
        "plan": "",
        "template": "source",
        "copy_from": "",
    } | data
    return client.post(reverse("members:campaign-create"), payload)


def test_secretary_creates_a_campaign_with_the_six_carriers_of_the_source(
    client, secretary, branch
):
    client.force_login(secretary)
    response = _new(client, theme="立足岗位创先进")
    campaign = Campaign.objects.get(branch=branch, name="2026年创先争优活动")
    assert response.status_code == 302
    assert response["Location"] == reverse("members:campaign-detail", args=[campaign.pk])
    assert [(c.name, c.aim) for c in campaign.carriers.order_by("order")] == SOURCE_CARRIERS
    assert campaign.end is None and campaign.theme == "立足岗位创先进"
    page = client.get(response["Location"]).content.decode()
    assert "以“公开承诺”为载体，树立党员形象谱写新篇" in page and "进行中" in page


def test_a_copy_of_the_previous_campaign_takes_its_carriers_goals_and_leading_group(
    client, secretary, branch
):
    old = CampaignFactory(branch=branch, plan="旧方案")
    CarrierFactory(campaign=old, order=1, name="师德建设", aim="树师表")
    leader, left = MemberFactory(branch=branch), MemberFactory(branch=branch)
    LeadingGroupRoleFactory(campaign=old, person=leader, role="leader", start=old.start, end=None)
    LeadingGroupRoleFactory(
        campaign=old, person=left, role="member", start=old.start, end=datetime.date(2011, 1, 1)
    )
    client.force_login(secretary)
    response = _new(client, template="copy", copy_from=old.pk, goals="新目标")
    assert response.status_code == 302
    new = Campaign.objects.get(name="2026年创先争优活动")
    assert [c.name for c in new.carriers.all()] == ["师德建设"]
    assert new.plan == "旧方案" and new.goals == "新目标"
    roles = list(LeadingGroupRole.objects.filter(campaign=new))
    assert [(r.person, r.role, r.start) for r in roles] == [
        (leader, "leader", datetime.date(2026, 3, 1))
    ]


def test_copy_without_a_campaign_chosen_is_refused_next_to_the_field(client, secretary, branch):
    client.force_login(secretary)
    response = _new(client, template="copy")
    assert response.status_code == 200
    assert "请选择要复制的活动。" in response.content.decode()
    assert not Campaign.objects.filter(branch=branch).exists()


def test_same_name_and_start_is_refused_with_a_message(client, secretary, branch):
    CampaignFactory(
        branch=branch, name="2026年创先争优活动", start=datetime.date(2026, 3, 1), end=None
    )
    client.force_login(secretary)
    response = _new(client)
    assert response.status_code == 200
    assert "本支部已有同名同期的活动。" in response.content.decode()


def test_secretary_edits_closes_and_reopens_a_campaign(client, secretary, branch):
    campaign = CampaignFactory(branch=branch, end=None)
    role = LeadingGroupRoleFactory(campaign=campaign, start=campaign.start, end=None)
    client.force_login(secretary)
    edit = client.get(reverse("members:campaign-update", args=[campaign.pk])).context["form"]
    data = {k: v for k, v in edit.initial.items() if v is not None}
    data |= {"start": "2010-06-01", "end": "", "theme": "新主题"}
    assert (
        client.post(reverse("members:campaign-update", args=[campaign.pk]), data).status_code == 302
    )
    campaign.refresh_from_db()
    assert campaign.theme == "新主题"

    url = reverse("members:campaign-close", args=[campaign.pk])
    assert client.post(url, {"on": "2009-01-01"}).status_code == 200  # before its start
    assert client.post(url, {"on": "2012-09-30"}).status_code == 302
    campaign.refresh_from_db()
    role.refresh_from_db()
    assert campaign.end == role.end == datetime.date(2012, 9, 30)
    assert client.post(reverse("members:campaign-reopen", args=[campaign.pk])).status_code == 302
    campaign.refresh_from_db()
    assert campaign.end is None


def test_carriers_are_added_edited_and_deleted_unless_in_use(client, secretary, branch):
    campaign = CampaignFactory(branch=branch)
    client.force_login(secretary)
    add = reverse("members:carrier-create", args=[campaign.pk])
    assert (
        client.post(add, {"order": 1, "name": "志愿服务", "aim": "进社区展形象"}).status_code == 302
    )
    again = client.post(add, {"order": 1, "name": "其他", "aim": "x"})
    assert "同一活动中载体序号不能重复。" in again.content.decode()
    carrier = Carrier.objects.get(campaign=campaign)
    from tests.factories import ActivityFactory

    ActivityFactory(branch=branch, carrier=carrier)
    delete = reverse("members:carrier-delete", args=[carrier.pk])
    assert client.post(delete).status_code == 200  # in use: kept
    assert Carrier.objects.filter(pk=carrier.pk).exists()


def test_rating_and_featured_work_are_entered_in_the_browser(client, secretary, branch):
    client.force_login(secretary)
    response = client.post(
        reverse("members:rating-create"),
        {"rated_on": "2026-04-01", "rating": "good", "rated_by": "区教育党工委", "occasion": ""},
    )
    assert response.status_code == 302
    assert branch.latest_rating(on=datetime.date(2026, 5, 1)).get_rating_display() == "好"
    response = client.post(
        reverse("mechanisms:featured-work-create"), {"order": 1, "text": "党小组建在年级组"}
    )
    assert response.status_code == 302
    assert list(FeaturedWork.objects.filter(branch=branch).values_list("text", flat=True)) == [
        "党小组建在年级组"
    ]
    page = client.get(reverse("members:rating-list")).content.decode()
    assert "区教育党工委" in page
    assert BranchRating.history.count() == 1


def test_staff_reads_campaigns_but_cannot_create_them(client, staff_user, branch):
    CampaignFactory(branch=branch, name="甲活动")
    client.force_login(staff_user)
    page = client.get(reverse("members:campaign-list")).content.decode()
    assert "甲活动" in page and "新建活动" not in page
    assert _new(client).status_code == 403


def test_empty_campaign_list_says_what_to_do(client, secretary):
    client.force_login(secretary)
    page = client.get(reverse("members:campaign-list")).content.decode()
    assert "请点击“新建活动”" in page


def test_campaign_pages_keep_their_tables_scrollable_on_a_phone(client, secretary, branch):
    """At 375 px a table wider than the screen scrolls inside .table-responsive, never the page."""
    import re

    campaign = CampaignFactory(branch=branch)
    CarrierFactory(campaign=campaign, order=1, name="公开承诺", aim="树立党员形象")
    client.force_login(secretary)
    for url in (
        reverse("members:campaign-list"),
        reverse("members:campaign-detail", args=[campaign.pk]),
        reverse("members:rating-list"),
        reverse("mechanisms:featured-work-list"),
    ):
        page = client.get(url).content.decode()
        tables = page.count("<table")
        wrapped = len(re.findall(r'<div class="table-responsive"[^>]*>\s*<table', page))
        assert tables and tables == wrapped, url


def test_the_campaign_as_of_a_day_is_the_running_one_else_the_latest_started_else_the_first(
    branch, django_assert_num_queries
):
    D = datetime.date
    campaigns = Campaign.objects.for_branch(branch)
    assert campaigns.as_of(D(2011, 1, 1)) is None
    later = CampaignFactory(branch=branch, start=D(2014, 1, 1), end=D(2014, 12, 31))
    earlier = CampaignFactory(branch=branch, start=D(2012, 1, 1), end=D(2012, 12, 31))
    open_ended = CampaignFactory(branch=branch, start=D(2010, 1, 1), end=None)
    same_start = CampaignFactory(branch=branch, start=D(2012, 1, 1), end=D(2012, 6, 30))
    CampaignFactory(start=D(2009, 1, 1), end=None)  # another branch's
    with django_assert_num_queries(1):
        assert campaigns.as_of(D(2012, 3, 1)) == same_start  # running, latest start, then pk
    assert campaigns.as_of(D(2012, 9, 1)) == earlier
    assert campaigns.as_of(D(2016, 1, 1)) == open_ended  # running (no end) beats later starts
    open_ended.end = D(2010, 12, 31)
    open_ended.save()
    assert campaigns.as_of(D(2016, 1, 1)) == later  # none running: the latest started
    assert campaigns.as_of(D(2013, 6, 1)) == same_start  # latest start, highest pk
    assert campaigns.as_of(D(2009, 6, 1)) == open_ended  # none started: the first
    assert campaigns.exclude(pk=open_ended.pk).as_of(D(2009, 6, 1)) == earlier  # then lowest pk
