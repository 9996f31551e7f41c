"""The committee table: every branch of a 上级党委 in one table, its workbook, who may open them."""

from __future__ import annotations

import datetime
import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Attendance
from committees.figures import QUERIES, CommitteePeriod, branch_table
from honors.models import Honor, Level
from members.models import BranchRating, Person
from pledges.models import PledgeItem
from reports.figures import Figures, ReportPeriod
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchFactory,
    BranchRatingFactory,
    CampaignFactory,
    CarrierFactory,
    HonorFactory,
    MeetingFactory,
    MemberFactory,
    PersonFactory,
    PledgeItemFactory,
    SignedPledgeFactory,
    UserFactory,
)

YEAR = 2011
URL = reverse("committees:branch-overview")
EXPORT_URL = reverse("committees:branch-overview-export")
CARRIERS = ("公开承诺", "结对帮扶")
CAMPAIGN = "创先争优活动"  # every branch's campaign, 2010-06-01 … 2012-09-30


def make_branch(committee, size: int, name: str | None = None):
    """A branch of ``committee`` whose figures grow with ``size`` (1, 2, 3 …)."""
    branch = BranchFactory(committee=committee, **({"short_name": name} if name else {}))
    campaign = CampaignFactory(branch=branch, name=CAMPAIGN)
    carriers = [
        CarrierFactory(campaign=campaign, order=i, name=name) for i, name in enumerate(CARRIERS, 1)
    ]
    members = [MemberFactory(branch=branch) for _ in range(size + 1)]
    PersonFactory(branch=branch)  # not a member
    signed_at = timezone.make_aware(datetime.datetime(YEAR, 3, 1, 9, 0))
    for person in members[:size]:
        pledge = SignedPledgeFactory(campaign=campaign, person=person, signed_at=signed_at)
    # signed in 2010: its pledge is still in force in 2011, so it counts in that year's rate
    SignedPledgeFactory(campaign=campaign, person=members[-1])
    for _ in range(size):
        PledgeItemFactory(pledge=pledge, deadline=datetime.date(2011, 6, 30))  # overdue
    PledgeItemFactory(pledge=pledge, deadline=datetime.date(2011, 6, 30), done_on=YEAR_DAY)
    for i in range(size):
        ActivityFactory(carrier=carriers[0], start_date=datetime.date(YEAR, 4, 1))
        ActivityFactory(carrier=carriers[i % 2], start_date=datetime.date(YEAR, 5, 1))
    ActivityFactory(carrier=carriers[1], start_date=datetime.date(2010, 12, 31))  # not in 2011
    for i in range(size):
        meeting = MeetingFactory(branch=branch, held_on=datetime.date(YEAR, 2, 1 + i))
        AttendanceFactory(meeting=meeting, person=members[0])
        AttendanceFactory(meeting=meeting, person=members[1], status=Attendance.Status.ABSENT)
    MeetingFactory(branch=branch, held_on=datetime.date(2012, 1, 5))
    HonorFactory(branch=branch, level=Level.DISTRICT, awarded_on=datetime.date(YEAR, 5, 4))
    for _ in range(size):
        HonorFactory(branch=branch, level=Level.SCHOOL, awarded_on=datetime.date(YEAR, 9, 10))
    if size != 2:
        rating = BranchRating.Rating.GOOD if size == 1 else BranchRating.Rating.AVERAGE
        BranchRatingFactory(branch=branch, rated_on=datetime.date(YEAR, 4, size), rating=rating)
    return branch


YEAR_DAY = datetime.date(YEAR, 5, 1)


def rows_by_branch(table):
    return {row.branch.pk: row for row in table.rows}


def test_committee_user_sees_only_its_own_committees_branches(client, committee_user, branch):
    mine = make_branch(branch.committee, 1, name="本委甲中学党支部")
    theirs = make_branch(BranchFactory().committee, 1, name="外委乙中学党支部")
    client.force_login(committee_user)

    response = client.get(URL, {"year": YEAR})

    assert response.status_code == 200
    shown = {row.branch.pk for row in response.context["table"].rows}
    assert shown == {branch.pk, mine.pk}
    assert "本委甲中学党支部" in response.content.decode()
    assert theirs.pk not in shown
    assert "外委乙中学党支部" not in response.content.decode()


@pytest.mark.parametrize("persona", ["secretary", "staff_user", "member", "outsider"])
@pytest.mark.parametrize("url", [URL, EXPORT_URL])
def test_branch_users_cannot_open_the_committee_table_or_its_export(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 403


def test_anonymous_user_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_superuser_sees_every_committees_branches(client, branch, other_branch):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(URL)
    assert {row.branch.pk for row in response.context["table"].rows} == {
        branch.pk,
        other_branch.pk,
    }


def test_table_figures_equal_each_branchs_own_figures(committee_user, branch):
    branches = [make_branch(branch.committee, size) for size in (1, 2, 3)]
    today = datetime.date(2013, 1, 10)
    period = CommitteePeriod.for_year(YEAR, today)
    committee_branches = type(branch).objects.filter(committee=branch.committee)

    rows = rows_by_branch(branch_table(committee_branches, period, today))

    for own in branches:
        row, figures = rows[own.pk], Figures(own, ReportPeriod.for_year(own, YEAR, today))
        assert row.members == figures.value("党员人数") > 0
        assert row.signers == figures.value("已签订承诺党员人数") > 0
        assert row.signed_percent == figures.value("承诺签订率")
        assert row.signing.members == figures.value("期内党员人数")
        assert row.activities == figures.value("活动总数") > 0
        for name in CARRIERS:
            assert row.carrier_count(name) == figures.value(f"{name}活动数")
        assert row.meetings == figures.value("组织生活次数") > 0
        assert row.attendance_rate == figures.value("组织生活出勤率") == 50
        honors = Honor.objects.for_branch(own).between(period.start, period.end)
        assert row.honors_by_level == honors.count_by_level()
        overdue = PledgeItem.objects.for_branch(own).tracked().overdue(today)
        assert row.overdue_items == overdue.count() > 0
        latest = own.latest_rating(on=period.end)
        assert row.rating == (latest.rating if latest else None)
    # the figures differ between the branches, so a mix-up would show
    assert [rows[b.pk].members for b in branches] == [2, 3, 4]
    assert [rows[b.pk].honors for b in branches] == [2, 3, 4]
    assert rows[branches[1].pk].rating is None
    assert rows[branch.pk].members == Person.objects.for_branch(branch).count() == 0


def test_a_campaign_covers_its_whole_span_and_matches_each_branchs_campaign_figures(
    client, committee_user, branch
):
    branches = [make_branch(branch.committee, size) for size in (1, 3)]
    client.force_login(committee_user)

    response = client.get(URL, {"campaign": CAMPAIGN, "year": YEAR})

    table = response.context["table"]
    assert (table.period.start, table.period.end) == (
        datetime.date(2010, 6, 1),
        datetime.date(2012, 9, 30),
    )
    assert f"{CAMPAIGN}（2010年6月至2012年9月）" in response.content.decode()
    rows = rows_by_branch(table)
    for own in branches:
        campaign = own.campaigns.get()
        figures = Figures(own, ReportPeriod.for_campaign(campaign, timezone.localdate()))
        row = rows[own.pk]
        assert row.activities == figures.value("活动总数")
        assert row.signers == figures.value("已签订承诺党员人数")
        assert row.signed_percent == figures.value("承诺签订率")
        assert row.meetings == figures.value("组织生活次数")
        assert row.members == figures.value("党员人数")
    # the 2010 activity and pledge count in the campaign, not in 2011
    assert rows[branches[0].pk].activities == 3
    assert rows[branches[0].pk].signers == 2


def test_an_unknown_campaign_is_refused_next_to_the_field(client, committee_user):
    client.force_login(committee_user)
    response = client.get(URL, {"campaign": "没有这个活动"})
    assert "选择一个有效的选项" in response.content.decode()
    assert response.context["table"].period.campaign == ""


def test_signed_percent_counts_pledges_still_in_force(committee_user, branch):
    own = make_branch(branch.committee, 3)
    today = datetime.date(2013, 1, 10)
    row = rows_by_branch(
        branch_table(
            type(branch).objects.filter(pk=own.pk), CommitteePeriod.for_year(YEAR, today), today
        )
    )[own.pk]
    assert (row.signers, row.members, row.signed_percent) == (4, 4, 100)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("members", ["小", "中", "大"]),
        ("-members", ["大", "中", "小"]),
        ("-activities", ["大", "中", "小"]),
        ("carrier1", ["小", "中", "大"]),
        ("-carrier2", ["中", "大", "小"]),  # 中 and 大 tie: by name
        ("level-school", ["小", "中", "大"]),
        ("-rating", ["小", "大", "中"]),  # 好 before 一般; no rating last
        ("name", ["中", "大", "小"]),
        ("no-such-column", ["中", "大", "小"]),  # by name
    ],
)
def test_table_sorts_by_the_chosen_column(client, committee_user, branch, sort, expected):
    committee = branch.committee
    branch.delete()
    for size, name in ((1, "小"), (2, "中"), (3, "大")):
        make_branch(committee, size, name=name)
    client.force_login(committee_user)

    response = client.get(URL, {"year": YEAR, "sort": sort})

    assert [row.branch.short_name for row in response.context["table"].rows] == expected


def test_a_year_in_the_future_is_refused_next_to_the_field(client, committee_user):
    client.force_login(committee_user)
    response = client.get(URL, {"year": 2999})
    assert response.status_code == 200
    assert "年度不能晚于" in response.content.decode()
    assert response.context["table"].period.year == timezone.localdate().year


def test_without_a_year_the_table_shows_the_year_the_last_campaign_ended(
    client, committee_user, branch
):
    make_branch(branch.committee, 1)  # its campaign ran from 2010-06 to 2012-09
    client.force_login(committee_user)
    assert client.get(URL).context["table"].period.year == 2012

    CampaignFactory(branch=branch, start=datetime.date(2020, 1, 1), end=None)  # still running
    assert client.get(URL).context["table"].period.year == timezone.localdate().year


def test_rows_drill_down_to_the_branchs_pages_which_the_committee_user_may_read(
    client, committee_user, branch
):
    own = make_branch(branch.committee, 2, name="下钻中学党支部")
    client.force_login(committee_user)
    page = client.get(URL, {"year": YEAR}).content.decode()

    links = [
        f"{reverse('activities:dashboard')}?branch={own.pk}",
        reverse("reports:report-branch", args=[own.pk]),
        f"{reverse('members:person-list')}?branch={own.pk}",
    ]
    for link in links:
        assert f'href="{link}"' in page
        response = client.get(link)
        assert response.status_code == 200, link
        assert response.context["branch"] == own


def test_export_has_one_row_per_branch_and_a_sheet_per_figure_group(client, committee_user, branch):
    branches = [make_branch(branch.committee, size) for size in (1, 3)]
    client.force_login(committee_user)

    response = client.get(EXPORT_URL, {"year": YEAR, "sort": "-members"})

    assert response.status_code == 200
    title = f"各党支部创先争优情况汇总（{YEAR}年度）.xlsx"
    assert f"filename*=utf-8''{quote(title)}" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [
        "各支部汇总",
        "党员与承诺",
        "活动（按载体）",
        "组织生活",
        "荣誉（按级别）",
        "分类定级",
    ]
    overview = list(workbook["各支部汇总"].values)
    header, body = overview[1], overview[2:]
    assert header[:6] == (
        "党支部",
        "党员人数",
        "承诺签订人数",
        "承诺签订率(%)",
        "逾期承诺事项",
        "活动总数",
    )
    assert [line[0] for line in body] == [
        branches[1].short_name,
        branches[0].short_name,
        branch.short_name,
    ]
    big = dict(zip(header, body[0], strict=True))
    assert (big["党员人数"], big["承诺签订人数"], big["承诺签订率(%)"]) == (4, 4, 100)
    assert (big["公开承诺活动数"], big["结对帮扶活动数"], big["活动总数"]) == (5, 1, 6)
    assert (big["荣誉·区级"], big["荣誉·校级"], big["荣誉合计"]) == (1, 3, 4)
    assert big["最近分类定级"] == "一般"
    honors = list(workbook["荣誉（按级别）"].values)
    assert honors[1] == ("党支部", *Level.labels, "合计")
    assert honors[2][0] == branches[1].short_name


def _queries(client, url, committee, count: int) -> int:
    for size in range(count):
        make_branch(committee, 1 + size % 3)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"year": YEAR})
        if url == EXPORT_URL:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [URL, EXPORT_URL])
def test_query_count_does_not_grow_with_the_number_of_branches(
    client, committee_user, branch, url, django_assert_max_num_queries
):
    client.force_login(committee_user)
    client.get(reverse("home"))  # the session's first renewal (a write) is not the page's
    two = _queries(client, url, branch.committee, 1)  # with the persona's branch: 2 branches
    eight = _queries(client, url, branch.committee, 6)  # 8 branches
    assert two == eight
    # the figures, the default year, and the page's own: session, user, roles, the branches'
    # data versions, savepoints
    with django_assert_max_num_queries(QUERIES + 11):
        client.get(url, {"year": YEAR})


@pytest.mark.django_db
def test_rows_are_cached_per_branch_and_a_change_works_out_only_its_branch_again(
    monkeypatch, committee_user
):
    from committees import figures
    from members.models import Branch

    committee = committee_user.role_assignments.get().committee
    first, second, third = (make_branch(committee, size) for size in (1, 2, 3))
    branches = Branch.objects.filter(committee=committee)
    today = datetime.date(2026, 12, 1)
    period = CommitteePeriod.for_year(YEAR, today)
    worked_out = []
    uncached = figures.branch_table

    def recording(stale, *args):
        worked_out.append(sorted(stale.values_list("pk", flat=True)))
        return uncached(stale, *args)

    monkeypatch.setattr(figures, "branch_table", recording)

    figures.cached_branch_table(branches, period, today)
    figures.cached_branch_table(branches, period, today)
    ActivityFactory(branch=second, start_date=datetime.date(YEAR, 6, 1))
    table = figures.cached_branch_table(branches, period, today)

    everyone = sorted(branches.values_list("pk", flat=True))
    assert worked_out == [everyone, [second.pk]]
    expected = uncached(branches, period, today)
    assert [(r.branch.pk, r.activities, r.members) for r in table.rows] == [
        (r.branch.pk, r.activities, r.members) for r in expected.rows
    ]
    assert table.carriers == expected.carriers
    assert {r.branch.pk: r.activities for r in table.rows}[third.pk] == 6
    assert first.pk in everyone
