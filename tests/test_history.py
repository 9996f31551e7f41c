"""Change history shown on record pages: who changed what, when, with Chinese field names."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string

from common.history import history_rows
from members.access import history_for
from members.models import PoliticalStatus
from tests.factories import CampaignFactory, MechanismFactory, PersonFactory

pytestmark = pytest.mark.django_db


def save_as(obj, user, **changes):
    """Change ``obj`` the way a view does: HistoryRequestMiddleware records the request's user."""
    for name, value in changes.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj.save()


def changes_of(row) -> dict:
    return {change.label: (change.old, change.new) for change in row.changes}


@pytest.fixture
def person(branch, secretary):
    person = PersonFactory.build(branch=branch, name="李老师", phone="13900000001")
    person._history_user = secretary
    person.save()
    return person


def test_person_history_says_who_changed_what_newest_first(person, secretary, staff_user):
    save_as(person, secretary, phone="13900000002")
    save_as(
        person,
        staff_user,
        name="李明",
        political_status=PoliticalStatus.FULL,
        birth_date=datetime.date(1980, 2, 3),
    )

    rows = history_rows(person)

    assert [(row.action, row.who) for row in rows] == [
        ("修改", staff_user.username),
        ("修改", "书记甲"),
        ("创建", "书记甲"),
    ]
    assert changes_of(rows[0]) == {
        "姓名": ("李老师", "李明"),
        "政治面貌": ("群众", "正式党员"),
        "出生日期": ("1975-05-01", "1980-02-03"),
    }
    assert changes_of(rows[1]) == {"联系电话": ("13900000001", "13900000002")}
    assert rows[0].when >= rows[1].when >= rows[2].when
    assert rows[2].changes == []


def test_mechanism_history_shows_choices_related_records_flags_and_files(
    branch, secretary, staff_user
):
    campaign = CampaignFactory(branch=branch, name="创先争优活动")
    campaign_label = str(campaign)
    mechanism = MechanismFactory(branch=branch, name="党员联系群众制度")
    save_as(mechanism, secretary, category="conduct", campaign=campaign, is_new=True)
    mechanism.document.save("lianxi.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    save_as(mechanism, staff_user, summary="每位党员联系三名群众。")

    rows = history_rows(mechanism)

    assert [row.who for row in rows[:2]] == [staff_user.username, "书记甲"]
    assert changes_of(rows[0]) == {
        "主要内容": ("（空）", "每位党员联系三名群众。"),
        "制度文件": ("（空）", "PDF 文件"),
    }
    assert changes_of(rows[1]) == {
        "类别": ("组织建设", "作风建设"),
        "所属活动": ("（空）", campaign_label),
        "创先争优中新建": ("否", "是"),
    }


def test_a_save_without_changes_adds_no_row(person, secretary):
    save_as(person, secretary)

    assert [row.action for row in history_rows(person)] == ["创建"]


def test_a_deleted_related_record_is_named_as_deleted(branch, secretary):
    campaign = CampaignFactory(branch=branch)
    mechanism = MechanismFactory(branch=branch)
    save_as(mechanism, secretary, campaign=campaign)
    campaign_pk = campaign.pk
    campaign.delete()

    rows = history_rows(mechanism)

    assert changes_of(rows[0])["所属活动"] == ("（空）", f"（已删除的记录 #{campaign_pk}）")


def test_history_is_for_the_branchs_secretary_only(
    person, secretary, staff_user, member, committee_user, outsider
):
    assert history_for(secretary, person, person.branch) is not None
    for user in (staff_user, member, committee_user, outsider):
        assert history_for(user, person, person.branch) is None


def test_history_include_renders_the_rows_escaped(person, secretary):
    save_as(person, secretary, post="<script>alert(1)</script>")

    html = render_to_string("includes/history.html", {"history": history_rows(person)})

    assert "修改记录" in html
    assert "岗位/职务" in html
    assert "书记甲" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html


def test_history_include_says_when_there_is_nothing():
    assert "暂无修改记录" in render_to_string("includes/history.html", {"history": []})


@pytest.mark.parametrize("edits", [2, 12])
def test_history_takes_the_same_queries_however_long(
    edits, branch, secretary, django_assert_max_num_queries
):
    campaigns = [CampaignFactory(branch=branch) for _ in range(3)]
    mechanism = MechanismFactory(branch=branch)
    for n in range(edits):
        save_as(mechanism, secretary, campaign=campaigns[n % 3], summary=f"第{n}次修订")

    with django_assert_max_num_queries(2):
        rows = history_rows(mechanism)

    assert len(rows) == edits + 1
