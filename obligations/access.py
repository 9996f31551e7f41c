"""Object access for obligations: rules (national or a committee's), calendar feeds.

Rules belong to no branch (``branch_path = None``): every signed-in reader may read the national
rules and those of their own committee(s); only a 上级党委 user changes their committee's rules,
and nobody changes a national rule in the browser (the data migration seeds them; the admin
corrects them).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from members.access import COMMITTEE, branch_list_for, role_assignments_of

from .models import Rule


def committee_ids_for(user, *roles: str) -> set[int] | None:
    """The committees whose rules ``user`` reads (roles given) or changes (``COMMITTEE``):
    a committee role's own, or the committees of the branches they work on; ``None``: all."""
    if user.is_superuser:
        return None
    found = {
        a.committee_id for a in role_assignments_of(user) if a.role == COMMITTEE and a.committee_id
    }
    if roles != (COMMITTEE,):
        found |= {b.committee_id for b in branch_list_for(user, *roles) or []}
    return found


def rules_for_user(request, *roles: str):
    ids = committee_ids_for(request.user, *roles)
    rules = Rule.objects.select_related("committee")
    return rules if ids is None else rules.for_committees(ids)


def get_rule_for_user(request, pk) -> Rule:
    """A committee's rule that the user (上级党委 of that committee) may change: 404 / 403."""
    rule = get_object_or_404(Rule.objects.select_related("committee"), pk=pk)
    ids = committee_ids_for(request.user, COMMITTEE)
    if rule.committee_id is None or (ids is not None and rule.committee_id not in ids):
        raise PermissionDenied("只有本上级党委可以修改其规定；全国性规定不能在此修改。")
    return rule
