"""Forms of the pledges app: writing, reviewing and signing a pledge, progress, rating, 公示."""

from __future__ import annotations

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone

from common.forms import DateInput, MultiplePhotoField, SensibleDatesMixin

from . import throttle
from .models import Pledge, PledgeItem, PledgeObjection, PledgePublication

MAX_ITEMS = 30


class PledgeForm(forms.ModelForm):
    """The summary and one text per point of the pledge's standard (五带头 or 五个好)."""

    class Meta:
        model = Pledge
        fields = ["summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"summary": "一两句话概括您的承诺，可不填。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = {}
        if self.instance.pk is not None:
            stored = {point.point: point.text for point in self.instance.points.all()}
        for code, label in self.instance.standard:
            self.fields[f"point_{code}"] = forms.CharField(
                label=label,
                max_length=2000,
                initial=stored.get(code, ""),
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": f"请填写“{label}”方面的承诺。"},
            )

    def point_texts(self) -> list[tuple[str, str]]:
        return [
            (code, self.cleaned_data[f"point_{code}"].strip()) for code, _ in self.instance.standard
        ]


class BasePledgeItemFormSet(BaseInlineFormSet):
    """承诺事项: what, target and deadline; at least one; deadlines within the campaign."""

    default_error_messages = {
        "too_few_forms": "请至少填写 %(num)d 项承诺事项。",
        "too_many_forms": "承诺事项最多 %(num)d 项。",
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["deadline"].required = True
        form.fields["deadline"].error_messages["required"] = "请填写完成时限。"
        form.fields["title"].error_messages["required"] = "请填写承诺事项。"
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "删除此项"

    def clean(self):
        super().clean()
        campaign = self.instance.campaign
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            deadline = form.cleaned_data.get("deadline")
            if deadline and deadline < campaign.start:
                form.add_error("deadline", f"完成时限不能早于活动开始日期（{campaign.start}）。")


PledgeItemFormSet = inlineformset_factory(
    Pledge,
    PledgeItem,
    formset=BasePledgeItemFormSet,
    fields=["title", "target", "deadline"],
    extra=1,
    min_num=1,
    validate_min=True,
    max_num=MAX_ITEMS,
    validate_max=True,
    can_delete=True,
    widgets={"deadline": DateInput(), "target": forms.Textarea(attrs={"rows": 2})},
)


class ReviewForm(forms.Form):
    APPROVE = "approve"
    RETURN = "return"

    decision = forms.ChoiceField(
        label="审核结论",
        choices=[(APPROVE, "通过，请承诺人签署"), (RETURN, "退回修改")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="审核意见",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回时必填，请写明需要修改的地方。",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("comment", "").strip():
            self.add_error("comment", "退回时请填写审核意见，说明需要修改的地方。")
        return cleaned


class SignForm(forms.Form):
    """Signing: the account's password again and the signer's name, typed."""

    confirm = forms.BooleanField(
        label="我已阅读以上承诺内容，确认签署。",
        error_messages={"required": "请确认已阅读承诺内容。"},
    )
    signature_name = forms.CharField(label="签名（请输入您的姓名）", max_length=50)
    password = forms.CharField(
        label="登录密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, expected_name: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.expected_name = expected_name

    def clean_signature_name(self):
        name = self.cleaned_data["signature_name"].strip()
        if self.expected_name is None:
            raise forms.ValidationError("您的账号没有关联教职工信息，无法签署。")
        if name != self.expected_name:
            raise forms.ValidationError(f"签名须与您登记的姓名“{self.expected_name}”一致。")
        return name

    def clean_password(self):
        password = self.cleaned_data["password"]
        if throttle.signing_locked(self.user):
            raise forms.ValidationError("密码错误次数过多，请 15 分钟后再试。")
        if not self.user.check_password(password):
            throttle.signing_failed(self.user)
            raise forms.ValidationError("密码不正确。")
        return password


class ProgressForm(SensibleDatesMixin, forms.Form):
    text = forms.CharField(
        label="进展情况",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写进展情况。"},
    )
    done_on = forms.DateField(
        label="完成日期",
        required=False,
        widget=DateInput(),
        help_text="事项已经完成时填写。",
    )
    photos = MultiplePhotoField(
        label="照片",
        required=False,
        help_text="可选择多张；JPG、PNG 或 WebP，每张不超过 10 MB。位置等拍摄信息会被去除。",
    )

    def __init__(self, *args, item: PledgeItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["text"].initial = item.progress
        self.fields["done_on"].initial = item.done_on

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on and done_on > timezone.localdate():
            raise forms.ValidationError("完成日期不能晚于今天。")
        if done_on and done_on < self.item.pledge.campaign.start:
            raise forms.ValidationError("完成日期不能早于活动开始日期。")
        return done_on

    def clean(self):
        cleaned = super().clean()
        last = self.item.updates.order_by("-created_at", "-pk").first()
        if (
            last is not None
            and not cleaned.get("photos")
            and cleaned.get("text", "").strip() == last.text.strip()
            and cleaned.get("done_on") == last.done_on
        ):
            raise forms.ValidationError(
                "进展情况与上次报告相同，没有保存新的记录。有新进展时请修改内容或添加照片。",
                code="unchanged",
            )
        return cleaned


class RateForm(forms.Form):
    fulfilment = forms.ChoiceField(
        label="兑现情况",
        choices=[c for c in PledgeItem.Fulfilment.choices if c[0] != "unrated"],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="评定意见",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="部分兑现或未兑现时必填。",
    )

    def clean(self):
        cleaned = super().clean()
        fulfilment = cleaned.get("fulfilment")
        if fulfilment and fulfilment != "fulfilled" and not cleaned.get("comment", "").strip():
            self.add_error("comment", "部分兑现或未兑现时请写明评定意见。")
        return cleaned


class PublicationForm(SensibleDatesMixin, forms.ModelForm):
    class Meta:
        model = PledgePublication
        fields = ["start", "end", "note"]
        labels = {"start": "公示开始", "end": "公示结束"}
        help_texts = {"end": "留空表示长期公示。"}
        widgets = {"start": DateInput(), "end": DateInput()}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "公示结束日期不能早于开始日期。")
        return cleaned


class ObjectionForm(forms.ModelForm):
    """The public objection box: a comment for the secretary, signed or anonymous."""

    class Meta:
        model = PledgeObjection
        fields = ["pledge", "text", "name", "contact"]
        labels = {"pledge": "关于", "text": "意见或建议"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "maxlength": 1000})}

    def __init__(self, *args, published: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["pledge"]
        field.queryset = Pledge.objects.filter(pk__in=[p["id"] for p in published])
        field.choices = [("", "全体承诺（不针对具体某人）")] + [
            (p["id"], f"{p['name']}的承诺") for p in published
        ]
        field.required = False
        self.fields["text"].error_messages["required"] = "请填写意见内容。"


class ObjectionHandleForm(forms.Form):
    note = forms.CharField(
        label="处理情况",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请简要写明处理情况。"},
    )
