"""Forms of the members app: roster filter, person, status and transfers, groups, leading group."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import MaxLengthValidator
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from common.concurrency import EditConflictMixin
from common.forms import EARLIEST, LATEST, DateInput, SensibleDatesMixin

from . import throttle
from .importing import MAX_FILE_BYTES, RosterFileError, check_workbook_file
from .models import (
    MEMBER_STATUSES,
    BranchPost,
    BranchRating,
    Campaign,
    Carrier,
    LeadingGroupRole,
    Membership,
    PartyGroup,
    PartyGroupMembership,
    Person,
    PoliticalStatus,
)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.post}）" if obj.post else obj.name


def branch_people(branch):
    return Person.objects.for_branch(branch).order_by("name", "pk")


# Roster ---------------------------------------------------------------------------------

MEMBERS_NOW = "members_now"
FORMER_MEMBERS = "former"
STATUS_FILTER_CHOICES = [
    ("", "全部"),
    (MEMBERS_NOW, "现有党员（党员关系在册）"),
    (FORMER_MEMBERS, "已转出或离开的党员"),
    *PoliticalStatus.choices,
]


class RosterFilterForm(forms.Form):
    """The roster's filter; ``filter()`` applies every field that is valid."""

    q = forms.CharField(label="搜索", required=False, max_length=50)
    status = forms.ChoiceField(label="政治面貌", choices=STATUS_FILTER_CHOICES, required=False)
    group = forms.ModelChoiceField(
        label="党小组", queryset=PartyGroup.objects.none(), required=False
    )
    branch_post = forms.ChoiceField(
        label="支委职务", choices=[("", "全部"), *BranchPost.Role.choices], required=False
    )
    post = forms.CharField(label="岗位/职务", required=False, max_length=50)
    on = forms.DateField(
        label="名册日期", required=False, widget=DateInput(), help_text="留空为今天"
    )

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = PartyGroup.objects.filter(branch=branch)
        self.fields["group"].empty_label = "全部"
        self.fields["q"].widget.attrs["placeholder"] = "姓名"
        self.fields["post"].widget.attrs["placeholder"] = "如：语文教师"

    def day(self, today: datetime.date) -> datetime.date:
        """The roster's day: the chosen one (members on day D), else ``today``."""
        self.is_valid()
        on = getattr(self, "cleaned_data", {}).get("on")
        return on if on and EARLIEST <= on <= LATEST else today

    def filter(self, people, day: datetime.date):
        self.is_valid()  # runs the cleaning; invalid fields are simply not applied
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            people = people.filter(name__icontains=data["q"])
        status = data.get("status")
        if status == MEMBERS_NOW:
            people = people.members_on(day)
        elif status == FORMER_MEMBERS:
            people = people.former_members_on(day)
        elif status:
            people = people.filter(political_status=status)
        if data.get("group"):
            people = people.in_party_group_on(data["group"], day)
        if data.get("branch_post"):
            people = people.holding_post_on(data["branch_post"], day)
        if data.get("post"):
            people = people.filter(post__icontains=data["post"])
        return people


# Person ---------------------------------------------------------------------------------

PERSON_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "phone",
    "post",
    "is_key_teacher",
    "is_senior_cadre",
    "staff_since",
    "staff_until",
]


class PersonForm(EditConflictMixin, SensibleDatesMixin, forms.ModelForm):
    """Edits the facts of a person that do not change over time here (status has its own form)."""

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "staff_since": DateInput(),
            "staff_until": DateInput(),
        }


class PersonCreateForm(PersonForm):
    """A new person; a member also needs the day their membership of the branch began."""

    political_status = forms.ChoiceField(
        label="政治面貌", choices=PoliticalStatus.choices, initial=PoliticalStatus.MASSES
    )
    status_since = forms.DateField(
        label="政治面貌起始日期",
        required=False,
        widget=DateInput(),
        help_text="如成为入党积极分子、预备党员的日期；党员可留空（取入党或转入日期）",
    )
    joined_on = forms.DateField(
        label="入党或转入日期",
        required=False,
        widget=DateInput(),
        help_text="党员关系在本支部开始的日期；非党员不填",
    )
    joined_how = forms.ChoiceField(
        label="加入方式", choices=Membership.Joined.choices, required=False
    )
    party_group = forms.ModelChoiceField(
        label="党小组", queryset=PartyGroup.objects.none(), required=False
    )

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch = branch
        self.fields["party_group"].queryset = PartyGroup.objects.filter(branch=branch)

    def clean(self):
        cleaned = super().clean()
        is_member = cleaned.get("political_status") in MEMBER_STATUSES
        if is_member and not cleaned.get("joined_on"):
            self.add_error("joined_on", "党员须填写入党或转入日期。")
        if not is_member:
            if cleaned.get("joined_on"):
                self.add_error("joined_on", "非党员不填写入党或转入日期。")
            if cleaned.get("party_group"):
                self.add_error("party_group", "只有党员才能编入党小组。")
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in PERSON_FIELDS}
        fields["political_status"] = data["political_status"]
        return {
            "branch": self.branch,
            "fields": fields,
            "status_since": data.get("status_since"),
            "joined_on": data.get("joined_on"),
            "joined_how": data.get("joined_how") or Membership.Joined.TRANSFERRED_IN,
            "party_group": data.get("party_group"),
        }


class StatusChangeForm(SensibleDatesMixin, forms.Form):
    status = forms.ChoiceField(label="新的政治面貌", choices=PoliticalStatus.choices)
    on = forms.DateField(label="起始日期", widget=DateInput())
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == self.person.political_status:
            raise forms.ValidationError("新的政治面貌与当前相同。")
        return status


class TransferOutForm(SensibleDatesMixin, forms.Form):
    on = forms.DateField(
        label="转出日期", widget=DateInput(), help_text="此日仍计为本支部党员，次日起不再计入"
    )
    how = forms.ChoiceField(
        label="离开方式", choices=Membership.Left.choices, initial=Membership.Left.TRANSFERRED_OUT
    )
    note = forms.CharField(label="备注", required=False, max_length=200, help_text="如：转往何处")
    leaves_staff = forms.BooleanField(label="同时离校（不再计入教职工）", required=False)

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on < self.membership.start:
            raise forms.ValidationError(
                f"转出日期不能早于党员关系开始日期（{self.membership.start:%Y-%m-%d}）。"
            )
        return on


class TransferInForm(SensibleDatesMixin, forms.Form):
    on = forms.DateField(label="转入日期", widget=DateInput())
    status = forms.ChoiceField(
        label="政治面貌",
        choices=[(s.value, s.label) for s in MEMBER_STATUSES],
        initial=PoliticalStatus.FULL,
    )
    party_group = forms.ModelChoiceField(
        label="党小组", queryset=PartyGroup.objects.none(), required=False
    )
    note = forms.CharField(label="备注", required=False, max_length=200, help_text="如：从何处转入")

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_group"].queryset = PartyGroup.objects.filter(branch=person.branch)


class PeriodEndForm(SensibleDatesMixin, forms.Form):
    """Ends a fact that holds over time (a post, a place in a party group) on a day."""

    on = forms.DateField(label="结束日期", widget=DateInput(), help_text="此日仍计在内")

    def __init__(self, *args, fact, **kwargs):
        super().__init__(*args, **kwargs)
        self.fact = fact

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on < self.fact.start:
            raise forms.ValidationError(f"结束日期不能早于开始日期（{self.fact.start:%Y-%m-%d}）。")
        return on


class BranchPostForm(SensibleDatesMixin, forms.ModelForm):
    class Meta:
        model = BranchPost
        fields = ["role", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}


# Party groups ---------------------------------------------------------------------------


class PartyGroupForm(forms.ModelForm):
    leader = PersonChoiceField(label="党小组长", queryset=Person.objects.none(), required=False)

    class Meta:
        model = PartyGroup
        fields = ["name", "based_on", "leader"]

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.branch = branch
        # Only a party member leads a 党小组 (a 群众 is not offered, and refused if sent).
        self.fields["leader"].queryset = branch_people(branch).members_on(timezone.localdate())

    def clean_name(self):
        name = self.cleaned_data["name"]
        others = PartyGroup.objects.filter(branch=self.instance.branch, name=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("本支部已有同名党小组。")
        return name


class PartyGroupJoinForm(SensibleDatesMixin, forms.Form):
    person = PersonChoiceField(label="党员", queryset=Person.objects.none())
    on = forms.DateField(label="加入日期", widget=DateInput(), help_text="原所在党小组于前一日结束")

    def __init__(self, *args, group, day: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        in_group = PartyGroupMembership.objects.on(day).filter(group=group, person=OuterRef("pk"))
        self.fields["person"].queryset = (
            branch_people(group.branch).members_on(day).exclude(Exists(in_group))
        )


# Leading group --------------------------------------------------------------------------


class LeadingRoleForm(SensibleDatesMixin, forms.ModelForm):
    person = PersonChoiceField(label="人员", queryset=Person.objects.none())

    class Meta:
        model = LeadingGroupRole
        fields = ["campaign", "person", "role", "order", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.for_branch(branch)
        self.fields["person"].queryset = branch_people(branch)


class LeadingRoleReplaceForm(SensibleDatesMixin, forms.Form):
    successor = PersonChoiceField(label="接任人", queryset=Person.objects.none())
    on = forms.DateField(label="接任日期", widget=DateInput(), help_text="原任者的任期于前一日结束")

    def __init__(self, *args, role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = branch_people(role.campaign.branch).filter(
            ~Q(pk=role.person_id)
        )


# Campaigns ------------------------------------------------------------------------------


class ParentConstraintsMixin:
    """Check the model's unique constraints that name the parent set by the view (campaign,
    branch), which a ModelForm leaves out because the field is not on the form."""

    parent_fields: tuple[str, ...] = ()

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - set(self.parent_fields)


CAMPAIGN_FIELDS = ["name", "start", "end", "theme", "goals", "plan"]
CAMPAIGN_WIDGETS = {
    "start": DateInput(),
    "end": DateInput(),
    "theme": forms.Textarea(attrs={"rows": 2}),
    "goals": forms.Textarea(attrs={"rows": 4}),
    "plan": forms.Textarea(attrs={"rows": 6}),
}


class CampaignForm(ParentConstraintsMixin, EditConflictMixin, SensibleDatesMixin, forms.ModelForm):
    parent_fields = ("branch",)

    class Meta:
        model = Campaign
        fields = CAMPAIGN_FIELDS
        widgets = CAMPAIGN_WIDGETS
        help_texts = {"end": "留空表示活动进行中；结束活动请用“结束活动”"}


class CampaignCreateForm(ParentConstraintsMixin, SensibleDatesMixin, forms.ModelForm):
    parent_fields = ("branch",)

    """A new campaign and what it starts from (``members.services.campaign_create``)."""

    template = forms.ChoiceField(
        label="载体与领导小组",
        widget=forms.RadioSelect,
        choices=[
            ("source", "六大行动（公开承诺、增效减负、健康促进、队伍建设、文明创建、志愿服务）"),
            ("copy", "复制以前的活动（载体、领导小组，主题目标未填时一并复制）"),
            ("empty", "空白，稍后逐个添加载体"),
        ],
        initial="source",
    )
    copy_from = forms.ModelChoiceField(
        label="复制自", queryset=Campaign.objects.none(), required=False
    )

    class Meta:
        model = Campaign
        fields = CAMPAIGN_FIELDS
        widgets = CAMPAIGN_WIDGETS

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.branch = branch
        previous = Campaign.objects.for_branch(branch).order_by("-start", "-pk")
        self.fields["copy_from"].queryset = previous
        latest = previous.first()
        if latest is not None:
            self.fields["copy_from"].initial = latest.pk
            self.fields["template"].initial = "copy"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("template") == "copy" and not cleaned.get("copy_from"):
            self.add_error("copy_from", "请选择要复制的活动。")
        return cleaned

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in CAMPAIGN_FIELDS}


class CampaignCloseForm(SensibleDatesMixin, forms.Form):
    on = forms.DateField(label="结束日期", widget=DateInput(), help_text="活动的最后一天")


class CarrierForm(ParentConstraintsMixin, EditConflictMixin, forms.ModelForm):
    parent_fields = ("campaign",)

    class Meta:
        model = Carrier
        fields = ["order", "name", "aim"]
        help_texts = {"aim": "标题为：以“载体”为载体，目标短语谱写新篇"}


class BranchRatingForm(
    ParentConstraintsMixin, EditConflictMixin, SensibleDatesMixin, forms.ModelForm
):
    parent_fields = ("branch",)

    class Meta:
        model = BranchRating
        fields = ["rated_on", "rating", "rated_by", "occasion"]
        widgets = {"rated_on": DateInput()}


# Import ---------------------------------------------------------------------------------


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="名册文件",
        help_text=f"请使用下载的模板填写，仅接受 .xlsx 格式，不超过 {MAX_FILE_BYTES // 1024 // 1024} MB",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:  # refused before it is read into memory
            raise forms.ValidationError(f"文件不能超过 {MAX_FILE_BYTES // 1024 // 1024} MB。")
        try:
            self.content = check_workbook_file(upload.name, upload.read())
        except RosterFileError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


PASSWORD_CHANGE_LIMIT = 5
PASSWORD_CHANGE_WINDOW = 15 * 60


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with at most 5 wrong old passwords per account in 15 minutes
    (counted in the database, ``members.throttle``); the right one is refused too until then."""

    def clean_old_password(self):
        scope, who = "password-change", self.user.pk
        if throttle.count(scope, who, window=PASSWORD_CHANGE_WINDOW) >= PASSWORD_CHANGE_LIMIT:
            raise forms.ValidationError(
                "原密码输错次数过多，请 15 分钟后再试。", code="password_change_locked"
            )
        try:
            old_password = super().clean_old_password()
        except forms.ValidationError:
            throttle.record(scope, who, window=PASSWORD_CHANGE_WINDOW)
            raise
        throttle.clear(scope, who)
        return old_password


LOGIN_NAME_MAX = 150  # Django's longest user name


class _LongNameRefused:
    """A user name longer than any account's is refused next to the field, before the password
    is checked and before django-axes records the attempt (its column holds 255 characters)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.max_length = LOGIN_NAME_MAX
        field.validators.append(
            MaxLengthValidator(LOGIN_NAME_MAX, message=f"用户名不能超过 {LOGIN_NAME_MAX} 个字符。")
        )


class LoginForm(_LongNameRefused, AuthenticationForm):
    def get_invalid_login_error(self):
        """The usual message, and how many tries are left before django-axes locks the account
        from this address (the same count the lock uses)."""
        from axes.handlers.proxy import AxesProxyHandler

        error = super().get_invalid_login_error()
        username = self.cleaned_data.get("username")
        if self.request is None or not username:
            return error
        failures = AxesProxyHandler.get_failures(self.request, {"username": username})
        left = settings.AXES_FAILURE_LIMIT - failures
        if left <= 0:
            return error
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        return forms.ValidationError(
            f"{error.messages[0]} 再输错 {left} 次，该账号在本机将被锁定 {minutes} 分钟。",
            code="invalid_login",
        )


class AdminLoginForm(_LongNameRefused, AdminAuthenticationForm):
    pass
