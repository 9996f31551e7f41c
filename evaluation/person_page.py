"""This app's part of a person's page (``members.slots``): their grades, year by year."""

from __future__ import annotations

from members.slots import Section as PageSection

from .models import Decision


def grades_section(request, person, *, can_read_branch: bool) -> PageSection | None:
    decisions = list(
        Decision.objects.filter(person=person).select_related("round").order_by("-round__year")
    )
    if not decisions:
        return None
    return PageSection("evaluation/_person_grades.html", {"decisions": decisions})
