"""This app's part of a person's record: their grades (``members.slots``) and the year's grade
in their year in review (``members.year_review``)."""

from __future__ import annotations

from members.slots import Section as PageSection
from members.year_review import Section

from .models import Decision, SelfAssessment


def grades_section(request, person, *, can_read_branch: bool) -> PageSection | None:
    decisions = list(
        Decision.objects.filter(person=person).select_related("round").order_by("-round__year")
    )
    if not decisions:
        return None
    return PageSection("evaluation/_person_grades.html", {"decisions": decisions})


def year_review_section(person, year: int) -> Section | None:
    decision = (
        Decision.objects.filter(person=person, round__year=year).select_related("round").first()
    )
    assessed = SelfAssessment.objects.filter(person=person, round__year=year).exists()
    if decision is None and not assessed:
        return None
    rows = []
    if decision is not None:
        text = decision.get_grade_display()
        if decision.round.meeting_on:
            text += f"（{decision.round.meeting_on:%Y年%m月%d日}支部党员大会评定）"
        rows.append(("评定等次", text))
        if decision.handling:
            rows.append(("处理决定", decision.get_handling_display()))
    rows.append(("个人自评", "已填写" if assessed else "未填写"))
    return Section(key="evaluation", title="民主评议党员", rows=rows)
