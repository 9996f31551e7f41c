"""This app's section of a member's year in review (``members.year_review``): the year's grade
and whether the self-assessment was written."""

from __future__ import annotations

from members.year_review import Section

from .models import Decision, SelfAssessment


def evaluation_section(person, year: int) -> Section | None:
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
