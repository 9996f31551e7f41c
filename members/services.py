"""Writes that touch several records of the members app, each under ``transaction.atomic``."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from . import departures, status_checks
from .models import (
    MEMBER_STATUSES,
    Branch,
    Campaign,
    Carrier,
    Committee,
    LeadingGroupRole,
    Membership,
    PartyGroup,
    PartyGroupMembership,
    Person,
    PoliticalStatus,
    RoleAssignment,
    StatusStage,
)
from .roles import sync_user_groups

ONE_DAY = datetime.timedelta(days=1)


@transaction.atomic
def person_create(
    *,
    branch: Branch,
    fields: dict,
    status_since: datetime.date | None = None,
    joined_on: datetime.date | None = None,
    joined_how: str = Membership.Joined.TRANSFERRED_IN,
    party_group: PartyGroup | None = None,
) -> Person:
    """A new person of ``branch`` with their status stage and, for a member, their membership.

    ``fields`` are Person fields (``political_status`` among them). A member (预备/正式党员) needs
    ``joined_on``: the day their membership of this branch began. ``status_since`` is the day the
    current status began (defaults to ``joined_on``; a non-member's stage needs it to be recorded).
    """
    person = Person(branch=branch, **fields)
    person.full_clean()
    person.save()
    status = person.political_status
    since = status_since or joined_on
    if status in MEMBER_STATUSES and joined_on is None:
        raise ValidationError({"joined_on": "党员须填写党员关系开始日期（入党或转入日期）。"})
    if since is not None:
        StatusStage.objects.create(person=person, status=status, start=since)
    if status in MEMBER_STATUSES:
        Membership.objects.create(person=person, start=joined_on, joined_how=joined_how)
        if party_group is not None:
            PartyGroupMembership.objects.create(group=party_group, person=person, start=joined_on)
    elif party_group is not None:
        raise ValidationError({"party_group": "只有党员才能编入党小组。"})
    return person


@transaction.atomic
def person_change_status(
    *, person: Person, status: str, on: datetime.date, note: str = ""
) -> StatusStage:
    """Move ``person`` to ``status`` from ``on``, keeping Person and StatusStage in step.

    The current stage ends the day before. Becoming 预备党员 from outside the party starts a
    membership (发展入党) on ``on``; leaving the party's statuses ends the membership the day before.
    """
    person = (
        Person.objects.select_for_update(of=("self",)).select_related("branch").get(pk=person.pk)
    )
    if status not in PoliticalStatus.values:
        raise ValidationError({"status": "政治面貌不在允许的取值之内。"})
    if status == person.political_status:
        raise ValidationError({"status": "新的政治面貌与当前相同。"})
    current = person.status_stages.filter(end__isnull=True).first()
    if current is not None and on <= current.start:
        raise ValidationError(
            {"on": f"变更日期须晚于当前阶段的开始日期（{current.start:%Y-%m-%d}）。"}
        )
    # The rules of admission (order, time rules, evidence) are checked by the apps that keep them.
    status_checks.run(person=person, current=current, status=status, on=on)
    if current is not None:
        current.end = on - ONE_DAY
        current.save(update_fields=["end"])
    stage = StatusStage.objects.create(person=person, status=status, start=on)

    membership = person.memberships.filter(end__isnull=True).first()
    if status in MEMBER_STATUSES and membership is None:
        if person.memberships.filter(end__gte=on).exists():
            raise ValidationError({"on": "此人在该日期之后已有党员关系记录，请核对日期。"})
        Membership.objects.create(
            person=person, start=on, joined_how=Membership.Joined.ADMITTED, note=note
        )
    elif status not in MEMBER_STATUSES and membership is not None:
        if on <= membership.start:
            raise ValidationError({"on": "变更日期须晚于党员关系开始日期。"})
        _end_membership(membership, on - ONE_DAY, Membership.Left.OTHER, note)

    person.political_status = status
    person.save(update_fields=["political_status"])
    return stage


@transaction.atomic
def member_transfer_out(
    *,
    membership: Membership,
    on: datetime.date,
    note: str = "",
    how: str = Membership.Left.TRANSFERRED_OUT,
    leaves_staff: bool = False,
) -> Membership:
    """End ``membership`` on ``on`` (the last day counted), with the posts and groups it carried.

    The person is no longer counted as a member from the day after ``on``. Their branch posts,
    party group and leading-group roles end the same day; with ``leaves_staff`` they also leave
    the unit's staff that day. The apps' handlers (``members.departures``) remove what hung on
    the membership after that day (attendance recorded at later meetings); how many records,
    in ``membership.records_removed``.
    """
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.end is not None:
        raise ValidationError("该党员关系已经结束。")
    if on < membership.start:
        raise ValidationError({"on": "转出日期不能早于党员关系开始日期。"})
    if how not in Membership.Left.values:
        raise ValidationError({"how": "离开方式不在允许的取值之内。"})
    person = membership.person
    if leaves_staff:
        if person.staff_since and on < person.staff_since:
            raise ValidationError({"on": "离校日期不能早于到校日期。"})
        person.staff_until = on
        person.save(update_fields=["staff_until"])
    _end_membership(membership, on, how, note)
    return membership


def _end_membership(membership: Membership, on: datetime.date, how: str, note: str) -> None:
    membership.end = on
    membership.left_how = how
    if note:
        membership.note = note
    membership.save(update_fields=["end", "left_how", "note"])
    person = membership.person
    for facts in (
        person.branch_posts.current(),
        person.party_group_memberships.current(),
        LeadingGroupRole.objects.filter(person=person).current(),
    ):
        for fact in facts:
            fact.end = max(on, fact.start)
            fact.save(update_fields=["end"])
    # Records of other apps hanging on the membership (attendance at later meetings).
    membership.records_removed = departures.membership_ended(person=person, last_day=on)


@transaction.atomic
def member_transfer_in(
    *,
    person: Person,
    on: datetime.date,
    status: str = PoliticalStatus.FULL,
    note: str = "",
    party_group: PartyGroup | None = None,
) -> Membership:
    """Start a membership of ``person`` in their branch on ``on`` (调入), as 预备 or 正式党员."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if status not in MEMBER_STATUSES:
        raise ValidationError({"status": "转入时政治面貌须为预备党员或正式党员。"})
    if person.memberships.filter(end__isnull=True).exists():
        raise ValidationError("此人已有一条尚未结束的党员关系。")
    if person.memberships.filter(end__gte=on).exists():
        raise ValidationError({"on": "转入日期须晚于此人上一段党员关系的结束日期。"})
    membership = Membership.objects.create(
        person=person, start=on, joined_how=Membership.Joined.TRANSFERRED_IN, note=note
    )
    if person.political_status != status:
        current = person.status_stages.filter(end__isnull=True).first()
        if current is not None and on <= current.start:
            raise ValidationError(
                {"on": f"转入日期须晚于当前政治面貌阶段的开始日期（{current.start:%Y-%m-%d}）。"}
            )
        if current is not None:
            current.end = on - ONE_DAY
            current.save(update_fields=["end"])
        StatusStage.objects.create(person=person, status=status, start=on)
        person.political_status = status
        person.save(update_fields=["political_status"])
    if party_group is not None:
        party_group_join(group=party_group, person=person, on=on)
    return membership


@transaction.atomic
def party_group_join(*, group: PartyGroup, person: Person, on: datetime.date):
    """Put ``person`` in ``group`` from ``on``; their current group, if any, ends the day before."""
    if group.branch_id != person.branch_id:
        raise ValidationError({"person": "党小组与党员须属于同一个党支部。"})
    current = person.party_group_memberships.select_for_update().filter(end__isnull=True).first()
    if current is not None:
        if current.group_id == group.pk:
            raise ValidationError({"person": "此人已在该党小组中。"})
        if on <= current.start:
            raise ValidationError(
                {"on": f"加入日期须晚于此人在原党小组的开始日期（{current.start:%Y-%m-%d}）。"}
            )
        current.end = on - ONE_DAY
        current.save(update_fields=["end"])
    membership = PartyGroupMembership(group=group, person=person, start=on)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def leading_role_replace(
    *, role: LeadingGroupRole, successor: Person, on: datetime.date
) -> LeadingGroupRole:
    """``successor`` takes over ``role`` from ``on``; the holder's tenure ends the day before."""
    role = LeadingGroupRole.objects.select_for_update().get(pk=role.pk)
    if role.end is not None and role.end < on - ONE_DAY:
        raise ValidationError({"on": "原任期已在该日期之前结束，请直接新增成员。"})
    if on <= role.start:
        raise ValidationError({"on": f"接任日期须晚于原任期开始日期（{role.start:%Y-%m-%d}）。"})
    if successor.branch_id != role.campaign.branch_id:
        raise ValidationError({"successor": "接任人须是本支部的教职工。"})
    role.end = on - ONE_DAY
    role.save(update_fields=["end"])
    new = LeadingGroupRole(
        campaign=role.campaign,
        person=successor,
        role=role.role,
        order=role.order,
        predecessor=role,
        start=on,
    )
    new.full_clean()
    new.save()
    return new


@transaction.atomic
def role_assign(
    *,
    user,
    role: str,
    branch: Branch | None = None,
    committee: Committee | None = None,
) -> RoleAssignment:
    """Give ``user`` ``role`` on ``branch`` (or, for 上级党委, on ``committee``) and its group."""
    assignment = RoleAssignment.objects.filter(
        user=user, role=role, branch=branch, committee=committee
    ).first()
    if assignment is None:
        assignment = RoleAssignment(user=user, role=role, branch=branch, committee=committee)
        assignment.full_clean()
        assignment.save()
    sync_user_groups(user)
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment) -> None:
    """Take a role back; the user leaves the role's group unless another assignment keeps it."""
    user = assignment.user
    assignment.delete()
    sync_user_groups(user)


# Campaigns -------------------------------------------------------------------------------

# The six carriers (六大行动) of the source document's campaign: the default of a new campaign.
SOURCE_CARRIERS = [
    ("公开承诺", "树立党员形象"),
    ("增效减负", "提升教学质量"),
    ("健康促进", "关爱学生成长"),
    ("队伍建设", "促进教师发展"),
    ("文明创建", "促进和谐校园"),
    ("志愿服务", "进社区展形象"),
]
TEMPLATE_SOURCE = "source"
TEMPLATE_COPY = "copy"
TEMPLATE_EMPTY = "empty"


@transaction.atomic
def campaign_create(
    *,
    branch: Branch,
    fields: dict,
    template: str = TEMPLATE_SOURCE,
    copy_from: Campaign | None = None,
) -> Campaign:
    """A new campaign of ``branch`` with its carriers: the source's six, a copy of another
    campaign's (carriers with their headings, theme, goals and plan where left empty, and the
    leading group as it stood at that campaign's end), or none.
    """
    campaign = Campaign(branch=branch, **fields)
    if template == TEMPLATE_COPY:
        if copy_from is None or copy_from.branch_id != branch.pk:
            raise ValidationError({"copy_from": "请选择本支部要复制的活动。"})
        for name in ("theme", "goals", "plan"):
            if not getattr(campaign, name):
                setattr(campaign, name, getattr(copy_from, name))
    campaign.full_clean()
    campaign.save()
    if template == TEMPLATE_SOURCE:
        Carrier.objects.bulk_create(
            Carrier(campaign=campaign, order=order, name=name, aim=aim)
            for order, (name, aim) in enumerate(SOURCE_CARRIERS, start=1)
        )
    elif template == TEMPLATE_COPY:
        Carrier.objects.bulk_create(
            Carrier(campaign=campaign, order=c.order, name=c.name, aim=c.aim)
            for c in copy_from.carriers.order_by("order")
        )
        last_day = copy_from.span(max(campaign.start - ONE_DAY, copy_from.start))[1]
        holders = LeadingGroupRole.objects.filter(campaign=copy_from).on(last_day)
        LeadingGroupRole.objects.bulk_create(
            LeadingGroupRole(
                campaign=campaign,
                person_id=role.person_id,
                role=role.role,
                order=role.order,
                start=campaign.start,
            )
            for role in holders.order_by("order", "start", "pk")
        )
    return campaign


@transaction.atomic
def campaign_close(*, campaign: Campaign, on: datetime.date) -> Campaign:
    """Closes ``campaign`` on ``on`` (its last day); open leading-group tenures end with it."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if on < campaign.start:
        raise ValidationError(
            {"on": f"结束日期不能早于活动开始日期（{campaign.start:%Y-%m-%d}）。"}
        )
    later = LeadingGroupRole.objects.filter(campaign=campaign, start__gt=on)
    if later.exists():
        raise ValidationError({"on": "该日期之后还有领导小组成员开始任职，请先调整其任期。"})
    campaign.end = on
    campaign.save(update_fields=["end"])
    for role in LeadingGroupRole.objects.filter(campaign=campaign).filter(
        Q(end__isnull=True) | Q(end__gt=on)
    ):
        role.end = on
        role.save(update_fields=["end"])
    return campaign


@transaction.atomic
def campaign_reopen(*, campaign: Campaign) -> Campaign:
    """Opens a closed campaign again: it runs until it is closed once more."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign.end = None
    campaign.save(update_fields=["end"])
    return campaign
