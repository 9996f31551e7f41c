"""The documents print to the standard: checked in LibreOffice (what the office's other word
processor is, and what CI installs: REQUIRE_LIBREOFFICE=1 makes its absence a failure).

Every character of the Word summary's text is in the PDF's text, and every word of the PDF lies
inside the text block (no punctuation lost at a line's end, none hanging into the margin).
"""

import collections
import io
import os
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from django.urls import reverse
from docx.shared import Length
from lxml import etree

from reports.builders import build_summary
from reports.figures import ReportPeriod
from reports.writers import FORMATS, pdf
from reports.writers.docx import MARGIN_LEFT, MARGIN_RIGHT, PAGE_WIDTH
from tests.report_data import build_school

pytestmark = pytest.mark.django_db
TOLERANCE_PT = 1.0


def _require_libreoffice():
    if pdf.available() and shutil.which("pdftotext"):
        return
    reason = "LibreOffice (soffice) and poppler-utils (pdftotext) are needed for this check"
    if os.environ.get("REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(reason)
    pytest.skip(f"{reason}. Set REQUIRE_LIBREOFFICE=1 to make this a failure.")


@pytest.fixture
def school(branch):
    return build_school(branch)


def _words(pdf_bytes: bytes, tmp_path) -> list[tuple[float, float, str]]:
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf_bytes)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True
    ).stdout
    tree = etree.fromstring(html.decode("utf-8"), etree.HTMLParser())
    return [
        (float(word.get("xmin")), float(word.get("xmax")), word.text or "")
        for word in tree.iter("word")
    ]


def check_printed_inside_the_text_block(document, tmp_path) -> None:
    """Every character of the .docx in LibreOffice's PDF, every word inside the text block."""
    _require_libreoffice()
    content = FORMATS["docx"].write(document)
    text = "".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    words = _words(pdf.convert(content, "docx"), tmp_path)

    wanted = collections.Counter(re.sub(r"\s", "", text))
    printed = collections.Counter("".join(word for _x0, _x1, word in words))
    missing = wanted - printed
    assert not missing, f"characters of the .docx not printed: {dict(missing)}"

    left, right = MARGIN_LEFT.pt, Length(PAGE_WIDTH - MARGIN_RIGHT).pt
    outside = [
        (x0, x1, word)
        for x0, x1, word in words
        if x0 < left - TOLERANCE_PT or x1 > right + TOLERANCE_PT
    ]
    assert not outside, f"printed outside the text block ({left:.1f}–{right:.1f} pt): {outside}"


def test_word_summary_in_libreoffice_keeps_every_character_inside_the_text_block(school, tmp_path):
    document = build_summary(school.branch, ReportPeriod.for_campaign(school.campaign))
    check_printed_inside_the_text_block(document, tmp_path)


def test_word_file_has_true_properties_and_chinese_line_breaking(school):
    document = build_summary(school.branch, ReportPeriod.for_campaign(school.campaign))
    word = docx.Document(io.BytesIO(FORMATS["docx"].write(document)))
    properties = word.core_properties
    assert properties.title == document.title
    assert properties.author == properties.last_modified_by == school.branch.short_name
    assert properties.comments == "" and properties.created.year >= 2026
    normal = word.styles["Normal"].element.pPr
    values = {
        tag: normal.find(f"{{{docx.oxml.ns.nsmap['w']}}}{tag}")
        for tag in ("kinsoku", "overflowPunct")
    }
    assert values["kinsoku"].get(docx.oxml.ns.qn("w:val")) == "1"
    # ISO/IEC 29500-1 §17.3.1.21, as Word reads it: 0 = no punctuation past the margin
    assert values["overflowPunct"].get(docx.oxml.ns.qn("w:val")) == "0"
    settings = word.settings.element
    control = settings.find(docx.oxml.ns.qn("w:characterSpacingControl"))
    assert control.get(docx.oxml.ns.qn("w:val")) == "compressPunctuation"
    assert document.signature.date == "2012年9月30日"  # year, month and day (GB/T 9704)


def test_the_pdf_is_made_from_a_copy_flipped_to_libreoffices_reading_of_overflow_punct(school):
    """LibreOffice takes w:overflowPunct the other way round: the copy it converts says 1 where
    the downloaded .docx says 0, and nothing else of the file changes."""
    document = build_summary(school.branch, ReportPeriod.for_campaign(school.campaign))
    content = FORMATS["docx"].write(document)
    flipped = pdf.for_libreoffice(content)
    original, copy = zipfile.ZipFile(io.BytesIO(content)), zipfile.ZipFile(io.BytesIO(flipped))
    assert original.namelist() == copy.namelist()
    pattern = re.compile(rb'<w:overflowPunct w:val="(\w+)"/>')
    styles = original.read("word/styles.xml")
    assert set(pattern.findall(styles)) == {b"0"}
    assert set(pattern.findall(copy.read("word/styles.xml"))) == {b"1"}
    assert len(pattern.findall(copy.read("word/styles.xml"))) == len(pattern.findall(styles))
    for name in original.namelist():
        before, after = original.read(name), copy.read(name)
        assert pattern.sub(b"", before) == pattern.sub(b"", after), name
    twice = zipfile.ZipFile(io.BytesIO(pdf.for_libreoffice(flipped)))
    assert twice.read("word/styles.xml") == styles


def test_the_whole_set_downloads_as_one_zip(school, client, staff_user):
    client.force_login(staff_user)
    url = reverse("reports:report-bundle", args=[school.branch.pk])
    response = client.get(url, {"period": f"campaign-{school.campaign.pk}"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    expected = {"docx", "xlsx"} | ({"pdf"} if pdf.available() else set())
    for kind in ("工作总结", "长效机制情况表"):
        stem = f"{school.branch.short_name}{school.campaign.name.removesuffix('活动')}{kind}"
        assert {name.rsplit(".", 1)[1] for name in names if name.startswith(stem)} == expected


def test_pdf_is_offered_only_where_libreoffice_is_installed(
    school, client, staff_user, monkeypatch
):
    client.force_login(staff_user)
    page_url = reverse("reports:report-branch", args=[school.branch.pk])
    pdf_url = reverse("reports:report-download", args=[school.branch.pk, "summary", "pdf"])
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    assert "下载 PDF" not in client.get(page_url).content.decode()
    assert client.get(pdf_url).status_code == 404


def test_excel_form_and_data_sheets_print_legibly(school):
    import openpyxl

    from reports.builders import build_mechanism_table
    from reports.writers.xlsx import LANDSCAPE_UNITS

    period = ReportPeriod.for_campaign(school.campaign)
    book = openpyxl.load_workbook(
        io.BytesIO(
            FORMATS["xlsx"].write(build_mechanism_table(school.branch, period, data_sheets=True))
        )
    )
    form = book["情况表"]
    sizes = {cell.font.sz for row in form.iter_rows() for cell in row if cell.value}
    assert min(sizes) >= 12
    assert {cell.font.name for row in form.iter_rows(min_row=2) for cell in row if cell.value} == {
        "仿宋_GB2312"
    }
    assert form["A1"].font.name == "方正小标宋简体"
    assert "&P" in form.oddFooter.center.text
    for sheet in book.worksheets[1:]:
        setup = sheet.page_setup
        assert (setup.orientation, setup.fitToWidth, int(setup.paperSize)) == ("landscape", 1, 9)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
        assert "&P" in sheet.oddFooter.center.text
        widths = [sheet.column_dimensions[c].width for c in sheet.column_dimensions]
        scale = min(1.0, LANDSCAPE_UNITS / sum(widths))
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert min(cell.font.sz for cell in cells) * scale >= 9, sheet.title
        assert all(cell.alignment.wrap_text for cell in cells), sheet.title
        assert all(cell.border.left.style == "thin" for cell in cells), sheet.title


def test_summary_workbook_has_no_text_sheet_that_would_not_print_like_the_document(school):
    import openpyxl

    period = ReportPeriod.for_campaign(school.campaign)
    document = build_summary(school.branch, period, data_sheets=True)
    book = openpyxl.load_workbook(io.BytesIO(FORMATS["xlsx"].write(document)))
    assert "工作总结" not in book.sheetnames and book.sheetnames


def test_options_kept_with_the_document_and_period_change_the_export(school, client, secretary):
    from reports.models import ReportOptions

    client.force_login(secretary)
    query = "?period=year-2011"
    url = reverse("reports:report-options", args=[school.branch.pk, "summary"]) + query
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"title": "2011年度党建工作总结", "signature_date": "2012-01-10", "list_records": ""}
    )
    assert response.status_code == 302
    stored = ReportOptions.objects.get(campaign=school.campaign, year=2011, kind="summary")
    assert stored.list_records is False

    year = build_summary(school.branch, ReportPeriod.for_year(school.branch, 2011))
    assert year.title == "2011年度党建工作总结"
    assert year.signature.date == "2012年1月10日"
    assert "主要活动记录" not in year.text and "举措落实情况" not in year.text
    # the campaign's document keeps its own (default) options
    campaign = build_summary(school.branch, ReportPeriod.for_campaign(school.campaign))
    assert campaign.title != "2011年度党建工作总结" and "主要活动记录" in campaign.text


def test_only_the_secretary_sets_report_options(school, client, staff_user):
    client.force_login(staff_user)
    url = reverse("reports:report-options", args=[school.branch.pk, "table"])
    assert client.get(url).status_code == 403
