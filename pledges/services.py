"""Writes of the pledges app: a pledge's life cycle, the progress on its items and their rating.

Every function runs in one transaction and locks the pledge row (``select_for_update``) before it
looks at the status, so two requests racing on one pledge (two clicks on 签署, a signature and a
revision) act once: the second waits for the first, then finds the new status and gets a
``PledgeStateError`` whose text is the message to show.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from common.files import delete_after_commit
from common.images import CleanPhoto
from members.freshness import touch_branches

from .models import Pledge, PledgeItem, PledgeItemPhoto, PledgeItemUpdate, PledgePoint

Status = Pledge.Status

# While items are renumbered, the ones that move park on orders above this (unique per pledge).
_PARKING_ORDER = 20000


class PledgeStateError(Exception):
    """The pledge's status does not allow the action; ``str(error)`` is the message to show."""


def _lock(pledge: Pledge) -> Pledge:
    return Pledge.objects.select_for_update().select_related("campaign__branch").get(pk=pledge.pk)


def _require(pledge: Pledge, *statuses: str, action: str) -> None:
    if pledge.status not in statuses:
        raise PledgeStateError(f"该承诺书当前状态为“{pledge.get_status_display()}”，不能{action}。")


def _not_own(pledge: Pledge, by, *, action: str) -> None:
    """Nobody reviews or rates their own pledge (another 支委 or the superior committee does)."""
    if pledge.person_id is not None and by is not None and pledge.person.user_id == by.pk:
        raise PledgeStateError(f"不能{action}自己的承诺书，须由其他支委或上级党委办理。")


def expected_signer_name(pledge: Pledge, user) -> str | None:
    """The name a signature must carry: the member's own, or for the branch's pledge the
    signing secretary's (None when the account has no person record)."""
    if pledge.person_id is not None:
        return pledge.person.name
    person = getattr(user, "person", None)
    return person.name if person is not None else None


@transaction.atomic
def pledge_save(*, pledge: Pledge, form, items) -> Pledge:
    """Save a draft: the summary, the five points and the items, numbered in the order shown.

    ``form`` is a ``forms.PledgeForm`` and ``items`` a ``forms.PledgeItemFormSet``, both valid,
    both bound to ``pledge``. A pledge that is no longer a draft or returned is refused.
    """
    pledge = form.save(commit=False)
    if pledge.pk is None:
        pledge.save()
    else:
        _require(_lock(pledge), Status.DRAFT, Status.RETURNED, action="修改")
        pledge.save(update_fields=["summary", "updated_at"])  # the status may have moved on
    stored = {point.point: point for point in pledge.points.all()}
    for code, text in form.point_texts():
        point = stored.get(code)
        if point is None:
            PledgePoint.objects.create(pledge=pledge, point=code, text=text)
        elif point.text != text:
            point.text = text
            point.save(update_fields=["text"])
    _save_items(pledge, items)
    return pledge


def _save_items(pledge: Pledge, formset) -> None:
    formset.instance = pledge
    formset.save(commit=False)  # sorts the forms into new, changed and deleted objects
    for item in formset.deleted_objects:
        for photo in PledgeItemPhoto.objects.filter(update__item=item):
            delete_after_commit(photo.image, photo.thumbnail)
        item.delete()
    deleted = set(formset.deleted_forms)
    kept = [
        form
        for form in formset.forms
        if form not in deleted and (form.instance.pk is not None or form.has_changed())
    ]
    # Items whose number changes park out of the way first, so numbers never collide.
    for position, form in enumerate(kept, start=1):
        item = form.instance
        if item.pk is not None and item.order != position:
            PledgeItem.objects.filter(pk=item.pk).update(order=_PARKING_ORDER + position)
            touch_branches([pledge.campaign.branch_id])  # update() sends no post_save
            item.order = None  # saved below with its final number
    for position, form in enumerate(kept, start=1):
        item = form.instance
        if item.pk is None or item.order != position or form.has_changed():
            item.pledge = pledge
            item.order = position
            item.save()


@transaction.atomic
def pledge_submit(*, pledge: Pledge) -> Pledge:
    """Hand a draft (or a returned pledge) to the secretary for review."""
    pledge = _lock(pledge)
    _require(pledge, Status.DRAFT, Status.RETURNED, action="提交审核")
    written = {point.point for point in pledge.points.all() if point.text.strip()}
    missing = [label for code, label in pledge.standard if code not in written]
    if missing:
        raise PledgeStateError(f"请先填写承诺要点：{'、'.join(missing)}。")
    if not pledge.items.exists():
        raise PledgeStateError("请至少填写一项承诺事项。")
    pledge.status = Status.SUBMITTED
    pledge.submitted_at = timezone.now()
    pledge.save(update_fields=["status", "submitted_at", "updated_at"])
    return pledge


@transaction.atomic
def pledge_return(*, pledge: Pledge, by, comment: str) -> Pledge:
    """Send a submitted pledge back to its writer with the reviewer's comment."""
    if not comment.strip():
        raise PledgeStateError("退回时请填写审核意见，说明需要修改的地方。")
    _not_own(pledge, by, action="退回")
    pledge = _lock(pledge)
    _require(pledge, Status.SUBMITTED, action="退回")
    pledge.status = Status.RETURNED
    pledge.reviewed_at = timezone.now()
    pledge.reviewed_by = by
    pledge.review_comment = comment.strip()
    pledge.save(
        update_fields=["status", "reviewed_at", "reviewed_by", "review_comment", "updated_at"]
    )
    return pledge


@transaction.atomic
def pledge_approve(*, pledge: Pledge, by, comment: str = "") -> Pledge:
    """Approve a submitted pledge; its writer may then sign it."""
    _not_own(pledge, by, action="审核")
    pledge = _lock(pledge)
    _require(pledge, Status.SUBMITTED, action="审核通过")
    pledge.status = Status.APPROVED
    pledge.reviewed_at = timezone.now()
    pledge.reviewed_by = by
    pledge.review_comment = comment.strip()
    pledge.save(
        update_fields=["status", "reviewed_at", "reviewed_by", "review_comment", "updated_at"]
    )
    return pledge


@transaction.atomic
def pledge_sign(*, pledge: Pledge, by, signature_name: str) -> Pledge:
    """Sign an approved pledge: who, when, the typed name and the hash of the signed text.

    The caller has checked the signer's password; the name must be the signer's own. Of two
    concurrent calls for one pledge, exactly one signs; the other raises ``PledgeStateError``.
    """
    pledge = _lock(pledge)
    _require(pledge, Status.APPROVED, action="签署")
    expected = expected_signer_name(pledge, by)
    if not expected or signature_name.strip() != expected:
        raise PledgeStateError("签名须与登记的姓名一致。")
    pledge.status = Status.SIGNED
    pledge.signed_at = timezone.now()
    pledge.signed_by = by
    pledge.signature_name = expected
    pledge.signed_hash = pledge.text_hash()
    pledge.save(
        update_fields=[
            "status",
            "signed_at",
            "signed_by",
            "signature_name",
            "signed_hash",
            "updated_at",
        ]
    )
    if pledge.previous_id:
        # the new version now counts instead of the old one: the same items keep their rating
        pledge.items.all().carry_ratings_from(PledgeItem.objects.filter(pledge=pledge.previous_id))
    return pledge


@transaction.atomic
def pledge_new_version(*, pledge: Pledge, by) -> Pledge:
    """“修改” a signed pledge: a new draft version with the same points and items.

    The signed version is marked superseded and stays readable (and on the public page until
    the new version is signed); the new one must be reviewed and signed again. Progress made on
    the items is carried over; the signed version's items still count, and can still be rated,
    until the new version is signed, when their ratings pass to the same items in it.
    """
    old = _lock(pledge)
    _require(old, Status.SIGNED, action="修改")
    old.status = Status.SUPERSEDED
    old.save(update_fields=["status", "updated_at"])
    new = Pledge.objects.create(
        campaign=old.campaign,
        person=old.person,
        version=old.version + 1,
        previous=old,
        summary=old.summary,
    )
    bulk_create_with_history(
        [PledgePoint(pledge=new, point=p.point, text=p.text) for p in old.points.all()],
        PledgePoint,
        default_user=by,
    )
    bulk_create_with_history(
        [
            PledgeItem(
                pledge=new,
                order=item.order,
                title=item.title,
                target=item.target,
                deadline=item.deadline,
                progress=item.progress,
                done_on=item.done_on,
            )
            for item in old.items.all()
        ],
        PledgeItem,
        default_user=by,
    )
    return new


def _lock_item(item: PledgeItem) -> PledgeItem:
    _lock(item.pledge)
    return PledgeItem.objects.select_for_update().select_related("pledge").get(pk=item.pk)


@transaction.atomic
def item_update_progress(
    *,
    item: PledgeItem,
    by,
    text: str,
    done_on: datetime.date | None = None,
    photos: Iterable[CleanPhoto] = (),
) -> PledgeItemUpdate:
    """Report progress on an item of a signed pledge, with photos; ``done_on`` marks it done."""
    item = _lock_item(item)
    _require(item.pledge, Status.SIGNED, action="报告进展")
    update = PledgeItemUpdate.objects.create(item=item, text=text, done_on=done_on, created_by=by)
    for photo in photos:
        PledgeItemPhoto.objects.create(update=update, image=photo.image, thumbnail=photo.thumbnail)
    item.progress = text
    fields = ["progress"]
    if done_on is not None:
        item.done_on = done_on
        fields.append("done_on")
    item.save(update_fields=fields)
    return update


@transaction.atomic
def item_rate(*, item: PledgeItem, by, fulfilment: str, comment: str) -> PledgeItem:
    """The secretary's judgement of an item: 已兑现 / 部分兑现 / 未兑现, with a comment."""
    if fulfilment not in PledgeItem.Fulfilment.values or fulfilment == "unrated":
        raise PledgeStateError("请选择兑现情况。")
    _not_own(item.pledge, by, action="评定")
    item = _lock_item(item)
    _require(item.pledge, Status.SIGNED, Status.SUPERSEDED, action="评定兑现情况")
    if not item.is_tracked():
        raise PledgeStateError("该事项所在的版本已被新签署的版本取代，请评定新版本中的事项。")
    item.fulfilment = fulfilment
    item.rating_comment = comment.strip()
    item.rated_at = timezone.now()
    item.rated_by = by
    item.save(update_fields=["fulfilment", "rating_comment", "rated_at", "rated_by"])
    return item
