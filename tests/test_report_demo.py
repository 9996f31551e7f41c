"""The demo data's reports: every figure of DOMAIN.md, computed from the records, in every format."""

import datetime
import io
from types import SimpleNamespace

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from honors.models import Level
from mechanisms.models import Category
from members.models import Branch, Campaign, Membership, Person
from reports.builders import build_mechanism_table, build_summary
from reports.document import Paragraph, Section, Table
from reports.figures import ReportPeriod
from reports.writers import FORMATS
from tests import factories as f
from tests.report_data import signed_at

D = datetime.date
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CARRIER_HEADINGS = [
    "（一）以“公开承诺”为载体，树立党员形象谱写新篇",
    "（二）以“增效减负”为载体，提升教学质量谱写新篇",
    "（三）以“健康促进”为载体，关爱学生成长谱写新篇",
    "（四）以“队伍建设”为载体，促进教师发展谱写新篇",
    "（五）以“文明创建”为载体，促进和谐校园谱写新篇",
    "（六）以“志愿服务”为载体，进社区展形象谱写新篇",
]
NEW_MECHANISMS = [
    "中共田林二中支部全面提高党员素质的教育机制",
    "中共田林二中党务公开相关制度",
    "中共田林二中支部永葆党员政治本色监督机制",
]
FEATURED = [
    "1、党小组建在年级组，党员以“公开承诺”为载体，岗位建功立业。",
    "2、支部紧紧围绕学校中心工作，党员以“增效减负”为载体，成为推进素质教育的排头兵。",
    "3、支部以“文明创建”为载体，促进和谐校园建设，有力提升师生的幸福感。",
]
HONORS = [
    "全国学校体育场馆向公众开放先进单位",
    "市安全文明校园",
    "市平安单位",
    "市行为规范示范校",
    "市红十字工作示范学校",
    "市野生动物保护科技特色教育十佳模范学校",
    "徐汇区先进职工之家",
    "徐汇区廉洁教育进课堂先进学校",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for this module and rolled back after it."""
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


def period(demo):
    return ReportPeriod.for_campaign(demo.campaign)


def summary(demo):
    return build_summary(demo.branch, period(demo))


def figure_texts(document) -> dict[str, str]:
    """Every figure run of the document: name → text."""
    found = {}

    def walk(blocks):
        for block in blocks:
            if isinstance(block, Section):
                walk(block.blocks)
            elif isinstance(block, Paragraph):
                found.update({run.figure: run.text for run in block.runs if run.figure})
            elif isinstance(block, Table):
                for row in block.rows:
                    for cell in row:
                        walk(cell.paragraphs)

    walk(document.blocks)
    return found


def table_cells(demo) -> dict[str, str]:
    table = build_mechanism_table(demo.branch, period(demo)).blocks[0]
    found = {}
    for row in table.rows:
        for index, cell in enumerate(row):
            if cell.label:
                found[cell.text] = row[index + 1].text
    return found


def test_summary_has_every_figure_of_the_document(demo, db):
    document = summary(demo)
    figures = figure_texts(document)
    assert figures["承诺签订人数"] == "19"
    assert (figures["先进典型·市级"], figures["先进典型·区级"], figures["先进典型·校级"]) == (
        "1",
        "2",
        "6",
    )
    assert figures["2011年作业相关校级课题数"] == "9"
    assert (figures["健康促进举措数"], figures["健康促进举措完成数"]) == ("5", "5")
    assert figures["骨干教师党员比例"] == "62.5%"
    assert figures["两长以上干部党员比例"] == "57.9%"
    counts = [figures[f"制度数·{c.label}"] for c in Category]
    assert counts == ["3", "5", "4", "3", "4"]
    assert figures["领导小组组长"] == "何耀华（2010年9月起为王卫珍）"
    assert (
        figures["领导小组组员"]
        == "郭玮（调出后由赵淑贤接任）、孟儒渊、刘立明、曾蓓蓓、许美英、蔡磊"
    )
    assert (
        figures["集体荣誉"].split("、")
        == HONORS[:1]
        + [
            "市野生动物保护科技特色教育十佳模范学校",
            "市行为规范示范校",
            "市安全文明校园",
            "市红十字工作示范学校",
            "市平安单位",
        ]
        + HONORS[6:]
    )
    assert set(figures["集体荣誉"].split("、")) == set(HONORS)
    assert "【" not in document.text  # every placeholder resolved


def test_summary_reads_like_the_source_document(demo, db):
    document = summary(demo)
    assert document.title == "田林二中党支部创先争优工作总结"
    text = document.text
    for sentence in [
        "2010年6月至今，田林二中党支部在区教育党工委领导下",
        "书记何耀华（2010年9月起为王卫珍）任组长。组员包括：郭玮（调出后由赵淑贤接任）、孟儒渊",
        "我支部19名党员都签订了承诺书",
        "市级1名，区级2名，校级6名",
        "2011年申报的校级课题中有9个与作业的设计、批改、反馈、评价等相关联",
        "提出的5项措施已完成5项",
        "学校骨干教师中党员比例达62.5%，两长以上干部党员比例达57.9%",
        "思想建设相关制度3项、组织建设相关制度5项、民主建设相关制度4项、作风建设相关制度3项、"
        "反腐倡廉建设相关制度4项",
        "2011年，我校被评为徐汇区廉洁教育进课堂先进学校",
    ]:
        assert sentence in text, sentence
    parts = [b for b in document.blocks if isinstance(b, Section)]
    assert [s.heading.text for s in parts[0].blocks] == [
        "成立领导小组",
        "制定活动计划",
        "广泛宣传动员",
    ]
    assert [s.heading.display for s in parts[1].blocks] == CARRIER_HEADINGS
    assert parts[2].blocks[-1].heading.display == "（五）学习机制、党建制度等方面还有待进一步完善"
    assert (document.signature.organisation, document.signature.date) == (
        "田林二中党支部",
        "2012年9月30日",
    )


def test_table_has_every_cell_of_the_document(demo, db):
    cells = table_cells(demo)
    assert cells["党组织名称"] == "中共上海市田林第二中学支部委员会"
    assert cells["党组织负责人"] == "王卫珍"
    assert cells["联系电话"] == "64362741"
    assert cells["党组织基本情况"] == (
        "田林二中党支部现有党员18名，在2012年4月开展的教育系统基层党组织分类定级工作中被评定为“较好”。"
    )
    assert cells["党建特色工作"].split("\n") == FEATURED
    mechanisms = cells["党组织建立健全创先争优长效机制情况"]
    assert mechanisms.startswith(
        "支部建立健全思想建设相关制度3项、组织建设相关制度5项、民主建设相关制度4项、"
        "作风建设相关制度3项、反腐倡廉建设相关制度4项。其中新建创先争优相关制度有："
    )
    assert all(name in mechanisms for name in NEW_MECHANISMS)


def test_word_summary_read_back(demo, db):
    word = docx.Document(io.BytesIO(FORMATS["docx"].write(summary(demo))))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert [h for h in headings if h[0] in "一二三"] == [
        "一、制定计划，宣传动员，创先争优活动拉开帷幕",
        "二、依托载体，重在行动，创先争优岗位谱写新篇",
        "三、总结提升，推进创新，不断建立健全长效机制",
    ]
    assert [h for h in headings if h[0] == "（" and "为载体" in h] == CARRIER_HEADINGS
    second_level = [p for p in word.paragraphs if p.text in CARRIER_HEADINGS]
    assert {p.style.name for p in second_level} == {"Heading 2"}  # （一） in 楷体
    text = "\n".join(p.text for p in word.paragraphs)
    for figure in ("我支部19名党员", "市级1名，区级2名，校级6名", "62.5%", "57.9%", "有9个与作业"):
        assert figure in text
    assert (
        word.paragraphs[-2].text == "田林二中党支部" and word.paragraphs[-1].text == "2012年9月30日"
    )


def test_word_table_read_back(demo, db):
    document = build_mechanism_table(demo.branch, period(demo))
    word = docx.Document(io.BytesIO(FORMATS["docx"].write(document)))
    table = word.tables[0]
    assert table.cell(1, 1).text == "王卫珍" and table.cell(1, 3).text == "64362741"
    assert "现有党员18名" in table.cell(2, 1).text and "“较好”" in table.cell(2, 1).text
    assert [p.text for p in table.cell(3, 1).paragraphs] == FEATURED


def test_excel_table_and_data_sheets_read_back(demo, db):
    document = build_mechanism_table(demo.branch, period(demo), data_sheets=True)
    book = openpyxl.load_workbook(io.BytesIO(FORMATS["xlsx"].write(document)))
    assert book.sheetnames == [
        "情况表",
        "党员与教职工",
        "承诺书",
        "活动",
        "举措",
        "会议",
        "荣誉",
        "制度",
        "课题",
    ]
    form = book["情况表"]
    assert form["B3"].value == "王卫珍" and form["D3"].value == "64362741"
    assert "现有党员18名" in form["B4"].value
    assert form["B5"].value.split("\n") == FEATURED
    people = book["党员与教职工"]
    member_column = [c.value for c in people["M"]][1:]
    assert member_column.count("是") == 18
    pledges = book["承诺书"]
    in_period = [row for row in pledges.iter_rows(min_row=2, values_only=True) if row[5] == "是"]
    assert len([row for row in in_period if row[0] != "党支部"]) == 19
    mechanisms = [row for row in book["制度"].iter_rows(min_row=2, values_only=True)]
    assert sorted(row[0] for row in mechanisms if row[6] == "是") == sorted(NEW_MECHANISMS)
    assert {row[1] for row in book["荣誉"].iter_rows(min_row=2, values_only=True)} >= set(HONORS)


def test_changed_records_show_in_the_next_export(demo, db):
    branch, campaign = demo.branch, demo.campaign
    newcomer = f.MemberFactory(branch=branch, name="新党员")
    f.SignedPledgeFactory(campaign=campaign, person=newcomer, signed_at=signed_at(D(2010, 9, 15)))
    Membership.objects.filter(person=Person.objects.get(branch=branch, name="钱敏")).update(
        end=D(2012, 5, 31), left_how=Membership.Left.TRANSFERRED_OUT
    )
    f.TypicalHonorFactory(
        branch=branch, person=newcomer, level=Level.DISTRICT, awarded_on=D(2012, 3, 1)
    )
    f.MechanismFactory(branch=branch, category=Category.CONDUCT, name="新的作风建设制度")
    carrier = campaign.carriers.get(name="志愿服务")
    carrier.order, carrier.aim = 0, "服务社区"
    carrier.save()

    document = summary(demo)
    figures = figure_texts(document)
    assert figures["承诺签订人数"] == "20"
    assert figures["先进典型·区级"] == "3"
    assert figures["制度数·作风建设"] == "4"
    carriers = [b for b in document.blocks if isinstance(b, Section)][1].blocks
    assert carriers[0].heading.display == "（一）以“志愿服务”为载体，服务社区谱写新篇"
    assert "现有党员18名" in table_cells(demo)["党组织基本情况"]  # 新党员 in, 钱敏 out
    assert "作风建设相关制度4项" in table_cells(demo)["党组织建立健全创先争优长效机制情况"]
