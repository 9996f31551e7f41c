from django import template

from members.access import COMMITTEE, user_roles

register = template.Library()


@register.filter
def oversees_branches(user) -> bool:
    """Whether ``user`` may open the committee table (上级党委, or the superuser)."""
    return user.is_authenticated and (user.is_superuser or COMMITTEE in user_roles(user))


@register.simple_tag(takes_context=True)
def sort_link(context, key: str) -> str:
    """The ``?sort=`` value of a column header: ascending first, then descending."""
    return f"-{key}" if context.get("sort") == key else key
