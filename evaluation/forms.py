"""Forms of the 民主评议: the round's dates, a self-assessment, a ballot, the grades."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from common.forms import DateInput, SensibleDatesMixin

from .models import Grade, Handling, Round
from .services import DecisionInput


class RoundForm(SensibleDatesMixin, forms.ModelForm):
    class Meta:
        model = Round
        fields = ["year", "opens_on", "closes_on", "note"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}
        help_texts = {
            "opens_on": "参评党员为该日在册的本支部党员；未到会的党员也可在测评日期内在线投票。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["rows"] = 3
        if self.instance.pk:
            del self.fields["year"]
        else:
            self.fields["year"].initial = timezone.localdate().year - 1

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= timezone.localdate().year + 1:
            raise forms.ValidationError("评议年度超出合理范围。")
        return year

    def validate_unique(self):
        """The round's uniqueness is checked by the service, with the branch."""


class SelfAssessmentForm(forms.Form):
    text = forms.CharField(
        label="个人自评",
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="已按本人年度纪实预填，请在此基础上对照党员标准写出本年度的表现、不足和努力方向。",
    )


class BallotForm(forms.Form):
    """One required choice of grade per member evaluated, radio buttons fit for a phone."""

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        for person in people:
            self.fields[f"grade_{person.pk}"] = forms.ChoiceField(
                label=person.name,
                choices=Grade.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": f"请为{person.name}选择等次。"},
            )

    def grades(self) -> dict[int, str]:
        return {person.pk: self.cleaned_data[f"grade_{person.pk}"] for person in self.people}


class DecisionForm(SensibleDatesMixin, forms.Form):
    """The branch meeting's grade for every member evaluated (fields per person)."""

    meeting_on = forms.DateField(label="支部党员大会日期", widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        for person in people:
            self.fields[f"grade_{person.pk}"] = forms.ChoiceField(
                label="评定等次",
                choices=[("", "请选择")] + list(Grade.choices),
                error_messages={"required": f"请为{person.name}评定等次。"},
            )
            self.fields[f"reason_{person.pk}"] = forms.CharField(
                label="理由（不合格必填）",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"handling_{person.pk}"] = forms.ChoiceField(
                label="处理决定（不合格必填）",
                required=False,
                choices=[("", "—")] + list(Handling.choices),
            )
            self.fields[f"handling_note_{person.pk}"] = forms.CharField(
                label="处理说明", required=False
            )

    def rows(self):
        """(person, grade, reason, handling, note) bound fields, for the template."""
        for person in self.people:
            yield (
                person,
                self[f"grade_{person.pk}"],
                self[f"reason_{person.pk}"],
                self[f"handling_{person.pk}"],
                self[f"handling_note_{person.pk}"],
            )

    def decisions(self):
        data = self.cleaned_data
        return [
            DecisionInput(
                person=person,
                grade=data.get(f"grade_{person.pk}", ""),
                reason=data.get(f"reason_{person.pk}", ""),
                handling=data.get(f"handling_{person.pk}", ""),
                handling_note=data.get(f"handling_note_{person.pk}", ""),
            )
            for person in self.people
        ]

    def add_service_errors(self, errors: dict) -> None:
        for (person_pk, field), message in errors.items():
            name = f"{field}_{person_pk}" if person_pk is not None else None
            self.add_error(name if name in self.fields else None, message)
