"""Object access for the members app: one helper per object type, built on ``branches_for``.

Each helper returns the object when the user acts in one of ``roles`` on the object's branch
(``READ_ROLES`` when none are given), raises 404 when the object does not exist and 403 when it
belongs to a branch the user may not reach in those roles. A member (``MEMBER`` among ``roles``)
reaches only their own person record. Views call these helpers and never filter by branch.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from common.access import MEMBER, READ_ROLES, SECRETARY, acts_on, branch_ids_for

from .models import (
    Branch,
    BranchPost,
    LeadingGroupRole,
    PartyGroup,
    PartyGroupMembership,
    Person,
)


def _check(request, branch_id: int, roles: tuple[str, ...], message: str) -> None:
    if not acts_on(request.user, branch_id, *roles):
        raise PermissionDenied(message)


def get_person_for_user(request, pk, *roles: str) -> Person:
    """A person of a branch the user works on; with ``MEMBER`` in roles, also the user's own."""
    person = get_object_or_404(Person.objects.select_related("branch", "user"), pk=pk)
    roles = roles or READ_ROLES
    if MEMBER in roles and person.user_id is not None and person.user_id == request.user.pk:
        return person
    _check(
        request,
        person.branch_id,
        tuple(r for r in roles if r != MEMBER),
        "您无权查看该人员的信息。",
    )
    return person


def get_party_group_for_user(request, pk, *roles: str) -> PartyGroup:
    group = get_object_or_404(PartyGroup.objects.select_related("branch", "leader"), pk=pk)
    _check(request, group.branch_id, roles or READ_ROLES, "您无权查看或修改该党小组。")
    return group


def get_party_group_membership_for_user(request, pk, *roles: str) -> PartyGroupMembership:
    membership = get_object_or_404(
        PartyGroupMembership.objects.select_related("group", "person"), pk=pk
    )
    _check(request, membership.group.branch_id, roles or READ_ROLES, "您无权修改该党小组成员。")
    return membership


def get_branch_post_for_user(request, pk, *roles: str) -> BranchPost:
    post = get_object_or_404(BranchPost.objects.select_related("person"), pk=pk)
    _check(request, post.person.branch_id, roles or READ_ROLES, "您无权修改该支委职务。")
    return post


def get_leading_role_for_user(request, pk, *roles: str) -> LeadingGroupRole:
    role = get_object_or_404(
        LeadingGroupRole.objects.select_related("campaign", "person", "predecessor"), pk=pk
    )
    _check(request, role.campaign.branch_id, roles or READ_ROLES, "您无权修改该领导小组成员。")
    return role


def private_branch_ids(user) -> set[int]:
    """Branches whose people's phones and birth dates ``user`` may see: the secretary's own."""
    ids = branch_ids_for(user, SECRETARY)
    return set(Branch.objects.values_list("pk", flat=True)) if ids is None else set(ids)


def sees_private(user, person: Person, branch_ids: set[int] | None = None) -> bool:
    """Phones and birth dates are shown to the branch's secretary and to the person themselves."""
    if person.user_id is not None and person.user_id == user.pk:
        return True
    if branch_ids is None:
        branch_ids = private_branch_ids(user)
    return person.branch_id in branch_ids


def private_view(user, branch, branch_ids: set[int]) -> str:
    """Which phones and birth dates of ``branch`` the user sees (``sees_private``), as a name: all
    of them (``"secretary"``), only their own record's (``"person-<pk>"``), or none (``"reader"``).
    Renderings of the roster are cached apart for each."""
    if branch.pk in branch_ids:
        return "secretary"
    me = getattr(user, "person", None)  # loaded with the account (members.backends)
    return f"person-{me.pk}" if me is not None and me.branch_id == branch.pk else "reader"
