"""发展党员: a person's development record, stage by stage, and the time rules it is judged by.

The stages themselves (入党申请人 from …, 入党积极分子 from …) are ``members.StatusStage`` rows,
written only through ``members.services.person_change_status``, which runs this app's checks
(``recruitment/checks.py``). This app keeps what supports each stage: the talk, the 培养联系人, the
six-monthly reviews, the 介绍人, 政审, training, the 支部大会 votes, the superior committee's
approval, the oath, an extension of the probation, or the end of the development.

The time rules (``TimeRule``) are data: one row per rule and period of validity, with its source;
a superior committee may set its own value for its branches from a day on. A period is judged by
the rule in force on the day it began.
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from common.periods import Period, PeriodQuerySet
from members.models import Committee, Person, PoliticalStatus, StatusStage
from members.scoping import BranchScopedQuerySet


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class RuleKey(models.TextChoices):
    MIN_AGE = "min_age", "入党申请年龄"
    TALK_WITHIN = "talk_within", "申请后谈话时限"
    CONTACTS_MIN = "contacts_min", "培养联系人最少人数"
    CONTACTS_MAX = "contacts_max", "培养联系人最多人数"
    REVIEW_EVERY = "review_every", "考察间隔"
    MIN_ACTIVIST = "min_activist", "积极分子培养考察期"
    INTRODUCERS = "introducers", "入党介绍人人数"
    TRAINING_DAYS = "training_days", "集中培训天数"
    TRAINING_HOURS = "training_hours", "集中培训学时"
    APPROVAL_WITHIN = "approval_within", "上级党委审批时限"
    APPROVAL_MAX = "approval_max", "上级党委审批最长时限（特殊情况）"
    PROBATION = "probation", "预备期"
    EXTENSION_MIN = "extension_min", "延长预备期最短"
    EXTENSION_MAX = "extension_max", "延长预备期最长"


class RuleUnit(models.TextChoices):
    YEARS = "years", "年"
    MONTHS = "months", "个月"
    DAYS = "days", "天"
    HOURS = "hours", "学时"
    PEOPLE = "people", "人"


class TimeRuleQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class TimeRule(models.Model):
    """A time rule of admission with its value from ``valid_from`` to ``valid_to`` and its source.

    ``committee`` empty: the rule of the Party (《中国共产党发展党员工作细则》); set: the value a
    superior committee sets for its branches, which wins over the Party's while it is in force.
    """

    # A rule belongs to no branch; a change moves the branches it covers on (its committee's,
    # or every branch for the Party's own: members.freshness.rule_changed).
    branch_path = None
    judges_branches = True

    Key = RuleKey
    Unit = RuleUnit

    committee = models.ForeignKey(
        Committee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recruitment_rules",
        verbose_name="上级党委",
        help_text="留空为全党统一规定",
    )
    key = models.CharField("规则", max_length=30, choices=RuleKey.choices)
    value = models.PositiveSmallIntegerField("数值")
    unit = models.CharField("单位", max_length=10, choices=RuleUnit.choices)
    valid_from = models.DateField("施行日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    source = models.CharField("依据", max_length=200)
    note = models.CharField("说明", max_length=200, blank=True)

    objects = TimeRuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "发展党员时间规则"
        verbose_name_plural = "发展党员时间规则"
        ordering = ["key", "committee", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(key__in=RuleKey.values),
                name="recruitment_timerule_key_valid",
                violation_error_message="规则不在允许的取值之内。",
            ),
            models.CheckConstraint(
                condition=Q(unit__in=RuleUnit.values),
                name="recruitment_timerule_unit_valid",
                violation_error_message="单位不在允许的取值之内。",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="recruitment_timerule_valid_to_after_from",
                violation_error_message="失效日期不能早于施行日期。",
            ),
            models.UniqueConstraint(
                fields=["key", "committee", "valid_from"],
                name="recruitment_timerule_one_per_day",
                violation_error_message="同一规则同一施行日期只能有一条。",
            ),
        ]

    def __str__(self):
        return f"{self.get_key_display()}：{self.text}"

    @property
    def text(self) -> str:
        return f"{self.value}{self.get_unit_display()}"

    @property
    def cited(self) -> str:
        """The rule as a refusal names it: 积极分子培养考察期：1年（依据：…）."""
        return f"{self.get_key_display()}{self.text}（依据：{self.source}）"

    def after(self, day: datetime.date) -> datetime.date:
        """The day this duration after ``day`` (``day`` + 1 year, + 1 month …)."""
        if self.unit == RuleUnit.YEARS:
            return add_months(day, 12 * self.value)
        if self.unit == RuleUnit.MONTHS:
            return add_months(day, self.value)
        if self.unit == RuleUnit.DAYS:
            return day + datetime.timedelta(days=self.value)
        raise ValueError(f"{self.key} is not a duration")


class RuleBook:
    """Every time rule, read once (one query), answering ``rule(key, committee_id, day)``."""

    def __init__(self, rules=None):
        self.rules = list(TimeRule.objects.all() if rules is None else rules)

    def rule(self, key: str, committee_id: int | None, day: datetime.date) -> TimeRule | None:
        """The committee's own rule in force on ``day`` if it has one, else the Party's; ``None``
        when no rule was in force that day (the day is then not judged by this rule)."""

        def in_force(rule):
            return (
                rule.key == key
                and rule.valid_from <= day
                and (rule.valid_to is None or rule.valid_to >= day)
            )

        found = [r for r in self.rules if in_force(r) and r.committee_id == committee_id]
        if not found:
            found = [r for r in self.rules if in_force(r) and r.committee_id is None]
        if not found:
            return None
        return max(found, key=lambda r: r.valid_from)


class DevelopmentQuerySet(BranchScopedQuerySet):
    def open(self):
        """Developments still under way: not stopped, the person not yet a full member."""
        return self.filter(stopped_on__isnull=True).exclude(
            person__political_status=PoliticalStatus.FULL
        )

    def awaiting_approval(self):
        """Admitted by the 支部大会, waiting for the superior committee's approval."""
        return self.filter(
            admission_vote_on__isnull=False, approved_on__isnull=True, stopped_on__isnull=True
        )

    def count_by_stage(self) -> dict[str, int]:
        """How many of these developments are at each stage (the person's status; 终止 apart)."""
        stopped = models.Q(stopped_on__isnull=False)
        rows = (
            self.values("person__political_status")
            .annotate(
                n=models.Count("pk", filter=~stopped), stopped=models.Count("pk", filter=stopped)
            )
            .order_by()
        )  # one query: the stopped ones counted beside the others, by status
        counts = {row["person__political_status"]: row["n"] for row in rows if row["n"]}
        counts["stopped"] = sum(row["stopped"] for row in rows)
        return counts

    def for_pipeline(self):
        """With everything the pipeline page and the to-dos read, in a fixed number of queries.

        Not the waivers: the next steps do not depend on them (only the check of a change of
        status reads them, and the dossier shows them with who granted them)."""
        return self.select_related("person", "person__branch").prefetch_related(
            "person__status_stages",
            models.Prefetch("contacts", queryset=Contact.objects.select_related("person")),
            "reviews",
            models.Prefetch("introducers", queryset=Introducer.objects.select_related("person")),
            "trainings",
        )

    def step_facts(self):
        """Each development as the plain values its next steps are worked out from
        (``progress.Facts``, with its pk, the person's name and branch), in one query: no instances and
        no prefetches, the related rows counted and summed in subqueries."""
        of_this = {"development": OuterRef("pk")}
        stage_start = StatusStage.objects.filter(
            person=OuterRef("person"), status=OuterRef("person__political_status")
        ).order_by("-start")
        return self.values(
            "pk",
            "applied_on",
            "talk_on",
            "admission_vote_on",
            "political_review_on",
            "oath_on",
            "extension_months",
            "stopped_on",
            name=F("person__name"),
            branch_id=F("person__branch_id"),
            status=F("person__political_status"),
            committee_id=F("person__branch__committee_id"),
        ).annotate(
            since=Subquery(stage_start.values("start")[:1]),
            last_review_on=Subquery(
                Review.objects.filter(**of_this).order_by("-reviewed_on").values("reviewed_on")[:1]
            ),
            contact_count=_total(Contact.objects.filter(**of_this, end__isnull=True), Count("pk")),
            introducer_count=_total(Introducer.objects.filter(**of_this), Count("pk")),
            training_days=_total(Training.objects.filter(**of_this), Sum("days")),
            training_hours=_total(Training.objects.filter(**of_this), Sum("hours")),
        )


def _total(rows, aggregate) -> Coalesce:
    """``aggregate`` over ``rows`` (one development's, filtered on an ``OuterRef``) as a
    subquery; 0 when there are none."""
    found = rows.order_by().values("development").annotate(total=aggregate).values("total")
    return Coalesce(Subquery(found), 0)


class Development(models.Model):
    """发展党员档案: one person's way into the Party, from the application on."""

    branch_path = "person__branch"

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="development", verbose_name="发展对象"
    )
    applied_on = models.DateField("递交入党申请书日期")
    talk_on = models.DateField("谈话日期", null=True, blank=True)
    talk_by = models.CharField("谈话人", max_length=50, blank=True)
    talk_note = models.TextField("谈话情况", blank=True)
    publicity_from = models.DateField("公示开始", null=True, blank=True)
    publicity_to = models.DateField("公示结束", null=True, blank=True)
    political_review_on = models.DateField("政治审查日期", null=True, blank=True)
    political_review_result = models.CharField("政审结论", max_length=200, blank=True)
    admission_vote_on = models.DateField("接收预备党员支部大会日期", null=True, blank=True)
    admission_entitled = models.PositiveSmallIntegerField(
        "有表决权的正式党员", null=True, blank=True
    )
    admission_present = models.PositiveSmallIntegerField(
        "到会有表决权的正式党员", null=True, blank=True
    )
    admission_for = models.PositiveSmallIntegerField("赞成", null=True, blank=True)
    admission_against = models.PositiveSmallIntegerField("反对", null=True, blank=True)
    admission_abstain = models.PositiveSmallIntegerField("弃权", null=True, blank=True)
    committee_talk_on = models.DateField("上级党委谈话日期", null=True, blank=True)
    approved_on = models.DateField("上级党委审批日期", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人账号",
    )
    approval_note = models.CharField("审批说明", max_length=300, blank=True)
    oath_on = models.DateField("入党宣誓日期", null=True, blank=True)
    extended_on = models.DateField("延长预备期决定日期", null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField("延长月数", null=True, blank=True)
    extension_reason = models.CharField("延长原因", max_length=300, blank=True)
    conversion_vote_on = models.DateField("讨论转正支部大会日期", null=True, blank=True)
    conversion_for = models.PositiveSmallIntegerField("转正赞成", null=True, blank=True)
    conversion_present = models.PositiveSmallIntegerField("转正到会", null=True, blank=True)
    stopped_on = models.DateField("终止日期", null=True, blank=True)
    stop_reason = models.CharField("终止原因", max_length=300, blank=True)

    objects = DevelopmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "发展党员档案"
        verbose_name_plural = "发展党员档案"
        ordering = ["person__branch", "applied_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(talk_on__isnull=True) | Q(talk_on__gte=models.F("applied_on")),
                name="recruitment_development_talk_after_application",
                violation_error_message="谈话日期不能早于递交入党申请书日期。",
            ),
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True)
                | Q(
                    admission_vote_on__isnull=False, approved_on__gte=models.F("admission_vote_on")
                ),
                name="recruitment_development_approval_after_vote",
                violation_error_message="上级党委审批须在支部大会之后。",
            ),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | ~Q(stop_reason=""),
                name="recruitment_development_stop_has_reason",
                violation_error_message="终止发展须写明原因。",
            ),
        ]

    def __str__(self):
        return f"{self.person} 发展党员档案"

    def stages(self) -> list:
        """The person's status stages, oldest first (read from the prefetch when there is one)."""
        return sorted(self.person.status_stages.all(), key=lambda stage: stage.start)

    def stage_start(self, status: str) -> datetime.date | None:
        found = [s.start for s in self.stages() if s.status == status]
        return found[-1] if found else None

    def current_contacts(self) -> list:
        return [c for c in self.contacts.all() if c.end is None]

    def last_review_on(self) -> datetime.date | None:
        days = [r.reviewed_on for r in self.reviews.all()]
        return max(days) if days else None

    def training_totals(self) -> tuple[int, int]:
        """(days, class hours) of concentrated training recorded."""
        trainings = list(self.trainings.all())
        return sum(t.days for t in trainings), sum(t.hours for t in trainings)


class Contact(Period):
    """培养联系人: a full member who looks after the 积极分子, from ``start`` to ``end``."""

    branch_path = "development__person__branch"

    development = models.ForeignKey(
        Development, on_delete=models.CASCADE, related_name="contacts", verbose_name="发展档案"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name="培养联系人"
    )

    objects = PeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Period.Meta):
        verbose_name = "培养联系人"
        verbose_name_plural = "培养联系人"
        ordering = ["start"]

    def __str__(self):
        return f"{self.person}（{self.start}起）"


class Review(models.Model):
    """考察: the half-yearly review of a 积极分子, 发展对象 or 预备党员."""

    branch_path = "development__person__branch"

    development = models.ForeignKey(
        Development, on_delete=models.CASCADE, related_name="reviews", verbose_name="发展档案"
    )
    reviewed_on = models.DateField("考察日期")
    reviewer = models.CharField("考察人", max_length=50, blank=True)
    summary = models.TextField("考察意见")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "考察记录"
        verbose_name_plural = "考察记录"
        ordering = ["reviewed_on"]

    def __str__(self):
        return f"{self.reviewed_on} 考察"


class Introducer(models.Model):
    """入党介绍人: a full member who vouches for the 发展对象."""

    branch_path = "development__person__branch"

    development = models.ForeignKey(
        Development, on_delete=models.CASCADE, related_name="introducers", verbose_name="发展档案"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name="入党介绍人"
    )
    since = models.DateField("确定日期")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "入党介绍人"
        verbose_name_plural = "入党介绍人"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["development", "person"],
                name="recruitment_introducer_once",
                violation_error_message="同一人不能重复担任介绍人。",
            )
        ]

    def __str__(self):
        return str(self.person)


class Training(models.Model):
    """集中培训: a course the 发展对象 attended, counted in days or class hours."""

    branch_path = "development__person__branch"

    development = models.ForeignKey(
        Development, on_delete=models.CASCADE, related_name="trainings", verbose_name="发展档案"
    )
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    organiser = models.CharField("举办单位", max_length=100)
    days = models.PositiveSmallIntegerField("天数", default=0)
    hours = models.PositiveSmallIntegerField("学时", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "集中培训"
        verbose_name_plural = "集中培训"
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="recruitment_training_end_after_start",
                violation_error_message="结束日期不能早于开始日期。",
            ),
        ]

    def __str__(self):
        return f"{self.organiser}（{self.start}—{self.end}）"


class Waiver(models.Model):
    """The superior committee's written exception to a time rule for one person (e.g. 列为发展对象
    before a full year as 积极分子), kept with who granted it, when and why."""

    branch_path = "development__person__branch"

    development = models.ForeignKey(
        Development, on_delete=models.CASCADE, related_name="waivers", verbose_name="发展档案"
    )
    rule = models.CharField("规则", max_length=30, choices=RuleKey.choices)
    reason = models.TextField("理由")
    granted_on = models.DateField("批准日期")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="批准人账号",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "时限例外"
        verbose_name_plural = "时限例外"
        ordering = ["granted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rule__in=RuleKey.values),
                name="recruitment_waiver_rule_valid",
                violation_error_message="规则不在允许的取值之内。",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="recruitment_waiver_has_reason",
                violation_error_message="须写明理由。",
            ),
        ]

    def __str__(self):
        return f"{self.development.person}：{self.get_rule_display()}例外"
