"""One validator per kind of value, set on the model fields, so a form, the roster import and
the admin give the same answer to the same value (model validators run in ``full_clean``, which
ModelForms and the admin call; the import calls ``run_validators`` of the same fields)."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)
OUT_OF_RANGE = f"日期超出合理范围（{EARLIEST:%Y}年至{LATEST:%Y}年），请检查年份。"
PHONE = re.compile(r"^[0-9+\-() ]{3,30}$")


def validate_phone(value: str) -> None:
    """A phone number: digits, spaces, ``-``, ``+`` and brackets, 3 to 30 of them."""
    if value and not PHONE.match(value):
        raise ValidationError(
            "联系电话只能包含数字、空格、“-”“+”和括号，3 到 30 位。", code="phone"
        )


def validate_sensible_date(value) -> None:
    """A date from 1900 to 2100: a typo like 1800 or 9999 is refused."""
    if isinstance(value, datetime.date) and not EARLIEST <= value <= LATEST:
        raise ValidationError(OUT_OF_RANGE, code="date_range")


@deconstructible
class NotInFuture:
    """A date that has already come (a birth, an activity held, an honor awarded)."""

    def __init__(self, what: str = "日期"):
        self.what = what

    def __call__(self, value) -> None:
        if isinstance(value, datetime.date) and value > timezone.localdate():
            raise ValidationError(f"{self.what}不能晚于今天。", code="future")

    def __eq__(self, other) -> bool:
        return isinstance(other, NotInFuture) and other.what == self.what
