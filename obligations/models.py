"""组织生活 as it is owed: rules as dated data, and what the calendar feeds and digests need.

A ``Rule`` says what a branch owes (a meeting kind), how often (a month, quarter, year or term),
how many, for whom (the branch, each 党小组, the branch committee), from when to when, and where
it comes from. National rules have no committee; a superior committee's own rule for the same
thing overrides the national one for its branches while it is in force. What was held against
the rules is computed (``obligations.compliance``), never typed.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from members.models import Branch, Committee, Person
from members.orglife import MeetingKind


class Scope(models.TextChoices):
    BRANCH = "branch", "党支部"
    GROUP = "group", "每个党小组"
    COMMITTEE = "committee", "支部委员会"


class Frequency(models.TextChoices):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    YEAR = "year", "每年"
    TERM = "term", "每届"


class Unit(models.TextChoices):
    """What the count of a rule counts: meetings held, or talks with each member."""

    MEETING = "meeting", "次（按会议计）"
    EACH_MEMBER = "each_member", "每名党员（按人计）"


# The kinds a rule may count per member: 谈心谈话, recorded as the pairs who talked.
PER_MEMBER_KINDS = (MeetingKind.TALK,)


class RuleQuerySet(models.QuerySet):
    def for_committees(self, committee_ids):
        """National rules and the overrides of these committees."""
        return self.filter(Q(committee__isnull=True) | Q(committee__in=committee_ids))

    def in_force_on(self, day: datetime.date):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def overlapping(self, start: datetime.date, end: datetime.date | None):
        found = self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        return found if end is None else found.filter(valid_from__lte=end)


class Rule(models.Model):
    """One obligation of 组织生活, dated, with its source."""

    # National rules belong to no branch; a committee's rule to all of its branches: neither
    # is one branch's record. A change moves the branches it covers on (members.freshness).
    branch_path = None
    judges_branches = True

    Scope = Scope
    Frequency = Frequency
    Unit = Unit

    committee = models.ForeignKey(
        Committee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="obligation_rules",
        verbose_name="上级党委",
        help_text="留空为全国性规定；填写时为该上级党委对所属支部的规定，覆盖同一事项的全国性规定。",
    )
    kind = models.CharField("应开展的组织生活", max_length=20, choices=MeetingKind.choices)
    scope = models.CharField("对象", max_length=10, choices=Scope.choices, default=Scope.BRANCH)
    frequency = models.CharField("周期", max_length=10, choices=Frequency.choices)
    term_years = models.PositiveSmallIntegerField(
        "每届年数",
        null=True,
        blank=True,
        validators=[MinValueValidator(1, message="每届年数至少为 1。")],
        help_text="周期为“每届”时填写，如 3；届期从规定生效之日起算。",
    )
    count = models.SmallIntegerField(
        "次数",
        validators=[MinValueValidator(1, message="次数至少为 1 次。")],
        help_text="每个周期至少开展的次数。",
    )
    unit = models.CharField(
        "计算方式",
        max_length=12,
        choices=Unit.choices,
        default=Unit.MEETING,
        help_text="“每名党员”：周期内每名党员（期间在册的）都须达到次数，如谈心谈话每人每年至少1次。",
    )
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="留空表示至今有效")
    source = models.CharField("依据", max_length=300, help_text="文件名称及条款")
    note = models.CharField("说明", max_length=300, blank=True)

    objects = RuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "组织生活规定"
        verbose_name_plural = "组织生活规定"
        ordering = ["committee_id", "kind", "scope", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1),
                name="obligations_rule_count_positive",
                violation_error_message="次数至少为 1 次。",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="obligations_rule_valid_to_after_from",
                violation_error_message="失效日期不能早于生效日期。",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values),
                name="obligations_rule_kind_valid",
                violation_error_message="组织生活类型不在允许的取值之内。",
            ),
            models.CheckConstraint(
                condition=Q(scope__in=Scope.values),
                name="obligations_rule_scope_valid",
                violation_error_message="对象不在允许的取值之内。",
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values),
                name="obligations_rule_frequency_valid",
                violation_error_message="周期不在允许的取值之内。",
            ),
            models.CheckConstraint(
                condition=Q(unit__in=Unit.values),
                name="obligations_rule_unit_valid",
                violation_error_message="计算方式不在允许的取值之内。",
            ),
            models.CheckConstraint(
                condition=Q(unit=Unit.MEETING) | Q(kind__in=PER_MEMBER_KINDS),
                name="obligations_rule_unit_for_kind",
                violation_error_message="只有谈心谈话可以按每名党员计算。",
            ),
            models.CheckConstraint(
                condition=~Q(frequency="term") | Q(term_years__gte=1),
                name="obligations_rule_term_years",
                violation_error_message="周期为“每届”时须填写每届年数。",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.get_scope_display()}{self.rate_label}"

    @property
    def rate_label(self) -> str:
        each = "每名党员" if self.per_member else ""
        if self.frequency == Frequency.TERM:
            return f"每届（{self.term_years}年）{each}至少 {self.count} 次"
        return f"{self.get_frequency_display()}{each}至少 {self.count} 次"

    @property
    def per_member(self) -> bool:
        """Owed to each member of the branch in the period, not counted in meetings."""
        return self.unit == Unit.EACH_MEMBER

    @property
    def is_national(self) -> bool:
        return self.committee_id is None

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def clean(self):
        super().clean()
        errors = {}
        if self.count is not None and self.count <= 0:
            errors["count"] = "次数至少为 1 次。"
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = "失效日期不能早于生效日期。"
        if self.frequency == Frequency.TERM and not self.term_years:
            errors["term_years"] = "周期为“每届”时须填写每届年数。"
        if self.unit == Unit.EACH_MEMBER and self.kind and self.kind not in PER_MEMBER_KINDS:
            errors["unit"] = "只有谈心谈话可以按每名党员计算。"
        if not errors and self.valid_from and self.kind and self.scope:
            same = Rule.objects.filter(
                committee=self.committee_id, kind=self.kind, scope=self.scope
            ).exclude(pk=self.pk)
            clash = same.overlapping(self.valid_from, self.valid_to).first()
            if clash is not None:
                until = f"{clash.valid_to:%Y-%m-%d}" if clash.valid_to else "至今"
                errors["valid_from"] = (
                    f"“{self.get_kind_display()}（{self.get_scope_display()}）”已有一条"
                    f"{clash.valid_from:%Y-%m-%d}至{until}有效的规定，同一事项的规定有效期不能重叠；"
                    "请先为原规定填写失效日期。"
                )
        if errors:
            raise ValidationError(errors)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A private calendar address (iCalendar): a branch's, or one person's. Renewing the token
    makes the old address stop working."""

    branch_path = "branch"

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="calendar_feeds", verbose_name="党支部"
    )
    person = models.OneToOneField(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feed",
        verbose_name="人员",
    )
    token = models.CharField("令牌", max_length=64, unique=True, default=new_token)
    renewed_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "日历订阅"
        verbose_name_plural = "日历订阅"
        constraints = [
            models.UniqueConstraint(
                fields=["branch"],
                condition=Q(person__isnull=True),
                name="obligations_feed_one_per_branch",
            )
        ]

    def __str__(self):
        return f"{self.person or self.branch} 的日历订阅"

    def renew(self) -> None:
        self.token = new_token()
        self.save(update_fields=["token", "renewed_at"])


class DigestPreference(models.Model):
    """A person's choice about the weekly digest (no row: they receive it)."""

    branch_path = None  # a user's own setting, of no branch
    judges_branches = False

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_preference",
        verbose_name="账号",
    )
    opted_out = models.BooleanField("不接收每周提醒", default=False)

    class Meta:
        verbose_name = "提醒设置"
        verbose_name_plural = "提醒设置"

    def __str__(self):
        return f"{self.user}：{'不接收' if self.opted_out else '接收'}"


class DigestSent(models.Model):
    """A reminder already mailed: the same thing for the same due date is never sent twice."""

    branch_path = None  # a log of mail to a user
    judges_branches = False

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digests_sent",
        verbose_name="账号",
    )
    key = models.CharField("提醒", max_length=120)
    due = models.DateField("截止日期")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "已发提醒"
        verbose_name_plural = "已发提醒"
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "due"], name="obligations_sent_once")
        ]

    def __str__(self):
        return f"{self.user} {self.key} {self.due}"
