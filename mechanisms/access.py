"""Object access for the mechanisms app: one helper, built on ``branches_for``.

Returns the mechanism when the user acts in one of ``roles`` (``READ_ROLES`` when none are given)
on its branch; 404 when it does not exist, 403 when it belongs to a branch out of the user's reach.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from common.access import READ_ROLES, branches_for

from .models import Mechanism


def get_mechanism_for_user(request, pk, *roles: str) -> Mechanism:
    mechanism = get_object_or_404(Mechanism.objects.select_related("branch", "campaign"), pk=pk)
    reach = branches_for(request.user, *(roles or READ_ROLES))
    if not reach.filter(pk=mechanism.branch_id).exists():
        raise PermissionDenied("您无权查看或修改该制度。")
    return mechanism
