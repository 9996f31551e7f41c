"""Every period, not one campaign: the demo's 2010, 2011, 2012 and campaign, and a new 2026
campaign; the dashboard's period switcher; one signing rate everywhere, never above 100 %."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from committees.figures import CommitteePeriod, branch_table
from members.models import Branch, Campaign
from members.services import campaign_create
from reports.dashboard import build_dashboard
from reports.figures import Figures, ReportPeriod, default_campaign
from reports.forms import ReportPeriodForm

D = datetime.date
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=io.StringIO())
        branch = Branch.objects.get(short_name="田林二中党支部")
        campaign = Campaign.objects.get(branch=branch, name="创先争优活动")
        yield SimpleNamespace(branch=branch, campaign=campaign)
        transaction.set_rollback(True)


def new_campaign(demo):
    return campaign_create(
        branch=demo.branch,
        fields={"name": "2026年创先争优活动", "start": D(2026, 3, 1), "end": None},
        template="copy",
        copy_from=demo.campaign,
    )


def committee_row(branch, period, today):
    table = branch_table(Branch.objects.filter(pk=branch.pk), period, today)
    return table.rows[0]


@pytest.mark.parametrize("year", [2010, 2011, 2012])
def test_signing_rate_of_each_demo_year_is_a_share_of_that_years_members(demo, db, year):
    today = timezone.localdate()
    row = committee_row(demo.branch, CommitteePeriod.for_year(year, today), today)
    figures = Figures(demo.branch, ReportPeriod.for_year(demo.branch, year, today))
    assert 0 < row.signers <= row.signing.members
    assert 0 < row.signed_percent <= 100
    assert row.signed_percent == figures.value("承诺签订率")
    assert row.signers == figures.value("已签订承诺党员人数")


def test_campaign_signing_rate_is_19_of_the_members_in_the_campaign_never_above_100(demo, db):
    today = timezone.localdate()
    figures = Figures(demo.branch, ReportPeriod.for_campaign(demo.campaign, today))
    assert figures.value("已签订承诺党员人数") == 19
    assert figures.value("期内党员人数") >= 19
    assert figures.value("承诺签订率") <= 100
    assert figures.value("党员人数") == 18  # the source's figure, unchanged


def test_committee_page_and_export_never_show_more_than_100_percent(demo, db, client):
    client.force_login(get_user_model().objects.get(username="committee"))
    for query in ({"campaign": "创先争优活动"}, {"year": 2012}):
        page = client.get(reverse("committees:branch-overview"), query).content.decode()
        assert "105.6" not in page and "0.0%（0" not in page


def test_a_new_empty_campaign_does_not_hide_the_last_ones_work(demo, db, client, settings):
    # The demo is loaded in a transaction that never commits: its pending version bump would
    # swallow this test's changes, so the fragment cache is off here.
    settings.PAGE_CACHE_SECONDS = 0
    new = new_campaign(demo)
    today = timezone.localdate()
    assert default_campaign(demo.branch, today) == demo.campaign
    client.force_login(get_user_model().objects.get(username="secretary"))
    page = client.get(reverse("activities:dashboard")).content.decode()
    assert "创先争优活动（2010年6月1日" in page

    chosen = client.get(reverse("activities:dashboard"), {"campaign": new.pk}).content.decode()
    assert "2026年创先争优活动（2026年3月1日" in chosen
    assert "本期尚无活动记录" in chosen and "本活动尚无承诺书" in chosen
    old_titles = Activity.objects.for_branch(demo.branch).values_list("title", flat=True)
    assert not any(title in chosen for title in old_titles)

    # once something is recorded in the new campaign, it is the one shown
    Activity.objects.create(
        branch=demo.branch,
        carrier=new.carriers.first(),
        title="2026年新学期示范课",
        start_date=D(2026, 3, 10),
    )
    assert default_campaign(demo.branch, today) == new
    page = client.get(reverse("activities:dashboard")).content.decode()
    assert "2026年新学期示范课" in page
    assert "骨干教师示范课" not in page


def test_dashboard_year_view_lists_only_that_years_activities(demo, db):
    today = timezone.localdate()
    board = build_dashboard(demo.branch, ReportPeriod.for_year(demo.branch, 2011, today), today)
    assert board.latest_activities
    assert all(a.start_date.year == 2011 for a in board.latest_activities)
    figures = Figures(demo.branch, ReportPeriod.for_year(demo.branch, 2011, today))
    assert board.figures["pledges_signed"] == figures.value("已签订承诺党员人数")


def test_report_years_run_from_the_first_record_to_this_year_and_2013_answers(demo, db, client):
    new_campaign(demo)
    form = ReportPeriodForm(demo.branch)
    years = [value for value, _label in form.fields["period"].choices[1][1]]
    this_year = timezone.localdate().year
    assert years[0] == f"year-{this_year}" and years[-1] == "year-2010"
    assert "year-2013" in years and "year-2026" in years
    client.force_login(get_user_model().objects.get(username="staff"))
    url = reverse("reports:report-preview", args=[demo.branch.pk, "summary"])
    assert client.get(url, {"period": "year-2013"}).status_code == 200
    assert client.get(url, {"period": "year-2026"}).status_code == 200


def test_reports_open_on_the_campaign_with_data(demo, db):
    new_campaign(demo)
    form = ReportPeriodForm(demo.branch)
    assert form.chosen_period().campaign == demo.campaign


ZERO_ACHIEVEMENT = r"(?<![0-9.])0(?:\.0)?(?:名|项|个|次|%)"


@pytest.mark.parametrize("year", [2010, 2011, 2012, 2013, 2026])
def test_every_years_summary_reads_right(demo, db, year):
    import re

    from reports.builders import build_summary

    new_campaign(demo)
    today = timezone.localdate()
    period = ReportPeriod.for_year(demo.branch, year, today)
    text = build_summary(demo.branch, period).text
    assert not re.search(ZERO_ACHIEVEMENT, text), re.search(ZERO_ACHIEVEMENT, text)
    assert "我支部" not in text  # the campaign's narrative is not reused for a year
    assert ("至今" in text) == (year == today.year)
    first_line = text.splitlines()[1]
    if year == 2010:
        assert first_line.startswith("2010年6月至12月，")  # the campaign began in June
    if year == 2026:
        assert first_line.startswith("2026年3月至今，")


def test_measures_count_by_their_status_at_the_years_end(demo, db):
    from activities.models import Measure

    today = timezone.localdate()
    done_by = {}
    for year in (2010, 2011, 2012):
        figures = Figures(demo.branch, ReportPeriod.for_year(demo.branch, year, today))
        measures = Measure.objects.filter(carrier__campaign=demo.campaign, carrier__name="健康促进")
        expected = measures.filter(Measure.objects.done_by(D(year, 12, 31))).count()
        done_by[year] = figures.value("健康促进举措完成数")
        assert done_by[year] == expected
    assert done_by[2012] == 5  # the source: all five completed
    assert done_by[2010] <= done_by[2011] <= done_by[2012]


def test_a_year_has_its_own_editable_narrative(demo, db, client):
    from reports.models import NarrativeText

    client.force_login(get_user_model().objects.get(username="secretary"))
    url = reverse("reports:narrative-edit", args=[demo.branch.pk, demo.campaign.pk, "opening"])
    page = client.get(url, {"year": 2011})
    assert page.status_code == 200
    assert "【报告期间】" in page.content.decode()  # the yearly template, not the campaign's text
    response = client.post(
        f"{url}?year=2011", {"title": "", "text": "【报告期间】，支部工作平稳推进。"}
    )
    assert response.status_code == 302
    stored = NarrativeText.objects.get(campaign=demo.campaign, section="opening", year=2011)
    assert stored.text.startswith("【报告期间】")
    assert NarrativeText.objects.filter(
        campaign=demo.campaign, section="opening", year=None
    ).exists()
    preview = client.get(
        reverse("reports:report-preview", args=[demo.branch.pk, "summary"]), {"period": "year-2011"}
    ).content.decode()
    assert "支部工作平稳推进" in preview


def test_the_roster_shows_the_members_on_a_chosen_day(demo, db, client):
    from members.models import Membership, Person

    left = Membership.objects.filter(person__branch=demo.branch, end__isnull=False).first()
    assert left is not None
    before, after = left.end - datetime.timedelta(days=1), left.end + datetime.timedelta(days=1)
    client.force_login(get_user_model().objects.get(username="secretary"))
    url = reverse("members:person-list")
    on_before = client.get(url, {"status": "members_now", "on": before.isoformat()})
    on_after = client.get(url, {"status": "members_now", "on": after.isoformat()})
    assert left.person.name in on_before.content.decode()
    assert left.person.name not in on_after.content.decode()
    members_then = Person.objects.for_branch(demo.branch).members_on(D(2012, 9, 30)).count()
    assert members_then == 18


@pytest.mark.parametrize("period", ["campaign", 2011, 2026])
def test_demo_summaries_print_every_character_inside_the_text_block(demo, db, tmp_path, period):
    from reports.builders import build_summary
    from tests.test_report_print import check_printed_inside_the_text_block

    today = timezone.localdate()
    if period == "campaign":
        chosen = ReportPeriod.for_campaign(demo.campaign, today)
    else:
        new_campaign(demo)
        chosen = ReportPeriod.for_year(demo.branch, period, today)
    check_printed_inside_the_text_block(build_summary(demo.branch, chosen), tmp_path)
