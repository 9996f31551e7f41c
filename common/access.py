"""Who may see what: roles are scoped to a branch (or, for 上级党委, to a committee).

Every view is decorated with ``role_required(...)`` or ``public``; the access-matrix test reads
these marks from the URLconf, so a view without a rule fails the suite. Object access goes through
one ``get_<object>_for_user`` helper per object type, built on ``branches_for``.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from members.models import Branch, RoleAssignment

SECRETARY = RoleAssignment.Role.SECRETARY
STAFF = RoleAssignment.Role.STAFF
MEMBER = RoleAssignment.Role.MEMBER
COMMITTEE = RoleAssignment.Role.COMMITTEE

# Roles that may read a branch's records; only the secretary may change them.
READ_ROLES = (SECRETARY, STAFF, COMMITTEE)
MANAGE_ROLES = (SECRETARY,)


def user_roles(user) -> set[str]:
    """The roles a user holds anywhere, cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_portal_roles"):
        user._portal_roles = set(user.role_assignments.values_list("role", flat=True))
    return user._portal_roles


def branches_for(user, *roles: str):
    """Branches on which ``user`` acts in one of ``roles`` (committee users: every branch below)."""
    if not user.is_authenticated:
        return Branch.objects.none()
    if user.is_superuser:
        return Branch.objects.all()
    branch_roles = [role for role in roles if role != COMMITTEE]
    condition = Q(pk__in=[])
    if branch_roles:
        condition |= Q(
            pk__in=RoleAssignment.objects.filter(user=user, role__in=branch_roles).values("branch")
        )
    if COMMITTEE in roles:
        condition |= Q(
            committee__in=RoleAssignment.objects.filter(user=user, role=COMMITTEE).values(
                "committee"
            )
        )
    return Branch.objects.filter(condition)


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
    if not branches_for(request.user, *roles).filter(pk=branch.pk).exists():
        raise PermissionDenied("您无权查看该党支部的信息。")
    return branch
