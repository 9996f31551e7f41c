"""Months as the first day of the month: dues are owed and paid by the month."""

from __future__ import annotations

import datetime


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, later: datetime.date) -> int:
    """How many months ``later`` lies after ``first`` (both read as months)."""
    return (later.year - first.year) * 12 + later.month - first.month


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every month from ``first`` to ``last``, both included."""
    first, last = month_of(first), month_of(last)
    return [add_months(first, n) for n in range(months_between(first, last) + 1)]


def year_months(year: int) -> list[datetime.date]:
    return [datetime.date(year, number, 1) for number in range(1, 13)]


def label(month: datetime.date) -> str:
    return f"{month.year}年{month.month}月"
