"""``{% load pledges_nav %}``: ``user|holds_role:"secretary,staff"`` for the navigation."""

from django import template

from members.access import user_roles

register = template.Library()


@register.filter
def holds_role(user, roles: str) -> bool:
    """Whether ``user`` holds one of the comma-separated roles (the superuser holds them all)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(user_roles(user) & {role.strip() for role in roles.split(",")})
