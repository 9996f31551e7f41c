"""Forms of the dues app: a base, a payment, a reversal, the month's recording, the year's bases,
the import upload. Service errors land next to their fields (``apply_errors``)."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError

from common.forms import DateInput, RowLabelMixin, SensibleDatesMixin

from .models import Category, Way
from .months import add_months, label, month_of

MONEY_FIELD = {"max_digits": 12, "decimal_places": 2}


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form, field by field where it names one."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def month_choices(first: datetime.date, last: datetime.date) -> list[tuple[str, str]]:
    choices, month = [], month_of(last)
    while month >= month_of(first):
        choices.append((month.isoformat(), label(month)))
        month = add_months(month, -1)
    return choices


class MonthField(forms.TypedChoiceField):
    def __init__(self, *, first, last, **kwargs):
        super().__init__(
            choices=month_choices(first, last),
            coerce=datetime.date.fromisoformat,
            **kwargs,
        )


class BaseForm(SensibleDatesMixin, forms.Form):
    category = forms.ChoiceField(label="党员类别", choices=Category.choices)
    income = forms.DecimalField(
        label="月计算基数（元）",
        required=False,
        min_value=0,
        max_value=1000000,
        help_text="按月固定收入（税后）；学生、农民、下岗失业、低保党员不填",
        **MONEY_FIELD,
    )
    voluntary_extra = forms.DecimalField(
        label="每月自愿多交（元）", required=False, min_value=0, **MONEY_FIELD
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"] = MonthField(
            label="起始月份（工资变动的月份）",
            first=datetime.date(today.year - 2, 1, 1),
            last=datetime.date(today.year + 1, 12, 1),
            initial=month_of(today).isoformat(),
        )


class PaymentForm(SensibleDatesMixin, forms.Form):
    first_month = forms.DateField(label="起始月份", widget=forms.HiddenInput, required=False)
    amount = forms.DecimalField(label="金额（元）", **MONEY_FIELD)
    paid_on = forms.DateField(label="交纳日期", widget=DateInput())
    way = forms.ChoiceField(label="交纳方式", choices=Way.choices)
    receipt_no = forms.CharField(label="收据编号", max_length=40, required=False)
    paid_by = forms.CharField(
        label="代交人", max_length=50, required=False, help_text="他人代交时填写"
    )
    note = forms.CharField(
        label="备注", max_length=200, required=False, help_text="补交超过6个月时须说明原因"
    )

    def __init__(self, *args, month_options: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"] = forms.TypedMultipleChoiceField(
            label="交纳月份（可多选）",
            choices=[(m.isoformat(), label(m)) for m in month_options],
            coerce=datetime.date.fromisoformat,
            widget=forms.CheckboxSelectMultiple,
        )
        self.order_fields(["months", "amount", "paid_on", "way", "receipt_no", "paid_by", "note"])

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise ValidationError("交费金额须大于 0。")
        return amount


class ReverseForm(forms.Form):
    reason = forms.CharField(label="冲销原因", max_length=200, widget=forms.TextInput)


SMALL_INPUT = {"class": "form-control form-control-sm"}
SMALL_SELECT = {"class": "form-select form-select-sm"}


class MonthRowForm(RowLabelMixin, forms.Form):
    """One member's line of the month's recording; an empty amount records nothing."""

    amount = forms.DecimalField(
        label="金额", required=False, widget=forms.NumberInput(SMALL_INPUT), **MONEY_FIELD
    )
    way = forms.ChoiceField(label="方式", choices=Way.choices, widget=forms.Select(SMALL_SELECT))
    receipt_no = forms.CharField(
        label="收据编号", max_length=40, required=False, widget=forms.TextInput(SMALL_INPUT)
    )
    paid_by = forms.CharField(
        label="代交人", max_length=50, required=False, widget=forms.TextInput(SMALL_INPUT)
    )

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise ValidationError("交费金额须大于 0。")
        return amount


class MonthHeadForm(SensibleDatesMixin, forms.Form):
    paid_on = forms.DateField(label="交纳日期", widget=DateInput(attrs={"class": "form-control"}))


class YearBaseRowForm(RowLabelMixin, forms.Form):
    category = forms.ChoiceField(
        label="类别", choices=Category.choices, widget=forms.Select(SMALL_SELECT)
    )
    income = forms.DecimalField(
        label="月计算基数",
        required=False,
        min_value=0,
        max_value=1000000,
        widget=forms.NumberInput(SMALL_INPUT),
        **MONEY_FIELD,
    )
    voluntary_extra = forms.DecimalField(
        label="自愿多交",
        required=False,
        min_value=0,
        widget=forms.NumberInput(SMALL_INPUT),
        **MONEY_FIELD,
    )


class BaseUploadForm(forms.Form):
    file = forms.FileField(label="党费基数表（.xlsx）")
