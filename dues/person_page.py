"""The person page's section of this app (``members.slots``): the year's dues, shown only to the
person themselves and to their branch's secretary."""

from __future__ import annotations

from django.utils import timezone

from members.slots import Section

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
