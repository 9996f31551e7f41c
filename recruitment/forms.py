"""Forms of the development record: one per step, each handing its data to one service."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from common.forms import DateInput, SensibleDatesMixin
from members.models import Person, PoliticalStatus

from .models import Development, RuleKey

S = PoliticalStatus


def _date(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), required=required, help_text=help_text)


def full_members(branch):
    return Person.objects.filter(branch=branch, political_status=S.FULL).order_by("name")


class StartForm(SensibleDatesMixin, forms.Form):
    person = forms.ModelChoiceField(label="教职工", queryset=Person.objects.none())
    applied_on = _date("递交入党申请书日期")

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.filter(
                branch=branch,
                political_status__in=[S.MASSES, S.APPLICANT, S.ACTIVIST, S.CANDIDATE],
                development__isnull=True,
            )
            .on_staff(timezone.localdate())
            .order_by("name")
        )


class StepForm(SensibleDatesMixin, forms.Form):
    """A step of one development; ``development`` is at hand for choices and checks."""

    def __init__(self, *args, development: Development, **kwargs):
        super().__init__(*args, **kwargs)
        self.development = development


class TalkForm(StepForm):
    on = _date("谈话日期", help_text="收到入党申请书后一个月内")
    by = forms.CharField(label="谈话人", max_length=50)
    note = forms.CharField(
        label="谈话情况", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ContactsForm(StepForm):
    on = _date("确定日期")
    contacts = forms.ModelMultipleChoiceField(
        label="培养联系人",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="一至两名正式党员",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = full_members(self.development.person.branch)


class ReviewForm(StepForm):
    on = _date("考察日期")
    reviewer = forms.CharField(label="考察人", max_length=50, required=False)
    summary = forms.CharField(label="考察意见", widget=forms.Textarea(attrs={"rows": 4}))


class CandidateForm(StepForm):
    on = _date("列为发展对象日期", help_text="支部委员会讨论决定之日")
    publicity_from = _date("公示开始", required=False)
    publicity_to = _date("公示结束", required=False)


class IntroducersForm(StepForm):
    on = _date("确定日期")
    introducers = forms.ModelMultipleChoiceField(
        label="入党介绍人",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="两名正式党员",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["introducers"].queryset = full_members(self.development.person.branch)


class PoliticalReviewForm(StepForm):
    on = _date("政审完成日期")
    result = forms.CharField(label="政审结论", max_length=200)


class TrainingForm(StepForm):
    start = _date("开始日期")
    end = _date("结束日期")
    organiser = forms.CharField(label="举办单位", max_length=100)
    days = forms.IntegerField(label="天数", min_value=0, max_value=365, initial=0)
    hours = forms.IntegerField(label="学时", min_value=0, max_value=999, initial=0)


class AdmissionVoteForm(StepForm):
    on = _date("支部大会日期")
    entitled = forms.IntegerField(label="有表决权的正式党员（应到）", min_value=1, max_value=9999)
    present = forms.IntegerField(label="到会有表决权的正式党员", min_value=0, max_value=9999)
    in_favour = forms.IntegerField(label="赞成", min_value=0, max_value=9999)
    against = forms.IntegerField(label="反对", min_value=0, max_value=9999, initial=0)
    abstain = forms.IntegerField(label="弃权", min_value=0, max_value=9999, initial=0)


class OathForm(StepForm):
    on = _date("入党宣誓日期")


class ExtendForm(StepForm):
    on = _date("支部大会决定日期")
    months = forms.IntegerField(label="延长月数", min_value=1, max_value=24, initial=6)
    reason = forms.CharField(label="延长原因", max_length=300)


class ConvertForm(StepForm):
    on = _date("讨论转正支部大会日期", help_text="党龄自转正之日算起")
    present = forms.IntegerField(label="到会有表决权的正式党员", min_value=1, max_value=9999)
    in_favour = forms.IntegerField(label="赞成", min_value=0, max_value=9999)


class StopForm(StepForm):
    on = _date("终止日期")
    reason = forms.CharField(
        label="终止原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(SensibleDatesMixin, forms.Form):
    on = _date("审批日期")
    talk_on = _date("上级党委谈话日期", required=False)
    note = forms.CharField(
        label="说明", max_length=300, required=False, help_text="超过三个月审批的，须写明特殊情况"
    )


class RuleOverrideForm(SensibleDatesMixin, forms.Form):
    key = forms.ChoiceField(label="规则", choices=RuleKey.choices)
    value = forms.IntegerField(label="数值", min_value=1, max_value=999)
    valid_from = _date("施行日期")
    source = forms.CharField(label="依据", max_length=200, help_text="如：本党委文件名称及文号")
    note = forms.CharField(label="说明", max_length=200, required=False)


class WaiverForm(forms.Form):
    rule = forms.ChoiceField(
        label="规则", choices=[(RuleKey.MIN_ACTIVIST, RuleKey.MIN_ACTIVIST.label)]
    )
    reason = forms.CharField(
        label="批准理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )
