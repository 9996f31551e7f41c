"""党费: the rates in force (data, with their sources), each member's base, the dues of every
member-month (kept up to date with the bases, memberships and payments), and the payments.

Money is ``Decimal`` to the 分 everywhere. ``MonthlyDue`` holds, for each person and month in
which they owe dues in their branch, the amount due (from their base and the rates in force in
that month) and the amount paid (the sum of their payment lines for the month). It is rewritten
in the same transaction as every change of a base, a membership or a payment
(``dues.services.dues_refresh``), so the ledger and every total is one query, however many
members and months.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from members.models import Branch, Person
from members.scoping import BranchScopedQuerySet

from .months import add_months, month_of

ZERO = Decimal("0.00")
MONEY = {"max_digits": 12, "decimal_places": 2}


class Category(models.TextChoices):
    SALARIED = "salaried", "在职（按工资收入）"
    RETIRED = "retired", "离退休"
    FARMER = "farmer", "农民"
    STUDENT = "student", "学生"
    UNEMPLOYED = "unemployed", "下岗失业"
    LOW_INCOME = "low_income", "享受低保"


# Categories whose dues are a percentage of the monthly base; the others pay a fixed amount.
INCOME_CATEGORIES = (Category.SALARIED, Category.RETIRED)


class Way(models.TextChoices):
    CASH = "cash", "现金"
    TRANSFER = "transfer", "转账"
    ONLINE = "online", "线上"


class RateQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)


class Rate(models.Model):
    """One band of the dues rules: for ``category``, a base above ``income_above`` and up to
    ``income_up_to`` pays ``percent`` % of the base, or ``fixed_amount`` a month; valid over a
    range of days and quoting its source."""

    branch_path = None  # a national rule, the same for every branch
    judges_branches = True

    category = models.CharField("党员类别", max_length=20, choices=Category.choices)
    income_above = models.DecimalField("基数高于（元）", default=ZERO, **MONEY)
    income_up_to = models.DecimalField(
        "基数不超过（元）", null=True, blank=True, help_text="留空表示不设上限", **MONEY
    )
    percent = models.DecimalField(
        "比例（%）", max_digits=5, decimal_places=2, null=True, blank=True
    )
    fixed_amount = models.DecimalField("每月固定金额（元）", null=True, blank=True, **MONEY)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    source = models.CharField("依据", max_length=200)

    objects = RateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "党费标准"
        verbose_name_plural = "党费标准"
        ordering = ["category", "valid_from", "income_above"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=Category.values),
                name="dues_rate_category_valid",
                violation_error_message="党员类别不在允许的取值之内。",
            ),
            models.CheckConstraint(
                condition=(Q(percent__isnull=False) & Q(fixed_amount__isnull=True))
                | (Q(percent__isnull=True) & Q(fixed_amount__isnull=False)),
                name="dues_rate_percent_or_fixed",
                violation_error_message="比例与固定金额须填写且只填写其中一项。",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="dues_rate_valid_to_after_from",
                violation_error_message="失效日期不能早于生效日期。",
            ),
        ]

    def __str__(self):
        if self.fixed_amount is not None:
            rule = f"每月 {self.fixed_amount} 元"
        else:
            top = f"{self.income_up_to} 元" if self.income_up_to is not None else "以上"
            rule = f"{self.income_above}–{top}：{self.percent}%"
        return f"{self.get_category_display()} {rule}（{self.valid_from}起）"


class Limit(models.TextChoices):
    BACK_PAYMENT = "back_payment", "补交不需说明的月数"
    WARNING = "warning", "欠交提醒的月数"
    LAPSE = "lapse", "连续未交党费提请支部研究的月数（党章第九条）"


class DuesRuleQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)

    def months(self, on: datetime.date) -> dict[str, int]:
        """Each limit in force on ``on``, by key (the latest valid_from wins)."""
        found = {}
        for rule in self.in_force(on).order_by("valid_from"):
            found[rule.limit] = rule.months
        return found


class DuesRule(models.Model):
    """A duration of the dues rules (补交 6 months, 党章 article 9's 6 months …), as data."""

    branch_path = None  # a national rule
    judges_branches = True

    limit = models.CharField("规则", max_length=20, choices=Limit.choices)
    months = models.PositiveSmallIntegerField("月数")
    text = models.TextField("条文", blank=True)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    source = models.CharField("依据", max_length=200)

    objects = DuesRuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "党费规则"
        verbose_name_plural = "党费规则"
        ordering = ["limit", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(limit__in=Limit.values),
                name="dues_duesrule_limit_valid",
                violation_error_message="规则不在允许的取值之内。",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="dues_duesrule_valid_to_after_from",
                violation_error_message="失效日期不能早于生效日期。",
            ),
        ]

    def __str__(self):
        return f"{self.get_limit_display()}：{self.months}（{self.valid_from}起）"


class DuesBaseQuerySet(BranchScopedQuerySet):
    def in_force(self, month: datetime.date):
        """Each person's base for ``month``: the latest one valid from that month or earlier."""
        return self.filter(valid_from__lte=month).order_by("person", "-valid_from")


class DuesBase(models.Model):
    """A member's category and monthly base (计算基数), valid from a month until the next one."""

    branch_path = "person__branch"

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="dues_bases", verbose_name="党员"
    )
    category = models.CharField("党员类别", max_length=20, choices=Category.choices)
    income = models.DecimalField(
        "月计算基数（元）",
        null=True,
        blank=True,
        help_text="按月固定收入（税后）；学生、农民、下岗失业、低保党员不填",
        **MONEY,
    )
    voluntary_extra = models.DecimalField("每月自愿多交（元）", default=ZERO, **MONEY)
    valid_from = models.DateField("起始月份", help_text="该月1日")
    note = models.CharField("备注", max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核定人",
    )

    objects = DuesBaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "党费基数"
        verbose_name_plural = "党费基数"
        ordering = ["person", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "valid_from"],
                name="dues_duesbase_one_per_month",
                violation_error_message="此人该月已有党费基数。",
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values),
                name="dues_duesbase_category_valid",
                violation_error_message="党员类别不在允许的取值之内。",
            ),
            models.CheckConstraint(
                condition=Q(income__isnull=True)
                | (Q(income__gte=0) & Q(income__lte=Decimal("1000000"))),
                name="dues_duesbase_income_range",
                violation_error_message="月计算基数须在 0 至 1000000 元之间。",
            ),
            models.CheckConstraint(
                condition=Q(voluntary_extra__gte=0),
                name="dues_duesbase_extra_not_negative",
                violation_error_message="自愿多交金额不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__day=1),
                name="dues_duesbase_valid_from_first_of_month",
                violation_error_message="起始月份须为某月1日。",
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.valid_from:%Y年%m月}起：{self.get_category_display()}"


class MonthlyDueQuerySet(BranchScopedQuerySet):
    def of_year(self, year: int):
        return self.filter(
            month__gte=datetime.date(year, 1, 1), month__lte=datetime.date(year, 12, 1)
        )

    def until(self, today: datetime.date):
        """Months that have begun by ``today``: their dues are due."""
        return self.filter(month__lte=month_of(today))

    def owed(self, today: datetime.date):
        """Months that have ended by ``today`` and whose payments fall short of their dues."""
        return self.filter(month__lt=month_of(today), paid__lt=F("due"))

    def totals(self, today: datetime.date) -> dict:
        """Due (months begun by ``today``), paid, and owed (months ended, unpaid part)."""
        return _named(self.aggregate(**_total_expressions(today)))

    def totals_by_branch(self, today: datetime.date) -> dict[int, dict]:
        rows = self.values("branch_id").annotate(**_total_expressions(today)).order_by()
        return {row["branch_id"]: _named(row) for row in rows}

    def totals_by_month(self, today: datetime.date) -> dict[datetime.date, dict]:
        rows = self.values("month").annotate(**_total_expressions(today)).order_by("month")
        return {row["month"]: _named(row) for row in rows}

    def owing_people_by_branch(
        self, today: datetime.date, *, warning: int, lapse: int
    ) -> dict[int, tuple[int, int, int]]:
        """Per branch, how many people owe: at all, ``warning`` months or more, and nothing paid
        in each of the last ``lapse`` months — one query over the owed months."""
        window = add_months(month_of(today), -lapse)
        rows = (
            self.owed(today)
            .values("branch_id", "person_id")
            .annotate(
                months=Count("pk"),
                silent=Count("pk", filter=Q(month__gte=window, due__gt=0, paid__lte=0)),
            )
            .order_by()
            .values_list("branch_id", "months", "silent")
        )
        found: dict[int, list[int]] = {}
        for branch_id, months, silent in rows:
            counts = found.setdefault(branch_id, [0, 0, 0])
            counts[0] += 1
            counts[1] += months >= warning
            counts[2] += silent >= lapse
        return {branch_id: tuple(counts) for branch_id, counts in found.items()}


def _total_expressions(today: datetime.date) -> dict:
    this_month = month_of(today)
    begun = Q(month__lte=this_month)
    short = Q(month__lt=this_month, paid__lt=F("due"))
    return {
        "due_sum": Coalesce(Sum("due", filter=begun), Value(ZERO), output_field=_money()),
        "paid_sum": Coalesce(Sum("paid"), Value(ZERO), output_field=_money()),
        "owed_sum": Coalesce(
            Sum(Case(When(short, then=F("due") - F("paid")), default=Value(ZERO))),
            Value(ZERO),
            output_field=_money(),
        ),
    }


def _named(row: dict) -> dict:
    """The sums as ``due``, ``paid`` and ``owed``, in 元 to the 分."""
    cent = Decimal("0.01")
    return {key: Decimal(row[f"{key}_sum"]).quantize(cent) for key in ("due", "paid", "owed")}


def _money() -> models.DecimalField:
    return models.DecimalField(**MONEY)


class MonthlyDue(models.Model):
    """What one person owes and has paid for one month in their branch (kept, not typed)."""

    branch_path = "branch"

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="monthly_dues", verbose_name="党支部"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="monthly_dues", verbose_name="党员"
    )
    month = models.DateField("月份")
    due = models.DecimalField("应交（元）", **MONEY)
    paid = models.DecimalField("实交（元）", default=ZERO, **MONEY)

    objects = MonthlyDueQuerySet.as_manager()

    class Meta:
        verbose_name = "月度党费"
        verbose_name_plural = "月度党费"
        ordering = ["person", "month"]
        indexes = [
            # the totals read only these columns: an index-only scan
            models.Index(fields=["branch", "month", "due", "paid"], name="dues_kept_totals"),
            # the few months owed, for the arrears and the committee's counts
            models.Index(
                fields=["branch", "person", "month"],
                condition=Q(paid__lt=F("due")),
                name="dues_kept_owed",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "month"],
                name="dues_monthlydue_one_per_person_month",
                violation_error_message="此人该月已有党费记录。",
            )
        ]

    def __str__(self):
        return f"{self.person} {self.month:%Y-%m}：应交 {self.due}，实交 {self.paid}"

    @property
    def short(self) -> Decimal:
        return max(self.due - self.paid, ZERO)

    @property
    def is_paid(self) -> bool:
        return self.paid >= self.due


class PaymentQuerySet(BranchScopedQuerySet):
    def originals(self):
        return self.filter(reverses__isnull=True)


class Payment(models.Model):
    """A payment of dues (one receipt), for one or several months; or the reversal of one."""

    branch_path = "branch"

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="dues_payments", verbose_name="党支部"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="dues_payments", verbose_name="党员"
    )
    amount = models.DecimalField("金额（元）", **MONEY)
    paid_on = models.DateField("交纳日期")
    way = models.CharField("交纳方式", max_length=20, choices=Way.choices, default=Way.CASH)
    receipt_no = models.CharField("收据编号", max_length=40, blank=True)
    paid_by = models.CharField("代交人", max_length=50, blank=True, help_text="他人代交时填写")
    note = models.CharField("备注", max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name="冲销的交费记录",
    )
    reason = models.CharField("冲销原因", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PaymentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "党费交纳"
        verbose_name_plural = "党费交纳"
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "receipt_no"],
                condition=~Q(receipt_no="") & Q(reverses__isnull=True),
                name="dues_payment_receipt_unique_in_branch",
                violation_error_message="本支部已有该收据编号。",
            ),
            models.CheckConstraint(
                condition=Q(way__in=Way.values),
                name="dues_payment_way_valid",
                violation_error_message="交纳方式只能是现金、转账或线上。",
            ),
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0))
                | (Q(reverses__isnull=False) & Q(amount__lt=0) & ~Q(reason="")),
                name="dues_payment_amount_sign",
                violation_error_message="交费金额须大于0；冲销记录金额为负并须注明原因。",
            ),
        ]

    def __str__(self):
        kind = "冲销" if self.reverses_id else "交费"
        return f"{self.person} {self.paid_on} {kind} {self.amount} 元"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class PaymentMonth(models.Model):
    """The part of a payment that pays one month's dues."""

    branch_path = "payment__branch"

    payment = models.ForeignKey(
        Payment, on_delete=models.CASCADE, related_name="lines", verbose_name="交费记录"
    )
    month = models.DateField("月份")
    amount = models.DecimalField("金额（元）", **MONEY)

    class Meta:
        verbose_name = "交费月份"
        verbose_name_plural = "交费月份"
        ordering = ["payment", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "month"],
                name="dues_paymentmonth_one_per_month",
                violation_error_message="同一笔交费中月份不能重复。",
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}：{self.amount} 元"
