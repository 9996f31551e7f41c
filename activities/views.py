"""Views of the activities app: activities with photos, measures, meetings."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from common.concurrency import save_or_conflict
from common.files import file_response
from common.urls import pk_url
from members import freshness
from members.access import (
    MANAGE_ROLES,
    READ_ROLES,
    can_manage,
    get_branch_choice,
    history_for,
    role_required,
)
from members.models import Campaign, Carrier, PartyGroupMembership, Person

from . import services
from .access import (
    get_activity_for_user,
    get_activity_photo_for_user,
    get_measure_for_user,
    get_meeting_for_user,
)
from .exports import activity_workbook
from .forms import (
    ActivityFilterForm,
    ActivityForm,
    AttendanceSheetForm,
    DateRangeForm,
    MeasureForm,
    MeetingFilterForm,
    MeetingForm,
    ParticipantFormSet,
    TalkPairFormSet,
    branch_carriers,
    branch_people,
    person_label,
)
from .models import Activity, Attendance, Measure, Meeting

PAGE_SIZE = 20


def _today() -> datetime.date:
    return timezone.localdate()


def _list_url(name: str, branch) -> str:
    """A list page's URL, on the branch the user was working on."""
    return f"{reverse(name)}?branch={branch.pk}"


# Activities -----------------------------------------------------------------------------


def _filtered_activities(request, branch):
    form = ActivityFilterForm(request.GET or None, branch=branch)
    activities = (
        form.filter(Activity.objects.for_branch(branch))
        .select_related("carrier", "organiser")
        .with_participant_totals()
        .order_by("-start_date", "-pk")
    )
    return form, activities


def _activity_row(row: dict, detail, thumbnail) -> dict:
    """One line of the activity list as plain values (docs/performance.md, "the branch list
    pages")."""
    return {
        "url": detail(row["pk"]),
        "title": row["title"],
        "thumbnail": thumbnail(row["photo_pk"]) if row["photo_thumbnail"] else "",
        "date": f"{row['start_date']:%Y-%m-%d}",
        "carrier": row["carrier__name"] or "",
        "organiser": row["organiser__name"] or "—",
        "participants": row["participant_count"],
    }


@role_required(*READ_ROLES)
def activity_list(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    several = len(choices) > 1

    def body():
        form, activities = _filtered_activities(request, branch)
        rows = activities.with_first_photo().values(
            "pk",
            "title",
            "start_date",
            "carrier__name",
            "organiser__name",
            "participant_count",
            "photo_pk",
            "photo_thumbnail",
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        detail = pk_url("activities:activity-detail")
        thumbnail = pk_url("activities:photo-file", after=("thumbnail",))
        page.object_list = [_activity_row(row, detail, thumbnail) for row in page]
        return {"page": page, "form": form, "branch": branch, "several_branches": several}

    return render(
        request,
        "activities/activity_list.html",
        {
            "body": freshness.cached_render(
                "activity-list",
                request,
                [branch],
                (freshness.query_variant(request), several),
                "activities/_activity_list_body.html",
                body,
            ),
            "branch": branch,
            "branch_choices": choices,
            "can_manage": can_manage(request, branch),
        },
    )


@role_required(*READ_ROLES)
def activity_export(request):
    branch, _ = get_branch_choice(request, *READ_ROLES)
    _, activities = _filtered_activities(request, branch)
    content = activity_workbook(activities, title=f"{branch.short_name}活动记录")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"activities-{branch.pk}-{_today():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(*READ_ROLES)
def activity_detail(request, pk):
    activity = get_activity_for_user(request, pk, *READ_ROLES)
    participants = activity.participations.select_related("person").order_by("person__name")
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "participants": participants,
            "photos": activity.photos.order_by("pk"),
            "can_manage": can_manage(request, activity.branch),
            "history": history_for(request.user, activity, activity.branch),
        },
    )


def _activity_form(request, activity, branch):
    """Shared by create and edit: the activity form, its participants and its photos."""
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = ActivityForm(data, files, instance=activity, branch=branch)
    participants = ParticipantFormSet(data, instance=activity, branch=branch, prefix="people")
    saved = None
    if request.method == "POST" and form.is_valid() and participants.is_valid():
        saved = save_or_conflict(
            form,
            lambda: services.activity_save(
                form=form, participants=participants, photos=form.cleaned_data["photos"]
            ),
        )
    if saved:
        messages.success(request, f"活动记录“{saved.title}”已保存。")
        return redirect("activities:activity-detail", pk=saved.pk)
    return render(
        request,
        "activities/activity_form.html",
        {
            "form": form,
            "participants": participants,
            "activity": activity,
            "branch": branch,
            "participant_shortcuts": _participant_shortcuts(branch),
        },
    )


def _participant_shortcuts(branch, day=None) -> list[dict]:
    """The picker's shortcuts: every member of the branch on ``day`` (today unless given), and
    each 党小组's members then."""
    today = day or _today()
    shortcuts = [
        {
            "label": "全体党员",
            "people": list(
                Person.objects.for_branch(branch).members_on(today).values_list("pk", flat=True)
            ),
        }
    ]
    groups: dict[str, list[int]] = {}
    places = (
        PartyGroupMembership.objects.on(today)
        .filter(group__branch=branch)
        .order_by("group__name", "person__name")
        .values_list("group__name", "person_id")
    )
    for name, person_id in places:
        groups.setdefault(name, []).append(person_id)
    shortcuts += [{"label": name, "people": people} for name, people in groups.items()]
    return shortcuts


@role_required(*MANAGE_ROLES)
def activity_create(request):
    branch, _ = get_branch_choice(request, *MANAGE_ROLES)
    return _activity_form(request, Activity(branch=branch), branch)


@role_required(*MANAGE_ROLES)
def activity_edit(request, pk):
    activity = get_activity_for_user(request, pk, *MANAGE_ROLES)
    return _activity_form(request, activity, activity.branch)


@role_required(*MANAGE_ROLES)
def activity_delete(request, pk):
    activity = get_activity_for_user(request, pk, *MANAGE_ROLES)
    if request.method == "POST":
        services.activity_delete(activity=activity)
        messages.success(request, f"活动记录“{activity.title}”已删除。")
        return redirect(_list_url("activities:activity-list", activity.branch))
    return render(
        request,
        "activities/activity_delete.html",
        {
            "object": activity,
            "what": "活动记录",
            "warning": "活动的参加人员和照片将一并删除。",
            "cancel_url": reverse("activities:activity-detail", args=[activity.pk]),
        },
    )


@role_required(*MANAGE_ROLES)
def photo_delete(request, pk):
    photo = get_activity_photo_for_user(request, pk, *MANAGE_ROLES)
    back = reverse("activities:activity-detail", args=[photo.activity_id])
    if request.method == "POST":
        services.activity_photo_delete(photo=photo)
        messages.success(request, "照片已删除。")
        return redirect(back)
    return render(
        request,
        "activities/photo_delete.html",
        {"object": photo, "photo": photo, "what": "活动照片", "cancel_url": back},
    )


PHOTO_KINDS = ("image", "thumbnail")


@role_required(*READ_ROLES)
def photo_file(request, pk, kind):
    """An activity photo or its thumbnail, for those who may read the activity."""
    photo = get_activity_photo_for_user(request, pk, *READ_ROLES)
    if kind not in PHOTO_KINDS:
        raise Http404
    return file_response(getattr(photo, kind))


# Measures -------------------------------------------------------------------------------


_MEASURE_BADGE = {
    Measure.Status.DONE: "text-bg-success",
    Measure.Status.IN_PROGRESS: "text-bg-warning",
}


def _measure_row(measure, edit) -> dict:
    """One measure of the list as plain values (docs/performance.md, "the branch list
    pages")."""
    return {
        "order": measure.order,
        "title": measure.title,
        "description": Truncator(measure.description).chars(120),
        "badge": _MEASURE_BADGE.get(measure.status, "text-bg-secondary"),
        "status": measure.get_status_display(),
        "long_term": measure.long_term,
        "completed_on": f"{measure.completed_on:%Y-%m-%d}" if measure.completed_on else "",
        "edit_url": edit(measure.pk),
    }


@role_required(*READ_ROLES)
def measure_list(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    campaign = Campaign.objects.for_branch(branch).as_of(_today())
    carriers = Carrier.objects.filter(campaign=campaign).prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("order", "pk"))
    )
    progress = Measure.objects.filter(carrier__campaign=campaign).progress_by_carrier()
    edit = pk_url("activities:measure-edit")
    return render(
        request,
        "activities/measure_list.html",
        {
            "branch": branch,
            "branch_choices": choices,
            "campaign": campaign,
            "carriers": [
                (
                    carrier,
                    progress.get(carrier.pk),
                    [_measure_row(m, edit) for m in carrier.measures.all()],
                )
                for carrier in carriers
            ],
            "can_manage": can_manage(request, branch),
        },
    )


def _measure_form(request, measure, branch):
    form = MeasureForm(request.POST or None, instance=measure, branch=branch)
    if request.method == "POST" and form.is_valid():
        measure = form.save()
        messages.success(request, f"举措“{measure.title}”已保存。")
        return redirect(_list_url("activities:measure-list", branch))
    return render(request, "activities/measure_form.html", {"form": form, "measure": measure})


@role_required(*MANAGE_ROLES)
def measure_create(request):
    branch, _ = get_branch_choice(request, *MANAGE_ROLES)
    carrier_id = request.GET.get("carrier", "")
    measure = Measure()
    if carrier_id.isdigit():  # 新增 from a carrier's card: that carrier, if it is the branch's
        measure.carrier = branch_carriers(branch).filter(pk=carrier_id).first()
    return _measure_form(request, measure, branch)


@role_required(*MANAGE_ROLES)
def measure_edit(request, pk):
    measure = get_measure_for_user(request, pk, *MANAGE_ROLES)
    return _measure_form(request, measure, measure.carrier.campaign.branch)


# Meetings -------------------------------------------------------------------------------


def _meeting_row(meeting, detail) -> dict:
    """One line of the meeting list as plain values (docs/performance.md, "the branch list
    pages")."""
    return {
        "url": detail(meeting.pk),
        "date": f"{meeting.held_on:%Y-%m-%d}",
        "planned": meeting.status == Meeting.Status.PLANNED,
        "kind": meeting.get_kind_display(),
        "group": meeting.party_group.name if meeting.party_group_id else "",
        "topic": meeting.topic,
        "present": meeting.present_count,
        "recorded": meeting.recorded_count,
        "rate": meeting.attendance_percent,
    }


@role_required(*READ_ROLES)
def meeting_list(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    form = MeetingFilterForm(request.GET or None)
    meetings = (
        form.filter(Meeting.objects.for_branch(branch))
        .select_related("party_group")
        .only("held_on", "status", "kind", "topic", "party_group__name")
        .with_attendance_counts()
        .order_by("-held_on", "-pk")
    )
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    detail = pk_url("activities:meeting-detail")
    page.object_list = [_meeting_row(meeting, detail) for meeting in page]
    return render(
        request,
        "activities/meeting_list.html",
        {
            "page": page,
            "form": form,
            "branch": branch,
            "branch_choices": choices,
            "can_manage": can_manage(request, branch),
        },
    )


@role_required(*READ_ROLES)
def meeting_detail(request, pk):
    meeting = get_meeting_for_user(request, pk, *READ_ROLES)
    attendances = meeting.attendances.select_related("person").order_by("person__name")
    rate = Meeting.objects.filter(pk=meeting.pk).attendance_rate()
    return render(
        request,
        "activities/meeting_detail.html",
        {
            "meeting": meeting,
            "talk_pairs": meeting.talk_pairs.select_related("talker", "partner"),
            "attendances": attendances,
            "rate": rate,
            "can_manage": can_manage(request, meeting.branch),
            "history": history_for(request.user, meeting, meeting.branch),
        },
    )


def _meeting_initial(request) -> dict:
    """Planning from the calendar: ``?kind=…&held_on=…&party_group=…&status=planned``."""
    return {
        name: request.GET[name]
        for name in ("kind", "held_on", "party_group", "status", "topic")
        if request.GET.get(name)
    }


def _meeting_form(request, meeting, branch):
    initial = _meeting_initial(request) if meeting.pk is None else {}
    form = MeetingForm(
        request.POST or None, instance=meeting, branch=branch, today=_today(), initial=initial
    )
    is_new = meeting.pk is None
    if request.method == "POST" and form.is_valid() and save_or_conflict(form):
        messages.success(request, f"会议“{meeting.topic}”已保存。")
        if meeting.status == Meeting.Status.PLANNED:
            return redirect("activities:meeting-detail", pk=meeting.pk)
        if meeting.kind == Meeting.Kind.TALK:
            return redirect("activities:meeting-talks", pk=meeting.pk)
        if is_new:
            return redirect("activities:meeting-attendance", pk=meeting.pk)
        return redirect("activities:meeting-detail", pk=meeting.pk)
    return render(request, "activities/meeting_form.html", {"form": form, "meeting": meeting})


@role_required(*MANAGE_ROLES)
def meeting_create(request):
    branch, _ = get_branch_choice(request, *MANAGE_ROLES)
    return _meeting_form(request, Meeting(branch=branch), branch)


@role_required(*MANAGE_ROLES)
def meeting_edit(request, pk):
    meeting = get_meeting_for_user(request, pk, *MANAGE_ROLES)
    return _meeting_form(request, meeting, meeting.branch)


@role_required(*MANAGE_ROLES)
def meeting_delete(request, pk):
    meeting = get_meeting_for_user(request, pk, *MANAGE_ROLES)
    if request.method == "POST":
        meeting.delete()
        messages.success(request, f"会议“{meeting.topic}”已删除。")
        return redirect(_list_url("activities:meeting-list", meeting.branch))
    return render(
        request,
        "activities/meeting_delete.html",
        {
            "object": meeting,
            "what": "会议记录",
            "warning": "本次会议的出席记录将一并删除。",
            "cancel_url": reverse("activities:meeting-detail", args=[meeting.pk]),
        },
    )


@role_required(*MANAGE_ROLES)
def meeting_attendance(request, pk):
    meeting = get_meeting_for_user(request, pk, *MANAGE_ROLES)
    recorded = {a.person_id: a for a in meeting.attendances.all()}
    everyone = list(branch_people(meeting.branch))
    form = AttendanceSheetForm(
        request.POST or None,
        people=meeting.expected_people(),
        recorded=recorded,
        others=everyone,
    )
    if request.method == "POST" and form.is_valid():
        count = services.attendance_record(meeting=meeting, rows=form.cleaned_rows())
        messages.success(request, f"已保存 {count} 人的出席情况。")
        return redirect("activities:meeting-detail", pk=meeting.pk)
    return render(
        request,
        "activities/meeting_attendance.html",
        {
            "meeting": meeting,
            "form": form,
            "is_new_sheet": not recorded,
            "participant_shortcuts": _participant_shortcuts(meeting.branch, meeting.held_on),
            "participant_people": [{"id": p.pk, "name": person_label(p)} for p in everyone],
            "picker_hint": "添加名单以外的人员（可搜索，可按党小组或全体党员）",
        },
    )


@role_required(*MANAGE_ROLES)
def meeting_talks(request, pk):
    """谈心谈话: the pairs who talked, recorded on the talk's record."""
    meeting = get_meeting_for_user(request, pk, *MANAGE_ROLES)
    formset = TalkPairFormSet(request.POST or None, instance=meeting, branch=meeting.branch)
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, "谈话双方已保存。")
        return redirect("activities:meeting-detail", pk=meeting.pk)
    return render(
        request, "activities/meeting_talks.html", {"meeting": meeting, "formset": formset}
    )


@role_required(*READ_ROLES)
def attendance_report(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    campaign = Campaign.objects.for_branch(branch).as_of(_today())
    if campaign is not None:
        start, end = campaign.span(_today())
    else:
        start, end = _today().replace(month=1, day=1), _today()
    data = request.GET if "start" in request.GET else None
    form = DateRangeForm(data, initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    meetings = Meeting.objects.for_branch(branch).between(start, end)
    rate_by_kind = meetings.attendance_rate_by_kind()
    return render(
        request,
        "activities/attendance_report.html",
        {
            "branch": branch,
            "branch_choices": choices,
            "form": form,
            "start": start,
            "end": end,
            "overall_rate": meetings.attendance_rate(),
            "meetings_held": meetings.count(),
            "by_kind": [
                (Meeting.Kind(kind).label, rate_by_kind[kind])
                for kind in Meeting.Kind.values
                if kind in rate_by_kind
            ],
            "by_person": Attendance.objects.for_branch(branch).between(start, end).rate_by_person(),
        },
    )
