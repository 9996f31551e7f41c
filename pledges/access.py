"""Object access for the pledges app: one helper per object type, on ``get_for_user``.

Who may do what with a pledge:

- ``view``: its writer (a member's own pledge), and the branch's readers (书记/支委, 工作人员,
  上级党委).
- ``write`` (edit, submit, sign, revise, report progress): a member's pledge only its member;
  the branch's own pledge (五个好) the branch's secretary.
- ``review`` (approve, return), ``rate``: the branch's secretary (书记/支委), but never for their
  own pledge: a 支委's pledge is reviewed and rated by another 支委 of the branch or by the
  superior committee (上级党委), whose users may review and rate 支委' pledges only.
- ``history``: the branch's secretary.

The helpers raise 404 for an unknown object and 403 (``PermissionDenied``) for a known one the
user may not reach; views call them and never filter by branch themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from members.access import COMMITTEE, READ_ROLES, SECRETARY, acts_on, get_for_user
from members.models import RoleAssignment

from .models import Pledge, PledgeItem, PledgeItemPhoto, PledgeObjection

VIEW = "view"
WRITE = "write"
REVIEW = "review"
RATE = "rate"
HISTORY = "history"
ACTIONS = (VIEW, WRITE, REVIEW, RATE, HISTORY)

_DENIED = {
    VIEW: "您无权查看这份承诺书。",
    WRITE: "只有承诺人本人才能填写、签署或更新这份承诺书。",
    REVIEW: "只有本支部其他书记/支委或上级党委才能审核这份承诺书。",
    RATE: "只有本支部其他书记/支委或上级党委才能评定兑现情况。",
    HISTORY: "只有本支部书记/支委才能查看修改记录。",
}


@dataclass(frozen=True)
class PledgeAccess:
    """What one user may do with one pledge (two queries, then plain attribute reads)."""

    is_writer: bool
    is_secretary: bool
    is_reader: bool
    may_review: bool

    @classmethod
    def of(cls, user, pledge: Pledge) -> PledgeAccess:
        branch_id = pledge.campaign.branch_id
        is_secretary = acts_on(user, branch_id, SECRETARY)
        if pledge.person_id is None:
            is_writer = is_secretary
        else:
            is_writer = user.is_authenticated and pledge.person.user_id == user.pk
        is_reader = is_secretary or acts_on(user, branch_id, *READ_ROLES)
        own = pledge.person_id is not None and is_writer
        if is_secretary:
            may_review = not own
        elif pledge.person_id is not None and acts_on(user, branch_id, COMMITTEE):
            may_review = RoleAssignment.objects.filter(
                user_id=pledge.person.user_id, role=SECRETARY, branch_id=branch_id
            ).exists()  # the superior committee reviews a 支委's pledge
        else:
            may_review = False
        return cls(
            is_writer=is_writer,
            is_secretary=is_secretary,
            is_reader=is_reader,
            may_review=may_review,
        )

    def allows(self, action: str) -> bool:
        if action == VIEW:
            return self.is_writer or self.is_reader
        if action == WRITE:
            return self.is_writer
        if action in (REVIEW, RATE):
            return self.may_review
        if action == HISTORY:
            return self.is_secretary
        raise ValueError(f"unknown action {action!r}")

    def allowed(self) -> set[str]:
        return {action for action in ACTIONS if self.allows(action)}


def _pledges():
    return Pledge.objects.select_related("campaign__branch", "person", "reviewed_by", "signed_by")


def _allows(action: str):
    """``allows`` for ``get_for_user``: the pledge's rules for ``action``, kept on the pledge."""

    def allows(user, pledge: Pledge) -> bool:
        pledge.access = PledgeAccess.of(user, pledge)
        return pledge.access.allows(action)

    return allows


def get_pledge_for_user(request, pk, action: str = VIEW) -> Pledge:
    """The pledge ``pk`` if the user may do ``action`` with it; ``pledge.access`` says the rest."""
    return get_for_user(request, _pledges(), pk, message=_DENIED[action], allows=_allows(action))


def get_item_for_user(request, pk, action: str = VIEW) -> PledgeItem:
    """An item, by the rules of its pledge (``item.pledge.access`` is set)."""
    queryset = PledgeItem.objects.select_related("pledge__campaign__branch", "pledge__person")
    pledge_allows = _allows(action)
    return get_for_user(
        request,
        queryset,
        pk,
        message=_DENIED[action],
        allows=lambda user, item: pledge_allows(user, item.pledge),
    )


def get_photo_for_user(request, pk) -> PledgeItemPhoto:
    """A progress photo, for those who may view its pledge."""
    queryset = PledgeItemPhoto.objects.select_related(
        "update__item__pledge__campaign__branch", "update__item__pledge__person"
    )
    pledge_allows = _allows(VIEW)
    return get_for_user(
        request,
        queryset,
        pk,
        message=_DENIED[VIEW],
        allows=lambda user, photo: pledge_allows(user, photo.update.item.pledge),
    )


def get_objection_for_user(request, pk) -> PledgeObjection:
    """A comment from the public page: for the secretary of its branch only."""
    queryset = PledgeObjection.objects.select_related("campaign__branch", "pledge__person")
    return get_for_user(
        request, queryset, pk, SECRETARY, message="只有本支部书记/支委才能处理公示意见。"
    )
