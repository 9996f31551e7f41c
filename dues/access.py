"""Object access for the dues app, on ``members.access.get_for_user``.

Amounts and bases are personal data: the branch's secretary and the member themselves see them;
staff and the committee see the branch's totals only (``dues:summary``, ``dues:committee``).
"""

from __future__ import annotations

from members.access import MEMBER, SECRETARY, acts_on_record, get_for_user, get_person_for_user

from .models import Payment


def get_payment_for_user(request, pk) -> Payment:
    queryset = Payment.objects.select_related("branch", "person", "reverses")
    return get_for_user(request, queryset, pk, SECRETARY, message="您无权查看或冲销该交费记录。")


def get_dues_person_for_user(request, pk):
    """A person whose dues the user may read: the branch's secretary, or the person themselves."""
    return get_person_for_user(request, pk, SECRETARY, MEMBER)


def sees_amounts(user, person) -> bool:
    own = person.user_id is not None and person.user_id == user.pk
    return own or acts_on_record(user, person, SECRETARY)
