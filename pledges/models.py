"""公开承诺: pledges by members (against 五带头) and by the branch (against 五个好), and their items."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.lookups import IsNull
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.files import RandomName
from common.periods import Period, PeriodQuerySet
from common.validators import validate_sensible_date
from members.models import Campaign, PartyGroupMembership, Person, ratio
from members.scoping import BranchScopedQuerySet

# The five points of the 2010 优秀共产党员 standard, answered by a member's pledge.
FIVE_LEADS = [
    ("study", "带头学习提高"),
    ("excel", "带头争创佳绩"),
    ("serve", "带头服务群众"),
    ("law", "带头遵纪守法"),
    ("uphold", "带头弘扬正气"),
]
# The five points of the 先进基层党组织 standard, answered by the branch's own pledge.
FIVE_GOODS = [
    ("leadership", "领导班子好"),
    ("team", "党员队伍好"),
    ("mechanism", "工作机制好"),
    ("results", "工作业绩好"),
    ("reputation", "群众反映好"),
]
POINT_CHOICES = FIVE_LEADS + FIVE_GOODS


@dataclass(frozen=True)
class SigningRate:
    """签订率: ``signers`` of ``members`` (members in the period), so never above 100 %."""

    signers: int = 0
    members: int = 0

    @property
    def percent(self) -> Decimal | None:
        return ratio(self.signers, self.members)


def _of_branch_itself() -> Q:
    return Q(person__isnull=True)


def _awaiting_review() -> Q:
    return Q(status=PledgeStatus.SUBMITTED)


class PledgeQuerySet(BranchScopedQuerySet):
    def of_members(self):
        return self.filter(person__isnull=False)

    def of_branch_itself(self):
        return self.filter(_of_branch_itself())

    def flag_queue_and_branch(self):
        """Annotate ``in_queue`` (as ``awaiting_review()`` selects) and ``of_branch`` (as
        ``of_branch_itself()``): one query can then serve a list, its queue and the branch's own."""
        return self.annotate(
            in_queue=ExpressionWrapper(_awaiting_review(), output_field=models.BooleanField()),
            of_branch=ExpressionWrapper(_of_branch_itself(), output_field=models.BooleanField()),
        )

    def current(self):
        """The latest version of each pledge (earlier versions are superseded)."""
        return self.exclude(status=Pledge.Status.SUPERSEDED)

    def signed(self):
        return self.filter(signed_at__isnull=False)

    def signed_between(self, start: datetime.date, end: datetime.date):
        return self.signed().filter(signed_at__date__range=(start, end))

    def in_force_during(self, start: datetime.date, end: datetime.date):
        """Pledges signed by ``end`` in a campaign that runs on at least one day of the period."""
        return self.signed().filter(
            Q(campaign__end__isnull=True) | Q(campaign__end__gte=start),
            campaign__start__lte=end,
            signed_at__date__lte=end,
        )

    def signing_by_branch(
        self, people, start: datetime.date, end: datetime.date
    ) -> dict[int, SigningRate]:
        """The signing rate of each branch of ``people`` over the period, in one query.

        Denominator: the people who were party members on at least one day of the period.
        Numerator: those of them with a pledge among these (``self``) signed by ``end`` in a
        campaign running in the period (``in_force_during``). The numerator is a subset of the
        denominator, so the rate is never above 100 %. docs/reports.md gives the formula.
        """
        signed = self.in_force_during(start, end).filter(person=OuterRef("pk"))
        rows = (
            people.members_during(start, end)
            .values("branch")
            .annotate(members=Count("pk"), signers=Count("pk", filter=Q(Exists(signed))))
            .order_by()
        )
        return {row["branch"]: SigningRate(row["signers"], row["members"]) for row in rows}

    def signers_count(self) -> int:
        """How many different members signed among these pledges (versions count once)."""
        return self.of_members().signed().values("person").distinct().count()

    def count_by_status(self) -> dict[str, int]:
        rows = self.values("status").annotate(n=Count("pk")).order_by()
        return {row["status"]: row["n"] for row in rows}

    def with_item_counts(self, today: datetime.date):
        """Annotate ``item_count``, ``done_count``, ``overdue_count`` and ``fulfilled_count``."""
        open_items = Q(items__done_on__isnull=True)
        return self.annotate(
            item_count=Count("items", distinct=True),
            done_count=Count("items", filter=Q(items__done_on__isnull=False), distinct=True),
            overdue_count=Count(
                "items", filter=open_items & Q(items__deadline__lt=today), distinct=True
            ),
            fulfilled_count=Count("items", filter=Q(items__fulfilment="fulfilled"), distinct=True),
        )

    def of_user(self, user):
        """Pledges of the person whose login account is ``user`` (never the branch's own)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(person__user=user)

    def awaiting_review(self):
        return self.filter(_awaiting_review())

    def latest_signed(self):
        """Each pledger's latest signed version in its campaign.

        While a member revises a signed pledge, the new version is a draft and the signed one is
        superseded; the signed one still counts (and stays on the public page) until the new
        version is signed in turn.
        """
        newer = Pledge.objects.filter(
            campaign=OuterRef("campaign"), signed_at__isnull=False, version__gt=OuterRef("version")
        )
        return (
            self.signed()
            .alias(
                member_newer=Exists(newer.filter(person=OuterRef("person"))),
                branch_newer=Exists(newer.filter(person__isnull=True)),
            )
            .filter(
                Q(person__isnull=False, member_newer=False)
                | Q(person__isnull=True, branch_newer=False)
            )
        )

    def published_on(self, day: datetime.date):
        """The pledges the public pages show on ``day``: latest signed, within the window."""
        window = PledgePublication.objects.filter(campaign=OuterRef("campaign")).on(day)
        return self.latest_signed().filter(Exists(window))

    def with_party_group_on(self, day: datetime.date):
        """Annotate ``group_name``: the pledger's party group on ``day`` (one query for all)."""
        groups = (
            PartyGroupMembership.objects.filter(person=OuterRef("person")).on(day).order_by("start")
        )
        return self.annotate(group_name=models.Subquery(groups.values("group__name")[:1]))


class PledgeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过待签署"
    SIGNED = "signed", "已签署"
    SUPERSEDED = "superseded", "已被新版本替代"


class Pledge(models.Model):
    """承诺书: a member's (or, with no person, the branch's) public commitment in a campaign."""

    branch_path = "campaign__branch"

    Status = PledgeStatus

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="pledges", verbose_name="活动"
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pledges",
        verbose_name="党员",
        help_text="留空表示党支部的承诺",
    )
    version = models.PositiveSmallIntegerField("版本", default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name="上一版本",
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField("承诺概述", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    review_comment = models.TextField("审核意见", blank=True)
    signed_at = models.DateTimeField("签署时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签署账号",
    )
    signature_name = models.CharField("签名", max_length=50, blank=True)
    signed_hash = models.CharField("签署内容摘要", max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PledgeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "承诺书"
        verbose_name_plural = "承诺书"
        ordering = ["campaign", "person__name", "-version"]
        indexes = [models.Index(fields=["campaign", "status"]), models.Index(fields=["signed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=~Q(status="superseded"),
                name="pledges_pledge_one_current_per_member",
                violation_error_message="该党员在本次活动中已有一份承诺书。",
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(person__isnull=True) & ~Q(status="superseded"),
                name="pledges_pledge_one_current_for_branch",
                violation_error_message="党支部在本次活动中已有一份承诺书。",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PledgeStatus.values),
                name="pledges_pledge_status_valid",
                violation_error_message="状态不在允许的取值之内。",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed") | (Q(signed_at__isnull=False) & ~Q(signed_hash="")),
                name="pledges_pledge_signed_has_signature",
                violation_error_message="已签署的承诺书必须有签署时间和内容摘要。",
            ),
        ]

    def __str__(self):
        who = self.person.name if self.person_id else "党支部"
        return f"{who}的承诺书（第{self.version}版）"

    @property
    def is_branch_pledge(self) -> bool:
        return self.person_id is None

    @property
    def standard(self) -> list[tuple[str, str]]:
        return FIVE_GOODS if self.is_branch_pledge else FIVE_LEADS

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    def labelled_points(self) -> list[tuple[str, str]]:
        """(label, text) for each point of the pledge's standard, in order ("" if unwritten)."""
        texts = {point.point: point.text for point in self.points.all()}
        return [(label, texts.get(code, "")) for code, label in self.standard]

    def signed_text(self) -> str:
        """The text a signature covers: summary, the five points and every item, in order."""
        lines = [str(self), self.summary]
        lines += [f"{label}：{text}" for label, text in self.labelled_points()]
        for item in self.items.all():
            lines.append(f"{item.order}. {item.title}｜{item.target}｜{item.deadline or ''}")
        return "\n".join(lines)

    def text_hash(self) -> str:
        return hashlib.sha256(self.signed_text().encode("utf-8")).hexdigest()

    @property
    def pledger_name(self) -> str:
        return self.person.name if self.person_id else self.campaign.branch.short_name

    @property
    def is_counted(self) -> bool:
        """Whether this version counts: the pledger's latest signed one (even while revised)."""
        return self.signed_at is not None and (
            Pledge.objects.filter(pk=self.pk).latest_signed().exists()
        )

    @property
    def is_editable(self) -> bool:
        """Only a draft or a returned pledge may be written on; a signed one is frozen."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def signature_is_intact(self) -> bool | None:
        """Whether the text still hashes to what was signed (None when not signed)."""
        if not self.is_signed:
            return None
        return self.text_hash() == self.signed_hash

    def versions(self):
        """Every version of this pledge (same campaign, same pledger), oldest first."""
        same = Pledge.objects.filter(campaign_id=self.campaign_id)
        if self.person_id is None:
            same = same.filter(person__isnull=True)
        else:
            same = same.filter(person_id=self.person_id)
        return same.order_by("version")


class PledgePoint(models.Model):
    """What the pledge promises under one point of its standard (五带头 or 五个好)."""

    branch_path = "pledge__campaign__branch"

    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, related_name="points", verbose_name="承诺书"
    )
    point = models.CharField("要点", max_length=20, choices=POINT_CHOICES)
    text = models.TextField("承诺内容")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "承诺要点"
        verbose_name_plural = "承诺要点"
        ordering = ["pledge", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "point"],
                name="pledges_pledgepoint_unique",
                violation_error_message="同一承诺书中每个要点只写一次。",
            )
        ]

    def __str__(self):
        return self.get_point_display()


def _open_items() -> Q:
    return Q(done_on__isnull=True)


def _overdue_items(today: datetime.date) -> Q:
    return _open_items() & Q(deadline__lt=today)


class PledgeItemQuerySet(BranchScopedQuerySet):
    def open(self):
        return self.filter(_open_items())

    def overdue(self, today: datetime.date):
        """Items past their deadline and not done."""
        return self.filter(_overdue_items(today))

    def due_within(self, today: datetime.date, days: int):
        return self.open().filter(deadline__range=(today, today + datetime.timedelta(days=days)))

    def tracked(self):
        """Items being carried out: those of each pledger's latest signed version.

        A signed pledge being revised (修改) is superseded by a draft, but its items still count
        (and can still be rated) until the new version is signed.
        """
        # A newer signed version by the same pledger: the same person, or the branch itself
        # (no person) for the branch's own pledge. One subquery: cheaper to build and to run
        # than one for each kind of pledger.
        newer = Pledge.objects.filter(
            Q(person=OuterRef("pledge__person"))
            | Q(IsNull(OuterRef("pledge__person"), True), person__isnull=True),
            campaign=OuterRef("pledge__campaign"),
            signed_at__isnull=False,
            version__gt=OuterRef("pledge__version"),
        )
        return self.filter(pledge__signed_at__isnull=False).exclude(Exists(newer))

    def carry_ratings_from(self, previous) -> int:
        """Give these items the ratings of the same items (same title) of ``previous``."""
        rated = {
            item.title.strip(): item
            for item in previous.exclude(fulfilment=PledgeItemFulfilment.UNRATED)
        }
        carried = 0
        for item in self:
            source = rated.get(item.title.strip())
            if source is not None and item.fulfilment == PledgeItemFulfilment.UNRATED:
                item.fulfilment = source.fulfilment
                item.rating_comment = source.rating_comment
                item.rated_at = source.rated_at
                item.rated_by_id = source.rated_by_id
                item.save(update_fields=["fulfilment", "rating_comment", "rated_at", "rated_by"])
                carried += 1
        return carried

    def of_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(pledge__person__user=user)

    def fulfilment(self, today: datetime.date | None = None) -> dict:
        """Counts per rating and the fulfilment rate (已兑现 over rated items, in percent); given
        ``today``, also ``open`` and ``overdue`` (as ``open()`` and ``overdue(today)`` count them),
        in the same query."""
        more = {}
        if today is not None:
            more = {
                "open": Count("pk", filter=_open_items()),
                "overdue": Count("pk", filter=_overdue_items(today)),
            }
        counts = self.aggregate(
            **more,
            total=Count("pk"),
            rated=Count("pk", filter=~Q(fulfilment=PledgeItem.Fulfilment.UNRATED)),
            fulfilled=Count("pk", filter=Q(fulfilment=PledgeItem.Fulfilment.FULFILLED)),
            partly=Count("pk", filter=Q(fulfilment=PledgeItem.Fulfilment.PARTLY)),
            unfulfilled=Count("pk", filter=Q(fulfilment=PledgeItem.Fulfilment.UNFULFILLED)),
        )
        counts["rate"] = ratio(counts["fulfilled"], counts["rated"])
        return counts


class PledgeItemFulfilment(models.TextChoices):
    UNRATED = "unrated", "未评定"
    FULFILLED = "fulfilled", "已兑现"
    PARTLY = "partly", "部分兑现"
    UNFULFILLED = "unfulfilled", "未兑现"


class PledgeItem(models.Model):
    """承诺事项: one committed task with its target and deadline, tracked and rated."""

    branch_path = "pledge__campaign__branch"

    Fulfilment = PledgeItemFulfilment

    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, related_name="items", verbose_name="承诺书"
    )
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("承诺事项", max_length=200)
    target = models.TextField("目标", blank=True)
    deadline = models.DateField(
        "完成时限", null=True, blank=True, validators=[validate_sensible_date]
    )
    progress = models.TextField("进展", blank=True)
    done_on = models.DateField(
        "完成日期", null=True, blank=True, validators=[validate_sensible_date]
    )
    fulfilment = models.CharField(
        "兑现情况", max_length=20, choices=Fulfilment.choices, default=Fulfilment.UNRATED
    )
    rating_comment = models.TextField("评定意见", blank=True)
    rated_at = models.DateTimeField("评定时间", null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="评定人",
    )

    objects = PledgeItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "承诺事项"
        verbose_name_plural = "承诺事项"
        ordering = ["pledge", "order"]
        indexes = [models.Index(fields=["deadline", "done_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "order"],
                name="pledges_pledgeitem_unique_order",
                violation_error_message="同一承诺书中事项序号不能重复。",
            ),
            models.CheckConstraint(
                condition=Q(fulfilment__in=PledgeItemFulfilment.values),
                name="pledges_pledgeitem_fulfilment_valid",
                violation_error_message="兑现情况不在允许的取值之内。",
            ),
        ]

    def __str__(self):
        return self.title

    def is_tracked(self) -> bool:
        """Whether the item belongs to its pledger's latest signed version (it counts)."""
        return PledgeItem.objects.tracked().filter(pk=self.pk).exists()

    def is_overdue(self, today: datetime.date) -> bool:
        return self.done_on is None and self.deadline is not None and self.deadline < today


class PledgeItemUpdate(models.Model):
    """进展记录: what a pledger reported on one item, when, with photos as evidence."""

    branch_path = "item__pledge__campaign__branch"

    item = models.ForeignKey(
        PledgeItem, on_delete=models.CASCADE, related_name="updates", verbose_name="承诺事项"
    )
    text = models.TextField("进展情况")
    done_on = models.DateField(
        "完成日期", null=True, blank=True, help_text="这次报告事项已完成时填写"
    )
    created_at = models.DateTimeField("报告时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报告人",
    )

    class Meta:
        verbose_name = "事项进展"
        verbose_name_plural = "事项进展"
        ordering = ["item", "created_at", "pk"]

    def __str__(self):
        return f"{self.item}：{self.created_at:%Y-%m-%d}" if self.created_at else str(self.item)


class PledgeItemPhoto(models.Model):
    """A photo attached to a progress report (checked and stripped of EXIF on upload)."""

    branch_path = "update__item__pledge__campaign__branch"

    update = models.ForeignKey(
        PledgeItemUpdate, on_delete=models.CASCADE, related_name="photos", verbose_name="进展"
    )
    image = models.ImageField("照片", upload_to=RandomName("pledges/%Y/%m/"))
    thumbnail = models.ImageField(
        "缩略图", upload_to=RandomName("pledges/thumbs/%Y/%m/"), blank=True
    )

    class Meta:
        verbose_name = "进展照片"
        verbose_name_plural = "进展照片"
        ordering = ["update", "pk"]

    def __str__(self):
        return self.image.name


class PledgePublicationQuerySet(BranchScopedQuerySet, PeriodQuerySet):
    pass


class PledgePublication(Period):
    """公示期: the days on which a campaign's signed pledges are shown to the public."""

    branch_path = "campaign__branch"

    campaign = models.OneToOneField(
        Campaign,
        on_delete=models.CASCADE,
        related_name="pledge_publication",
        verbose_name="活动",
    )
    note = models.CharField("公示说明", max_length=200, blank=True)

    objects = PledgePublicationQuerySet.as_manager()

    class Meta(Period.Meta):
        verbose_name = "承诺公示期"
        verbose_name_plural = "承诺公示期"
        ordering = ["-start"]

    def __str__(self):
        until = self.end or "不限"
        return f"{self.campaign.name}承诺公示（{self.start} — {until}）"


class PledgeObjectionQuerySet(BranchScopedQuerySet):
    def unhandled(self):
        return self.filter(handled_at__isnull=True)


class PledgeObjection(models.Model):
    """意见: a comment left on the public page for the secretary; never shown publicly."""

    branch_path = "campaign__branch"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="pledge_objections", verbose_name="活动"
    )
    pledge = models.ForeignKey(
        Pledge,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name="针对的承诺书",
        help_text="留空表示对整体公示的意见",
    )
    name = models.CharField("署名", max_length=50, blank=True, help_text="可不填（匿名）")
    contact = models.CharField("联系方式", max_length=100, blank=True)
    text = models.TextField("意见内容", max_length=1000)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    handling_note = models.TextField("处理情况", blank=True)

    objects = PledgeObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = "公示意见"
        verbose_name_plural = "公示意见"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["campaign", "handled_at"])]

    def __str__(self):
        return f"{self.name or '匿名'}：{self.text[:20]}"

    @property
    def is_anonymous(self) -> bool:
        return not self.name

    def mark_handled(self, *, by, note: str) -> None:
        self.handled_at = timezone.now()
        self.handled_by = by
        self.handling_note = note.strip()
        self.save(update_fields=["handled_at", "handled_by", "handling_note"])
