"""Object access for the activities app: one helper per object type, built on ``branches_for``.

Each helper returns the object when the user acts in one of ``roles`` on the object's branch,
raises 404 when the object does not exist and 403 when it belongs to a branch the user may not
reach in those roles. Views call these helpers and never filter by branch themselves.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from common.access import MANAGE_ROLES, READ_ROLES, acts_on, branch_list_for
from members.models import Branch

from .models import Activity, ActivityPhoto, Measure, Meeting


def _check(request, branch_id: int, roles: tuple[str, ...], message: str) -> None:
    if not acts_on(request.user, branch_id, *roles):
        raise PermissionDenied(message)


def get_branch_choice(request, *roles: str) -> tuple[Branch, list[Branch]]:
    """The branch a page works on and the branches the user may pick from (``?branch=``).

    Committee users (and users with several branches) choose with the ``branch`` parameter; the
    first branch is the default. 403 when the user has no branch in ``roles``.
    """
    roles = roles or READ_ROLES
    choices = branch_list_for(request.user, *roles)
    if choices is None:  # the superuser
        choices = list(Branch.objects.all())
    choices = sorted(choices, key=lambda branch: (branch.short_name, branch.pk))
    if not choices:
        raise PermissionDenied("您的账号尚未分配到任何党支部。")
    wanted = request.GET.get("branch") or request.POST.get("branch")
    for branch in choices:
        if str(branch.pk) == wanted:
            return branch, choices
    return choices[0], choices


def get_activity_for_user(request, pk, *roles: str) -> Activity:
    activity = get_object_or_404(
        Activity.objects.select_related("branch", "carrier", "organiser"), pk=pk
    )
    _check(request, activity.branch_id, roles or READ_ROLES, "您无权查看或修改该活动记录。")
    return activity


def get_activity_photo_for_user(request, pk, *roles: str) -> ActivityPhoto:
    photo = get_object_or_404(ActivityPhoto.objects.select_related("activity"), pk=pk)
    _check(request, photo.activity.branch_id, roles or READ_ROLES, "您无权查看或修改该照片。")
    return photo


def get_measure_for_user(request, pk, *roles: str) -> Measure:
    measure = get_object_or_404(Measure.objects.select_related("carrier__campaign__branch"), pk=pk)
    _check(
        request, measure.carrier.campaign.branch_id, roles or READ_ROLES, "您无权查看或修改该举措。"
    )
    return measure


def get_meeting_for_user(request, pk, *roles: str) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("branch", "party_group"), pk=pk)
    _check(request, meeting.branch_id, roles or READ_ROLES, "您无权查看或修改该会议记录。")
    return meeting


def can_manage(request, branch) -> bool:
    """Whether the user may create, change and delete the records of ``branch``."""
    return acts_on(request.user, branch.pk, *MANAGE_ROLES)
