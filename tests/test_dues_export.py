"""The 党费收缴登记表: one sheet per branch and year, printable on A4 landscape, one page wide."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dues.models import Category, Way
from dues.services import BaseEntry, base_year_set, payment_record

pytestmark = pytest.mark.django_db
Y = 2025


def test_the_register_reads_back_with_its_figures_and_print_setup(client, secretary, branch):
    import datetime

    me = secretary.person
    base_year_set(
        branch=branch,
        year=Y,
        entries=[BaseEntry(person=me, category=Category.SALARIED, income=Decimal("6000"))],
    )
    payment_record(
        person=me,
        months=[datetime.date(Y, 1, 1), datetime.date(Y, 2, 1)],
        amount=Decimal("180.00"),
        paid_on=datetime.date(Y, 2, 10),
        way=Way.CASH,
    )
    client.force_login(secretary)
    response = client.get(f"{reverse('dues:ledger-export')}?branch={branch.pk}&year={Y}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "党费收缴登记表" in sheet["A1"].value and str(Y) in sheet["A1"].value
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(sheet.page_setup.fitToWidth) == 1
    header = [cell.value for cell in sheet[3]]
    assert header[:5] == ["序号", "姓名", "类别", "月计算基数", "月应交"]
    row = [cell.value for cell in sheet[4]]
    assert row[1] == "书记甲"
    assert row[3] == 6000 and row[4] == 90
    assert row[5] == 90 and row[6] == 90 and row[7] is None  # Jan, Feb paid; March not
    assert row[-3:] == [1080, 180, 900]
