"""Forms of the honors app: the registry's filter and the honor form with its certificate image."""

from __future__ import annotations

import warnings

from django import forms
from django.db.models import Q
from PIL import Image

from common.concurrency import EditConflictMixin
from common.forms import DateInput, SensibleDatesMixin
from common.images import check_image
from members.forms import PersonChoiceField, branch_people
from members.models import Campaign, Person

from .models import Honor, Level

MAX_CERTIFICATE_BYTES = 5 * 1024 * 1024
MAX_CERTIFICATE_PIXELS = 40_000_000
MAX_CERTIFICATE_SIDE = 12_000


def check_certificate(upload) -> None:
    """Refuse anything but a real JPG, PNG or WebP image of sensible size (file and pixels)."""
    image = check_image(
        upload,
        noun="证书图片",
        max_bytes=MAX_CERTIFICATE_BYTES,
        max_pixels=MAX_CERTIFICATE_PIXELS,
        max_side=MAX_CERTIFICATE_SIDE,
        check_extension=True,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image.verify()
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning) as error:
            raise forms.ValidationError(
                "图片文件已损坏，无法读取。", code="invalid_image"
            ) from error
    upload.seek(0)


class HonorForm(EditConflictMixin, SensibleDatesMixin, forms.ModelForm):
    person = PersonChoiceField(label="获奖个人", queryset=Person.objects.none(), required=False)

    class Meta:
        model = Honor
        fields = [
            "recipient",
            "person",
            "title",
            "level",
            "awarded_by",
            "awarded_on",
            "is_typical",
            "certificate",
            "note",
        ]
        widgets = {
            "awarded_on": DateInput(),
            "certificate": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp"}
            ),
        }
        help_texts = {"certificate": "JPG、PNG 或 WebP 图片，不超过 5 MB"}

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.branch = branch
        self.fields["person"].queryset = branch_people(branch)

    def clean_certificate(self):
        certificate = self.cleaned_data.get("certificate")
        if certificate and hasattr(
            certificate, "content_type"
        ):  # a new upload, not the stored file
            check_certificate(certificate)
        return certificate

    def clean(self):
        cleaned = super().clean()
        recipient, person = cleaned.get("recipient"), cleaned.get("person")
        if recipient == Honor.Recipient.PERSON and not person:
            self.add_error("person", "个人荣誉须指定获奖个人。")
        elif recipient and recipient != Honor.Recipient.PERSON and person:
            self.add_error("person", "集体荣誉不填获奖个人。")
        return cleaned


TYPICAL_CHOICES = [("", "全部"), ("yes", "先进典型"), ("no", "非先进典型")]


class HonorFilterForm(forms.Form):
    """The honor list's filter; ``filter()`` applies every field that is valid."""

    q = forms.CharField(label="搜索", required=False, max_length=100)
    level = forms.ChoiceField(label="级别", choices=[("", "全部"), *Level.choices], required=False)
    recipient = forms.ChoiceField(
        label="获奖对象", choices=[("", "全部"), *Honor.Recipient.choices], required=False
    )
    typical = forms.ChoiceField(label="先进典型", choices=TYPICAL_CHOICES, required=False)
    campaign = forms.ModelChoiceField(
        label="活动期间", queryset=Campaign.objects.none(), required=False, empty_label="全部"
    )

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.for_branch(branch).select_related(
            "branch"
        )
        self.fields["q"].widget.attrs["placeholder"] = "荣誉称号、获奖个人、授予单位"

    def filter(self, honors):
        self.is_valid()  # runs the cleaning; invalid fields are simply not applied
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            q = data["q"]
            honors = honors.filter(
                Q(title__icontains=q) | Q(person__name__icontains=q) | Q(awarded_by__icontains=q)
            )
        if data.get("level"):
            honors = honors.filter(level=data["level"])
        if data.get("recipient"):
            honors = honors.filter(recipient=data["recipient"])
        if data.get("typical") == "yes":
            honors = honors.typical_models()
        elif data.get("typical") == "no":
            honors = honors.exclude(is_typical=True)
        if data.get("campaign"):
            honors = honors.between(*data["campaign"].span())
        return honors
