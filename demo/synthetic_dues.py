"""Dues for a synthetic district (``generate_data --with-dues``): every member's January base
and their payments up to last month, some in arrears, written in bulk; then the kept dues.

For the scale tests and ``bench/dues_bench.py``: a 200-branch district of 60 people a branch
gets about 12 000 bases, their payments and one row per member and month.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.db import transaction

from dues.models import Category, DuesBase, MonthlyDue, Payment, PaymentMonth, Way
from dues.months import add_months, month_of
from dues.rates import RateBook
from dues.services import dues_refresh
from members.models import Membership, Person

BATCH = 2000
WAYS = list(Way.values)


@transaction.atomic
def generate_dues(*, committee, today: datetime.date, seed: int = 1) -> Counter:
    rng = random.Random(seed)
    january = datetime.date(today.year, 1, 1)
    this_month = month_of(today)
    people = list(
        Person.objects.filter(branch__committee=committee)
        .members_on(january)
        .order_by("branch_id", "pk")
    )
    book = RateBook()
    bases = []
    for person in people:
        retired = rng.random() < 0.1
        income = Decimal(rng.randrange(250000, 1500000)) / 100
        bases.append(
            DuesBase(
                person=person,
                valid_from=january,
                category=Category.RETIRED if retired else Category.SALARIED,
                income=income,
            )
        )
    DuesBase.objects.bulk_create(bases, batch_size=BATCH)
    memberships = {
        m.person_id: m
        for m in Membership.objects.filter(person__in=people, end__isnull=True).only(
            "person_id", "end"
        )
    }
    payments, months_of = [], []
    for person, base in zip(people, bases, strict=True):
        if person.pk not in memberships:
            continue
        behind = 0
        roll = rng.random()
        if roll < 0.03:
            behind = rng.randint(6, 9)
        elif roll < 0.10:
            behind = rng.randint(1, 5)
        last = add_months(this_month, -1 - behind)
        month = january
        while month <= last:
            # paid a quarter at a time, or month by month
            chunk = [m for m in (month, add_months(month, 1), add_months(month, 2)) if m <= last]
            if rng.random() < 0.5:
                chunk = chunk[:1]
            amounts = [book.amount(base.category, base.income, m) for m in chunk]
            payments.append(
                Payment(
                    branch_id=person.branch_id,
                    person=person,
                    amount=sum(amounts),
                    paid_on=chunk[-1] + datetime.timedelta(days=rng.randint(0, 20)),
                    way=rng.choice(WAYS),
                    receipt_no=f"{today.year}-{person.pk}-{month.month:02d}",
                )
            )
            months_of.append(list(zip(chunk, amounts, strict=True)))
            month = add_months(chunk[-1], 1)
    Payment.objects.bulk_create(payments, batch_size=BATCH)
    lines = [
        PaymentMonth(payment=payment, month=month, amount=amount)
        for payment, parts in zip(payments, months_of, strict=True)
        for month, amount in parts
    ]
    PaymentMonth.objects.bulk_create(lines, batch_size=BATCH)
    kept = 0
    for first in range(0, len(people), BATCH):
        kept += dues_refresh(people[first : first + BATCH], today=today)
    return Counter(
        {
            "dues.DuesBase": len(bases),
            "dues.Payment": len(payments),
            "dues.PaymentMonth": len(lines),
            "dues.MonthlyDue": MonthlyDue.objects.filter(branch__committee=committee).count()
            or kept,
        }
    )
