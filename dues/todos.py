"""This app's lines on the home page's to-do list (``members.todos``)."""

from __future__ import annotations

from django.db.models import Count, F
from django.urls import reverse

from members.access import SECRETARY, branch_list_for
from members.todos import ACTION, INFO, OVERDUE, Todo

from . import ledger
from .models import Limit, MonthlyDue
from .months import month_of


def my_dues(user, today):
    """A member: this month's dues not yet paid, and months owed."""
    person = getattr(user, "person", None)  # loaded with the account (members.backends)
    if person is None:
        return
    kept = MonthlyDue.objects.filter(person=person)
    url = reverse("dues:mine")
    # one row at most (one per person and month): ordered by its own month, not by the
    # default ordering's person, branch and committee (three joins to build and plan)
    this_month = kept.filter(month=month_of(today), due__gt=0).order_by("month").first()
    if this_month is not None and not this_month.is_paid:
        yield Todo("本月党费待交纳", 1, url, INFO, f"{this_month.short} 元")
    owed = kept.owed(today).count()
    yield Todo("欠交党费（月）", owed, url, OVERDUE)


def branch_dues(user, today):
    """A secretary: members who have not paid this month, owe 3+ months, or hit article 9."""
    branches = branch_list_for(user, SECRETARY) or []
    several = len(branches) > 1
    rule = ledger.limits(today)
    for branch in branches:
        suffix = f"（{branch.short_name}）" if several else ""
        kept = MonthlyDue.objects.for_branch(branch)
        unpaid = kept.filter(month=month_of(today), due__gt=0, paid__lt=F("due")).count()
        yield Todo(
            f"本月尚未交纳党费的党员{suffix}",
            unpaid,
            f"{reverse('dues:record-month')}?branch={branch.pk}",
            INFO,
        )
        _, warned, flagged = kept.owing_people_by_branch(
            today, warning=rule[Limit.WARNING], lapse=rule[Limit.LAPSE]
        ).get(branch.pk, (0, 0, 0))
        yield Todo(
            f"欠交党费{rule[Limit.WARNING]}个月以上的党员{suffix}",
            warned,
            f"{reverse('dues:arrears')}?branch={branch.pk}",
            ACTION,
        )
        yield Todo(
            f"连续{rule[Limit.LAPSE]}个月未交党费、须由支部研究的党员（党章第九条）{suffix}",
            flagged,
            f"{reverse('dues:arrears')}?branch={branch.pk}",
            OVERDUE,
        )
        missing = ledger.members_without_base(branch, today).count()
        yield Todo(
            f"尚未核定党费基数的党员{suffix}",
            missing,
            f"{reverse('dues:base-list')}?branch={branch.pk}",
            ACTION,
        )


def dues_for_many(users, today):
    """``my_dues``' months owed for many members in one query (the weekly digest)."""
    url = reverse("dues:mine")
    owed = (
        MonthlyDue.objects.owed(today)
        .filter(person__user__in=[user.pk for user in users])
        .values_list("person__user")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {user_pk: [Todo("欠交党费（月）", n, url, OVERDUE)] for user_pk, n in owed}
