"""The one way to fetch a development record for a user (``members.access.get_for_user``)."""

from __future__ import annotations

from members.access import get_for_user

from .models import Development


def get_development_for_user(request, pk, *roles: str) -> Development:
    queryset = Development.objects.select_related("person", "person__branch", "approved_by")
    return get_for_user(request, queryset, pk, *roles, message="您无权查看或修改该发展党员档案。")
