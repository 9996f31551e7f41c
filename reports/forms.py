"""Forms of the reports app: the period a report covers, and one narrative section."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from common.concurrency import EditConflictMixin
from common.forms import DateInput, SensibleDatesMixin
from members.models import Campaign

from .figures import (
    PeriodError,
    ReportPeriod,
    campaigns_with_records,
    default_campaign,
    first_record_year,
)
from .models import NarrativeText, ReportOptions


class ReportPeriodForm(forms.Form):
    """A campaign of the branch (``campaign-<id>``) or a year it ran in (``year-<yyyy>``)."""

    period = forms.ChoiceField(label="报告期", widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, branch, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch = branch
        self.today = today or timezone.localdate()
        self.campaigns = {str(campaign.pk): campaign for campaign in campaigns_with_records(branch)}
        first = first_record_year(branch, self.campaigns.values())
        years = range(self.today.year, first - 1, -1) if first else []
        self.fields["period"].choices = [
            (
                "活动全程",
                [(f"campaign-{pk}", c.name + _span(c)) for pk, c in self.campaigns.items()],
            ),
            ("年度", [(f"year-{year}", f"{year}年度") for year in years]),
        ]
        self.default = (
            default_campaign(branch, self.today, self.campaigns.values())
            if self.campaigns
            else None
        )
        if self.default is not None:
            self.fields["period"].initial = f"campaign-{self.default.pk}"

    def clean_period(self) -> ReportPeriod:
        kind, _, value = self.cleaned_data["period"].partition("-")
        try:
            if kind == "campaign":
                return ReportPeriod.for_campaign(self.campaigns[value], self.today)
            return ReportPeriod.for_year(self.branch, int(value), self.today)
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error

    def chosen_period(self) -> ReportPeriod | None:
        """The chosen period; unbound: ``default_campaign``; None if invalid or no campaign."""
        if self.is_bound:
            return self.cleaned_data["period"] if self.is_valid() else None
        if self.default is None:
            return None
        return ReportPeriod.for_campaign(self.default, self.today)

    def value(self) -> str:
        """The chosen option (``campaign-<id>`` or ``year-<yyyy>``)."""
        return self.data.get("period") or self.fields["period"].initial or ""

    def query(self) -> str:
        """The query string that selects this period (for links to previews and downloads)."""
        return f"period={self.value()}"


def _span(campaign: Campaign) -> str:
    end = f"{campaign.end:%Y年%m月}" if campaign.end else "至今"
    return f"（{campaign.start:%Y年%m月}—{end}）"


class NarrativeForm(EditConflictMixin, forms.ModelForm):
    """One section of the summary; unknown placeholders are refused by the model's ``clean``."""

    class Meta:
        model = NarrativeText
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 14, "class": "narrative-text"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.section == NarrativeText.Section.CARRIER:
            del self.fields["title"]  # a carrier's heading is its own (载体 and 目标短语)


class ReportOptionsForm(EditConflictMixin, SensibleDatesMixin, forms.ModelForm):
    """The options kept with one document of one period; the table has a title only."""

    class Meta:
        model = ReportOptions
        fields = ["title", "signature_date", "list_records"]
        widgets = {"signature_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind == ReportOptions.Kind.TABLE:
            del self.fields["signature_date"]
            del self.fields["list_records"]

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - {"campaign", "year", "kind"}
