"""Object access for the honors app: one helper, on ``get_for_user``.

Returns the honor when the user acts in one of ``roles`` (``READ_ROLES`` when none are given) on
its branch; 404 when it does not exist, 403 when it belongs to a branch out of the user's reach.
"""

from __future__ import annotations

from members.access import get_for_user

from .models import Honor


def get_honor_for_user(request, pk, *roles: str) -> Honor:
    queryset = Honor.objects.select_related("branch", "person")
    return get_for_user(request, queryset, pk, *roles, message="您无权查看或修改该荣誉记录。")
