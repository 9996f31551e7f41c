"""Narrative texts of the work summary, written by people, with figure placeholders 【名称】."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from members.models import Campaign, Carrier
from members.scoping import BranchScopedQuerySet

from .placeholders import check_placeholders, valid_names


class NarrativeTextSection(models.TextChoices):
    OPENING = "opening", "开篇"
    LEADING_GROUP = "leading_group", "一、成立领导小组"
    PLAN = "plan", "一、制定活动计划"
    MOBILISATION = "mobilisation", "一、宣传动员"
    CARRIER = "carrier", "二、载体"
    LEADERSHIP = "leadership", "三、领导班子建设"
    PARTY_BUILDING = "party_building", "三、党建工作机制与党员队伍"
    CONDUCT = "conduct", "三、“三风”与反腐倡廉建设"
    MECHANISMS = "mechanisms", "三、制度建设"
    IMPROVEMENT = "improvement", "三、有待完善"


class NarrativeText(models.Model):
    """The text of one slot of a campaign's summary (the carrier slots: one per carrier)."""

    branch_path = "campaign__branch"

    Section = NarrativeTextSection

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="narratives", verbose_name="活动"
    )
    section = models.CharField("部分", max_length=20, choices=Section.choices)
    carrier = models.ForeignKey(
        Carrier,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="narratives",
        verbose_name="载体",
    )
    year = models.PositiveSmallIntegerField(
        "年度",
        null=True,
        blank=True,
        help_text="年度总结的正文填年度；留空为活动全程总结的正文",
    )
    title = models.CharField(
        "小标题", max_length=200, blank=True, help_text="留空则使用默认小标题；载体部分用载体标题"
    )
    text = models.TextField("正文", blank=True, help_text="每行一段；数据写作【名称】")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "总结正文"
        verbose_name_plural = "总结正文"
        ordering = ["campaign", "year", "section", "carrier__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "section"],
                condition=Q(carrier__isnull=True, year__isnull=True),
                name="reports_narrativetext_one_per_section",
                violation_error_message="本活动的这一部分已有正文。",
            ),
            models.UniqueConstraint(
                fields=["carrier"],
                condition=Q(year__isnull=True),
                name="reports_narrativetext_one_per_carrier",
                violation_error_message="该载体已有正文。",
            ),
            models.UniqueConstraint(
                fields=["campaign", "section", "year"],
                condition=Q(carrier__isnull=True, year__isnull=False),
                name="reports_narrativetext_one_per_section_and_year",
                violation_error_message="该年度的这一部分已有正文。",
            ),
            models.UniqueConstraint(
                fields=["carrier", "year"],
                condition=Q(year__isnull=False),
                name="reports_narrativetext_one_per_carrier_and_year",
                violation_error_message="该载体在该年度已有正文。",
            ),
            models.CheckConstraint(
                condition=(Q(section="carrier") & Q(carrier__isnull=False))
                | (~Q(section="carrier") & Q(carrier__isnull=True)),
                name="reports_narrativetext_carrier_matches_section",
                violation_error_message="载体部分须指定载体，其他部分不填载体。",
            ),
            models.CheckConstraint(
                condition=Q(section__in=NarrativeTextSection.values),
                name="reports_narrativetext_section_valid",
                violation_error_message="部分不在允许的取值之内。",
            ),
        ]

    def __str__(self):
        name = f"{self.year}年度" if self.year else self.campaign.name
        if self.carrier_id:
            return f"{name} · {self.carrier.heading}"
        return f"{name} · {self.get_section_display()}"

    def clean(self):
        super().clean()
        if self.carrier_id and self.campaign_id and self.carrier.campaign_id != self.campaign_id:
            raise ValidationError({"carrier": "所选载体不属于该活动。"})
        if self.campaign_id:
            names = valid_names(self.campaign, self.year)
            errors = {}
            for field in ("title", "text"):
                try:
                    check_placeholders(getattr(self, field), names)
                except ValidationError as error:
                    errors[field] = error
            if errors:
                raise ValidationError(errors)


class ReportKind(models.TextChoices):
    SUMMARY = "summary", "创先争优工作总结"
    TABLE = "table", "长效机制情况表"


class ReportOptionsQuerySet(BranchScopedQuerySet):
    def of(self, period, kind: str) -> ReportOptions | None:
        """The options kept for this document of this period (a campaign, or one year)."""
        return self.filter(campaign=period.campaign, year=period.year, kind=kind).first()


class ReportOptions(models.Model):
    """Choices kept with one document of one period: its title, signature date and lists."""

    branch_path = "campaign__branch"

    Kind = ReportKind

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="report_options", verbose_name="活动"
    )
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    kind = models.CharField("文件", max_length=10, choices=Kind.choices)
    title = models.CharField(
        "标题",
        max_length=100,
        blank=True,
        help_text="留空则使用默认标题，如“田林二中党支部创先争优工作总结”",
    )
    signature_date = models.DateField(
        "落款日期", null=True, blank=True, help_text="留空则为报告日（报告期的最后一天）"
    )
    list_records = models.BooleanField(
        "在各载体的叙述后列出举措和活动记录",
        default=True,
        help_text="不列出时，总结只含叙述（页数接近原件）；全部记录仍在 Excel 数据表中",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords()
    objects = ReportOptionsQuerySet.as_manager()

    class Meta:
        verbose_name = "报表选项"
        verbose_name_plural = "报表选项"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind"],
                condition=Q(year__isnull=True),
                name="reports_reportoptions_one_per_campaign",
                violation_error_message="该文件已有选项。",
            ),
            models.UniqueConstraint(
                fields=["campaign", "year", "kind"],
                condition=Q(year__isnull=False),
                name="reports_reportoptions_one_per_year",
                violation_error_message="该文件在该年度已有选项。",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values),
                name="reports_reportoptions_kind_valid",
                violation_error_message="文件只能是工作总结或情况表。",
            ),
        ]

    def __str__(self):
        period = f"{self.year}年度" if self.year else self.campaign.name
        return f"{period} · {self.get_kind_display()}"
