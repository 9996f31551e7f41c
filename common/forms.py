"""Form checks shared by every app's record forms."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError

from .images import clean_photo
from .validators import EARLIEST, LATEST, OUT_OF_RANGE

__all__ = [
    "EARLIEST",
    "LATEST",
    "OUT_OF_RANGE",
    "DateInput",
    "RowLabelMixin",
    "SensibleDatesMixin",
]


class SensibleDatesMixin:
    """Refuse dates before 1900 or after 2100 in every date field of the form (a typo like 1800
    or 9999 would otherwise be stored and silently drop the record out of every figure). The same
    rule as ``common.validators.validate_sensible_date`` on the model fields, for plain forms."""

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


class RowLabelMixin:
    """A form that is one row of a table of forms (a member's line of a month's dues): the
    table's column heads are not labels, so each field is named for screen readers by the row and
    the field, e.g. “曾蓓蓓 金额” (``aria-label``). ``row_label`` names the row."""

    def __init__(self, *args, row_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            form_field.widget.attrs["aria-label"] = f"{row_label} {form_field.label}"


class DateInput(forms.DateInput):
    """The browser's own date picker (``<input type="date">``), which needs ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


MAX_PHOTOS_PER_UPLOAD = 20


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photo files at once; cleans to a list of ``common.images.CleanPhoto``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS_PER_UPLOAD:
            raise ValidationError(f"一次最多上传 {MAX_PHOTOS_PER_UPLOAD} 张照片。")
        cleaned, errors = [], []
        for upload in files:
            upload = super().clean(upload, initial)
            try:
                cleaned.append(clean_photo(upload))
            except ValidationError as error:
                errors.extend(f"{upload.name}：{message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned
