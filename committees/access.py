"""Which branches a committee user oversees: one helper, built on ``branches_for``."""

from __future__ import annotations

from members.access import COMMITTEE, branch_list_for, branches_for


def get_committee_branches_for_user(request):
    """The branches of the user's committee(s); every branch for the superuser."""
    return branches_for(request.user, COMMITTEE)


def get_committee_branch_list_for_user(request):
    """The same branches as loaded for the request's access checks (no further query; a
    QuerySet for the superuser): the committee table's cache key reads their data versions."""
    loaded = branch_list_for(request.user, COMMITTEE)
    return get_committee_branches_for_user(request) if loaded is None else loaded
