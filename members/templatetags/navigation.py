"""``{% load navigation %}``: the key under which the navigation's links are cached."""

from django import template

from members.access import user_roles

register = template.Library()


@register.filter
def nav_key(user) -> str:
    """What the links of the navigation depend on: the account, its roles, the superuser flag."""
    if not user.is_authenticated:
        return "anonymous"
    return f"{user.pk}:{int(user.is_superuser)}:{','.join(sorted(user_roles(user)))}"
