"""The long-term-mechanism table (长效机制情况表) as a tree: every cell from the records."""

import datetime

import pytest

from members.models import BranchRating, Membership
from reports.builders import build_mechanism_table
from reports.document import Table
from reports.figures import ReportPeriod
from tests import factories as f
from tests.report_data import build_school

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return build_school()


def cells(school) -> dict[str, str]:
    """Label → the text of the cell after it."""
    document = build_mechanism_table(school.branch, ReportPeriod.for_campaign(school.campaign))
    table = next(b for b in document.blocks if isinstance(b, Table))
    found = {}
    for row in table.rows:
        for index, cell in enumerate(row):
            if cell.label:
                found[cell.text] = row[index + 1].text
    return found


def test_title_filename_and_layout(school):
    document = build_mechanism_table(school.branch, ReportPeriod.for_campaign(school.campaign))
    assert document.title == "基层党组织建立健全创先争优长效机制情况表"
    assert document.filename == "测试二中党支部创先争优长效机制情况表"
    table = document.blocks[0]
    assert sum(table.widths_mm) == pytest.approx(156)
    assert all(sum(cell.colspan for cell in row) == 4 for row in table.rows)


def test_column_shares_keep_the_page_widths():
    table = Table(widths_mm=[39, 39, 31.2, 46.8], rows=[])
    assert table.widths_percent == pytest.approx([25, 25, 20, 30])


def test_every_cell_comes_from_the_records(school):
    found = cells(school)
    assert found["党组织名称"] == "中共上海市测试第二中学支部委员会"
    assert found["党组织负责人"] == "王书记"
    assert found["联系电话"] == "64360000"
    assert found["党组织基本情况"] == (
        "测试二中党支部现有党员5名，在2012年4月开展的教育系统基层党组织分类定级工作中被评定为“较好”。"
    )
    assert found["党建特色工作"] == "1、党小组建在年级组。\n2、以“增效减负”为载体。"
    assert found["党组织建立健全创先争优长效机制情况"] == (
        "支部建立健全思想建设相关制度2项、组织建设相关制度2项、民主建设相关制度2项、"
        "作风建设相关制度1项、反腐倡廉建设相关制度1项。"
        "其中新建创先争优相关制度有：党员素质教育机制、党务公开制度等。"
    )


def test_member_transferred_out_lowers_the_count(school):
    Membership.objects.filter(person=school.people["钱老师"]).update(
        end=D(2012, 3, 1), left_how=Membership.Left.TRANSFERRED_OUT
    )
    assert "现有党员4名" in cells(school)["党组织基本情况"]


def test_the_latest_rating_before_the_report_date_is_shown(school):
    f.BranchRatingFactory(
        branch=school.branch, rated_on=D(2012, 12, 1), rating=BranchRating.Rating.GOOD
    )
    assert "被评定为“较好”" in cells(school)["党组织基本情况"]
    f.BranchRatingFactory(
        branch=school.branch, rated_on=D(2012, 6, 1), rating=BranchRating.Rating.GOOD, occasion=""
    )
    assert (
        "在2012年6月开展的基层党组织分类定级工作中被评定为“好”" in cells(school)["党组织基本情况"]
    )


def test_without_a_rating_the_sentence_stops_at_the_members(school):
    school.branch.ratings.all().delete()
    assert cells(school)["党组织基本情况"] == "测试二中党支部现有党员5名。"


def test_secretary_on_the_report_date_not_today(school):
    school.people["王书记"].branch_posts.update(end=D(2012, 12, 31))
    f.BranchPostFactory(person=school.people["孟老师"], start=D(2013, 1, 1))
    assert cells(school)["党组织负责人"] == "王书记"


def test_no_new_mechanisms_drops_the_sentence(school):
    school.branch.mechanisms.update(is_new=False, campaign=None)
    assert "其中新建" not in cells(school)["党组织建立健全创先争优长效机制情况"]
