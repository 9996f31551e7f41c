"""Forms of the activities app: activity, participants, photos, measures, meetings, attendance."""

from __future__ import annotations

import datetime

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory

from common.concurrency import EditConflictMixin
from common.forms import DateInput, MultiplePhotoField, SensibleDatesMixin
from members.models import Carrier, PartyGroup, Person

from .models import Activity, ActivityParticipant, Attendance, Measure, Meeting, TalkPair


def person_label(person: Person) -> str:
    return f"{person.name}（{person.post}）" if person.post else person.name


def branch_people(branch):
    return Person.objects.for_branch(branch).order_by("name", "pk")


def branch_carriers(branch):
    return Carrier.objects.filter(campaign__branch=branch).select_related("campaign")


class CarrierChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.campaign.name}）"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class ActivityFilterForm(forms.Form):
    """The activity list's filter; ``filter()`` applies every field that is valid."""

    q = forms.CharField(label="搜索", required=False, max_length=100)
    carrier = CarrierChoiceField(label="载体", queryset=Carrier.objects.none(), required=False)
    organiser = PersonChoiceField(label="组织者", queryset=Person.objects.none(), required=False)
    date_from = forms.DateField(label="开始日期（起）", required=False, widget=DateInput())
    date_to = forms.DateField(label="开始日期（止）", required=False, widget=DateInput())

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        # only what the options' labels read: the list page builds these every time
        self.fields["carrier"].queryset = branch_carriers(branch).only("name", "campaign__name")
        self.fields["organiser"].queryset = branch_people(branch).only("name", "post")
        self.fields["q"].widget.attrs["placeholder"] = "标题、地点、内容、成效"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "截止日期不能早于起始日期。")
            cleaned.pop("date_to", None)
        return cleaned

    def filter(self, activities):
        self.is_valid()  # runs the cleaning; invalid fields are simply not applied
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            activities = activities.search(data["q"])
        if data.get("carrier"):
            activities = activities.filter(carrier=data["carrier"])
        if data.get("organiser"):
            activities = activities.filter(organiser=data["organiser"])
        if data.get("date_from"):
            activities = activities.filter(start_date__gte=data["date_from"])
        if data.get("date_to"):
            activities = activities.filter(start_date__lte=data["date_to"])
        return activities


class ActivityForm(EditConflictMixin, SensibleDatesMixin, forms.ModelForm):
    photos = MultiplePhotoField(
        label="添加照片",
        required=False,
        help_text="可一次选择多张；JPG、PNG 或 WebP，每张不超过 10 MB。位置等拍摄信息会被去除。",
    )

    class Meta:
        model = Activity
        fields = [
            "carrier",
            "title",
            "start_date",
            "end_date",
            "place",
            "organiser",
            "description",
            "outcome",
        ]
        field_classes = {"carrier": CarrierChoiceField, "organiser": PersonChoiceField}
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.branch = branch
        self.fields["carrier"].queryset = branch_carriers(branch)
        self.fields["organiser"].queryset = branch_people(branch)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "结束日期不能早于开始日期。")
        return cleaned


class BaseParticipantFormSet(BaseInlineFormSet):
    """Participants picked from the branch's people; the choices are read once for all rows."""

    def __init__(self, *args, branch, **kwargs):
        self.people = branch_people(branch)
        self._person_choices = None
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields["person"]
        field.queryset = self.people
        if self._person_choices is None:
            self._person_choices = [("", "---------")] + [
                (person.pk, person_label(person)) for person in self.people
            ]
        field.choices = self._person_choices
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "删除此行"

    def clean(self):
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            person = form.cleaned_data.get("person")
            if person is None:
                continue
            if person.pk in seen:
                form.add_error("person", "此人已在参加人员名单中。")
            seen.add(person.pk)
        super().clean()


ParticipantFormSet = inlineformset_factory(
    Activity,
    ActivityParticipant,
    formset=BaseParticipantFormSet,
    fields=["person", "hours", "role"],
    extra=2,
    can_delete=True,
    widgets={"hours": forms.NumberInput(attrs={"step": "0.5", "min": "0"})},
)


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["carrier", "order", "title", "description", "status", "completed_on", "long_term"]
        field_classes = {"carrier": CarrierChoiceField}
        widgets = {"completed_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = branch_carriers(branch)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("completed_on") and cleaned.get("status") != Measure.Status.DONE:
            self.add_error("completed_on", "只有已完成的举措才填写完成日期。")
        if cleaned.get("long_term") and cleaned.get("status") != Measure.Status.DONE:
            self.add_error("long_term", "举措完成后才能标记为已建立长效机制。")
        return cleaned


class MeetingForm(EditConflictMixin, SensibleDatesMixin, forms.ModelForm):
    """A meeting held, or planned (its date in an open period: this month or later)."""

    class Meta:
        model = Meeting
        fields = ["kind", "status", "held_on", "topic", "place", "party_group", "minutes"]
        widgets = {"held_on": DateInput(), "minutes": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, branch, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.branch = branch
        self.today = today
        self.fields["party_group"].queryset = PartyGroup.objects.filter(branch=branch)
        self.fields["party_group"].help_text = "党小组会请选择党小组，出席名单按该小组成员生成。"
        self.fields["status"].required = False  # not given: a meeting held

    def clean_status(self):
        return self.cleaned_data.get("status") or Meeting.Status.HELD

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Meeting.Kind.GROUP and not cleaned.get("party_group"):
            self.add_error("party_group", "党小组会须选择党小组。")
        day, status = cleaned.get("held_on"), cleaned.get("status")
        if day and status == Meeting.Status.PLANNED and day < self.today.replace(day=1):
            self.add_error(
                "held_on",
                f"{day:%Y年%-m月}已经结束，不能在已结束的期间安排会议；会议如已召开，"
                "请将状态选为“已召开”。",
            )
        # A held meeting in the future: refused by Meeting.clean (the admin too).
        return cleaned

    def save(self, commit=True):
        meeting = super().save(commit=False)
        if meeting.status == Meeting.Status.PLANNED and "held_on" in self.changed_data:
            meeting.planned_on = meeting.held_on
        if commit:
            meeting.save()
        return meeting


class AttendanceSheetForm(forms.Form):
    """One row per person: status (出席 by default) and a note; saved together.

    ``people`` are on the sheet (expected, or already recorded); ``others`` are the branch's
    other people, whom the participant picker puts on the sheet (列席, another 党小组's member):
    their rows are hidden and say "不在名单" until chosen, and only those given a status are saved.
    """

    NOT_ON_SHEET = ("", "不在名单")

    def __init__(self, *args, people, recorded: dict[int, Attendance], others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        on_sheet = {person.pk for person in self.people}
        self.others = [person for person in others if person.pk not in on_sheet]
        for person in self.people + self.others:
            existing = recorded.get(person.pk)
            expected = person.pk in on_sheet
            choices = Attendance.Status.choices
            self.fields[f"status_{person.pk}"] = forms.ChoiceField(
                label=person.name,
                choices=choices if expected else [self.NOT_ON_SHEET, *choices],
                required=expected,
                initial=existing.status
                if existing
                else (Attendance.Status.PRESENT if expected else ""),
                widget=forms.Select(attrs={"class": "form-select form-select-sm js-status"}),
            )
            self.fields[f"note_{person.pk}"] = forms.CharField(
                label="备注",
                required=False,
                max_length=200,
                initial=existing.note if existing else "",
                widget=forms.TextInput(
                    attrs={"class": "form-control form-control-sm", "placeholder": "如：请假原因"}
                ),
            )

    def clean(self):
        cleaned = super().clean()
        for person in self.people + self.others:
            status = cleaned.get(f"status_{person.pk}")
            if status == Attendance.Status.EXCUSED and not cleaned.get(f"note_{person.pk}"):
                self.add_error(f"note_{person.pk}", "请假须写明原因；无故未到请选“缺席”。")
        return cleaned

    def rows(self):
        """(person, status field, note field) of the people on the sheet, in its order."""
        for person in self.people:
            yield person, self[f"status_{person.pk}"], self[f"note_{person.pk}"]

    def other_rows(self):
        """(person, status field, note field, shown) of the others: hidden until the picker puts
        them on the sheet (or a submitted status does)."""
        for person in self.others:
            status = self[f"status_{person.pk}"]
            yield person, status, self[f"note_{person.pk}"], bool(status.value())

    def cleaned_rows(self) -> list[tuple[int, str, str]]:
        return [
            (
                person.pk,
                self.cleaned_data[f"status_{person.pk}"],
                self.cleaned_data.get(f"note_{person.pk}", ""),
            )
            for person in self.people + self.others
            if self.cleaned_data.get(f"status_{person.pk}")
        ]


class BaseTalkPairFormSet(BaseInlineFormSet):
    def __init__(self, *args, branch, **kwargs):
        self.branch = branch
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name in ("talker", "partner"):
            form.fields[name].queryset = branch_people(self.branch)
            form.fields[name].label_from_instance = person_label

    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if data.get("talker") and data.get("talker") == data.get("partner"):
                form.add_error("partner", "谈话人和谈话对象不能是同一人。")


TalkPairFormSet = inlineformset_factory(
    Meeting,
    TalkPair,
    formset=BaseTalkPairFormSet,
    fields=["talker", "partner"],
    extra=3,
    can_delete=True,
)


class MeetingFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型", choices=[("", "全部类型"), *Meeting.Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部"), *Meeting.Status.choices], required=False
    )
    date_from = forms.DateField(label="日期（起）", required=False, widget=DateInput())
    date_to = forms.DateField(label="日期（止）", required=False, widget=DateInput())

    def filter(self, meetings):
        self.is_valid()  # invalid fields are simply not applied
        data = getattr(self, "cleaned_data", {})
        if data.get("kind"):
            meetings = meetings.filter(kind=data["kind"])
        if data.get("status"):
            meetings = meetings.filter(status=data["status"])
        if data.get("date_from"):
            meetings = meetings.filter(held_on__gte=data["date_from"])
        if data.get("date_to"):
            meetings = meetings.filter(held_on__lte=data["date_to"])
        return meetings


class DateRangeForm(forms.Form):
    start = forms.DateField(label="起始日期", widget=DateInput())
    end = forms.DateField(label="截止日期", widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", "截止日期不能早于起始日期。")
        return cleaned
