"""制度 / 长效机制 and 党建特色工作."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Count, Q
from simple_history.models import HistoricalRecords

from common.files import RandomName
from common.validators import validate_sensible_date
from members.models import Branch, Campaign, Carrier
from members.scoping import BranchScopedQuerySet


class Category(models.TextChoices):
    IDEOLOGY = "ideology", "思想建设"
    ORGANISATION = "organisation", "组织建设"
    DEMOCRACY = "democracy", "民主建设"
    CONDUCT = "conduct", "作风建设"
    INTEGRITY = "integrity", "反腐倡廉建设"


class MechanismQuerySet(BranchScopedQuerySet):
    def in_force_on(self, day: datetime.date):
        return self.filter(
            Q(repealed_on__isnull=True) | Q(repealed_on__gt=day), established_on__lte=day
        )

    def new_in(self, campaign):
        return self.filter(campaign=campaign, is_new=True)

    def count_by_category(self) -> dict[str, int]:
        """Counts per category in the document's order, every category present."""
        rows = dict(self.values_list("category").annotate(n=Count("pk")).order_by())
        return {category: rows.get(category, 0) for category in Category.values}


class Mechanism(models.Model):
    """A rule or mechanism of the branch (制度), in one of the five categories."""

    branch_path = "branch"

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="mechanisms", verbose_name="党支部"
    )
    name = models.CharField("制度名称", max_length=200)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    established_on = models.DateField("建立日期", validators=[validate_sensible_date])
    revised_on = models.DateField(
        "最近修订", null=True, blank=True, validators=[validate_sensible_date]
    )
    repealed_on = models.DateField(
        "废止日期", null=True, blank=True, validators=[validate_sensible_date]
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mechanisms",
        verbose_name="所属活动",
    )
    is_new = models.BooleanField("创先争优中新建", default=False)
    summary = models.TextField("主要内容", blank=True)
    document = models.FileField(
        "制度文件",
        upload_to=RandomName("mechanisms/%Y/"),
        blank=True,
        validators=[FileExtensionValidator(["pdf", "docx"])],
    )

    objects = MechanismQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "制度"
        verbose_name_plural = "制度"
        ordering = ["branch", "category", "established_on"]
        indexes = [models.Index(fields=["branch", "category"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=Category.values),
                name="mechanisms_mechanism_category_valid",
                violation_error_message="类别只能是思想、组织、民主、作风或反腐倡廉建设之一。",
            ),
            models.CheckConstraint(
                condition=Q(repealed_on__isnull=True)
                | Q(repealed_on__gte=models.F("established_on")),
                name="mechanisms_mechanism_repealed_after_established",
                violation_error_message="废止日期不能早于建立日期。",
            ),
            models.CheckConstraint(
                condition=Q(is_new=False) | Q(campaign__isnull=False),
                name="mechanisms_mechanism_new_needs_campaign",
                violation_error_message="标为新建的制度须指明所属活动。",
            ),
            models.UniqueConstraint(
                fields=["branch", "name"],
                name="mechanisms_mechanism_unique_name",
                violation_error_message="本支部已有同名制度。",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.campaign_id and self.branch_id and self.campaign.branch_id != self.branch_id:
            raise ValidationError({"campaign": "所选活动不属于本支部。"})


class FeaturedWork(models.Model):
    """党建特色工作: a named distinctive practice of the branch."""

    branch_path = "branch"

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="featured_works", verbose_name="党支部"
    )
    order = models.PositiveSmallIntegerField("序号")
    text = models.TextField("内容")
    carrier = models.ForeignKey(
        Carrier,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="featured_works",
        verbose_name="相关载体",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "党建特色工作"
        verbose_name_plural = "党建特色工作"
        ordering = ["branch", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "order"],
                name="mechanisms_featuredwork_unique_order",
                violation_error_message="序号不能重复。",
            )
        ]

    def __str__(self):
        return self.text[:40]
