"""Who may see what: roles are scoped to a branch (or, for 上级党委, to a committee).

Every view is decorated with ``role_required(...)`` or ``public``; the access-matrix test reads
these marks from the URLconf, so a view without a rule fails the suite. Object access goes through
one ``get_<object>_for_user`` helper per object type, built on ``branches_for``.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from members.models import Branch, RoleAssignment

SECRETARY = RoleAssignment.Role.SECRETARY
STAFF = RoleAssignment.Role.STAFF
MEMBER = RoleAssignment.Role.MEMBER
COMMITTEE = RoleAssignment.Role.COMMITTEE

# Roles that may read a branch's records; only the secretary may change them.
READ_ROLES = (SECRETARY, STAFF, COMMITTEE)
MANAGE_ROLES = (SECRETARY,)


def _assignments(user) -> list[RoleAssignment]:
    """The user's role assignments with their branches, read once per request (one query)."""
    if not hasattr(user, "_portal_assignments"):
        user._portal_assignments = list(user.role_assignments.select_related("branch"))
    return user._portal_assignments


def user_roles(user) -> set[str]:
    """The roles a user holds anywhere, cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_portal_roles"):
        user._portal_roles = {assignment.role for assignment in _assignments(user)}
    return user._portal_roles


def branch_list_for(user, *roles: str) -> list[Branch] | None:
    """The branches of ``branches_for(user, *roles)``, loaded; ``None`` for the superuser.

    Worked out once per request and role set and kept on the user object: the assignments bring
    their branches (one query), a committee's branches take one more. So the access checks of a
    page, its branch picker and its secretary-only parts cost no further queries.
    """
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    memo = user.__dict__.setdefault("_portal_branches", {})
    key = frozenset(roles)
    if key not in memo:
        assignments = _assignments(user)
        found = {
            a.branch_id: a.branch
            for a in assignments
            if a.role in key and a.role != COMMITTEE and a.branch_id is not None
        }
        committees = {a.committee_id for a in assignments if a.role == COMMITTEE}
        committees.discard(None)
        if COMMITTEE in key and committees:
            found.update((b.pk, b) for b in Branch.objects.filter(committee__in=committees))
        memo[key] = list(found.values())
    return memo[key]


def branch_ids_for(user, *roles: str) -> frozenset[int] | None:
    """The ids of ``branch_list_for(user, *roles)``; ``None`` for the superuser (every branch)."""
    branches = branch_list_for(user, *roles)
    return None if branches is None else frozenset(branch.pk for branch in branches)


def branches_for(user, *roles: str):
    """Branches on which ``user`` acts in one of ``roles`` (committee users: every branch below)."""
    ids = branch_ids_for(user, *roles)
    if ids is None:
        return Branch.objects.all()
    return Branch.objects.filter(pk__in=sorted(ids))


def acts_on(user, branch_id: int | None, *roles: str) -> bool:
    """Whether ``user`` acts on the branch ``branch_id`` in one of ``roles`` (no query)."""
    ids = branch_ids_for(user, *roles)
    return branch_id is not None and (ids is None or branch_id in ids)


def role_required(*roles: str):
    """Anonymous users go to the login page; users holding none of ``roles`` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.is_superuser and not (user_roles(request.user) & set(roles)):
                raise PermissionDenied("您的账号没有访问此页面的权限。")
            return view(request, *args, **kwargs)

        wrapped.access_roles = tuple(roles)
        return wrapped

    return decorator


def public(view):
    """Marks a view as meant for everyone, logged in or not."""
    view.access_public = True
    return view


def get_branch_for_user(request, pk, *roles: str) -> Branch:
    """The branch ``pk`` if the user acts on it in one of ``roles``: 404 if unknown, else 403."""
    branch = get_object_or_404(Branch, pk=pk)
    if not acts_on(request.user, branch.pk, *roles):
        raise PermissionDenied("您无权查看该党支部的信息。")
    return branch
