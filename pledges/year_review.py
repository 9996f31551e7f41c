"""This app's section of a member's year in review (``members.year_review``): pledge items
done in the year and how they were rated."""

from __future__ import annotations

from members.year_review import Section, year_span

from .models import PledgeItem


def pledges_section(person, year: int) -> Section | None:
    start, end = year_span(year)
    items = PledgeItem.objects.filter(pledge__person=person).tracked()
    done = items.filter(done_on__range=(start, end))
    if not items.exists():
        return None
    counts = done.fulfilment()
    rows = [
        (
            "完成承诺事项",
            f"{counts['total']} 项；评定为已兑现 {counts['fulfilled']} 项，"
            f"部分兑现 {counts['partly']} 项，未兑现 {counts['unfulfilled']} 项，"
            f"未评定 {counts['total'] - counts['rated']} 项",
        )
    ]
    for item in done.order_by("done_on", "pk"):
        rows.append(
            (f"{item.done_on:%m月%d日}", f"{item.title}（{item.get_fulfilment_display()}）")
        )
    still_open = items.open().filter(deadline__lte=end).count()
    if still_open:
        rows.append(("未完成事项", f"完成时限在本年度内或之前、尚未完成的 {still_open} 项"))
    return Section(key="pledges", title="公开承诺", rows=rows)
