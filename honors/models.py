"""荣誉 / 先进典型: awards to people, the branch or the school."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from simple_history.models import HistoricalRecords

from common.files import RandomName
from common.validators import NotInFuture, validate_sensible_date
from members.models import Branch, Person
from members.scoping import BranchScopedQuerySet


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    CITY = "city", "市级"
    DISTRICT = "district", "区级"
    SCHOOL = "school", "校级"


class HonorQuerySet(BranchScopedQuerySet):
    def between(self, start: datetime.date, end: datetime.date):
        return self.filter(awarded_on__range=(start, end))

    def typical_models(self):
        """先进典型 selections (优秀共产党员, 教书育人典型 …)."""
        return self.filter(is_typical=True)

    def to_organisation(self):
        """Honors won by the branch or the school rather than by a person."""
        return self.exclude(recipient=Honor.Recipient.PERSON)

    def count_by_level(self) -> dict[str, int]:
        """Counts per level, every level present (0 where none), from 国家级 down to 校级."""
        return self.count_by_level_and_typical()[0]

    def count_by_level_and_typical(self) -> tuple[dict[str, int], dict[str, int]]:
        """``count_by_level()`` of these honors and of their ``typical_models()``, in one query."""
        rows = (
            self.values_list("level")
            .annotate(n=Count("pk"), typical=Count("pk", filter=Q(is_typical=True)))
            .order_by()
        )
        found = {level: (n, typical) for level, n, typical in rows}
        every, typical = {}, {}
        for level in Level.values:
            every[level], typical[level] = found.get(level, (0, 0))
        return every, typical


class HonorRecipient(models.TextChoices):
    PERSON = "person", "个人"
    BRANCH = "branch", "党支部"
    SCHOOL = "school", "学校"


class Honor(models.Model):
    branch_path = "branch"

    Recipient = HonorRecipient

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="honors", verbose_name="党支部"
    )
    recipient = models.CharField("获奖对象", max_length=20, choices=Recipient.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honors",
        verbose_name="获奖个人",
    )
    title = models.CharField("荣誉称号", max_length=200)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    awarded_by = models.CharField("授予单位", max_length=100, blank=True)
    awarded_on = models.DateField(
        "授予日期", validators=[validate_sensible_date, NotInFuture("授予日期")]
    )
    is_typical = models.BooleanField(
        "先进典型", default=False, help_text="创先争优活动中选树的先进典型"
    )
    certificate = models.ImageField("证书图片", upload_to=RandomName("honors/%Y/"), blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = HonorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "荣誉"
        verbose_name_plural = "荣誉"
        ordering = ["-awarded_on", "pk"]
        indexes = [models.Index(fields=["branch", "awarded_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=Level.values),
                name="honors_honor_level_valid",
                violation_error_message="级别只能是国家级、市级、区级或校级。",
            ),
            models.CheckConstraint(
                condition=(Q(recipient="person") & Q(person__isnull=False))
                | (Q(recipient__in=["branch", "school"]) & Q(person__isnull=True)),
                name="honors_honor_person_matches_recipient",
                violation_error_message="个人荣誉须指定获奖个人；集体荣誉不填个人。",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.person_id and self.branch_id and self.person.branch_id != self.branch_id:
            raise ValidationError({"person": "获奖个人须是本支部的教职工。"})
