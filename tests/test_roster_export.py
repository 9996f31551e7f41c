"""Exporting the roster to Excel as filtered, read back; user text that looks like a formula."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.importing import COLUMNS, SHEET_NAME, read_roster
from members.models import PoliticalStatus
from tests.factories import (
    BranchFactory,
    MemberFactory,
    PartyGroupFactory,
    PartyGroupMembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

HEADERS = [column.header for column in COLUMNS]


def export(client, **params):
    response = client.get(reverse("members:person-export"), params)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content))[SHEET_NAME]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    return response, sheet, [dict(zip(HEADERS, row, strict=True)) for row in rows[1:]]


def test_the_export_reads_back_as_filtered(client, secretary, branch):
    group = PartyGroupFactory(branch=branch, name="初二年级党小组")
    teacher = MemberFactory(
        branch=branch, name="甲老师", phone="13911112222", post="物理教师", is_key_teacher=True
    )
    PartyGroupMembershipFactory(group=group, person=teacher, start=datetime.date(2010, 9, 1))
    PersonFactory(branch=branch, name="乙老师", political_status=PoliticalStatus.MASSES)
    client.force_login(secretary)

    _, _, rows = export(client, status="members_now")

    assert [row["姓名"] for row in rows] == sorted(["书记甲", "甲老师"])
    row = next(row for row in rows if row["姓名"] == "甲老师")
    assert row["联系电话"] == "13911112222"
    assert row["出生日期"].date() == datetime.date(1975, 5, 1)
    assert row["政治面貌"] == "正式党员"
    assert row["入党或转入日期"].date() == datetime.date(2000, 1, 1)
    assert row["加入方式"] == "调入"
    assert row["党小组"] == "初二年级党小组"
    assert row["骨干教师"] == "是"
    assert row["岗位/职务"] == "物理教师"


def test_the_export_can_be_read_by_the_importer(client, secretary, branch):
    MemberFactory(branch=branch, name="甲老师")
    client.force_login(secretary)
    response, _, _ = export(client)

    preview = read_roster(response.content, branch=BranchFactory())

    assert preview.can_import
    assert [row.values["name"] for row in preview.rows] == sorted(["书记甲", "甲老师"])


def test_staff_get_phones_and_birth_dates_masked(client, staff_user, branch):
    MemberFactory(branch=branch, name="甲老师", phone="13911112222")
    client.force_login(staff_user)

    _, _, rows = export(client)

    row = next(row for row in rows if row["姓名"] == "甲老师")
    assert row["联系电话"] == "139******22"
    assert row["出生日期"] == "****-**-**"


@pytest.mark.parametrize("text", ["=1+1", "+86 139", "-1", "@SUM(A1)", '=HYPERLINK("x")'])
def test_user_text_that_looks_like_a_formula_is_written_as_text(client, secretary, branch, text):
    PersonFactory(branch=branch, name="甲老师", post=text)
    client.force_login(secretary)

    _, sheet, rows = export(client, q="甲老师")

    cell = sheet.cell(row=2, column=HEADERS.index("岗位/职务") + 1)
    assert cell.value == text
    assert cell.data_type == "s"
    assert rows[0]["岗位/职务"] == text


def test_another_branchs_people_are_not_exported(client, outsider, branch):
    MemberFactory(branch=branch, name="甲老师")
    client.force_login(outsider)

    _, _, rows = export(client, branch=branch.pk)

    assert [row["姓名"] for row in rows] == ["外支部书记"]
