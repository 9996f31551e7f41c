"""``manage.py export_report``: files for scripts and cron, one-line errors, no partial files."""

import io

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.report_data import build_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return build_school()


def export(*args) -> str:
    out = io.StringIO()
    call_command("export_report", *args, stdout=out)
    return out.getvalue()


def test_summary_to_word_by_short_name(school, tmp_path):
    path = tmp_path / "总结.docx"
    message = export(
        "summary", "--branch", "测试二中党支部", "--format", "docx", "--output", str(path)
    )
    assert "已导出 测试二中党支部创先争优工作总结" in message
    word = docx.Document(str(path))
    assert word.paragraphs[0].text == "测试二中党支部创先争优工作总结"


def test_table_to_excel_by_id_for_a_year(school, tmp_path):
    path = tmp_path / "table.xlsx"
    export(
        "table",
        "--branch",
        str(school.branch.pk),
        "--year",
        "2011",
        "--format",
        "xlsx",
        "--output",
        str(path),
    )
    book = openpyxl.load_workbook(path)
    assert book.worksheets[0]["A1"].value == "基层党组织建立健全创先争优长效机制情况表"
    assert "承诺书" in book.sheetnames


def test_summary_to_html_of_a_given_campaign(school, tmp_path):
    path = tmp_path / "summary.html"
    export(
        "summary",
        "--branch",
        str(school.branch.pk),
        "--campaign",
        str(school.campaign.pk),
        "--format",
        "html",
        "--output",
        str(path),
    )
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert "<style>" in html and "@page" in html
    assert "测试二中党支部创先争优工作总结" in html


@pytest.mark.parametrize(
    "args,message",
    [
        (["--branch", "没有这个支部"], "找不到党支部：没有这个支部"),
        (["--branch", "测试二中党支部", "--year", "2009"], "2009年没有创先争优活动"),
        (["--branch", "测试二中党支部", "--campaign", "999999"], "没有编号为 999999 的活动"),
    ],
)
def test_bad_arguments_end_with_one_line_and_no_file(school, tmp_path, args, message):
    path = tmp_path / "out.docx"
    with pytest.raises(CommandError) as caught:
        export("summary", *args, "--format", "docx", "--output", str(path))
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_path_leaves_no_partial_file(school, tmp_path):
    with pytest.raises(CommandError, match="无法写入"):
        export(
            "summary",
            "--branch",
            "测试二中党支部",
            "--format",
            "docx",
            "--output",
            str(tmp_path / "missing" / "out.docx"),
        )
    target = tmp_path / "a-directory"
    target.mkdir()
    with pytest.raises(CommandError, match="无法写入"):
        export("summary", "--branch", "测试二中党支部", "--format", "docx", "--output", str(target))
    assert [p.name for p in tmp_path.iterdir()] == ["a-directory"]
    assert list(target.iterdir()) == []


def test_existing_file_is_replaced_only_when_the_new_one_is_complete(school, tmp_path):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old")
    export("table", "--branch", "测试二中党支部", "--format", "xlsx", "--output", str(path))
    assert path.read_bytes()[:2] == b"PK"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_branch_and_format_are_required(school, tmp_path):
    with pytest.raises(CommandError):
        export("summary", "--format", "docx", "--output", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError):
        export("summary", "--branch", "测试二中党支部", "--format", "odt", "--output", "x.odt")
