"""The person page's section of this app (``members.slots``): the development record's stages."""

from __future__ import annotations

from members.slots import Section

from .models import Development


def development_section(request, person, *, can_read_branch: bool) -> Section | None:
    development = Development.objects.filter(person=person).first()
    if development is None:
        return None
    return Section(
        "recruitment/_person_development.html",
        {"development": development, "can_read_branch": can_read_branch},
    )
