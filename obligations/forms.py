"""Forms of obligations: a committee's rule, the calendar's month, the heat map's year."""

from __future__ import annotations

import datetime

from django import forms

from common.concurrency import EditConflictMixin
from common.forms import DateInput, SensibleDatesMixin

from .models import Rule


class RuleForm(EditConflictMixin, SensibleDatesMixin, forms.ModelForm):
    """A superior committee's rule (it overrides the national one for the same kind and scope
    while in force); the checks are the model's, each next to its field."""

    class Meta:
        model = Rule
        fields = [
            "kind",
            "scope",
            "frequency",
            "term_years",
            "count",
            "unit",
            "valid_from",
            "valid_to",
            "source",
            "note",
        ]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.committee = committee
        self.fields["count"].widget.attrs["min"] = 1
        self.fields["unit"].required = False  # left out: counted in meetings

    def clean_unit(self):
        return self.cleaned_data.get("unit") or Rule.Unit.MEETING


class MonthForm(forms.Form):
    month = forms.CharField(required=False)

    def chosen(self, today: datetime.date) -> datetime.date:
        self.is_valid()
        text = self.cleaned_data.get("month") if hasattr(self, "cleaned_data") else ""
        try:
            year, month = (int(part) for part in (text or "").split("-"))
            return datetime.date(year, month, 1)
        except ValueError:
            return today.replace(day=1)


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)

    def chosen(self, today: datetime.date) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return today.year
