"""Keep the role groups in step with ``RoleAssignment`` (connected in ``apps.py``)."""

from __future__ import annotations

from .roles import (
    PORTAL_APPS,
    forget_cached_permissions,
    role_group,
    sync_role_groups,
    sync_user_groups,
)


def refresh_role_groups(sender, apps=None, **kwargs):
    """After ``migrate``: give the role groups the permissions of models that now exist."""
    if sender.label not in PORTAL_APPS or apps is None:
        return
    try:
        apps.get_model("auth", "Group")
        apps.get_model("auth", "Permission")
    except LookupError:
        return
    sync_role_groups(apps)


def role_assigned(sender, instance, raw=False, **kwargs):
    if raw:
        return
    sync_user_groups(instance.user)


def role_removed(sender, instance, **kwargs):
    still_held = sender.objects.filter(user_id=instance.user_id, role=instance.role).exists()
    if not still_held:
        instance.user.groups.remove(role_group(instance.role))
        forget_cached_permissions(instance.user)
