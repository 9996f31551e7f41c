"""Object access for the pledges app: one helper per object type, built on ``branches_for``.

Who may do what with a pledge:

- ``view``: its writer (a member's own pledge), and the branch's readers (书记/支委, 工作人员,
  上级党委).
- ``write`` (edit, submit, sign, revise, report progress): a member's pledge only its member;
  the branch's own pledge (五个好) the branch's secretary.
- ``review`` (approve, return), ``rate``, ``history``: the branch's secretary.

The helpers raise 404 for an unknown object and 403 (``PermissionDenied``) for a known one the
user may not reach; views call them and never filter by branch themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from common.access import READ_ROLES, SECRETARY, acts_on
from members.models import Campaign

from .models import Pledge, PledgeItem, PledgeObjection

VIEW = "view"
WRITE = "write"
REVIEW = "review"
RATE = "rate"
HISTORY = "history"
ACTIONS = (VIEW, WRITE, REVIEW, RATE, HISTORY)

_DENIED = {
    VIEW: "您无权查看这份承诺书。",
    WRITE: "只有承诺人本人才能填写、签署或更新这份承诺书。",
    REVIEW: "只有本支部书记/支委才能审核这份承诺书。",
    RATE: "只有本支部书记/支委才能评定兑现情况。",
    HISTORY: "只有本支部书记/支委才能查看修改记录。",
}


@dataclass(frozen=True)
class PledgeAccess:
    """What one user may do with one pledge (two queries, then plain attribute reads)."""

    is_writer: bool
    is_secretary: bool
    is_reader: bool

    @classmethod
    def of(cls, user, pledge: Pledge) -> PledgeAccess:
        branch_id = pledge.campaign.branch_id
        is_secretary = acts_on(user, branch_id, SECRETARY)
        if pledge.person_id is None:
            is_writer = is_secretary
        else:
            is_writer = user.is_authenticated and pledge.person.user_id == user.pk
        is_reader = is_secretary or acts_on(user, branch_id, *READ_ROLES)
        return cls(is_writer=is_writer, is_secretary=is_secretary, is_reader=is_reader)

    def allows(self, action: str) -> bool:
        if action == VIEW:
            return self.is_writer or self.is_reader
        if action == WRITE:
            return self.is_writer
        if action in (REVIEW, RATE, HISTORY):
            return self.is_secretary
        raise ValueError(f"unknown action {action!r}")

    def allowed(self) -> set[str]:
        return {action for action in ACTIONS if self.allows(action)}


def _pledges():
    return Pledge.objects.select_related("campaign__branch", "person", "reviewed_by", "signed_by")


def get_pledge_for_user(request, pk, action: str = VIEW) -> Pledge:
    """The pledge ``pk`` if the user may do ``action`` with it; ``pledge.access`` says the rest."""
    pledge = get_object_or_404(_pledges(), pk=pk)
    access = PledgeAccess.of(request.user, pledge)
    if not access.allows(action):
        raise PermissionDenied(_DENIED[action])
    pledge.access = access
    return pledge


def get_item_for_user(request, pk, action: str = VIEW) -> PledgeItem:
    """An item, by the rules of its pledge (``item.pledge.access`` is set)."""
    item = get_object_or_404(
        PledgeItem.objects.select_related("pledge__campaign__branch", "pledge__person"), pk=pk
    )
    access = PledgeAccess.of(request.user, item.pledge)
    if not access.allows(action):
        raise PermissionDenied(_DENIED[action])
    item.pledge.access = access
    return item


def get_objection_for_user(request, pk) -> PledgeObjection:
    """A comment from the public page: for the secretary of its branch only."""
    objection = get_object_or_404(
        PledgeObjection.objects.select_related("campaign__branch", "pledge__person"), pk=pk
    )
    if not acts_on(request.user, objection.campaign.branch_id, SECRETARY):
        raise PermissionDenied("只有本支部书记/支委才能处理公示意见。")
    return objection


def get_campaign_for_user(request, pk, *roles: str) -> Campaign:
    """A campaign of a branch on which the user acts in one of ``roles`` (``READ_ROLES`` if none)."""
    campaign = get_object_or_404(Campaign.objects.select_related("branch"), pk=pk)
    if not acts_on(request.user, campaign.branch_id, *(roles or READ_ROLES)):
        raise PermissionDenied("您无权处理该活动的承诺书。")
    return campaign
