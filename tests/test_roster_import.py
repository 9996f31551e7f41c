"""Importing the roster from Excel: template, upload, row-by-row preview, then all rows or none."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from members import services
from members.importing import (
    COLUMNS,
    SHEET_NAME,
    RosterFileError,
    RosterImportError,
    check_workbook_file,
    read_roster,
    roster_import,
)
from members.models import Membership, PartyGroup, Person, PoliticalStatus, StatusStage
from tests.factories import PartyGroupFactory, PersonFactory

pytestmark = pytest.mark.django_db

HEADERS = [column.header for column in COLUMNS]
GOOD_ROWS = [
    # 姓名 性别 出生日期 联系电话 岗位/职务 政治面貌 入党或转入日期 加入方式 党小组 骨干教师 两长以上干部 到校日期
    ["李老师", "女", datetime.date(1970, 1, 2), "13800000001", "语文教师", "正式党员",
     datetime.date(1995, 7, 1), "调入", "初一年级党小组", "是", "否", datetime.date(1992, 9, 1)],
    ["周老师", "男", "1985-03-04", 13800000002, "数学教师", "预备党员",
     "2012/6/30", "发展入党", "", "否", "", "2008年9月1日"],
    ["吴老师", "女", None, "", "英语教师", "群众", None, "", "", "", "", None],
]  # fmt: skip


def workbook_bytes(rows, headers=HEADERS, extra_sheets=(), title=SHEET_NAME) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for name in extra_sheets:
        workbook.create_sheet(name).append(["别的内容"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="roster.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def bad_row():
    row = list(GOOD_ROWS[1])
    row[5] = "党员"  # not a political status
    return row


# The importer -----------------------------------------------------------------------------


def test_a_good_file_imports_every_row_with_status_stages_memberships_and_groups(branch):
    people = roster_import(content=workbook_bytes(GOOD_ROWS), branch=branch)

    assert [p.name for p in people] == ["李老师", "周老师", "吴老师"]
    li = Person.objects.get(branch=branch, name="李老师")
    assert li.political_status == PoliticalStatus.FULL
    assert li.phone == "13800000001" and li.is_key_teacher and not li.is_senior_cadre
    assert li.memberships.get().start == datetime.date(1995, 7, 1)
    assert li.party_group_memberships.get().group.name == "初一年级党小组"
    zhou = Person.objects.get(branch=branch, name="周老师")
    assert zhou.phone == "13800000002"
    assert zhou.staff_since == datetime.date(2008, 9, 1)
    assert zhou.memberships.get().joined_how == Membership.Joined.ADMITTED
    assert StatusStage.objects.get(person=zhou).status == PoliticalStatus.PROBATIONARY
    wu = Person.objects.get(branch=branch, name="吴老师")
    assert not wu.memberships.exists()
    assert set(Person.objects.for_branch(branch).members_on(datetime.date(2012, 9, 30))) == {
        li,
        zhou,
    }


def test_a_file_with_one_bad_row_imports_none_and_names_the_row(branch):
    content = workbook_bytes([GOOD_ROWS[0], bad_row(), GOOD_ROWS[2]])

    with pytest.raises(RosterImportError) as caught:
        roster_import(content=content, branch=branch)

    problems = caught.value.preview.problems
    assert [(p.row, p.column) for p in problems] == [(3, "政治面貌")]
    assert "“党员”不是有效的政治面貌" in str(problems[0])
    assert str(problems[0]).startswith("第3行“政治面貌”列")
    assert not Person.objects.filter(branch=branch).exists()
    assert not PartyGroup.objects.filter(branch=branch).exists()


def test_a_failure_while_writing_rolls_back_the_rows_already_written(branch, monkeypatch):
    real = services.person_create
    calls = []

    def fails_on_the_second_row(**kwargs):
        calls.append(kwargs["fields"]["name"])
        if len(calls) == 2:
            from django.core.exceptions import ValidationError

            raise ValidationError("写入失败")
        return real(**kwargs)

    monkeypatch.setattr(services, "person_create", fails_on_the_second_row)
    with pytest.raises(RosterImportError):
        roster_import(content=workbook_bytes(GOOD_ROWS), branch=branch)

    assert calls == ["李老师", "周老师"]
    assert not Person.objects.filter(branch=branch).exists()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (0, "", "姓名不能为空"),
        (1, "未知", "请填写“男”或“女”"),
        (2, "1970-13-45", "不是有效日期"),
        (3, "电话: 123", "联系电话只能包含数字"),
        (6, None, "党员须填写入党或转入日期"),
        (7, "调出", "请填写“发展入党”或“调入”"),
        (9, "也许", "请填写“是”或“否”"),
        (11, datetime.date(2999, 1, 1), "不在合理范围内"),
    ],
)
def test_each_bad_cell_is_named_by_row_column_and_reason(branch, column, value, message):
    row = list(GOOD_ROWS[0])
    row[column] = value

    preview = read_roster(workbook_bytes([GOOD_ROWS[2], row]), branch=branch)

    assert not preview.can_import
    assert [(p.row, p.column) for p in preview.problems] == [(3, HEADERS[column])]
    assert message in preview.problems[0].message


def test_a_non_member_with_a_joining_date_or_group_is_refused(branch):
    row = list(GOOD_ROWS[2])
    row[6], row[8] = datetime.date(2000, 1, 1), "初一年级党小组"

    preview = read_roster(workbook_bytes([row]), branch=branch)

    assert {p.column for p in preview.problems} == {"入党或转入日期", "党小组"}


def test_duplicate_names_in_the_file_and_in_the_branch_are_refused(branch):
    PersonFactory(branch=branch, name="吴老师")

    preview = read_roster(workbook_bytes([GOOD_ROWS[0], GOOD_ROWS[2], GOOD_ROWS[0]]), branch=branch)

    messages = [str(p) for p in preview.problems]
    assert messages == [
        "第3行“姓名”列：本支部已有名为“吴老师”的教职工，不能重复导入。",
        "第4行“姓名”列：与第2行姓名重复。",
    ]


def test_a_cell_holding_a_formula_is_refused(branch):
    row = list(GOOD_ROWS[0])
    row[4] = '=HYPERLINK("http://example.com","点我")'

    preview = read_roster(workbook_bytes([row]), branch=branch)

    assert [(p.row, p.column) for p in preview.problems] == [(2, "岗位/职务")]
    assert "公式" in preview.problems[0].message


def test_existing_party_groups_are_reused_and_new_ones_listed(branch):
    PartyGroupFactory(branch=branch, name="初一年级党小组")
    row = list(GOOD_ROWS[1])
    row[8] = "初二年级党小组"

    preview = read_roster(workbook_bytes([GOOD_ROWS[0], row]), branch=branch)
    assert preview.new_groups == ["初二年级党小组"]
    roster_import(content=workbook_bytes([GOOD_ROWS[0], row]), branch=branch)

    assert PartyGroup.objects.filter(branch=branch).count() == 2


# The file ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("roster.csv", "姓名,政治面貌\n李老师,正式党员\n".encode(), "只接受 .xlsx 格式"),
        ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "只接受 .xlsx 格式"),
        ("roster.xlsx", "姓名,政治面貌\n李老师,正式党员\n".encode(), "可能只是改了扩展名"),
        ("roster.xlsx", b"PK\x03\x04 not really a zip", "文件已损坏"),
    ],
)
def test_a_file_of_another_format_is_refused(name, content, message):
    with pytest.raises(RosterFileError, match=message):
        check_workbook_file(name, content)


def test_a_zip_that_is_not_a_workbook_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(RosterFileError, match="不是 .xlsx 格式"):
        check_workbook_file("roster.xlsx", buffer.getvalue())


def test_missing_required_columns_are_named(branch):
    headers = [h for h in HEADERS if h != "政治面貌"]
    with pytest.raises(RosterFileError, match="缺少必填列：政治面貌"):
        read_roster(workbook_bytes([], headers=headers), branch=branch)


def test_unknown_columns_are_ignored_with_a_note(branch):
    preview = read_roster(
        workbook_bytes([GOOD_ROWS[2] + ["x"]], headers=HEADERS + ["备注"]), branch=branch
    )
    assert preview.can_import
    assert preview.notes == ["以下列无法识别，已忽略：备注。"]


def test_several_sheets_without_a_roster_sheet_are_refused_with_a_clear_message(branch):
    content = workbook_bytes([GOOD_ROWS[0]], title="Sheet1", extra_sheets=["Sheet2"])
    with pytest.raises(RosterFileError, match="工作簿中有 2 个工作表（Sheet1、Sheet2）"):
        read_roster(content, branch=branch)


def test_the_roster_sheet_is_found_among_several(branch):
    content = workbook_bytes([GOOD_ROWS[0]], extra_sheets=["填写说明"])
    assert read_roster(content, branch=branch).can_import


# Through the browser ----------------------------------------------------------------------


def test_the_template_has_the_header_row_and_an_example_that_the_importer_skips(
    client, secretary, branch
):
    client.force_login(secretary)
    response = client.get(reverse("members:roster-template"))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook[SHEET_NAME]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet["A2"].value.startswith("示例")
    preview = read_roster(response.content, branch=branch)
    assert preview.rows == [] and "第2行是模板中的示例，已跳过。" in preview.notes


def test_upload_preview_and_confirm_import_every_row(client, secretary, branch):
    client.force_login(secretary)

    response = client.post(
        reverse("members:roster-import"), {"file": upload(workbook_bytes(GOOD_ROWS))}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("members:roster-import-preview")
    preview = client.get(response["Location"])
    assert "检查全部通过" in preview.content.decode()
    assert "确认导入 3 人" in preview.content.decode()
    assert not Person.objects.filter(name="李老师").exists()  # nothing written before confirming

    done = client.post(reverse("members:roster-import-confirm"), follow=True)

    assert "已导入 3 人" in done.content.decode()
    assert Person.objects.filter(branch=branch).count() == 4  # the secretary and the three


def test_a_bad_row_is_shown_in_the_preview_and_confirming_writes_nothing(client, secretary, branch):
    client.force_login(secretary)
    client.post(
        reverse("members:roster-import"),
        {"file": upload(workbook_bytes([GOOD_ROWS[0], bad_row()]))},
    )

    preview = client.get(reverse("members:roster-import-preview")).content.decode()
    assert "第3行“政治面貌”列：“党员”不是有效的政治面貌" in preview
    assert "确认导入" not in preview
    response = client.post(reverse("members:roster-import-confirm"), follow=True)

    assert "未导入任何数据" in response.content.decode()
    assert not Person.objects.filter(name="李老师").exists()


def test_a_file_of_another_format_is_refused_next_to_the_field(client, secretary):
    client.force_login(secretary)
    response = client.post(
        reverse("members:roster-import"),
        {"file": upload(b"name,status\n", name="roster.csv")},
    )

    assert response.status_code == 200
    assert "只接受 .xlsx 格式的 Excel 文件" in response.content.decode()
    assert response.context["form"].errors["file"]


def test_the_upload_is_imported_into_the_secretarys_own_branch(client, secretary, branch, outsider):
    client.force_login(outsider)
    client.post(reverse("members:roster-import"), {"file": upload(workbook_bytes(GOOD_ROWS))})
    client.post(reverse("members:roster-import-confirm"))

    assert not Person.objects.filter(branch=branch, name="李老师").exists()
    assert Person.objects.filter(name="李老师").get().branch == outsider.person.branch


def test_staff_and_members_may_not_import(client, staff_user, member):
    for user in (staff_user, member):
        client.force_login(user)
        response = client.post(
            reverse("members:roster-import"), {"file": upload(workbook_bytes(GOOD_ROWS))}
        )
        assert response.status_code == 403
    assert not Person.objects.filter(name="李老师").exists()


def test_missing_columns_and_unclear_sheets_are_named_next_to_the_field(client, secretary):
    client.force_login(secretary)
    url = reverse("members:roster-import")

    missing = client.post(url, {"file": upload(workbook_bytes([], headers=["姓名"]))})
    sheets = client.post(
        url, {"file": upload(workbook_bytes([], title="Sheet1", extra_sheets=["Sheet2"]))}
    )

    assert "缺少必填列：政治面貌" in missing.context["form"].errors["file"][0]
    assert "无法确定名册在哪一个" in sheets.context["form"].errors["file"][0]
