"""This app's parts of a person's pages: a section of the person page (``members.slots``) and
of the member's year in review (``members.year_review``). Amounts are shown only to the person
themselves and to their branch's secretary."""

from __future__ import annotations

import datetime

from django.utils import timezone

from members.slots import Section
from members.year_review import Section as YearSection

from .access import sees_amounts
from .ledger import person_arrear
from .models import MonthlyDue


def dues_section(request, person, *, can_read_branch: bool) -> Section | None:
    if not sees_amounts(request.user, person):
        return None
    today = timezone.localdate()
    kept = MonthlyDue.objects.filter(person=person).of_year(today.year)
    if not kept.exists():
        return None
    return Section(
        "dues/_person_dues.html",
        {"person": person, "totals": kept.totals(today), "arrear": person_arrear(person, today)},
    )


def year_section(person, year: int) -> YearSection | None:
    """党费: the year's dues, payments and owed months, as (label, text) rows."""
    today = timezone.localdate()
    kept = MonthlyDue.objects.filter(person=person).of_year(year)
    last_day = min(today, datetime.date(year, 12, 31))
    totals = kept.totals(last_day if year < today.year else today)
    months = kept.filter(due__gt=0).count()
    if not months:
        return None
    owed_months = kept.owed(today).count()
    rows = [
        ("应交党费", f"{months} 个月，共 {totals['due']} 元"),
        ("实交党费", f"{totals['paid']} 元"),
        ("欠交", f"{owed_months} 个月，{totals['owed']} 元" if owed_months else "无"),
    ]
    return YearSection(key="dues", title="交纳党费", rows=rows)
