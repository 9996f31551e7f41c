"""The person page's section of this app (``members.slots``): the person's pledges."""

from __future__ import annotations

from members.slots import Section


def pledges_section(request, person, *, can_read_branch: bool) -> Section:
    pledges = person.pledges.current().select_related("campaign").order_by("-created_at")
    return Section("pledges/_person_pledges.html", {"pledges": pledges})
