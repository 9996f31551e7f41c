"""The person page's section of this app (``members.slots``): the person's honors."""

from __future__ import annotations

from members.slots import Section


def honors_section(request, person, *, can_read_branch: bool) -> Section:
    return Section(
        "honors/_person_honors.html",
        {"honors": person.honors.order_by("-awarded_on"), "can_read_branch": can_read_branch},
    )
