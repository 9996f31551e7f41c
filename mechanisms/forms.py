"""Forms of the mechanisms app: the registry's filter and the mechanism form with its document."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django import forms
from django.db.models import Q

from common.concurrency import EditConflictMixin
from common.forms import DateInput, SensibleDatesMixin
from members.models import Campaign, Carrier

from .models import Category, FeaturedWork, Mechanism

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024
DOCUMENT_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _is_pdf(head: bytes) -> bool:
    return head.startswith(b"%PDF-")


def _is_docx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return False
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise forms.ValidationError("Word 文件解压后过大，无法接受。", code="too_large")
    return "[Content_Types].xml" in names and "word/document.xml" in names


def check_document(upload) -> None:
    """Refuse anything but a real PDF or Word (.docx) file: the extension AND the content."""
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in DOCUMENT_CONTENT_TYPES:
        raise forms.ValidationError("只接受 PDF 或 Word（.docx）格式的制度文件。", code="extension")
    if upload.size is not None and upload.size > MAX_DOCUMENT_BYTES:
        raise forms.ValidationError(
            f"制度文件不能超过 {MAX_DOCUMENT_BYTES // 1024 // 1024} MB。", code="too_large"
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if extension == ".pdf" and not _is_pdf(content[:1024]):
        raise forms.ValidationError(
            "文件内容不是有效的 PDF 文件（可能只是改了扩展名）。", code="content"
        )
    if extension == ".docx" and not _is_docx(content):
        raise forms.ValidationError(
            "文件内容不是有效的 Word（.docx）文件（可能只是改了扩展名）。", code="content"
        )


class MechanismForm(EditConflictMixin, SensibleDatesMixin, forms.ModelForm):
    class Meta:
        model = Mechanism
        fields = [
            "name",
            "category",
            "established_on",
            "revised_on",
            "repealed_on",
            "campaign",
            "is_new",
            "summary",
            "document",
        ]
        widgets = {
            "established_on": DateInput(),
            "revised_on": DateInput(),
            "repealed_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "document": forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
        }
        help_texts = {"document": "PDF 或 Word（.docx）文件，不超过 10 MB"}

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.branch = branch
        self.fields["campaign"].queryset = Campaign.objects.for_branch(branch)

    def clean_name(self):
        name = self.cleaned_data["name"]
        others = Mechanism.objects.filter(branch=self.instance.branch, name=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("本支部已有同名制度。")
        return name

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):  # a new upload, not the stored file
            check_document(document)
        return document

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_new") and not cleaned.get("campaign"):
            self.add_error("campaign", "标为新建的制度须指明所属活动。")
        established, repealed = cleaned.get("established_on"), cleaned.get("repealed_on")
        if established and repealed and repealed < established:
            self.add_error("repealed_on", "废止日期不能早于建立日期。")
        revised = cleaned.get("revised_on")
        if established and revised and revised < established:
            self.add_error("revised_on", "修订日期不能早于建立日期。")
        return cleaned


NEW_CHOICES = [("", "全部"), ("yes", "创先争优中新建"), ("no", "原有制度")]
IN_FORCE_CHOICES = [("", "全部"), ("yes", "现行有效"), ("no", "已废止")]


class MechanismFilterForm(forms.Form):
    """The mechanism list's filter; ``filter()`` applies every field that is valid."""

    q = forms.CharField(label="搜索", required=False, max_length=100)
    category = forms.ChoiceField(
        label="类别", choices=[("", "全部"), *Category.choices], required=False
    )
    campaign = forms.ModelChoiceField(
        label="所属活动", queryset=Campaign.objects.none(), required=False, empty_label="全部"
    )
    new = forms.ChoiceField(label="是否新建", choices=NEW_CHOICES, required=False)
    in_force = forms.ChoiceField(label="是否有效", choices=IN_FORCE_CHOICES, required=False)

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.for_branch(branch).select_related(
            "branch"
        )
        self.fields["q"].widget.attrs["placeholder"] = "制度名称、主要内容"

    def filter(self, mechanisms, day):
        self.is_valid()  # runs the cleaning; invalid fields are simply not applied
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            q = data["q"]
            mechanisms = mechanisms.filter(Q(name__icontains=q) | Q(summary__icontains=q))
        if data.get("category"):
            mechanisms = mechanisms.filter(category=data["category"])
        campaign = data.get("campaign")
        if data.get("new") == "yes":
            mechanisms = mechanisms.new_in(campaign) if campaign else mechanisms.filter(is_new=True)
        else:
            if campaign:
                mechanisms = mechanisms.filter(campaign=campaign)
            if data.get("new") == "no":
                mechanisms = mechanisms.filter(is_new=False)
        if data.get("in_force") == "yes":
            mechanisms = mechanisms.in_force_on(day)
        elif data.get("in_force") == "no":
            mechanisms = mechanisms.exclude(pk__in=mechanisms.in_force_on(day).values("pk"))
        return mechanisms


class FeaturedWorkForm(EditConflictMixin, forms.ModelForm):
    """One 党建特色工作 of the branch, in the order the table lists them."""

    class Meta:
        model = FeaturedWork
        fields = ["order", "text", "carrier"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = Carrier.objects.filter(
            campaign__branch_id=self.instance.branch_id
        ).select_related("campaign")
        self.fields["carrier"].label_from_instance = lambda c: f"{c.campaign.name} · {c.name}"

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - {"branch"}
