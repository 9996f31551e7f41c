"""generate_meetings: a generated district's year of 组织生活, for the heat map's benchmark."""

import io

import pytest
from django.core.management import CommandError, call_command

from activities.models import Meeting


def test_generate_meetings_adds_a_year_once(db):
    call_command(
        "generate_data", "--branches", "2", "--people-per-branch", "10", stdout=io.StringIO()
    )
    call_command("generate_meetings", "--year", "2026", stdout=io.StringIO())
    year = Meeting.objects.filter(held_on__year=2026)
    assert year.filter(status="held").exists()
    assert set(year.values_list("kind", flat=True)) >= {"committee", "theme_day", "group"}
    with pytest.raises(CommandError):
        call_command("generate_meetings", "--year", "2026", stdout=io.StringIO())
