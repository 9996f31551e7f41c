"""Views of the members app: roster with Excel import and export, person pages, status and
transfers, party groups and the campaign's leading group."""

from __future__ import annotations

import datetime
import uuid
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.concurrency import save_or_conflict
from common.history import history_rows
from common.urls import pk_url
from members import freshness

from . import services, slots, year_review
from .access import (
    MANAGE_ROLES,
    MEMBER,
    READ_ROLES,
    SECRETARY,
    acts_on,
    branches_for,
    can_manage,
    get_branch_choice,
    get_branch_post_for_user,
    get_campaign_for_user,
    get_carrier_for_user,
    get_leading_role_for_user,
    get_party_group_for_user,
    get_party_group_membership_for_user,
    get_person_for_user,
    get_rating_for_user,
    history_for,
    private_branch_ids,
    private_view,
    role_required,
    sees_private,
)
from .forms import (
    BranchPostForm,
    BranchRatingForm,
    CampaignCloseForm,
    CampaignCreateForm,
    CampaignForm,
    CarrierForm,
    LeadingRoleForm,
    LeadingRoleReplaceForm,
    PartyGroupForm,
    PartyGroupJoinForm,
    PeriodEndForm,
    PersonCreateForm,
    PersonForm,
    RosterFilterForm,
    RosterUploadForm,
    StatusChangeForm,
    TransferInForm,
    TransferOutForm,
)
from .importing import (
    XLSX_CONTENT_TYPE,
    RosterFileError,
    RosterImportError,
    read_roster,
    roster_import,
    roster_rows,
    roster_template,
    roster_workbook,
)
from .models import (
    BranchPost,
    BranchRating,
    Campaign,
    Carrier,
    LeadingGroupRole,
    PartyGroup,
    PartyGroupMembership,
    Person,
)

PAGE_SIZE = 50
IMPORT_SESSION_KEY = "members_roster_import"
IMPORT_FOLDER = "imports"
# An upload nobody confirmed or abandoned (the browser was closed) is removed after this long.
IMPORT_KEPT_FOR = datetime.timedelta(hours=12)


def _today() -> datetime.date:
    return timezone.localdate()


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` next to the form field it names, or on the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Roster ---------------------------------------------------------------------------------


def _roster(request, branch):
    form = RosterFilterForm(request.GET or None, branch=branch)
    day = form.day(_today())
    people = (
        form.filter(Person.objects.for_branch(branch), day)
        .with_roster_facts(day)
        .order_by("name", "pk")
    )
    return form, people


def _day(day: datetime.date | None, missing: str = "—") -> str:
    return f"{day:%Y-%m-%d}" if day else missing


def _roster_row(person, shows_private: bool, detail) -> dict:
    """One line of the roster as plain strings: the template only places them (no filters, no
    lookups per cell; docs/performance.md, "2026-12-06: the uncached pages")."""
    if shows_private:
        phone, birth = person.phone or "—", _day(person.birth_date)
    else:
        phone, birth = person.masked_phone or "—", person.masked_birth_date or "—"
    left = ""
    if not person.member_since and person.member_until:
        left = f"{person.member_until:%Y-%m-%d}"
    return {
        "url": detail(person.pk),
        "name": person.name,
        "key_teacher": person.is_key_teacher,
        "senior_cadre": person.is_senior_cadre,
        "status": person.get_political_status_display(),
        "left_on": left,
        "group": person.group_name or "—",
        "post": person.post or "—",
        "post_label": BranchPost.Role(person.post_role).label if person.post_role else "—",
        "since": _day(person.member_since),
        "phone": phone,
        "birth": birth,
    }


@role_required(*READ_ROLES)
def person_list(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    several = len(choices) > 1
    private = private_branch_ids(request.user)
    viewer = private_view(request.user, branch, private)

    def body():
        form, people = _roster(request, branch)
        page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
        detail = pk_url("members:person-detail")
        rows = [
            _roster_row(person, sees_private(request.user, person, private), detail)
            for person in page
        ]
        return {
            "page": page,
            "rows": rows,
            "form": form,
            "branch": branch,
            "several_branches": several,
        }

    return render(
        request,
        "members/person_list.html",
        {
            "body": freshness.cached_render(
                "roster",
                request,
                [branch],
                (freshness.query_variant(request), several, viewer, _today()),
                "members/_person_list_body.html",
                body,
            ),
            "branch": branch,
            "branch_choices": choices,
            "can_manage": can_manage(request, branch),
        },
    )


@role_required(*READ_ROLES)
def person_export(request):
    branch, _ = get_branch_choice(request, *READ_ROLES)
    _, people = _roster(request, branch)
    private = private_branch_ids(request.user)
    rows = roster_rows(people, shows_private=lambda p: sees_private(request.user, p, private))
    return _xlsx_response(roster_workbook(rows), f"roster-{branch.pk}-{_today():%Y%m%d}.xlsx")


# Person ---------------------------------------------------------------------------------


def _timeline(stages, memberships, posts, places, leading_roles) -> list[tuple]:
    """The person's history as (day, text) events, oldest first."""
    events = [(s.start, f"政治面貌：{s.get_status_display()}") for s in stages]
    for m in memberships:
        events.append((m.start, f"党员关系开始（{m.get_joined_how_display()}）"))
        if m.end:
            events.append((m.end, f"党员关系结束（{m.get_left_how_display()}）"))
    for p in posts:
        events.append((p.start, f"任{p.get_role_display()}"))
        if p.end:
            events.append((p.end, f"{p.get_role_display()}任期结束"))
    for g in places:
        events.append((g.start, f"加入{g.group.name}"))
        if g.end:
            events.append((g.end, f"离开{g.group.name}"))
    for r in leading_roles:
        events.append((r.start, f"任领导小组{r.get_role_display()}"))
        if r.end:
            events.append((r.end, f"领导小组{r.get_role_display()}任期结束"))
    return sorted(events, key=lambda event: event[0])


@role_required(*READ_ROLES, MEMBER)
def person_detail(request, pk):
    person = get_person_for_user(request, pk, *READ_ROLES, MEMBER)
    stages = list(person.status_stages.order_by("start"))
    memberships = list(person.memberships.order_by("start"))
    posts = list(person.branch_posts.order_by("start"))
    places = list(person.party_group_memberships.select_related("group").order_by("start"))
    leading_roles = list(person.leading_roles.select_related("campaign").order_by("start"))
    can_read_branch = acts_on(request.user, person.branch_id, *READ_ROLES)
    context = {
        "person": person,
        "shows_private": sees_private(request.user, person),
        "can_manage": can_manage(request, person.branch),
        "can_read_branch": can_read_branch,
        "sees_year_review": (person.user_id is not None and person.user_id == request.user.pk)
        or acts_on(request.user, person.branch_id, SECRETARY),
        "stages": stages,
        "memberships": memberships,
        "current_membership": next((m for m in memberships if m.end is None), None),
        "posts": posts,
        "places": places,
        "leading_roles": leading_roles,
        "timeline": _timeline(stages, memberships, posts, places, leading_roles),
        # Pledges, activities, meetings, honors: sections the higher apps add (members.slots).
        "sections": slots.person_sections(request, person, can_read_branch=can_read_branch),
        "history": history_for(request.user, person, person.branch),
    }
    if context["history"] is not None:
        # Memberships have no page of their own: their changes are read here.
        context["membership_history"] = [(m, history_rows(m)) for m in memberships]
    return render(request, "members/person_detail.html", context)


@role_required(*MANAGE_ROLES)
def person_create(request):
    branch, choices = get_branch_choice(request, *MANAGE_ROLES)
    form = PersonCreateForm(request.POST or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(**form.service_arguments())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"已新增“{person.name}”。")
            return redirect("members:person-detail", pk=person.pk)
    return render(
        request,
        "members/person_form.html",
        {"form": form, "branch": branch, "branch_choices": choices},
    )


@role_required(*MANAGE_ROLES)
def person_update(request, pk):
    person = get_person_for_user(request, pk, *MANAGE_ROLES)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid() and save_or_conflict(form):
        messages.success(request, f"已保存“{person.name}”的信息。")
        return redirect("members:person-detail", pk=person.pk)
    return render(request, "members/person_form.html", {"form": form, "person": person})


def _person_action(request, person, form, template, act, **context):
    """A person's dated action: the form, the service (its errors next to the fields), back."""
    if request.method == "POST" and form.is_valid():
        try:
            done = act(form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("members:person-detail", pk=person.pk)
    return render(request, template, {"form": form, "person": person, **context})


@role_required(*MANAGE_ROLES)
def person_status(request, pk):
    person = get_person_for_user(request, pk, *MANAGE_ROLES)

    def act(data):
        services.person_change_status(
            person=person, status=data["status"], on=data["on"], note=data["note"]
        )
        return "已登记政治面貌变更。"

    form = StatusChangeForm(request.POST or None, person=person)
    return _person_action(request, person, form, "members/person_status.html", act)


@role_required(*MANAGE_ROLES)
def person_transfer_out(request, pk):
    person = get_person_for_user(request, pk, *MANAGE_ROLES)
    membership = person.memberships.filter(end__isnull=True).first()
    if membership is None:
        messages.error(request, "此人当前没有在册的党员关系。")
        return redirect("members:person-detail", pk=person.pk)

    def act(data):
        ended = services.member_transfer_out(
            membership=membership,
            on=data["on"],
            note=data["note"],
            how=data["how"],
            leaves_staff=data["leaves_staff"],
        )
        done = f"已登记{person.name}于 {data['on']:%Y-%m-%d} 转出，次日起不再计为本支部党员。"
        if ended.records_removed:
            done += f"已移除其在此后 {ended.records_removed} 次会议上的出席记录。"
        return done

    form = TransferOutForm(request.POST or None, membership=membership)
    this_year = _today().year
    return _person_action(
        request,
        person,
        form,
        "members/person_transfer_out.html",
        act,
        membership=membership,
        review_years=[this_year, this_year - 1],
    )


@role_required(*MANAGE_ROLES)
def person_transfer_in(request, pk):
    person = get_person_for_user(request, pk, *MANAGE_ROLES)

    def act(data):
        services.member_transfer_in(
            person=person,
            on=data["on"],
            status=data["status"],
            note=data["note"],
            party_group=data["party_group"],
        )
        return f"已登记{person.name}于 {data['on']:%Y-%m-%d} 转入本支部。"

    form = TransferInForm(request.POST or None, person=person)
    return _person_action(request, person, form, "members/person_transfer_in.html", act)


@role_required(*MANAGE_ROLES)
def branch_post_create(request, pk):
    person = get_person_for_user(request, pk, *MANAGE_ROLES)
    form = BranchPostForm(request.POST or None, instance=BranchPost(person=person))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "已登记支委职务。")
        return redirect("members:person-detail", pk=person.pk)
    return render(request, "members/branchpost_form.html", {"form": form, "person": person})


def _end_fact(request, fact, person, noun):
    form = PeriodEndForm(request.POST or None, fact=fact)
    if request.method == "POST" and form.is_valid():
        fact.end = form.cleaned_data["on"]
        fact.save(update_fields=["end"])
        messages.success(request, f"已登记{noun}于 {fact.end:%Y-%m-%d} 结束。")
        return redirect("members:person-detail", pk=person.pk)
    return render(
        request,
        "members/period_end.html",
        {"form": form, "fact": fact, "person": person, "noun": noun},
    )


@role_required(*MANAGE_ROLES)
def branch_post_end(request, pk):
    post = get_branch_post_for_user(request, pk, *MANAGE_ROLES)
    return _end_fact(request, post, post.person, f"{post.get_role_display()}任期")


@role_required(*MANAGE_ROLES)
def party_group_membership_end(request, pk):
    place = get_party_group_membership_for_user(request, pk, *MANAGE_ROLES)
    return _end_fact(request, place, place.person, f"在{place.group.name}的成员身份")


# Import ---------------------------------------------------------------------------------


@role_required(*MANAGE_ROLES)
def roster_template_download(request):
    return _xlsx_response(roster_template(), "roster-template.xlsx")


@role_required(*MANAGE_ROLES)
def roster_import_upload(request):
    branch, choices = get_branch_choice(request, *MANAGE_ROLES)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:  # a missing column or an unclear sheet is named next to the field at once
            read_roster(form.content, branch=branch)
        except RosterFileError as error:
            form.add_error("file", str(error))
    if request.method == "POST" and form.is_valid():
        _forget_upload(request)
        _sweep_stale_uploads()
        path = default_storage.save(
            f"{IMPORT_FOLDER}/roster-{uuid.uuid4().hex}.xlsx", ContentFile(form.content)
        )
        request.session[IMPORT_SESSION_KEY] = {
            "path": path,
            "branch": branch.pk,
            "name": form.cleaned_data["file"].name[:100],
        }
        return redirect("members:roster-import-preview")
    return render(
        request,
        "members/roster_import.html",
        {"form": form, "branch": branch, "branch_choices": choices},
    )


def _stored_upload(request):
    """The upload waiting for confirmation and its branch, or (None, None)."""
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or not default_storage.exists(stored["path"]):
        return None, None
    branch = branches_for(request.user, *MANAGE_ROLES).filter(pk=stored["branch"]).first()
    if branch is None:
        return None, None
    with default_storage.open(stored["path"], "rb") as handle:
        return handle.read(), branch


def _forget_upload(request):
    stored = request.session.pop(IMPORT_SESSION_KEY, None)
    if stored and default_storage.exists(stored["path"]):
        default_storage.delete(stored["path"])


def _sweep_stale_uploads():
    """Remove uploads left waiting longer than ``IMPORT_KEPT_FOR`` (personal data at rest)."""
    try:
        _folders, names = default_storage.listdir(IMPORT_FOLDER)
    except FileNotFoundError:
        return
    oldest = timezone.now() - IMPORT_KEPT_FOR
    for name in names:
        path = f"{IMPORT_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < oldest:
            default_storage.delete(path)


@role_required(*MANAGE_ROLES)
@require_POST
def roster_import_cancel(request):
    """Abandon the upload waiting for confirmation: its file is deleted at once."""
    _forget_upload(request)
    messages.info(request, "已放弃本次导入，上传的文件已删除。")
    return redirect("members:roster-import")


@role_required(*MANAGE_ROLES)
def roster_import_preview(request):
    content, branch = _stored_upload(request)
    if content is None:
        messages.info(request, "请先上传名册文件。")
        return redirect("members:roster-import")
    try:
        preview = read_roster(content, branch=branch)
    except RosterFileError as error:
        _forget_upload(request)
        messages.error(request, str(error))
        return redirect("members:roster-import")
    return render(
        request,
        "members/roster_preview.html",
        {
            "preview": preview,
            "branch": branch,
            "filename": request.session[IMPORT_SESSION_KEY]["name"],
        },
    )


@role_required(*MANAGE_ROLES)
@require_POST
def roster_import_confirm(request):
    content, branch = _stored_upload(request)
    if content is None:
        messages.info(request, "请先上传名册文件。")
        return redirect("members:roster-import")
    try:
        people = roster_import(content=content, branch=branch)
    except RosterImportError:
        messages.error(request, "名册中有错误，未导入任何数据，请按提示修改后重新上传。")
        return redirect("members:roster-import-preview")
    except RosterFileError as error:
        _forget_upload(request)
        messages.error(request, str(error))
        return redirect("members:roster-import")
    _forget_upload(request)
    messages.success(request, f"已导入 {len(people)} 人。")
    return redirect(f"{reverse('members:person-list')}?branch={branch.pk}")


# Party groups ---------------------------------------------------------------------------


@role_required(*READ_ROLES)
def party_group_list(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    today = _today()
    groups = PartyGroup.objects.filter(branch=branch).select_related("leader").order_by("name")
    counts = dict(
        PartyGroupMembership.objects.on(today)
        .filter(group__branch=branch)
        .values_list("group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for group in groups:
        group.member_count = counts.get(group.pk, 0)
    return render(
        request,
        "members/partygroup_list.html",
        {
            "groups": groups,
            "branch": branch,
            "branch_choices": choices,
            "can_manage": can_manage(request, branch),
        },
    )


@role_required(*READ_ROLES)
def party_group_detail(request, pk):
    group = get_party_group_for_user(request, pk, *READ_ROLES)
    places = group.memberships.select_related("person").order_by("end", "start", "person__name")
    today = _today()
    return render(
        request,
        "members/partygroup_detail.html",
        {
            "group": group,
            "current": [p for p in places if p.is_active_on(today)],
            "past": [p for p in places if not p.is_active_on(today)],
            "can_manage": can_manage(request, group.branch),
        },
    )


@role_required(*MANAGE_ROLES)
def party_group_create(request):
    branch, choices = get_branch_choice(request, *MANAGE_ROLES)
    form = PartyGroupForm(request.POST or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(request, f"已建立党小组“{group.name}”。")
        return redirect("members:party-group-detail", pk=group.pk)
    return render(
        request,
        "members/partygroup_form.html",
        {
            "form": form,
            "branch": branch,
            "branch_choices": choices,
            "heading": f"{branch.short_name} · 新建党小组",
            "back_url": f"{reverse('members:party-group-list')}?branch={branch.pk}",
            "back_label": "党小组",
        },
    )


@role_required(*MANAGE_ROLES)
def party_group_update(request, pk):
    group = get_party_group_for_user(request, pk, *MANAGE_ROLES)
    form = PartyGroupForm(request.POST or None, instance=group, branch=group.branch)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"已保存党小组“{group.name}”。")
        return redirect("members:party-group-detail", pk=group.pk)
    return render(
        request,
        "members/partygroup_form.html",
        {
            "form": form,
            "group": group,
            "heading": f"编辑党小组：{group.name}",
            "back_url": reverse("members:party-group-detail", args=[group.pk]),
            "back_label": group.name,
        },
    )


@role_required(*MANAGE_ROLES)
def party_group_join(request, pk):
    group = get_party_group_for_user(request, pk, *MANAGE_ROLES)
    form = PartyGroupJoinForm(request.POST or None, group=group, day=_today())
    if request.method == "POST" and form.is_valid():
        try:
            services.party_group_join(
                group=group, person=form.cleaned_data["person"], on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"已将{form.cleaned_data['person'].name}编入{group.name}。")
            return redirect("members:party-group-detail", pk=group.pk)
    return render(
        request,
        "members/partygroup_join.html",
        {
            "form": form,
            "group": group,
            "heading": f"编入{group.name}",
            "back_url": reverse("members:party-group-detail", args=[group.pk]),
            "back_label": group.name,
        },
    )


# Leading group --------------------------------------------------------------------------


@role_required(*READ_ROLES)
def leading_role_list(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    campaigns = list(Campaign.objects.for_branch(branch).order_by("-start"))
    roles = (
        LeadingGroupRole.objects.filter(campaign__branch=branch)
        .select_related("campaign", "person", "predecessor__person")
        .order_by("campaign", "order", "start", "pk")
    )
    by_campaign = {campaign.pk: [] for campaign in campaigns}
    for role in roles:
        by_campaign[role.campaign_id].append(role)
    return render(
        request,
        "members/leadingrole_list.html",
        {
            "campaigns": [(campaign, by_campaign[campaign.pk]) for campaign in campaigns],
            "branch": branch,
            "branch_choices": choices,
            "can_manage": can_manage(request, branch),
        },
    )


def _leading_list_url(branch) -> str:
    return f"{reverse('members:leading-role-list')}?branch={branch.pk}"


@role_required(*MANAGE_ROLES)
def leading_role_create(request):
    branch, choices = get_branch_choice(request, *MANAGE_ROLES)
    initial = {"campaign": request.GET.get("campaign")} if request.GET.get("campaign") else None
    form = LeadingRoleForm(request.POST or None, branch=branch, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "已登记领导小组成员。")
        return redirect(_leading_list_url(branch))
    return render(
        request,
        "members/leadingrole_form.html",
        {
            "form": form,
            "branch": branch,
            "branch_choices": choices,
            "heading": f"{branch.short_name} · 新增领导小组成员",
            "back_url": _leading_list_url(branch),
            "back_label": "领导小组",
        },
    )


@role_required(*MANAGE_ROLES)
def leading_role_update(request, pk):
    role = get_leading_role_for_user(request, pk, *MANAGE_ROLES)
    branch = role.campaign.branch
    form = LeadingRoleForm(request.POST or None, instance=role, branch=branch)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "已保存领导小组成员。")
        return redirect(_leading_list_url(branch))
    return render(
        request,
        "members/leadingrole_form.html",
        {
            "form": form,
            "role": role,
            "heading": f"编辑领导小组成员：{role.person.name}",
            "back_url": _leading_list_url(branch),
            "back_label": "领导小组",
        },
    )


@role_required(*MANAGE_ROLES)
def leading_role_replace(request, pk):
    role = get_leading_role_for_user(request, pk, *MANAGE_ROLES)
    form = LeadingRoleReplaceForm(request.POST or None, role=role)
    if request.method == "POST" and form.is_valid():
        try:
            services.leading_role_replace(
                role=role, successor=form.cleaned_data["successor"], on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "已登记接任。")
            return redirect(_leading_list_url(role.campaign.branch))
    return render(
        request,
        "members/leadingrole_replace.html",
        {
            "form": form,
            "role": role,
            "heading": f"接任：{role.get_role_display()} {role.person.name}",
            "back_url": _leading_list_url(role.campaign.branch),
            "back_label": "领导小组",
        },
    )


# Year in review ------------------------------------------------------------------------------

FIRST_REVIEW_YEAR = 2000


def review_year(request) -> int:
    """The year asked for (``?year=``), this year when none or an impossible one is given."""
    this_year = _today().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if FIRST_REVIEW_YEAR <= year <= this_year else this_year


@role_required(SECRETARY, MEMBER)
def person_year_review(request, pk):
    """党员年度纪实: the member's own, or any of the branch's for its secretary."""
    person = get_person_for_user(request, pk, SECRETARY, MEMBER)
    year = review_year(request)
    context = {
        "person": person,
        "year": year,
        "years": range(_today().year, FIRST_REVIEW_YEAR - 1, -1),
        "title": year_review.title_for(person, year),
        "membership_text": year_review.membership_text(person, year),
        "sections": year_review.sections_for(person, year),
        "today": _today(),
    }
    return render(request, "members/year_review.html", context)


@role_required(SECRETARY, MEMBER)
def person_year_review_docx(request, pk):
    person = get_person_for_user(request, pk, SECRETARY, MEMBER)
    year = review_year(request)
    sections = year_review.sections_for(person, year)
    content = year_review.to_docx(person, year, sections, today=_today())
    response = HttpResponse(content, content_type=year_review.DOCX_CONTENT_TYPE)
    filename = quote(f"{year_review.title_for(person, year)}.docx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# Campaigns: the secretary creates, edits, opens and closes them --------------------------


def _campaign_list_url(branch) -> str:
    return f"{reverse('members:campaign-list')}?branch={branch.pk}"


@role_required(*READ_ROLES)
def campaign_list(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    today = _today()
    campaigns = list(
        Campaign.objects.for_branch(branch)
        .annotate(carrier_count=Count("carriers", distinct=True))
        .order_by("-start", "-pk")
    )
    return render(
        request,
        "members/campaign_list.html",
        {
            "rows": [(campaign, campaign.status_on(today)) for campaign in campaigns],
            "branch": branch,
            "branch_choices": choices,
            "can_manage": can_manage(request, branch),
        },
    )


@role_required(*MANAGE_ROLES)
def campaign_create(request):
    branch, choices = get_branch_choice(request, *MANAGE_ROLES)
    form = CampaignCreateForm(request.POST or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                branch=branch,
                fields=form.fields_for_service(),
                template=form.cleaned_data["template"],
                copy_from=form.cleaned_data.get("copy_from"),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"已创建活动“{campaign.name}”。")
            return redirect("members:campaign-detail", pk=campaign.pk)
    return render(
        request,
        "members/campaign_form.html",
        {
            "form": form,
            "branch": branch,
            "branch_choices": choices,
            "heading": f"{branch.short_name} · 新建创先争优活动",
            "back_url": _campaign_list_url(branch),
            "back_label": "创先争优活动",
        },
    )


@role_required(*READ_ROLES)
def campaign_detail(request, pk):
    campaign = get_campaign_for_user(request, pk, *READ_ROLES)
    branch = campaign.branch
    today = _today()
    roles = (
        LeadingGroupRole.objects.filter(campaign=campaign)
        .select_related("person", "predecessor__person")
        .order_by("order", "start", "pk")
    )
    return render(
        request,
        "members/campaign_detail.html",
        {
            "campaign": campaign,
            "status": campaign.status_on(today),
            "branch": branch,
            "carriers": list(campaign.carriers.order_by("order")),
            "roles": list(roles),
            "ratings": list(
                BranchRating.objects.filter(branch=branch).filter(
                    rated_on__gte=campaign.start, rated_on__lte=campaign.span(today)[1]
                )
            ),
            "can_manage": can_manage(request, branch),
            "history": history_for(request.user, campaign, branch),
        },
    )


@role_required(*MANAGE_ROLES)
def campaign_update(request, pk):
    campaign = get_campaign_for_user(request, pk, *MANAGE_ROLES)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid() and save_or_conflict(form):
        messages.success(request, "已保存活动。")
        return redirect("members:campaign-detail", pk=campaign.pk)
    return render(
        request,
        "members/campaign_form.html",
        {
            "form": form,
            "heading": f"编辑活动：{campaign.name}",
            "back_url": reverse("members:campaign-detail", args=[campaign.pk]),
            "back_label": campaign.name,
        },
    )


@role_required(*MANAGE_ROLES)
def campaign_close(request, pk):
    campaign = get_campaign_for_user(request, pk, *MANAGE_ROLES)
    form = CampaignCloseForm(request.POST or None, initial={"on": campaign.end or _today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_close(campaign=campaign, on=form.cleaned_data["on"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "活动已结束。")
            return redirect("members:campaign-detail", pk=campaign.pk)
    return render(
        request,
        "members/campaign_close.html",
        {
            "form": form,
            "campaign": campaign,
            "heading": f"结束活动：{campaign.name}",
            "back_url": reverse("members:campaign-detail", args=[campaign.pk]),
            "back_label": campaign.name,
        },
    )


@role_required(*MANAGE_ROLES)
def campaign_reopen(request, pk):
    campaign = get_campaign_for_user(request, pk, *MANAGE_ROLES)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.campaign_reopen(campaign=campaign)
    messages.success(request, "活动已重新开启，进行中。")
    return redirect("members:campaign-detail", pk=campaign.pk)


def _carrier_page(request, form, campaign, heading, carrier=None):
    return render(
        request,
        "members/carrier_form.html",
        {
            "form": form,
            "carrier": carrier,
            "heading": heading,
            "back_url": reverse("members:campaign-detail", args=[campaign.pk]),
            "back_label": campaign.name,
            "history": history_for(request.user, carrier, campaign.branch) if carrier else None,
        },
    )


@role_required(*MANAGE_ROLES)
def carrier_create(request, pk):
    campaign = get_campaign_for_user(request, pk, *MANAGE_ROLES)
    next_order = (
        campaign.carriers.order_by("-order").values_list("order", flat=True).first() or 0
    ) + 1
    form = CarrierForm(
        request.POST or None,
        instance=Carrier(campaign=campaign),
        initial={"order": next_order},
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "已添加载体。")
        return redirect("members:campaign-detail", pk=campaign.pk)
    return _carrier_page(request, form, campaign, f"{campaign.name} · 添加载体")


@role_required(*MANAGE_ROLES)
def carrier_update(request, pk):
    carrier = get_carrier_for_user(request, pk, *MANAGE_ROLES)
    form = CarrierForm(request.POST or None, instance=carrier)
    if request.method == "POST" and form.is_valid() and save_or_conflict(form):
        messages.success(request, "已保存载体。")
        return redirect("members:campaign-detail", pk=carrier.campaign_id)
    return _carrier_page(request, form, carrier.campaign, f"编辑载体：{carrier.name}", carrier)


@role_required(*MANAGE_ROLES)
def carrier_delete(request, pk):
    carrier = get_carrier_for_user(request, pk, *MANAGE_ROLES)
    campaign = carrier.campaign
    in_use = carrier.activities.exists() or carrier.measures.exists()
    if request.method == "POST" and not in_use:
        carrier.delete()
        messages.success(request, f"已删除载体“{carrier.name}”。")
        return redirect("members:campaign-detail", pk=campaign.pk)
    return render(
        request,
        "members/carrier_delete.html",
        {
            "what": "载体",
            "object": carrier,
            "in_use": in_use,
            "warning": "该载体下已有活动或举措记录，不能删除；可修改其名称。" if in_use else "",
            "cancel_url": reverse("members:campaign-detail", args=[campaign.pk]),
        },
    )


# 分类定级 (the branch's rating) --------------------------------------------------------------


def _rating_list_url(branch) -> str:
    return f"{reverse('members:rating-list')}?branch={branch.pk}"


@role_required(*READ_ROLES)
def rating_list(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    return render(
        request,
        "members/rating_list.html",
        {
            "ratings": list(BranchRating.objects.filter(branch=branch).order_by("-rated_on")),
            "branch": branch,
            "branch_choices": choices,
            "can_manage": can_manage(request, branch),
        },
    )


@role_required(*MANAGE_ROLES)
def rating_create(request):
    branch, choices = get_branch_choice(request, *MANAGE_ROLES)
    form = BranchRatingForm(request.POST or None, instance=BranchRating(branch=branch))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "已登记分类定级。")
        return redirect(_rating_list_url(branch))
    return render(
        request,
        "members/_simple_form.html",
        {
            "form": form,
            "branch": branch,
            "branch_choices": choices,
            "heading": f"{branch.short_name} · 登记分类定级",
            "back_url": _rating_list_url(branch),
            "back_label": "分类定级",
        },
    )


@role_required(*MANAGE_ROLES)
def rating_update(request, pk):
    rating = get_rating_for_user(request, pk, *MANAGE_ROLES)
    form = BranchRatingForm(request.POST or None, instance=rating)
    if request.method == "POST" and form.is_valid() and save_or_conflict(form):
        messages.success(request, "已保存分类定级。")
        return redirect(_rating_list_url(rating.branch))
    return render(
        request,
        "members/_simple_form.html",
        {
            "form": form,
            "heading": f"编辑分类定级：{rating}",
            "back_url": _rating_list_url(rating.branch),
            "back_label": "分类定级",
        },
    )
