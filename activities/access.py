"""Object access for the activities app: one helper per object type, on ``get_for_user``.

Each helper returns the object when the user acts in one of ``roles`` (``READ_ROLES`` when none
are given) on the object's branch, raises 404 when the object does not exist and 403 when it
belongs to a branch the user may not reach in those roles. Views call these helpers and never
filter by branch themselves.
"""

from __future__ import annotations

from members.access import get_for_user

from .models import Activity, ActivityPhoto, Measure, Meeting


def get_activity_for_user(request, pk, *roles: str) -> Activity:
    queryset = Activity.objects.select_related("branch", "carrier", "organiser")
    return get_for_user(request, queryset, pk, *roles, message="您无权查看或修改该活动记录。")


def get_activity_photo_for_user(request, pk, *roles: str) -> ActivityPhoto:
    queryset = ActivityPhoto.objects.select_related("activity")
    return get_for_user(request, queryset, pk, *roles, message="您无权查看或修改该照片。")


def get_measure_for_user(request, pk, *roles: str) -> Measure:
    queryset = Measure.objects.select_related("carrier__campaign__branch")
    return get_for_user(request, queryset, pk, *roles, message="您无权查看或修改该举措。")


def get_meeting_for_user(request, pk, *roles: str) -> Meeting:
    queryset = Meeting.objects.select_related("branch", "party_group")
    return get_for_user(request, queryset, pk, *roles, message="您无权查看或修改该会议记录。")
