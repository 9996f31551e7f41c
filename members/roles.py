"""Roles as Django groups: one group per ``RoleAssignment.Role``, with the permissions it needs.

The groups carry the model permissions (the admin reads them; the navigation and the views go by
the roles themselves, ``members.access``, which costs no permission queries); which branch a user
works on stays with ``RoleAssignment`` and ``members.access``. A user is
in a role's group exactly while they hold at least one assignment of that role: ``sync_user_groups``
keeps the two in step and runs whenever an assignment is saved or deleted (see ``apps.py``).
The groups' permissions are set by the data migration and refreshed after every ``migrate``, so a
model added later gets its permissions without a new migration.
"""

from __future__ import annotations

from django.apps import apps as global_apps

from .models import RoleAssignment

Role = RoleAssignment.Role

# The apps whose models the roles work with.
PORTAL_APPS = ("members", "activities", "pledges", "honors", "mechanisms", "reports")

# Models only the superuser manages (the organisation's frame and the accounts' roles).
SUPERUSER_MODELS = {"members.committee", "members.branch", "members.roleassignment"}

# What a member may do: their own pledges and items; the rest of their record they only read.
MEMBER_PERMISSIONS = {
    "pledges.view_pledge",
    "pledges.add_pledge",
    "pledges.change_pledge",
    "pledges.view_pledgepoint",
    "pledges.add_pledgepoint",
    "pledges.change_pledgepoint",
    "pledges.view_pledgeitem",
    "pledges.change_pledgeitem",
}


def group_name(role: str) -> str:
    """The group of a role is named after the role's label (书记/支委, 工作人员, 党员, 上级党委)."""
    return str(Role(role).label)


def role_allows(role: str, app_label: str, codename: str) -> bool:
    """Whether the group of ``role`` holds the permission ``app_label.codename``."""
    action, _, model = codename.partition("_")
    if app_label not in PORTAL_APPS or model.startswith("historical"):
        return False
    if role == Role.SECRETARY:
        if f"{app_label}.{model}" in SUPERUSER_MODELS:
            return action == "view"
        return action in {"view", "add", "change", "delete"}
    if role in (Role.STAFF, Role.COMMITTEE):
        return action == "view"
    if role == Role.MEMBER:
        return f"{app_label}.{codename}" in MEMBER_PERMISSIONS
    return False


def sync_role_groups(apps=global_apps) -> None:
    """Create the four role groups and give each exactly the permissions of its role.

    ``apps`` is the app registry to use: the historical one in a migration, the live one otherwise.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label__in=PORTAL_APPS).values_list(
            "pk", "content_type__app_label", "codename"
        )
    )
    for role in Role.values:
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = [pk for pk, label, codename in permissions if role_allows(role, label, codename)]
        group.permissions.set(wanted)


def role_group(role: str):
    from django.contrib.auth.models import Group

    group, _ = Group.objects.get_or_create(name=group_name(role))
    return group


def sync_user_groups(user) -> None:
    """Put ``user`` in the groups of the roles they hold, and out of the other role groups."""
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    for role in Role.values:
        if role in held:
            user.groups.add(role_group(role))
        else:
            user.groups.remove(role_group(role))
    forget_cached_permissions(user)


def forget_cached_permissions(user) -> None:
    """Permissions and roles are cached on the user object; drop them so a change shows at once."""
    for cache in (
        "_perm_cache",
        "_user_perm_cache",
        "_group_perm_cache",
        "_portal_roles",
        "_portal_assignments",
        "_portal_branches",
    ):
        user.__dict__.pop(cache, None)
