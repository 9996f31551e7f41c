"""党费 rates are data rows with sources; a month's dues is a Decimal to the 分, half up."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from dues.models import Category, Rate
from dues.rates import NoRate, monthly_amount

pytestmark = pytest.mark.django_db

D = Decimal
ON = datetime.date(2026, 3, 1)
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("category", "income", "expected"),
    [
        (Category.SALARIED, "0.00", "0.00"),
        (Category.SALARIED, "3000.00", "15.00"),
        (Category.SALARIED, "3000.01", "30.00"),
        (Category.SALARIED, "5000.00", "50.00"),
        (Category.SALARIED, "5000.01", "75.00"),
        (Category.SALARIED, "10000.00", "150.00"),
        (Category.SALARIED, "10000.01", "200.00"),
        (Category.SALARIED, "3333.33", "33.33"),
        (Category.SALARIED, "1001.00", "5.01"),  # 5.005: half up, not to even
        (Category.RETIRED, "5000.00", "25.00"),
        (Category.RETIRED, "5000.01", "50.00"),
        (Category.STUDENT, None, "0.20"),
        (Category.UNEMPLOYED, None, "0.20"),
        (Category.LOW_INCOME, None, "0.20"),
        (Category.FARMER, None, "0.20"),
    ],
)
def test_the_2008_bands_and_fixed_amounts(category, income, expected):
    amount = monthly_amount(category, None if income is None else D(income), ON)
    assert isinstance(amount, Decimal)
    assert amount == D(expected)
    assert amount.as_tuple().exponent == -2


def test_every_rate_quotes_its_source_and_starts_in_april_2008():
    rates = list(Rate.objects.all())
    assert len(rates) == 10
    assert all("2008" in rate.source for rate in rates)
    assert {rate.valid_from for rate in rates} == {datetime.date(2008, 4, 1)}


def test_a_new_rate_applies_from_its_date_and_the_past_keeps_the_old_one():
    Rate.objects.filter(category=Category.STUDENT).update(valid_to=datetime.date(2029, 12, 31))
    Rate.objects.create(
        category=Category.STUDENT,
        fixed_amount=D("0.50"),
        valid_from=datetime.date(2030, 1, 1),
        source="假设的新规定",
    )
    assert monthly_amount(Category.STUDENT, None, datetime.date(2029, 12, 1)) == D("0.20")
    assert monthly_amount(Category.STUDENT, None, datetime.date(2030, 1, 1)) == D("0.50")


def test_a_month_before_any_rule_has_no_rate():
    with pytest.raises(NoRate):
        monthly_amount(Category.SALARIED, D("4000"), datetime.date(2007, 1, 1))


def test_income_out_of_range_is_refused():
    with pytest.raises(ValueError):
        monthly_amount(Category.SALARIED, D("-1"), ON)
    with pytest.raises(ValueError):
        monthly_amount(Category.SALARIED, D("1000000.01"), ON)


def test_no_float_anywhere_in_the_dues_app():
    paths = [*(ROOT / "dues").rglob("*.py"), *(ROOT / "templates" / "dues").rglob("*.html")]
    offenders = [str(p) for p in paths if "float" in p.read_text(encoding="utf-8").lower()]
    assert offenders == []
