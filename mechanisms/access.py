"""Object access for the mechanisms app: one helper, on ``get_for_user``.

Returns the mechanism when the user acts in one of ``roles`` (``READ_ROLES`` when none are given)
on its branch; 404 when it does not exist, 403 when it belongs to a branch out of the user's reach.
"""

from __future__ import annotations

from members.access import get_for_user

from .models import FeaturedWork, Mechanism


def get_mechanism_for_user(request, pk, *roles: str) -> Mechanism:
    queryset = Mechanism.objects.select_related("branch", "campaign")
    return get_for_user(request, queryset, pk, *roles, message="您无权查看或修改该制度。")


def get_featured_work_for_user(request, pk, *roles: str) -> FeaturedWork:
    queryset = FeaturedWork.objects.select_related("branch")
    return get_for_user(request, queryset, pk, *roles, message="您无权查看或修改该党建特色工作。")
