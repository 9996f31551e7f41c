"""This app's section of a member's year in review (``members.year_review``): honors."""

from __future__ import annotations

from members.year_review import Section, year_span

from .models import Honor


def honors_section(person, year: int) -> Section:
    honors = Honor.objects.filter(person=person).between(*year_span(year)).order_by("awarded_on")
    rows = [
        (
            f"{honor.awarded_on:%m月%d日}",
            f"{honor.title}（{honor.get_level_display()}"
            f"{'，' + honor.awarded_by if honor.awarded_by else ''}）",
        )
        for honor in honors
    ]
    return Section(key="honors", title="获得荣誉", rows=rows or [("荣誉", "本年度无")])
