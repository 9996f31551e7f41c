"""``{% load navigation %}``: the key under which the navigation's links are cached, and
``{% nav_url 'name' %}``, the navigation's links reversed once per process."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from members.access import user_roles

register = template.Library()


@lru_cache(maxsize=256)
def _reversed(name: str, prefix: str, urlconf: str) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def nav_url(name: str) -> str:
    """``{% url name %}`` for a URL without arguments, reversed once per script prefix and URLconf.

    Every page draws the navigation, about 30 links; reversing each took about half of the
    navigation's time with the fragment cache off (docs/performance.md, "the branch list
    pages")."""
    return _reversed(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@register.filter
def nav_key(user) -> str:
    """What the links of the navigation depend on: the account, its roles, the superuser flag."""
    if not user.is_authenticated:
        return "anonymous"
    return f"{user.pk}:{int(user.is_superuser)}:{','.join(sorted(user_roles(user)))}"
