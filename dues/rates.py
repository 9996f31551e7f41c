"""A month's dues from the rules in force in that month (``Rate`` rows, with their sources).

``monthly_amount(category, income, on)`` is the one computation of a month's dues: the percentage
of the band the whole base falls in (the 2008 rules are not progressive), or the fixed amount of
the category; to the 分, rounded half up. Money is ``Decimal`` throughout.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from .models import INCOME_CATEGORIES, Rate

CENT = Decimal("0.01")
MAX_INCOME = Decimal("1000000")


class NoRate(LookupError):
    """No rule in force covers the category and base on that day."""


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class RateBook:
    """Every rate, read once (one query), for computing many months."""

    def __init__(self, rates=None):
        self.rates = list(Rate.objects.all() if rates is None else rates)

    def rate_for(self, category: str, income: Decimal | None, on: datetime.date) -> Rate:
        for rate in self.rates:
            if rate.category != category or rate.valid_from > on:
                continue
            if rate.valid_to is not None and rate.valid_to < on:
                continue
            if rate.fixed_amount is not None:
                return rate
            base = income or Decimal(0)
            above = base > rate.income_above or rate.income_above == 0
            if above and (rate.income_up_to is None or base <= rate.income_up_to):
                return rate
        raise NoRate(f"{on:%Y年%m月}没有适用于该类别与基数的党费标准。")

    def amount(
        self, category: str, income: Decimal | None, on: datetime.date, extra: Decimal = Decimal(0)
    ) -> Decimal:
        if category in INCOME_CATEGORIES and income is None:
            raise ValueError("按工资收入交纳党费的党员须有月计算基数。")
        if income is not None and not Decimal(0) <= income <= MAX_INCOME:
            raise ValueError("月计算基数须在 0 至 1000000 元之间。")
        rate = self.rate_for(category, income, on)
        if rate.fixed_amount is not None:
            amount = rate.fixed_amount
        else:
            amount = income * rate.percent / Decimal(100)
        return to_cents(amount + extra)


def monthly_amount(category: str, income: Decimal | None, on: datetime.date) -> Decimal:
    """The dues of one month for ``category`` and monthly base ``income`` by the rules on ``on``."""
    return RateBook(Rate.objects.in_force(on).filter(category=category)).amount(
        category, income, on
    )
