"""The work summary as a tree: the source document's skeleton, figures from the records."""

import datetime

import pytest

from honors.models import Level
from mechanisms.models import Category
from members.models import Membership
from reports.builders import build_summary
from reports.document import ListBlock, Paragraph, Section
from reports.figures import ReportPeriod
from reports.models import NarrativeText
from tests import factories as f
from tests.report_data import REPORT_DAY, build_school, signed_at

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return build_school()


def summary(school):
    return build_summary(school.branch, ReportPeriod.for_campaign(school.campaign))


def part(document, number: str) -> Section:
    return next(b for b in document.blocks if isinstance(b, Section) and b.heading.number == number)


def test_title_and_signature(school):
    document = summary(school)
    assert document.title == "测试二中党支部创先争优工作总结"
    assert document.filename == "测试二中党支部创先争优工作总结"
    assert (document.signature.organisation, document.signature.date) == (
        "测试二中党支部",
        "2012年9月30日",
    )


def test_skeleton_is_the_source_documents(school):
    document = summary(school)
    assert isinstance(document.blocks[0], Paragraph)  # the opening
    parts = [b.heading.display for b in document.blocks if isinstance(b, Section)]
    assert parts == [
        "一、制定计划，宣传动员，创先争优活动拉开帷幕",
        "二、依托载体，重在行动，创先争优岗位谱写新篇",
        "三、总结提升，推进创新，不断建立健全长效机制",
    ]
    assert [h.level for h in document.headings()][:2] == [1, 2]


def test_one_part_per_carrier_in_campaign_order_under_its_heading(school):
    carriers = part(summary(school), "二、").blocks
    assert [c.heading.display for c in carriers] == [
        "（一）以“公开承诺”为载体，树立党员形象谱写新篇",
        "（二）以“健康促进”为载体，关爱学生成长谱写新篇",
        "（三）以“志愿服务”为载体，进社区展形象谱写新篇",
    ]


def test_carrier_reordered_or_renamed_follows_the_records(school):
    school.carriers["公开承诺"].order = 9
    school.carriers["公开承诺"].save()
    school.carriers["志愿服务"].name = "社区服务"
    school.carriers["志愿服务"].save()
    headings = [c.heading.display for c in part(summary(school), "二、").blocks]
    assert headings == [
        "（一）以“健康促进”为载体，关爱学生成长谱写新篇",
        "（二）以“社区服务”为载体，进社区展形象谱写新篇",
        "（三）以“公开承诺”为载体，树立党员形象谱写新篇",
    ]


def test_narrative_placeholders_are_filled_from_the_records(school):
    text = summary(school).text
    assert "测试二中党支部获得市安全文明校园、徐汇区先进职工之家等荣誉称号" in text
    assert "我支部4名党员都签订了承诺书" in text
    assert "市级1名，区级2名，校级1名" in text
    assert "提出的3项措施已完成3项" in text
    assert "【" not in text


def test_figure_runs_name_their_figure(school):
    opening = summary(school).blocks[0]
    figures = {run.figure: run.text for run in opening.runs if run.figure}
    assert figures == {
        "起始年月": "2010年6月",
        "党组织简称": "测试二中党支部",
        "集体荣誉": "市安全文明校园、徐汇区先进职工之家",
    }


def test_leading_group_default_text_tells_who_led_when(school):
    first = part(summary(school), "一、").blocks[0]
    assert first.heading.display == "（一）成立领导小组"
    assert "何书记（2010年9月起为王书记）任组长" in first.text
    assert "郭老师（调出后由赵老师接任）、孟老师" in first.text


def test_empty_slots_are_left_out_and_parts_renumbered(school):
    results = part(summary(school), "三、").blocks
    assert [s.heading.display for s in results] == [
        "（一）党建工作机制有创新，强化了党员主体意识",
        "（二）制度建设得到推进，支部建设基础更坚实",
    ]
    assert "骨干教师中党员比例达75%，两长以上干部党员比例达66.7%" in results[0].text
    assert "思想建设相关制度2项、组织建设相关制度2项、民主建设相关制度2项" in results[1].text


def test_a_slot_cleared_by_the_secretary_disappears(school):
    NarrativeText.objects.create(
        campaign=school.campaign, section=NarrativeText.Section.PARTY_BUILDING, text=""
    )
    results = part(summary(school), "三、").blocks
    assert [s.heading.text for s in results] == ["制度建设得到推进，支部建设基础更坚实"]


def test_each_carrier_lists_its_measures_and_activities_with_their_figures(school):
    carriers = part(summary(school), "二、").blocks
    health = carriers[1]
    assert "举措落实情况：共3项，已完成3项，其中1项已建立长效机制。" in health.text
    measures = next(b for b in health.blocks if isinstance(b, ListBlock))
    assert measures.items[0].text == "（1）健康举措1（已完成，已建立长效机制）"
    volunteering = carriers[2]
    assert "主要活动记录：共1项。" in volunteering.text
    assert (
        "（1）2010年7月15日至8月15日，轨道交通南站志愿者顶岗（上海南站），参加2人，服务时长40小时。"
        in volunteering.text
    )


def test_a_carrier_with_many_activities_lists_the_busiest_by_date(school):
    carrier = school.carriers["健康促进"]
    people = [f.PersonFactory(branch=school.branch) for _ in range(20)]
    for number in range(1, 16):  # 多活动1 has 1 participant … 多活动15 has 15, a day later each
        activity = f.ActivityFactory(
            carrier=carrier, title=f"多活动{number}", start_date=D(2011, 4, number)
        )
        for person in people[:number]:
            f.ActivityParticipantFactory(activity=activity, person=person, hours=1)
    f.ActivityFactory(carrier=carrier, title="多活动0", start_date=D(2011, 4, 20))  # nobody

    health = part(summary(school), "二、").blocks[1]
    assert (
        "主要活动记录：共16项，以下列出参加人数最多的12项，全部记录见Excel数据表。" in health.text
    )
    listed = [b for b in health.blocks if isinstance(b, ListBlock)][-1]
    assert [item.text.split("，")[1].removesuffix("（学校礼堂）") for item in listed.items] == [
        f"多活动{number}" for number in range(4, 16)
    ]
    assert (
        listed.items[0].text == "（1）2011年4月4日，多活动4（学校礼堂），参加4人，服务时长4小时。"
    )


def test_one_more_signed_pledge_changes_the_summary(school):
    school.campaign.pledges.filter(person=school.people["钱老师"]).delete()  # the draft
    f.SignedPledgeFactory(
        campaign=school.campaign, person=school.people["钱老师"], signed_at=signed_at(D(2010, 9, 1))
    )
    assert "我支部5名党员都签订了承诺书" in summary(school).text


def test_a_member_transferred_out_changes_the_staff_ratio(school):
    Membership.objects.filter(person=school.people["赵老师"]).update(
        end=D(2012, 6, 30), left_how=Membership.Left.TRANSFERRED_OUT
    )
    assert "骨干教师中党员比例达50%" in summary(school).text


def test_a_new_honor_changes_the_summary(school):
    f.HonorFactory(
        branch=school.branch, title="全国文明校园", level=Level.NATIONAL, awarded_on=D(2012, 5, 1)
    )
    f.TypicalHonorFactory(
        branch=school.branch,
        person=school.people["孟老师"],
        level=Level.DISTRICT,
        awarded_on=D(2012, 1, 1),
    )
    text = summary(school).text
    assert "获得全国文明校园、市安全文明校园、徐汇区先进职工之家等荣誉称号" in text
    assert "市级1名，区级3名，校级1名" in text


def test_one_more_conduct_mechanism_changes_the_summary(school):
    f.MechanismFactory(branch=school.branch, category=Category.CONDUCT, name="新作风制度")
    assert "作风建设相关制度2项" in summary(school).text


def test_records_after_the_report_date_are_not_counted(school):
    f.TypicalHonorFactory(
        branch=school.branch,
        person=school.people["孟老师"],
        level=Level.CITY,
        awarded_on=D(2012, 10, 1),
    )
    assert "市级1名" in summary(school).text


def test_a_year_report_counts_that_year_only(school):
    period = ReportPeriod.for_year(school.branch, 2010, today=D(2013, 1, 1))
    document = build_summary(school.branch, period)
    assert document.title == "测试二中党支部2010年度创先争优工作总结"
    # a year has its own narrative (the yearly template), not the campaign's
    assert "2010年6月至12月，测试二中党支部" in document.text
    assert "2010年新签订承诺书的党员4名" in document.text
    assert "我支部" not in document.text and "至今" not in document.text
    # no sentence states a zero: no typical models were selected in 2010
    assert "0名" not in document.text and "选树先进典型" not in document.text


def test_a_renamed_carrier_leaves_its_old_placeholder_visible_as_an_error(school):
    school.carriers["健康促进"].name = "体质健康"
    school.carriers["健康促进"].save()
    health = part(summary(school), "二、").blocks[1]
    runs = [run for block in health.blocks if isinstance(block, Paragraph) for run in block.runs]
    assert any(run.error and run.text == "【健康促进举措数】" for run in runs)


def test_report_date_is_the_campaign_end(school):
    assert ReportPeriod.for_campaign(school.campaign).end == REPORT_DAY
