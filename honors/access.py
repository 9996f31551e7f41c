"""Object access for the honors app: one helper, built on ``branches_for``.

Returns the honor when the user acts in one of ``roles`` (``READ_ROLES`` when none are given) on
its branch; 404 when it does not exist, 403 when it belongs to a branch out of the user's reach.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from common.access import READ_ROLES, acts_on

from .models import Honor


def get_honor_for_user(request, pk, *roles: str) -> Honor:
    honor = get_object_or_404(Honor.objects.select_related("branch", "person"), pk=pk)
    if not acts_on(request.user, honor.branch_id, *(roles or READ_ROLES)):
        raise PermissionDenied("您无权查看或修改该荣誉记录。")
    return honor
