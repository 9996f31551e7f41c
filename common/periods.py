"""Facts that hold over a range of days: memberships, roles, group memberships, status stages.

Every such fact has a ``start`` and an inclusive ``end`` (empty while it still holds), a check
constraint ``end >= start`` and the QuerySet methods ``on(day)`` and ``during(start, end)``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .validators import validate_sensible_date


def holds_during(
    fact_start: datetime.date,
    fact_end: datetime.date | None,
    start: datetime.date,
    end: datetime.date,
) -> bool:
    """Whether a fact from ``fact_start`` to ``fact_end`` (None: still holds) holds on a day of
    ``start`` … ``end``: ``PeriodQuerySet.during`` for rows read as plain values."""
    return fact_start <= end and (fact_end is None or fact_end >= start)


class PeriodQuerySet(models.QuerySet):
    def on(self, day: datetime.date):
        """Facts that hold on ``day`` (start and end inclusive)."""
        return self.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)

    def during(self, start: datetime.date, end: datetime.date):
        """Facts that hold on at least one day of ``start`` … ``end``."""
        return self.filter(Q(end__isnull=True) | Q(end__gte=start), start__lte=end)

    def current(self):
        return self.filter(end__isnull=True)


class Period(models.Model):
    start = models.DateField("开始日期", validators=[validate_sensible_date])
    end = models.DateField(
        "结束日期",
        null=True,
        blank=True,
        help_text="留空表示至今仍然有效",
        validators=[validate_sensible_date],
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message="结束日期不能早于开始日期。",
            )
        ]

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    def holds_during(self, start: datetime.date, end: datetime.date) -> bool:
        """``PeriodQuerySet.during`` for one fact in hand: it holds on a day of the range."""
        return holds_during(self.start, self.end, start, end)

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "结束日期不能早于开始日期。"})

    def overlaps(self, other_qs) -> bool:
        """Whether a fact in ``other_qs`` shares a day with this one."""
        far = datetime.date.max
        return (
            other_qs.exclude(pk=self.pk)
            .filter(Q(end__isnull=True) | Q(end__gte=self.start), start__lte=self.end or far)
            .exists()
        )
