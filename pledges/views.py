"""Views of the pledges app: writing, reviewing, signing and tracking pledges, and the 公示 pages."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from common.files import file_response
from common.urls import pk_url
from members.access import (
    COMMITTEE,
    MEMBER,
    READ_ROLES,
    SECRETARY,
    acts_on,
    get_branch_choice,
    get_campaign_for_user,
    public,
    role_required,
)
from members.models import Branch, Campaign, Person

from . import services, throttle
from .access import (
    HISTORY,
    RATE,
    REVIEW,
    WRITE,
    get_item_for_user,
    get_objection_for_user,
    get_photo_for_user,
    get_pledge_for_user,
)
from .forms import (
    ObjectionForm,
    ObjectionHandleForm,
    PledgeForm,
    PledgeItemFormSet,
    ProgressForm,
    PublicationForm,
    RateForm,
    ReviewForm,
    SignForm,
)
from .history import pledge_timeline
from .models import (
    Pledge,
    PledgeItem,
    PledgeItemUpdate,
    PledgeObjection,
    PledgePublication,
)
from .public import public_board

# Who writes pledges: members, and the secretary (for their own and for the branch's).
WRITER_ROLES = (MEMBER, SECRETARY)
DUE_SOON_DAYS = 30
# The screen: seconds per pledge and between data refreshes (query parameters, bounded).
SCREEN_SECONDS = (15, 5, 300)
SCREEN_REFRESH = (60, 10, 3600)


def _today() -> datetime.date:
    return timezone.localdate()


def _own_person(request) -> Person | None:
    return Person.objects.filter(user=request.user).select_related("branch").first()


# The member's page ------------------------------------------------------------------------


@role_required(*WRITER_ROLES)
def my_pledges(request):
    """我的承诺: my pledges (every version), items due soon and overdue, campaigns to pledge in."""
    today = _today()
    person = _own_person(request)
    pledges = (
        Pledge.objects.of_user(request.user)
        .select_related("campaign")
        .with_item_counts(today)
        .order_by("-campaign__start", "-version")
    )
    items = PledgeItem.objects.of_user(request.user).tracked().select_related("pledge__campaign")
    open_campaigns = []
    if person is not None:
        pledged = Pledge.objects.filter(campaign=OuterRef("pk"), person=person).current()
        open_campaigns = (
            Campaign.objects.for_branch(person.branch)
            .filter(start__lte=today)
            .exclude(end__lt=today)
            .exclude(Exists(pledged))
            .order_by("-start")
        )
    return render(
        request,
        "pledges/pledge_mine.html",
        {
            "person": person,
            "pledges": pledges,
            "due_soon": items.due_within(today, DUE_SOON_DAYS).order_by("deadline", "pk"),
            "overdue": items.overdue(today).order_by("deadline", "pk"),
            "open_campaigns": open_campaigns,
            "due_soon_days": DUE_SOON_DAYS,
            "today": today,
        },
    )


# Writing ----------------------------------------------------------------------------------


def _pledge_form(request, pledge: Pledge, *, title: str):
    """Shared by create and edit: the points form and the items formset, saved together."""
    data = request.POST if request.method == "POST" else None
    form = PledgeForm(data, instance=pledge)
    items = PledgeItemFormSet(data, instance=pledge, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        try:
            pledge = services.pledge_save(pledge=pledge, form=form, items=items)
        except services.PledgeStateError as error:
            messages.error(request, str(error))
            return redirect("pledges:pledge-detail", pk=pledge.pk)
        except IntegrityError:
            messages.error(request, "本次活动中已有一份您的承诺书，请在“我的承诺”中查看。")
            return redirect("pledges:my-pledges")
        if "submit" in request.POST:
            return _submit(request, pledge)
        messages.success(request, "承诺书草稿已保存。确认无误后请提交审核。")
        return redirect("pledges:pledge-detail", pk=pledge.pk)
    return render(
        request,
        "pledges/pledge_form.html",
        {"form": form, "items": items, "pledge": pledge, "title": title},
    )


@role_required(*WRITER_ROLES)
def pledge_create(request, campaign_pk):
    """A member writes their pledge (五带头) for a campaign of their branch."""
    campaign = get_campaign_for_user(request, campaign_pk, *WRITER_ROLES)
    person = _own_person(request)
    if person is None or person.branch_id != campaign.branch_id:
        raise PermissionDenied("您的账号没有关联本支部的教职工信息，无法填写承诺书。")
    existing = Pledge.objects.filter(campaign=campaign, person=person).current().first()
    if existing is not None:
        return redirect("pledges:pledge-detail", pk=existing.pk)
    pledge = Pledge(campaign=campaign, person=person)
    return _pledge_form(request, pledge, title=f"填写承诺书 · {campaign.name}")


@role_required(SECRETARY)
def branch_pledge_create(request, campaign_pk):
    """The secretary writes the branch's own pledge (五个好)."""
    campaign = get_campaign_for_user(request, campaign_pk, SECRETARY)
    existing = Pledge.objects.filter(campaign=campaign).of_branch_itself().current().first()
    if existing is not None:
        return redirect("pledges:pledge-detail", pk=existing.pk)
    pledge = Pledge(campaign=campaign, person=None)
    return _pledge_form(request, pledge, title=f"党支部承诺书（五个好） · {campaign.name}")


@role_required(*WRITER_ROLES)
def pledge_edit(request, pk):
    pledge = get_pledge_for_user(request, pk, WRITE)
    if not pledge.is_editable:
        if pledge.status == Pledge.Status.SIGNED:
            messages.error(request, "已签署的承诺书不能修改；如需修改，请点击“修改”生成新版本。")
        else:
            messages.error(request, f"承诺书当前状态为“{pledge.get_status_display()}”，不能修改。")
        return redirect("pledges:pledge-detail", pk=pledge.pk)
    return _pledge_form(request, pledge, title=f"修改承诺书 · {pledge.campaign.name}")


def _submit(request, pledge):
    try:
        services.pledge_submit(pledge=pledge)
    except services.PledgeStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "承诺书已提交，请等待支部审核。")
    return redirect("pledges:pledge-detail", pk=pledge.pk)


@role_required(*WRITER_ROLES)
def pledge_submit(request, pk):
    pledge = get_pledge_for_user(request, pk, WRITE)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return _submit(request, pledge)


# Reading ----------------------------------------------------------------------------------


@role_required(MEMBER, *READ_ROLES)
def photo_file(request, pk, kind):
    """A progress photo or its thumbnail, for those who may view the pledge."""
    photo = get_photo_for_user(request, pk)
    if kind not in ("image", "thumbnail"):
        raise Http404
    return file_response(getattr(photo, kind))


@role_required(MEMBER, *READ_ROLES)
def pledge_detail(request, pk):
    pledge = get_pledge_for_user(request, pk)
    items = pledge.items.prefetch_related(
        Prefetch(
            "updates",
            queryset=PledgeItemUpdate.objects.select_related("created_by").prefetch_related(
                "photos"
            ),
        )
    ).select_related("rated_by")
    today = _today()
    items = list(items)
    for item in items:  # the pledge's items are tracked (and can be overdue) once it is signed
        item.overdue = pledge.status == Pledge.Status.SIGNED and item.is_overdue(today)
    # The latest signed version is the one in force (and published) until a newer one is signed,
    # even though "修改" has already marked it superseded.
    versions = list(pledge.versions().only("pk", "version", "status", "signed_at"))
    in_force = max((v.version for v in versions if v.signed_at), default=None)
    for version in versions:
        version.in_force = version.version == in_force
    return render(
        request,
        "pledges/pledge_detail.html",
        {
            "pledge": pledge,
            "points": pledge.labelled_points(),
            "items": items,
            "versions": versions,
            "can": pledge.access.allowed(),
            "today": today,
            "replaced": pledge.status == Pledge.Status.SUPERSEDED and pledge.version != in_force,
        },
    )


@role_required(SECRETARY)
def pledge_history(request, pk):
    pledge = get_pledge_for_user(request, pk, HISTORY)
    return render(
        request,
        "pledges/pledge_history.html",
        {
            "pledge": pledge,
            "entries": pledge_timeline(pledge),
            "versions": pledge.versions().only("pk", "version", "status"),
        },
    )


# Review and signature ---------------------------------------------------------------------


@role_required(SECRETARY, COMMITTEE)
def pledge_review(request, pk):
    pledge = get_pledge_for_user(request, pk, REVIEW)
    if pledge.status != Pledge.Status.SUBMITTED:
        messages.error(request, f"承诺书当前状态为“{pledge.get_status_display()}”，无需审核。")
        return redirect("pledges:pledge-detail", pk=pledge.pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == ReviewForm.APPROVE:
                services.pledge_approve(pledge=pledge, by=request.user, comment=comment)
                messages.success(request, f"已通过{pledge.pledger_name}的承诺书，等待签署。")
            else:
                services.pledge_return(pledge=pledge, by=request.user, comment=comment)
                messages.success(request, f"已将{pledge.pledger_name}的承诺书退回修改。")
        except services.PledgeStateError as error:
            messages.error(request, str(error))
        return redirect(f"{reverse('pledges:pledge-list')}?{_list_query(pledge.campaign)}")
    return render(
        request,
        "pledges/pledge_review.html",
        {
            "pledge": pledge,
            "form": form,
            "points": pledge.labelled_points(),
            "items": pledge.items.all(),
        },
    )


@role_required(*WRITER_ROLES)
def pledge_sign(request, pk):
    pledge = get_pledge_for_user(request, pk, WRITE)
    if pledge.status != Pledge.Status.APPROVED:
        if pledge.is_signed:
            messages.info(request, "这份承诺书已经签署。")
        else:
            messages.error(request, "承诺书通过审核后才能签署。")
        return redirect("pledges:pledge-detail", pk=pledge.pk)
    expected = services.expected_signer_name(pledge, request.user)
    form = SignForm(request.POST or None, user=request.user, expected_name=expected)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_sign(
                pledge=pledge, by=request.user, signature_name=form.cleaned_data["signature_name"]
            )
        except services.PledgeStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "承诺书已签署。感谢您的承诺！")
        return redirect("pledges:pledge-detail", pk=pledge.pk)
    return render(
        request,
        "pledges/pledge_sign.html",
        {
            "pledge": pledge,
            "form": form,
            "points": pledge.labelled_points(),
            "items": pledge.items.all(),
        },
    )


@role_required(*WRITER_ROLES)
def pledge_revise(request, pk):
    """“修改” a signed pledge: after confirmation, a new draft version to edit and sign again."""
    pledge = get_pledge_for_user(request, pk, WRITE)
    if request.method == "POST":
        try:
            new = services.pledge_new_version(pledge=pledge, by=request.user)
        except services.PledgeStateError as error:
            messages.error(request, str(error))
            return redirect("pledges:pledge-detail", pk=pledge.pk)
        messages.success(
            request,
            f"已生成第{new.version}版草稿。修改后请重新提交审核并签署；"
            f"第{pledge.version}版仍可查看。",
        )
        return redirect("pledges:pledge-edit", pk=new.pk)
    if pledge.status != Pledge.Status.SIGNED:
        messages.error(request, "只有已签署的承诺书需要通过“修改”生成新版本。")
        return redirect("pledges:pledge-detail", pk=pledge.pk)
    return render(request, "pledges/pledge_revise.html", {"pledge": pledge})


# Items: progress and rating ---------------------------------------------------------------


@role_required(*WRITER_ROLES)
def item_progress(request, pk):
    item = get_item_for_user(request, pk, WRITE)
    if item.pledge.status != Pledge.Status.SIGNED:
        messages.error(request, "承诺书签署后才能报告事项进展。")
        return redirect("pledges:pledge-detail", pk=item.pledge_id)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = ProgressForm(data, files, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update_progress(
                item=item,
                by=request.user,
                text=form.cleaned_data["text"],
                done_on=form.cleaned_data["done_on"],
                photos=form.cleaned_data["photos"],
            )
        except services.PledgeStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"“{item.title}”的进展已更新。")
        return redirect("pledges:pledge-detail", pk=item.pledge_id)
    return render(
        request,
        "pledges/pledgeitem_progress.html",
        {"item": item, "form": form, "updates": item.updates.prefetch_related("photos")},
    )


@role_required(SECRETARY, COMMITTEE)
def item_rate(request, pk):
    item = get_item_for_user(request, pk, RATE)
    if not item.is_tracked():
        messages.error(
            request, "承诺书签署后才能评定兑现情况；修改中的承诺书请评定已签署版本中的事项。"
        )
        return redirect("pledges:pledge-detail", pk=item.pledge_id)
    initial = {}
    if item.fulfilment != PledgeItem.Fulfilment.UNRATED:
        initial = {"fulfilment": item.fulfilment, "comment": item.rating_comment}
    form = RateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_rate(
                item=item,
                by=request.user,
                fulfilment=form.cleaned_data["fulfilment"],
                comment=form.cleaned_data["comment"],
            )
        except services.PledgeStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"已评定“{item.title}”的兑现情况。")
        return redirect("pledges:pledge-detail", pk=item.pledge_id)
    return render(
        request,
        "pledges/pledgeitem_rate.html",
        {"item": item, "form": form, "updates": item.updates.prefetch_related("photos")},
    )


# The branch's pledges (secretary, staff, committee) ------------------------------------------


def _list_query(campaign) -> str:
    return f"branch={campaign.branch_id}&campaign={campaign.pk}"


def _chosen_campaign(request, branch) -> Campaign | None:
    campaigns = Campaign.objects.for_branch(branch)
    wanted = request.GET.get("campaign", "")
    if wanted.isdigit():
        chosen = campaigns.filter(pk=wanted).first()
        if chosen is not None:
            return chosen
    return campaigns.as_of(_today())


# The status badge's colour on the branch's list (pledges/_status_badge.html, without ``replaced``)
_BADGE = {
    Pledge.Status.SIGNED: "text-bg-success",
    Pledge.Status.APPROVED: "text-bg-info",
    Pledge.Status.SUBMITTED: "text-bg-warning",
    Pledge.Status.RETURNED: "text-bg-danger",
    Pledge.Status.SUPERSEDED: "text-bg-light border",
}


def _local_minute(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def _pledge_rows(pledges, today: datetime.date, branch) -> list[dict]:
    """The campaign's current pledges as plain rows (docs/performance.md, "the branch list
    pages")."""
    detail = pk_url("pledges:pledge-detail")
    rows = list(
        pledges.with_item_counts(today)
        .order_by("person__name", "pk")
        .values(
            "pk",
            "person_id",
            "person__name",
            "version",
            "status",
            "signed_at",
            "submitted_at",
            "item_count",
            "done_count",
            "overdue_count",
            "fulfilled_count",
            "in_queue",
            "of_branch",
        )
    )
    for row in rows:
        status = row["status"]
        row["url"] = detail(row["pk"])
        row["name"] = row["person__name"] if row["person_id"] else "党支部"
        row["pledger_name"] = row["person__name"] if row["person_id"] else branch.short_name
        row["badge"] = _BADGE.get(status, "text-bg-secondary")
        row["status_label"] = Pledge.Status(status).label
        row["signed"] = _local_minute(row["signed_at"]) or "—"
        row["submitted"] = _local_minute(row["submitted_at"])
        row["overdue"] = row["overdue_count"] if status == Pledge.Status.SIGNED else None
    return rows


def _overdue_rows(items, today: datetime.date) -> list[dict]:
    detail = pk_url("pledges:pledge-detail")
    rows = list(
        items.overdue(today)
        .order_by("deadline", "pk")
        .values(
            "pk",
            "pledge_id",
            "pledge__person_id",
            "pledge__person__name",
            "title",
            "deadline",
            "progress",
        )
    )
    for row in rows:
        row["name"] = row["pledge__person__name"] if row["pledge__person_id"] else "党支部"
        row["url"] = f"{detail(row['pledge_id'])}#item-{row['pk']}"
        row["deadline"] = f"{row['deadline']:%Y-%m-%d}"
        row["progress"] = Truncator(row["progress"]).chars(60) or "—"
    return rows


@role_required(*READ_ROLES)
def pledge_list(request):
    """A campaign's pledges in one branch: the review queue, every member's status, tracking."""
    branch, choices = get_branch_choice(request, *READ_ROLES)
    campaign = _chosen_campaign(request, branch)
    today = _today()
    context = {
        "branch": branch,
        "branch_choices": choices,
        "campaign": campaign,
        "campaigns": Campaign.objects.for_branch(branch).order_by("-start").values("pk", "name"),
        "can_manage": acts_on(request.user, branch.pk, SECRETARY),
        "today": today,
    }
    if campaign is None:
        return render(request, "pledges/pledge_list.html", context)
    pledges = Pledge.objects.filter(campaign=campaign).current()
    items = PledgeItem.objects.filter(pledge__campaign=campaign).tracked()
    has_pledge = pledges.filter(person=OuterRef("pk"))
    members_on = min(today, campaign.end) if campaign.end else today
    # One query for the table, the review queue and the branch's own pledge: the rows carry
    # the conditions of ``awaiting_review()`` and ``of_branch_itself()`` as flags.
    rows = _pledge_rows(pledges.flag_queue_and_branch(), today, branch)
    queue = sorted(
        (row for row in rows if row["in_queue"]), key=lambda r: (r["submitted_at"], r["pk"])
    )
    context.update(
        pledges=rows,
        queue=queue,
        without_pledge=Person.objects.for_branch(branch)
        .members_on(members_on)
        .exclude(Exists(has_pledge))
        .order_by("name")
        .values_list("name", flat=True),
        overdue=_overdue_rows(items, today),
        fulfilment=items.fulfilment(),
        signers=Pledge.objects.filter(campaign=campaign).signers_count(),
        branch_pledge=min(
            (row for row in rows if row["of_branch"]), key=lambda r: r["pk"], default=None
        ),
        publication=PledgePublication.objects.filter(campaign=campaign).first(),
        objections_open=PledgeObjection.objects.filter(campaign=campaign).unhandled().count(),
    )
    return render(request, "pledges/pledge_list.html", context)


@role_required(SECRETARY)
def publication_edit(request, campaign_pk):
    """The secretary sets the 公示 window of a campaign's pledges."""
    campaign = get_campaign_for_user(request, campaign_pk, SECRETARY)
    publication = PledgePublication.objects.filter(campaign=campaign).first()
    if publication is None:
        publication = PledgePublication(campaign=campaign, start=_today())
    form = PublicationForm(request.POST or None, instance=publication)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "公示期已保存。")
        return redirect(f"{reverse('pledges:pledge-list')}?{_list_query(campaign)}")
    return render(
        request,
        "pledges/pledgepublication_form.html",
        {"form": form, "campaign": campaign, "publication": publication},
    )


@role_required(SECRETARY)
def objection_list(request):
    branch, choices = get_branch_choice(request, SECRETARY)
    objections = (
        PledgeObjection.objects.for_branch(branch)
        .select_related("campaign", "pledge__person", "pledge__campaign__branch", "handled_by")
        .order_by("handled_at", "-created_at", "-pk")
    )
    return render(
        request,
        "pledges/pledgeobjection_list.html",
        {
            "branch": branch,
            "branch_choices": choices,
            "objections": objections,
        },
    )


@role_required(SECRETARY)
def objection_handle(request, pk):
    objection = get_objection_for_user(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ObjectionHandleForm(request.POST)
    if form.is_valid():
        objection.mark_handled(by=request.user, note=form.cleaned_data["note"])
        messages.success(request, "已记录处理情况。")
    else:
        messages.error(request, "请简要写明处理情况。")
    return redirect(f"{reverse('pledges:objection-list')}?branch={objection.campaign.branch_id}")


# Public pages (公示): no login ---------------------------------------------------------------


def _public_campaign(branch_pk, campaign_pk) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("branch"), pk=campaign_pk, branch_id=branch_pk
    )


@public
def public_index(request, branch_pk):
    """A branch's campaigns whose pledges are being published today."""
    branch = get_object_or_404(Branch, pk=branch_pk)
    publications = (
        PledgePublication.objects.for_branch(branch)
        .on(_today())
        .select_related("campaign")
        .order_by("-start")
    )
    return render(
        request,
        "pledges/pledge_public_index.html",
        {"branch": branch, "publications": publications},
    )


@public
def public_page(request, branch_pk, campaign_pk):
    campaign = _public_campaign(branch_pk, campaign_pk)
    board = public_board(campaign, _today())
    form = ObjectionForm(published=board.pledges) if board.is_open else None
    return _render_public(request, board, form)


@public
@require_POST
def public_objection(request, branch_pk, campaign_pk):
    """The objection box: stored for the secretary, never shown; limited per address."""
    campaign = _public_campaign(branch_pk, campaign_pk)
    board = public_board(campaign, _today())
    if not board.is_open:
        raise Http404("当前不在公示期内。")
    form = ObjectionForm(request.POST, published=board.pledges)
    if not throttle.objection_allowed(request):
        form.add_error(None, "提交过于频繁，请稍后再试。")
        return _render_public(request, board, form, status=429)
    if not form.is_valid():
        return _render_public(request, board, form, status=400)
    objection = form.save(commit=False)
    objection.campaign = campaign
    objection.save()
    messages.success(request, "您的意见已提交给党支部，谢谢！意见不会在公示页面上公开。")
    return redirect("pledges:public-page", branch_pk=branch_pk, campaign_pk=campaign_pk)


def _render_public(request, board, form, status=200):
    campaign = board.campaign
    return render(
        request,
        "pledges/pledge_public.html",
        {"board": board, "campaign": campaign, "branch": campaign.branch, "form": form},
        status=status,
    )


def _bounded(request, name: str, bounds: tuple[int, int, int]) -> int:
    default, low, high = bounds
    value = request.GET.get(name, "")
    return min(max(int(value), low), high) if value.isdigit() else default


@public
def public_screen(request, branch_pk, campaign_pk):
    """The electronic screen: one pledge at a time, large type, refreshing itself; no controls."""
    campaign = _public_campaign(branch_pk, campaign_pk)
    return render(
        request,
        "pledges/pledge_screen.html",
        {
            "board": public_board(campaign, _today()),
            "campaign": campaign,
            "branch": campaign.branch,
            "seconds": _bounded(request, "seconds", SCREEN_SECONDS),
            "refresh": _bounded(request, "refresh", SCREEN_REFRESH),
        },
    )


@public
def public_data(request, branch_pk, campaign_pk):
    """The screen's data: the same published fields as the page, as JSON."""
    campaign = _public_campaign(branch_pk, campaign_pk)
    response = JsonResponse(
        public_board(campaign, _today()).as_json(), json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "no-cache"
    return response
