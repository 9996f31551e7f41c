"""The person page's sections of this app (``members.slots``): activities taken part in, meetings."""

from __future__ import annotations

from members.slots import Section


def participations_section(request, person, *, can_read_branch: bool) -> Section:
    participations = person.participations.select_related("activity__carrier").order_by(
        "-activity__start_date", "-activity__pk"
    )
    return Section(
        "activities/_person_participations.html",
        {"participations": participations, "can_read_branch": can_read_branch},
    )


def attendances_section(request, person, *, can_read_branch: bool) -> Section:
    attendances = list(person.attendances.select_related("meeting").order_by("-meeting__held_on"))
    return Section(
        "activities/_person_attendances.html",
        {
            "attendances": attendances,
            "attended": sum(1 for a in attendances if a.status == a.Status.PRESENT),
            "can_read_branch": can_read_branch,
        },
    )
