"""The demo branch's dues for the current year: each member's January base and the payments
month by month, with a few members in arrears (one over the 党章 article 9 line).

Idempotent: bases are found by (person, month), payments by their receipt numbers; the kept
dues are rewritten only when something was added. The source document's figures (2010–2012)
are not touched.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from dues.models import Category, DuesBase, Payment, PaymentMonth, Way
from dues.months import add_months, month_of
from dues.national import ensure_installed
from dues.rates import RateBook
from dues.services import dues_refresh
from members.models import Person

# Monthly bases (元, after tax) handed out in turn; every seventh member is retired.
INCOMES = ["6800.00", "5200.00", "8400.00", "4600.00", "7300.00", "9850.50", "3900.00"]
RETIRED_INCOME = "5600.00"
# Members in arrears, by their place in the roster (sorted by name): months left unpaid.
ARREARS = {2: 2, 5: 4, 11: 7}
WAYS = [Way.TRANSFER, Way.ONLINE, Way.CASH]
CREATED, UPDATED, UNCHANGED = 0, 1, 2


def build_dues(branch, tally, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    ensure_installed()  # the rules of 2008 (written by the migration; back after a flush)
    january = datetime.date(today.year, 1, 1)
    people = list(Person.objects.for_branch(branch).members_on(january).order_by("name", "pk"))
    changed = False
    for index, person in enumerate(people):
        retired = index % 7 == 6
        income = Decimal(RETIRED_INCOME if retired else INCOMES[index % len(INCOMES)])
        _, created = DuesBase.objects.get_or_create(
            person=person,
            valid_from=january,
            defaults={
                "category": Category.RETIRED if retired else Category.SALARIED,
                "income": income,
                "note": "演示数据",
            },
        )
        tally.count(DuesBase, CREATED if created else UNCHANGED)
        changed |= created
    if changed:
        dues_refresh(people, today=today)
    book = RateBook()
    this_month = month_of(today)
    bases = {b.person_id: b for b in DuesBase.objects.filter(person__in=people, valid_from=january)}
    for index, person in enumerate(people):
        base = bases[person.pk]
        unpaid = ARREARS.get(index, 0)
        last_paid = add_months(this_month, -1 - unpaid)
        month = january
        while month <= last_paid:
            receipt = f"{today.year}-{month.month:02d}-{index + 1:03d}"
            payment = Payment.objects.filter(branch=branch, receipt_no=receipt).first()
            if payment is None:
                amount = book.amount(base.category, base.income, month)
                payment = Payment.objects.create(
                    branch=branch,
                    person=person,
                    amount=amount,
                    paid_on=month + datetime.timedelta(days=9),
                    way=WAYS[index % len(WAYS)],
                    receipt_no=receipt,
                    paid_by="" if index % 5 else "配偶代交",
                    note="演示数据",
                )
                PaymentMonth.objects.create(payment=payment, month=month, amount=amount)
                changed = True
                tally.count(Payment, CREATED)
            else:
                tally.count(Payment, UNCHANGED)
            month = add_months(month, 1)
    if changed:
        dues_refresh(people, today=today)
