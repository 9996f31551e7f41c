"""Object access for the 民主评议, on ``members.access.get_for_user``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from members.access import get_for_user

from .models import Participant, Round


def get_round_for_user(request, pk, *roles: str) -> Round:
    """A round of a branch on which the user acts in one of ``roles`` (``READ_ROLES`` if none)."""
    queryset = Round.objects.select_related("branch")
    return get_for_user(request, queryset, pk, *roles, message="您无权查看或处理该民主评议。")


def get_participation_for_user(request, pk) -> Participant:
    """The signed-in member's own place in round ``pk``: 404 for no round, 403 when the user is
    not among its members evaluated (their colleagues' secretary included)."""
    evaluation_round = get_for_user(
        request,
        Round.objects.select_related("branch"),
        pk,
        allows=lambda user, record: True,
    )
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    place = (
        evaluation_round.participants.select_related("person", "round__branch")
        .filter(person=person)
        .first()
        if person is not None
        else None
    )
    if place is None:
        raise PermissionDenied("您不在本次民主评议的参评党员名单中。")
    return place
