"""The figure registry: one function per figure of (branch, period), on factory-built records."""

import datetime
from decimal import Decimal

import pytest

from reports.figures import FIGURES, Figures, PeriodError, ReportPeriod, UnknownFigure
from tests import factories as f
from tests.report_data import REPORT_DAY, build_school

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return build_school()


@pytest.fixture
def figures(school):
    return Figures(school.branch, ReportPeriod.for_campaign(school.campaign))


def test_campaign_period_runs_from_start_to_end_and_reports_as_of_its_end(school):
    period = ReportPeriod.for_campaign(school.campaign)
    assert (period.start, period.end) == (D(2010, 6, 1), REPORT_DAY)
    assert period.label == "2010年6月至2012年9月"


def test_year_period_takes_the_campaign_running_that_year(school):
    period = ReportPeriod.for_year(school.branch, 2011, today=D(2013, 1, 1))
    assert (period.start, period.end, period.campaign) == (
        D(2011, 1, 1),
        D(2011, 12, 31),
        school.campaign,
    )
    assert period.label == "2011年度"


def test_year_without_a_campaign_is_refused_in_chinese(school):
    with pytest.raises(PeriodError, match="2009年没有创先争优活动"):
        ReportPeriod.for_year(school.branch, 2009, today=D(2013, 1, 1))


def test_current_year_ends_today_not_on_31_december(school):
    school.campaign.end = None
    school.campaign.save()
    period = ReportPeriod.for_year(school.branch, 2012, today=D(2012, 5, 3))
    assert period.end == D(2012, 5, 3)


def test_member_and_staff_figures(figures):
    assert figures.value("党员人数") == 5  # 郭老师 transferred out in 2011
    assert figures.value("调出党员数") == 1
    assert figures.value("骨干教师党员比例") == Decimal("75.0")
    assert figures.text("骨干教师党员比例") == "75%"
    assert figures.text("两长以上干部党员比例") == "66.7%"
    assert (figures.value("骨干教师人数"), figures.value("骨干教师党员人数")) == (4, 3)


def test_pledge_figure_counts_signers_in_the_period_not_drafts(figures):
    assert figures.value("承诺签订人数") == 4


def test_typical_models_by_level_and_organisation_honors_in_the_period(figures):
    assert [figures.value(f"先进典型·{level}") for level in ("国家级", "市级", "区级", "校级")] == [
        0,
        1,
        2,
        1,
    ]
    assert figures.value("先进典型总数") == 4
    assert figures.text("集体荣誉") == "市安全文明校园、徐汇区先进职工之家"


def test_mechanism_figures_count_those_in_force_on_the_report_date(figures):
    counts = [
        figures.value(f"制度数·{c}")
        for c in ("思想建设", "组织建设", "民主建设", "作风建设", "反腐倡廉建设")
    ]
    assert counts == [2, 2, 2, 1, 1]  # the repealed 作风 mechanism is not counted
    assert figures.value("制度总数") == 8
    assert figures.text("新建制度名称") == "党员素质教育机制、党务公开制度"


def test_branch_figures_as_of_the_report_date(figures):
    assert figures.text("党组织负责人") == "王书记"
    assert figures.text("联系电话") == "64360000"
    assert figures.text("分类定级") == "较好"
    assert figures.text("分类定级时间") == "2012年4月"


def test_leading_group_reads_as_it_changed(figures):
    assert figures.text("领导小组组长") == "何书记（2010年9月起为王书记）"
    assert figures.text("领导小组组员") == "郭老师（调出后由赵老师接任）、孟老师"


def test_replacement_without_a_transfer_gives_the_month(school, figures):
    school.people["郭老师"].memberships.update(left_how="retired")
    assert figures.text("领导小组组员") == "郭老师（2011年3月起由赵老师接任）、孟老师"


def test_transfer_out_before_the_role_began_gives_the_month(school, figures):
    school.people["郭老师"].memberships.update(end=D(2010, 5, 31))  # before his role's start
    assert figures.text("领导小组组员") == "郭老师（2011年3月起由赵老师接任）、孟老师"


def test_staff_shares_are_read_in_one_query(figures, django_assert_num_queries):
    with django_assert_num_queries(1):
        key, cadres = figures.value("骨干教师党员比例"), figures.value("两长以上干部党员比例")
    assert (figures.value("骨干教师人数"), figures.value("骨干教师党员人数")) == (4, 3)
    assert key == Decimal("75.0")
    assert (figures.value("两长以上干部人数"), figures.value("两长以上干部党员人数")) == (3, 2)
    assert cadres == Decimal("66.7")


def test_carrier_figures_are_named_after_the_carrier(figures):
    assert "健康促进举措数" in figures.names()
    assert (figures.value("健康促进举措数"), figures.value("健康促进举措完成数")) == (3, 3)
    assert figures.value("健康促进长效举措数") == 1
    assert figures.value("志愿服务活动数") == 1


def test_year_figures_cover_every_year_of_the_campaign(figures):
    assert figures.value("2011年作业相关校级课题数") == 2
    assert figures.value("2011年校级课题数") == 3
    assert "2010年作业相关校级课题数" in figures.names()
    assert "2013年作业相关校级课题数" not in figures.names()
    assert figures.value("作业相关校级课题数") == 2  # 2008 is outside the campaign


def test_unknown_name_raises(figures):
    with pytest.raises(UnknownFigure):
        figures.value("不存在的数据")


def test_catalogue_lists_every_registered_figure_with_help(figures):
    names = [name for name, _help in figures.catalogue()]
    assert set(FIGURES) <= set(names)
    assert all(help for _name, help in figures.catalogue())


def test_figures_are_computed_once_per_report(figures, django_assert_num_queries):
    figures.value("党员人数")
    with django_assert_num_queries(0):
        figures.value("党员人数")
        figures.text("党员人数")


def test_figures_of_another_branch_are_not_counted(school, figures):
    other = build_school(f.BranchFactory(short_name="别的支部", committee=school.branch.committee))
    assert other.branch != school.branch
    assert figures.value("党员人数") == 5
    assert figures.value("承诺签订人数") == 4
