"""Which branches a committee user oversees: one helper, built on ``branches_for``."""

from __future__ import annotations

from common.access import COMMITTEE, branches_for


def get_committee_branches_for_user(request):
    """The branches of the user's committee(s); every branch for the superuser."""
    return branches_for(request.user, COMMITTEE)
