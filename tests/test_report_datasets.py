"""The data behind the figures (the Excel export's further sheets), scoped like the figures."""

import datetime

import pytest

from reports.builders import build_summary
from reports.datasets import build_data_sheets
from reports.figures import Figures, ReportPeriod
from tests import factories as f
from tests.report_data import build_school

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return build_school()


@pytest.fixture
def sheets(school):
    period = ReportPeriod.for_campaign(school.campaign)
    return {sheet.name: sheet for sheet in build_data_sheets(school.branch, period)}


def rows(sheet) -> list[dict]:
    return [dict(zip(sheet.headers, row, strict=True)) for row in sheet.rows]


def test_every_sheet_the_figures_need_is_there(sheets):
    assert list(sheets) == [
        "党员与教职工",
        "承诺书",
        "活动",
        "举措",
        "会议",
        "荣誉",
        "制度",
        "课题",
    ]
    assert all(len(sheet.headers) == len(row) for sheet in sheets.values() for row in sheet.rows)


def test_people_sheet_marks_the_members_the_figure_counts(school, sheets):
    people = {row["姓名"]: row for row in rows(sheets["党员与教职工"])}
    members = [name for name, row in people.items() if row["2012-09-30是否党员"] == "是"]
    figures = Figures(school.branch, ReportPeriod.for_campaign(school.campaign))
    assert len(members) == figures.value("党员人数") == 5
    assert people["郭老师"]["离开方式"] == "调出" and people["郭老师"]["党员关系结束"] == D(
        2011, 2, 28
    )
    assert people["群众甲"]["政治面貌"] == "群众" and people["群众甲"]["骨干教师"] == "是"


def test_pledge_sheet_shows_who_signed_in_the_period_with_the_local_date(sheets):
    pledges = {row["承诺人"]: row for row in rows(sheets["承诺书"])}
    assert pledges["王书记"]["签署日期"] == D(2010, 8, 20)
    assert pledges["王书记"]["报告期内签署"] == "是"
    assert pledges["钱老师"]["状态"] == "草稿" and pledges["钱老师"]["报告期内签署"] == "否"
    assert sum(row["报告期内签署"] == "是" for row in pledges.values()) == 4


def test_activity_and_meeting_sheets_carry_their_figures(school, sheets):
    activity = rows(sheets["活动"])[0]
    assert (activity["载体"], activity["参加人数"], activity["服务时长（小时）"]) == (
        "志愿服务",
        2,
        40,
    )
    meeting = f.MeetingFactory(branch=school.branch, held_on=D(2011, 5, 1), topic="党课")
    f.AttendanceFactory(meeting=meeting, person=school.people["王书记"])
    f.AttendanceFactory(meeting=meeting, person=school.people["赵老师"], status="absent")
    period = ReportPeriod.for_campaign(school.campaign)
    sheet = {s.name: s for s in build_data_sheets(school.branch, period)}["会议"]
    row = rows(sheet)[0]
    assert (row["记录人数"], row["出席人数"], str(row["出席率（%）"])) == (2, 1, "50.0")


def test_mechanism_sheet_tells_in_force_and_new(sheets):
    mechanisms = {row["制度名称"]: row for row in rows(sheets["制度"])}
    assert mechanisms["已废止的制度"]["2012-09-30有效"] == "否"
    assert mechanisms["党务公开制度"]["本次活动新建"] == "是"
    assert mechanisms["思想建设制度1"]["本次活动新建"] == "否"


def test_records_outside_the_period_or_branch_are_left_out(school, sheets):
    honors = [row["荣誉称号"] for row in rows(sheets["荣誉"])]
    assert "活动以前的荣誉" not in honors
    assert [row["课题名称"] for row in rows(sheets["课题"])].count("早年课题") == 0
    other = build_school(f.BranchFactory())
    assert other.branch != school.branch
    again = build_data_sheets(school.branch, ReportPeriod.for_campaign(school.campaign))
    assert [len(sheet.rows) for sheet in again] == [len(sheet.rows) for sheet in sheets.values()]


def test_summary_carries_data_sheets_only_when_asked(school):
    period = ReportPeriod.for_campaign(school.campaign)
    assert build_summary(school.branch, period).data_sheets == []
    assert len(build_summary(school.branch, period, data_sheets=True).data_sheets) == 8
