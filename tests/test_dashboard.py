"""The secretary's dashboard: this campaign's figures, charts, deadlines and latest activities."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Attendance, Meeting
from honors.models import Honor, Level
from pledges.models import PledgeItem
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    CarrierFactory,
    HonorFactory,
    MeetingFactory,
    MemberFactory,
    PledgeFactory,
    PledgeItemFactory,
    SignedPledgeFactory,
    TypicalHonorFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def campaign(branch, today):
    """A running campaign, so "overdue" and "upcoming" are counted from today."""
    return CampaignFactory(branch=branch, start=today - datetime.timedelta(days=400), end=None)


@pytest.fixture
def carriers(campaign):
    return [
        CarrierFactory(campaign=campaign, order=i, name=name)
        for i, name in enumerate(["公开承诺", "志愿服务"], start=1)
    ]


def figures(client):
    return client.get(reverse("activities:dashboard")).context["board"].figures


def test_the_figures_come_from_the_records(client, secretary, branch, campaign, carriers, today):
    day = today - datetime.timedelta(days=30)
    ActivityFactory.create_batch(3, carrier=carriers[0], start_date=day)
    ActivityFactory(carrier=carriers[1], start_date=day)
    ActivityFactory(carrier=carriers[1], start_date=campaign.start - datetime.timedelta(days=1))
    signed = SignedPledgeFactory(campaign=campaign, signed_at=timezone.now())
    PledgeFactory(campaign=campaign)
    PledgeItemFactory(pledge=signed, deadline=today - datetime.timedelta(days=1))
    PledgeItemFactory(pledge=signed, deadline=today + datetime.timedelta(days=5), title="将到期")
    PledgeItemFactory(
        pledge=signed,
        deadline=day,
        done_on=day,
        fulfilment=PledgeItem.Fulfilment.FULFILLED,
    )
    meeting = MeetingFactory(branch=branch, held_on=day)
    Attendance.objects.create(meeting=meeting, person=signed.person, status="present")
    Attendance.objects.create(meeting=meeting, person=MemberFactory(branch=branch), status="absent")
    TypicalHonorFactory(branch=branch, level=Level.CITY, awarded_on=day)
    HonorFactory(branch=branch, level=Level.DISTRICT, awarded_on=day)
    client.force_login(secretary)

    f = figures(client)
    # members: the secretary, the two pledges' members and the absentee
    assert f["members"] == 4
    assert f["pledges_signed"] == 1
    assert f["pledge_status"] == {"signed": 1, "draft": 1}
    assert (f["items_open"], f["items_overdue"]) == (2, 1)
    assert f["items_fulfilment"]["fulfilled"] == 1
    assert f["activities_total"] == 4
    assert f["activities_by_carrier"] == [("公开承诺", 3), ("志愿服务", 1)]
    assert f["meetings_held"] == 1 and f["attendance_rate"] == Decimal("50.0")
    assert dict(f["typical_by_level"])["市级"] == 1
    assert dict(f["honors_by_level"]) == {"国家级": 0, "市级": 1, "区级": 1, "校级": 0}


def test_the_dashboard_agrees_with_the_reports_figures(client, secretary, branch, carriers, today):
    from reports.figures import Figures, ReportPeriod

    ActivityFactory.create_batch(2, carrier=carriers[1], start_date=today)
    client.force_login(secretary)
    board = client.get(reverse("activities:dashboard")).context["board"]
    shared = Figures(branch, ReportPeriod.for_campaign(board.campaign, today))
    assert board.figures["activities_total"] == shared.value("活动总数") == 2
    assert board.figures["members"] == shared.value("党员人数")


def test_charts_are_passed_as_json_for_chart_js(client, secretary, branch, carriers, today):
    ActivityFactory(carrier=carriers[0], start_date=today.replace(day=1))
    meeting = MeetingFactory(branch=branch, held_on=today, kind=Meeting.Kind.LECTURE)
    Attendance.objects.create(
        meeting=meeting, person=MemberFactory(branch=branch), status="present"
    )
    client.force_login(secretary)
    response = client.get(reverse("activities:dashboard"))
    page = response.content.decode()

    assert 'id="dashboard-charts"' in page
    assert "vendor/chartjs-4.6.1/chart.umd.min.js" in page
    charts = json.loads(
        page.split('id="dashboard-charts" type="application/json">')[1].split("</script>")[0]
    )
    months = charts["activities_by_month"]
    assert months["labels"][-1] == f"{today:%Y-%m}"
    assert [s["label"] for s in months["datasets"]] == ["公开承诺", "志愿服务"]
    assert months["datasets"][0]["data"][-1] == 1 and sum(months["datasets"][1]["data"]) == 0
    assert charts["attendance_by_kind"] == {"labels": ["党课"], "data": [100.0], "meetings": [1]}
    assert "已签署" in charts["pledge_status"]["labels"]


def test_upcoming_and_overdue_items_and_latest_activities_are_listed(
    client, secretary, campaign, carriers, today
):
    pledge = SignedPledgeFactory(campaign=campaign)
    PledgeItemFactory(pledge=pledge, title="逾期事项", deadline=today - datetime.timedelta(days=3))
    PledgeItemFactory(pledge=pledge, title="近期事项", deadline=today + datetime.timedelta(days=3))
    PledgeItemFactory(pledge=pledge, title="远期事项", deadline=today + datetime.timedelta(days=90))
    branch_pledge = SignedPledgeFactory(campaign=campaign, person=None, signature_name="书记")
    PledgeItemFactory(pledge=branch_pledge, title="支部事项", deadline=today)
    ActivityFactory(
        carrier=carriers[0], title="最新的活动", start_date=today, organiser=secretary.person
    )
    client.force_login(secretary)
    response = client.get(reverse("activities:dashboard"))
    board, page = response.context["board"], response.content.decode()

    assert [item.title for item in board.overdue_items] == ["逾期事项"]
    assert [item.title for item in board.upcoming_items] == ["支部事项", "近期事项"]
    assert board.latest_activities[0].title == "最新的活动"
    assert f"{pledge.person.name}：逾期事项" in page and "党支部：支部事项" in page
    assert f"{today:%Y-%m-%d} · {carriers[0].name} · {secretary.person.name}" in page


def test_a_branch_without_campaign_gets_a_hint_not_an_error(client, secretary):
    client.force_login(secretary)
    response = client.get(reverse("activities:dashboard"))
    assert response.status_code == 200
    assert "尚未建立创先争优活动" in response.content.decode()


def test_a_committee_user_chooses_the_branch(client, committee_user, branch, carriers, today):
    from tests.factories import BranchFactory

    sister = BranchFactory(committee=branch.committee)
    sister_carrier = CarrierFactory(campaign=CampaignFactory(branch=sister, end=None))
    ActivityFactory.create_batch(5, carrier=sister_carrier, start_date=today)
    client.force_login(committee_user)
    board = client.get(reverse("activities:dashboard"), {"branch": sister.pk}).context["board"]
    assert board.branch == sister and board.figures["activities_total"] == 5


def make_rows(branch, campaign, carriers, count, today):
    """``count`` activities, meetings with attendance, pledges with items, and honors."""
    day = today - datetime.timedelta(days=10)
    member = MemberFactory(branch=branch)
    Activity.objects.bulk_create(
        Activity(branch=branch, carrier=carriers[i % 2], title=f"活动{i}", start_date=day)
        for i in range(count)
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(branch=branch, kind=Meeting.Kind.GENERAL, held_on=day, topic=f"会{i}")
        for i in range(count)
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=m, person=member, status="present") for m in meetings
    )
    pledge = SignedPledgeFactory(campaign=campaign, person=member)
    PledgeItem.objects.bulk_create(
        PledgeItem(pledge=pledge, order=i, title=f"事项{i}", deadline=day) for i in range(count)
    )
    Honor.objects.bulk_create(
        Honor(branch=branch, recipient="school", title=f"荣誉{i}", level="school", awarded_on=day)
        for i in range(count)
    )


def test_the_dashboard_runs_as_many_queries_for_300_rows_as_for_10(
    client, secretary, branch, campaign, carriers, today, django_assert_max_num_queries
):
    client.force_login(secretary)
    make_rows(branch, campaign, carriers, 10, today)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("activities:dashboard"))
    make_rows(branch, campaign, carriers, 290, today)
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("activities:dashboard"))
    assert response.context["board"].figures["activities_total"] == 300
    assert response.context["board"].figures["items_overdue"] == 300
