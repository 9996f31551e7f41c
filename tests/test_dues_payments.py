"""Payments: several months at once, 代交, back payment, refusals, reversals, the month's batch."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dues.models import Category, MonthlyDue, Payment, PaymentMonth, Way
from dues.services import BaseEntry, base_year_set, payment_record, payment_reverse
from members.models import Membership
from tests.factories import MemberFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

D = Decimal
Y = 2025


def month(number, year=Y):
    return datetime.date(year, number, 1)


@pytest.fixture
def payer(branch):
    person = MemberFactory(branch=branch, name="党员丙")
    base_year_set(
        branch=branch,
        year=Y,
        entries=[BaseEntry(person=person, category=Category.SALARIED, income=D("4000"))],
    )
    return person


def pay(person, months, amount, **extra):
    fields = {"paid_on": datetime.date(Y, 6, 10), "way": Way.CASH, **extra}
    return payment_record(person=person, months=months, amount=D(amount), **fields)


def kept(person, number):
    return MonthlyDue.objects.get(person=person, month=month(number))


def test_several_months_at_once_fill_each_month_and_extra_goes_to_the_last(payer):
    pay(payer, [month(1), month(2), month(3)], "125.00", paid_by="配偶")
    assert [kept(payer, n).paid for n in (1, 2, 3)] == [D("40.00"), D("40.00"), D("45.00")]
    assert all(kept(payer, n).is_paid for n in (1, 2, 3))
    assert Payment.objects.get().paid_by == "配偶"


def test_a_month_is_paid_only_when_its_payments_reach_its_dues(payer):
    pay(payer, [month(4)], "30.00", receipt_no="A1")
    assert not kept(payer, 4).is_paid
    pay(payer, [month(4)], "10.00", receipt_no="A2")
    assert kept(payer, 4).is_paid


@pytest.mark.parametrize(
    ("amount", "field"), [("0", "amount"), ("-5", "amount"), ("40.001", "amount")]
)
def test_bad_amounts_are_refused(payer, amount, field):
    with pytest.raises(ValidationError) as caught:
        pay(payer, [month(1)], amount)
    assert field in caught.value.message_dict
    assert not Payment.objects.exists()


def test_a_duplicate_receipt_number_in_the_branch_is_refused(payer, branch):
    pay(payer, [month(1)], "40", receipt_no="2025-001")
    with pytest.raises(ValidationError) as caught:
        pay(payer, [month(2)], "40", receipt_no="2025-001")
    assert "收据编号" in caught.value.message_dict["receipt_no"][0]
    assert Payment.objects.count() == 1


def test_a_month_before_membership_or_after_leaving_is_refused(branch):
    person = PersonFactory(branch=branch, political_status="full")
    MembershipFactory(
        person=person,
        start=datetime.date(Y, 3, 1),
        end=datetime.date(Y, 9, 30),
        left_how=Membership.Left.TRANSFERRED_OUT,
    )
    base_year_set(
        branch=branch,
        year=Y,
        entries=[BaseEntry(person=person, category=Category.STUDENT, income=None)],
    )
    for number in (2, 10):
        with pytest.raises(ValidationError) as caught:
            pay(person, [month(number)], "0.20")
        assert "党员关系期" in caught.value.message_dict["months"][0]
    pay(person, [month(3)], "0.20")


def test_back_payment_older_than_six_months_needs_a_note(payer):
    later = datetime.date(Y, 9, 5)
    with pytest.raises(ValidationError) as caught:
        pay(payer, [month(1), month(2)], "80", paid_on=later)
    assert "note" in caught.value.message_dict
    pay(payer, [month(3)], "40", paid_on=later)  # 6 months back: fine
    pay(payer, [month(1), month(2)], "80", paid_on=later, note="长期外派，回国后补交")
    assert kept(payer, 1).is_paid


def test_a_reversal_is_a_new_negative_entry_with_a_reason_and_the_original_stays(payer):
    original = pay(payer, [month(1), month(2)], "80", receipt_no="R1")
    with pytest.raises(ValidationError):
        payment_reverse(payment=original, reason=" ")
    reversal = payment_reverse(payment=original, reason="金额登记错误")
    original.refresh_from_db()
    assert original.amount == D("80.00")
    assert reversal.amount == D("-80.00") and reversal.reverses == original
    assert kept(payer, 1).paid == D("0.00")
    assert sorted(
        PaymentMonth.objects.filter(payment=reversal).values_list("amount", flat=True)
    ) == [
        D("-40.00"),
        D("-40.00"),
    ]
    with pytest.raises(ValidationError):
        payment_reverse(payment=original, reason="再次冲销")
    assert original.history.count() >= 1
    # the cancelled receipt keeps its number; the corrected payment gets a new receipt
    with pytest.raises(ValidationError):
        pay(payer, [month(1)], "40", receipt_no="R1")
    pay(payer, [month(1)], "40", receipt_no="R2")
    assert kept(payer, 1).is_paid


def test_the_payment_page_records_and_shows_errors_next_to_the_field(client, secretary, payer):
    client.force_login(secretary)
    url = reverse("dues:payment-create", args=[payer.pk])
    response = client.post(
        url,
        {"months": [month(1).isoformat()], "amount": "0", "paid_on": "2025-06-01", "way": "cash"},
    )
    assert response.status_code == 200
    assert "交费金额须大于 0" in response.content.decode()
    response = client.post(
        url,
        {
            "months": [month(1).isoformat(), month(2).isoformat()],
            "amount": "80.00",
            "paid_on": "2025-06-01",
            "way": "transfer",
            "receipt_no": "X-1",
        },
    )
    assert response.status_code == 302
    assert kept(payer, 2).is_paid


def test_the_reverse_page_needs_a_reason(client, secretary, payer):
    payment = pay(payer, [month(1)], "40")
    client.force_login(secretary)
    url = reverse("dues:payment-reverse", args=[payment.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "重复登记"}).status_code == 302
    assert Payment.objects.filter(reverses=payment).exists()


def test_the_months_recording_saves_the_whole_branch_in_one_go_or_nothing(
    client, secretary, branch, payer
):
    other = MemberFactory(branch=branch, name="党员丁")
    base_year_set(
        branch=branch,
        year=Y,
        entries=[
            BaseEntry(person=payer, category=Category.SALARIED, income=D("4000")),
            BaseEntry(person=other, category=Category.RETIRED, income=D("6000")),
        ],
    )
    client.force_login(secretary)
    url = reverse("dues:record-month")
    page = client.get(f"{url}?branch={branch.pk}&month=2025-05-01")
    assert "党员丁" in page.content.decode()
    data = {
        "branch": branch.pk,
        "month": "2025-05-01",
        "paid_on": "2025-05-20",
        f"p{payer.pk}-amount": "40.00",
        f"p{payer.pk}-way": "cash",
        f"p{payer.pk}-receipt_no": "M-1",
        f"p{other.pk}-amount": "60.00",
        f"p{other.pk}-way": "online",
        f"p{other.pk}-receipt_no": "M-1",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "重复" in response.content.decode()
    assert not Payment.objects.exists()
    data[f"p{other.pk}-receipt_no"] = "M-2"
    response = client.post(url, data)
    assert response.status_code == 302
    assert kept(payer, 5).is_paid and kept(other, 5).is_paid
    assert Payment.objects.count() == 2


def test_how_far_back_a_payment_needs_no_note_is_the_rule_in_force_on_the_day_paid(payer):
    from dues.models import DuesRule, Limit

    later = datetime.date(Y, 9, 5)
    national = DuesRule.objects.in_force(later).get(limit=Limit.BACK_PAYMENT)
    national.valid_to = datetime.date(Y, 8, 31)
    national.save()
    DuesRule.objects.create(
        limit=Limit.BACK_PAYMENT, months=3, valid_from=datetime.date(Y, 9, 1), source="测试用规定"
    )
    with pytest.raises(ValidationError) as caught:
        pay(payer, [month(5)], "40", paid_on=later)  # 4 months back: over the new 3
    assert "超过 3 个月" in caught.value.message_dict["note"][0]
    pay(payer, [month(6)], "40", paid_on=later)  # 3 months back: fine
