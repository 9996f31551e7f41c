"""The digest's bulk to-dos say for each member what their home page says (dues, evaluation)."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from members import todos

pytestmark = pytest.mark.django_db

APPS = ("/dues/", "/evaluation/")


def _mine(rows):
    return sorted((t.label, t.count, t.url) for t in rows if t.url.startswith(APPS))


def test_bulk_dues_and_evaluation_to_dos_match_each_members_own():
    call_command("load_demo", stdout=io.StringIO())
    today = timezone.localdate()
    users = list(get_user_model().objects.filter(person__isnull=False))
    bulk = todos.bulk_todos_for(users, today)
    compared = 0
    for user in users:
        own = [t for t in todos.todos_for(user, today) if "本月" not in t.label]
        # the secretary's branch lines are not in the bulk rows: compare the member's own only
        own = [t for t in own if "党员" not in t.label and "：尚未" not in t.label]
        own = [t for t in own if "请结束" not in t.label and "待支部" not in t.label]
        assert _mine(bulk.get(user.pk, [])) == _mine(own), user.username
        compared += bool(_mine(own))
    assert compared >= 2  # the demo has members owing dues and members yet to vote


def test_bulk_recruitment_to_dos_match_the_secretarys_and_the_committees_own():
    call_command("load_demo", stdout=io.StringIO())
    today = timezone.localdate()
    users = list(get_user_model().objects.filter(role_assignments__isnull=False).distinct())
    bulk = todos.bulk_todos_for(users, today)

    def rows(todo_rows):
        return sorted((t.label, t.count) for t in todo_rows if t.url.startswith("/recruitment/"))

    compared = 0
    for user in users:
        own = rows(todos.todos_for(user, today))
        assert rows(bulk.get(user.pk, [])) == own, user.username
        compared += bool(own)
    assert compared >= 1  # the demo's secretary has a development step due this month


def test_the_reports_read_the_years_dues_from_the_ledger():
    from dues.ledger import period_figures
    from dues.models import MonthlyDue
    from members.models import Branch, Campaign
    from reports.figures import Figures, ReportPeriod

    call_command("load_demo", stdout=io.StringIO())
    branch = Branch.objects.get(pk=MonthlyDue.objects.values_list("branch_id", flat=True)[0])
    year = MonthlyDue.objects.order_by("month").values_list("month", flat=True)[0].year
    period = ReportPeriod(
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 31),
        campaign=Campaign.objects.for_branch(branch).first(),
        year=year,
    )
    figures = Figures(branch, period)
    expected = period_figures(branch, figures.period.start, figures.period.end)
    assert figures.value("应交党费") == expected["due"] > 0
    assert figures.value("欠交党费人数") == expected["members_owing"] > 0
