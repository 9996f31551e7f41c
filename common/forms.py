"""Form checks shared by every app's record forms."""

from __future__ import annotations

import datetime

from django import forms

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)
OUT_OF_RANGE = f"日期超出合理范围（{EARLIEST:%Y}年至{LATEST:%Y}年），请检查年份。"


class SensibleDatesMixin:
    """Refuse dates before 1900 or after 2100 in every date field of the form (a typo like 1800
    or 9999 would otherwise be stored and silently drop the record out of every figure)."""

    def clean(self):
        cleaned = super().clean()
        for name, form_field in self.fields.items():
            value = cleaned.get(name)
            if (
                isinstance(form_field, forms.DateField)
                and isinstance(value, datetime.date)
                and not EARLIEST <= value <= LATEST
            ):
                self.add_error(name, OUT_OF_RANGE)
        return cleaned
