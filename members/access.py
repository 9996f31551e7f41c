"""Who may see what, and the one way to fetch a record for a user.

Roles are scoped to a branch (or, for 上级党委, to a committee). Every view is decorated with
``role_required(...)`` or ``public``; the access-matrix test reads these marks from the URLconf,
so a view without a rule fails the suite.

Object access goes through ``get_for_user``: 404 when the record does not exist, 403 when the
user does not act in one of the roles on the record's branch, read along the model's declared
``branch_path`` (``members/scoping.py``). Each object type has a one-line helper on it
(``get_person_for_user``, ``get_activity_for_user`` …, kept in the app of the model); views call
these helpers and never filter by branch themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

from common.history import HistoryRow, history_rows

from .backends import read_role_assignments
from .models import (
    Branch,
    BranchPost,
    BranchRating,
    Campaign,
    Carrier,
    LeadingGroupRole,
    PartyGroup,
    PartyGroupMembership,
    Person,
    RoleAssignment,
)
from .scoping import branch_id_of

SECRETARY = RoleAssignment.Role.SECRETARY
STAFF = RoleAssignment.Role.STAFF
MEMBER = RoleAssignment.Role.MEMBER
COMMITTEE = RoleAssignment.Role.COMMITTEE

SESSION_EXPIRED = (
    "登录已超时，刚才提交的内容没有保存。请重新登录，再填写一次（可先复制刚才输入的文字）。"
)

# Roles that may read a branch's records; only the secretary may change them.
READ_ROLES = (SECRETARY, STAFF, COMMITTEE)
MANAGE_ROLES = (SECRETARY,)


def role_assignments_of(user) -> list[RoleAssignment]:
    """The user's role assignments with their branches, read once per request (one query)."""
    if not hasattr(user, "_portal_assignments"):
        user._portal_assignments = read_role_assignments(user)
    return user._portal_assignments


def user_roles(user) -> set[str]:
    """The roles a user holds anywhere, cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_portal_roles"):
        user._portal_roles = {assignment.role for assignment in role_assignments_of(user)}
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
        assignments = role_assignments_of(user)
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
                if request.method == "POST":  # the session ran out while a form was being filled
                    messages.warning(request, SESSION_EXPIRED)
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


def acts_on_record(user, record, *roles: str) -> bool:
    """Whether ``user`` acts in one of ``roles`` on the branch of ``record`` (its ``branch_path``)."""
    return acts_on(user, branch_id_of(record), *roles)


def get_for_user(
    request,
    queryset_or_model,
    pk,
    *roles: str,
    message: str = "您无权查看或修改该记录。",
    allows: Callable[[object, models.Model], bool] | None = None,
):
    """The record ``pk`` of ``queryset_or_model`` if the user may reach it, else 404 / 403.

    404 when there is no such record; 403 (``message``) unless the user acts in one of ``roles``
    (``READ_ROLES`` when none are given) on the record's branch, read along the model's
    ``branch_path``. ``allows(user, record)``, when given, decides instead of the roles (a
    member's own record, a pledge's writer). Pass a QuerySet with ``select_related`` along the
    branch path to read the branch without a further query.
    """
    record = get_object_or_404(queryset_or_model, pk=pk)
    if allows is None:
        allowed = acts_on_record(request.user, record, *(roles or READ_ROLES))
    else:
        allowed = allows(request.user, record)
    if not allowed:
        raise PermissionDenied(message)
    return record


def get_branch_for_user(request, pk, *roles: str) -> Branch:
    """The branch ``pk`` if the user acts on it in one of ``roles``: 404 if unknown, else 403."""
    return get_for_user(request, Branch, pk, *roles, message="您无权查看该党支部的信息。")


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


def can_manage(request, branch) -> bool:
    """Whether the user may create, change and delete the records of ``branch``."""
    return acts_on(request.user, branch.pk, *MANAGE_ROLES)


def history_for(user, obj, branch) -> list[HistoryRow] | None:
    """The change history of ``obj`` if ``user`` manages ``branch`` (its secretary), else ``None``."""
    if not acts_on(user, branch.pk, SECRETARY):
        return None
    return history_rows(obj)


# Members' records -----------------------------------------------------------------------------


def get_person_for_user(request, pk, *roles: str) -> Person:
    """A person of a branch the user works on; with ``MEMBER`` in roles, also the user's own."""
    roles = roles or READ_ROLES
    branch_roles = tuple(r for r in roles if r != MEMBER)

    def allows(user, person: Person) -> bool:
        own = MEMBER in roles and person.user_id is not None and person.user_id == user.pk
        return own or acts_on_record(user, person, *branch_roles)

    queryset = Person.objects.select_related("branch", "user")
    return get_for_user(request, queryset, pk, message="您无权查看该人员的信息。", allows=allows)


def get_party_group_for_user(request, pk, *roles: str) -> PartyGroup:
    queryset = PartyGroup.objects.select_related("branch", "leader")
    return get_for_user(request, queryset, pk, *roles, message="您无权查看或修改该党小组。")


def get_party_group_membership_for_user(request, pk, *roles: str) -> PartyGroupMembership:
    queryset = PartyGroupMembership.objects.select_related("group", "person")
    return get_for_user(request, queryset, pk, *roles, message="您无权修改该党小组成员。")


def get_branch_post_for_user(request, pk, *roles: str) -> BranchPost:
    queryset = BranchPost.objects.select_related("person")
    return get_for_user(request, queryset, pk, *roles, message="您无权修改该支委职务。")


def get_campaign_for_user(request, pk, *roles: str, branch_pk=None) -> Campaign:
    """A campaign of a branch on which the user acts in one of ``roles`` (``READ_ROLES`` if none).

    With ``branch_pk`` (a URL naming the branch too), the branch is checked first, as
    ``get_branch_for_user`` does, and a campaign of another branch is not found (404).
    """
    queryset = Campaign.objects.select_related("branch")
    if branch_pk is not None:
        get_branch_for_user(request, branch_pk, *roles)
        queryset = queryset.filter(branch_id=branch_pk)
    return get_for_user(request, queryset, pk, *roles, message="您无权处理该活动的承诺书。")


def get_carrier_for_user(request, pk, *roles: str) -> Carrier:
    queryset = Carrier.objects.select_related("campaign__branch")
    return get_for_user(request, queryset, pk, *roles, message="您无权查看或修改该载体。")


def get_rating_for_user(request, pk, *roles: str) -> BranchRating:
    queryset = BranchRating.objects.select_related("branch")
    return get_for_user(request, queryset, pk, *roles, message="您无权查看或修改该分类定级。")


def get_leading_role_for_user(request, pk, *roles: str) -> LeadingGroupRole:
    queryset = LeadingGroupRole.objects.select_related("campaign", "person", "predecessor")
    return get_for_user(request, queryset, pk, *roles, message="您无权修改该领导小组成员。")


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
