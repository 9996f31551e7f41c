"""This app's section of a member's year in review (``members.year_review``): dues."""

from __future__ import annotations

from django.utils import timezone

from members.year_review import Section

from .models import MonthlyDue


def dues_section(person, year: int) -> Section | None:
    """党费: the year's dues, payments and owed months, as (label, text) rows."""
    today = timezone.localdate()
    kept = MonthlyDue.objects.filter(person=person).of_year(year)
    totals = kept.totals(today)
    months = kept.until(today).filter(due__gt=0).count()
    if not months:
        return None
    owed_months = kept.owed(today).count()
    rows = [
        ("应交党费", f"{months} 个月，共 {totals['due']} 元"),
        ("实交党费", f"{totals['paid']} 元"),
        ("欠交", f"{owed_months} 个月，{totals['owed']} 元" if owed_months else "无"),
    ]
    return Section(key="dues", title="交纳党费", rows=rows)
