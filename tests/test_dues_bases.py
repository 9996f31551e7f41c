"""Bases: a member's category and base from a month; the kept dues follow bases and memberships."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dues.models import Category, DuesBase, MonthlyDue
from dues.services import BaseEntry, base_set, base_year_set
from members.models import Membership
from tests.factories import MemberFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

D = Decimal
Y = 2025


def month(number, year=Y):
    return datetime.date(year, number, 1)


def dues_of(person, year=Y):
    return {
        row.month.month: row.due
        for row in MonthlyDue.objects.filter(person=person, month__year=year)
    }


def salaried(person, income):
    return BaseEntry(person=person, category=Category.SALARIED, income=D(income))


def test_a_yearly_base_makes_twelve_months_of_dues(branch):
    person = MemberFactory(branch=branch)
    base_year_set(branch=branch, year=Y, entries=[salaried(person, "4000.00")])
    assert dues_of(person) == {n: D("40.00") for n in range(1, 13)}


def test_a_wage_change_applies_from_its_month(branch):
    person = MemberFactory(branch=branch)
    base_year_set(branch=branch, year=Y, entries=[salaried(person, "4000.00")])
    base_set(entry=salaried(person, "6000.00"), valid_from=datetime.date(Y, 7, 15))
    dues = dues_of(person)
    assert dues[6] == D("40.00")
    assert dues[7] == dues[12] == D("90.00")
    assert DuesBase.objects.filter(person=person).count() == 2


def test_a_probationary_member_pays_from_the_month_of_the_branch_meeting(branch):
    person = PersonFactory(branch=branch, political_status="probationary")
    MembershipFactory(
        person=person, start=datetime.date(Y, 3, 15), joined_how=Membership.Joined.ADMITTED
    )
    base_year_set(branch=branch, year=Y, entries=[salaried(person, "2000.00")])
    assert sorted(dues_of(person)) == list(range(3, 13))


def test_a_member_transferred_in_pays_from_the_next_month(branch):
    person = PersonFactory(branch=branch, political_status="full")
    MembershipFactory(person=person, start=datetime.date(Y, 4, 10))
    base_year_set(branch=branch, year=Y, entries=[salaried(person, "2000.00")])
    assert min(dues_of(person)) == 5


def test_a_member_transferred_out_stops_after_the_month_they_leave(branch):
    person = MemberFactory(branch=branch)
    base_year_set(branch=branch, year=Y, entries=[salaried(person, "2000.00")])
    membership = person.memberships.get()
    membership.end = datetime.date(Y, 8, 20)
    membership.left_how = Membership.Left.TRANSFERRED_OUT
    membership.save()
    assert sorted(dues_of(person)) == list(range(1, 9))


@pytest.mark.parametrize(
    ("income", "message"),
    [("-1.00", "负数"), ("1000000.01", "1000000"), ("3000.005", "两位小数")],
)
def test_bad_incomes_are_refused_and_nothing_is_saved(branch, income, message):
    good, bad = MemberFactory(branch=branch), MemberFactory(branch=branch)
    with pytest.raises(ValidationError) as caught:
        base_year_set(
            branch=branch, year=Y, entries=[salaried(good, "3000"), salaried(bad, income)]
        )
    assert message in str(caught.value)
    assert not DuesBase.objects.exists()
    assert not MonthlyDue.objects.exists()


def test_the_year_form_saves_every_member_or_none(client, secretary, branch):
    other = MemberFactory(branch=branch, name="党员乙")
    me = secretary.person
    client.force_login(secretary)
    url = f"{reverse('dues:base-year')}?branch={branch.pk}&year={Y}"
    data = {
        f"p{me.pk}-category": Category.SALARIED,
        f"p{me.pk}-income": "5000.00",
        f"p{other.pk}-category": Category.SALARIED,
        f"p{other.pk}-income": "-5",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert not DuesBase.objects.exists()
    data[f"p{other.pk}-income"] = "8000.00"
    response = client.post(url, data)
    assert response.status_code == 302
    assert dues_of(other)[1] == D("120.00")
    assert dues_of(me)[1] == D("50.00")


def _upload(rows, name="bases.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党费基数"
    sheet.append(["姓名", "党员类别", "月计算基数（元）", "每月自愿多交（元）"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_the_excel_import_is_all_or_nothing_with_problems_by_row_and_column(
    client, secretary, branch
):
    MemberFactory(branch=branch, name="党员乙")
    client.force_login(secretary)
    url = f"{reverse('dues:base-import')}?branch={branch.pk}&year={Y}"
    response = client.post(
        url,
        {
            "file": _upload(
                [
                    ["书记甲", "在职（按工资收入）", 5000],
                    ["党员乙", "在职（按工资收入）", -3],
                    ["查无此人", "学生", None],
                    ["党员乙", "外星人", 100],
                ]
            )
        },
    )
    text = response.content.decode()
    assert "第3行“月计算基数（元）”列" in text
    assert "第4行“姓名”列" in text
    assert "第5行“党员类别”列" in text
    assert not DuesBase.objects.exists()

    response = client.post(
        url,
        {"file": _upload([["书记甲", "在职（按工资收入）", 5000.5], ["党员乙", "学生", None, 10]])},
    )
    assert response.status_code == 302
    bases = {b.person.name: b for b in DuesBase.objects.select_related("person")}
    assert bases["书记甲"].income == D("5000.50")
    assert bases["党员乙"].category == Category.STUDENT
    assert dues_of(bases["党员乙"].person)[1] == D("10.20")


def test_the_template_lists_the_members_of_the_branch(client, secretary, branch):
    MemberFactory(branch=branch, name="党员乙")
    client.force_login(secretary)
    response = client.get(f"{reverse('dues:base-template')}?branch={branch.pk}&year={Y}")
    sheet = load_workbook(io.BytesIO(response.content))["党费基数"]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["书记甲", "党员乙"]


def test_a_file_that_is_not_xlsx_is_refused(client, secretary, branch):
    client.force_login(secretary)
    response = client.post(
        f"{reverse('dues:base-import')}?branch={branch.pk}&year={Y}",
        {"file": SimpleUploadedFile("bases.csv", b"a,b")},
    )
    assert ".xlsx" in response.content.decode()
    assert not DuesBase.objects.exists()


def test_refresh_dues_reaches_the_new_year_without_a_new_base(branch, monkeypatch):
    from django.core.management import call_command
    from django.utils import timezone

    person = MemberFactory(branch=branch)
    base_year_set(branch=branch, year=Y, entries=[salaried(person, "4000.00")])
    next_year = timezone.localdate().year + 1
    assert not MonthlyDue.objects.filter(person=person, month__year=next_year).exists()
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(next_year, 1, 2))
    call_command("refresh_dues", stdout=io.StringIO())
    assert dues_of(person, next_year) == {n: D("40.00") for n in range(1, 13)}
