"""Views of the reports app: choose a branch and a period, preview, download; edit the narrative.

Reading and exporting: 书记/支委, 工作人员 and 上级党委 of the branch. Writing the narrative: the
branch's 书记/支委 only. The branch always comes through ``get_branch_for_user``.
"""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from common.concurrency import save_or_conflict
from members import freshness
from members.access import (
    COMMITTEE,
    READ_ROLES,
    SECRETARY,
    STAFF,
    acts_on,
    branches_for,
    can_manage,
    get_branch_choice,
    get_branch_for_user,
    get_campaign_for_user,
    history_for,
    role_required,
)
from members.models import Carrier
from members.todos import cached_todos_for

from .builders import BUILDERS, report_name
from .dashboard import build_dashboard
from .figures import Figures, PeriodError, ReportPeriod
from .forms import NarrativeForm, ReportOptionsForm, ReportPeriodForm
from .models import NarrativeText, ReportOptions
from .narrative import PARTS, SLOTS, Narratives, paragraphs, slots_of
from .placeholders import check_placeholders
from .writers import formats_available
from .writers.html import document_context
from .writers.pdf import ConversionError

REPORT_TITLES = {"summary": "创先争优工作总结", "table": "长效机制情况表"}


# Dashboard (its URL name is activities:dashboard, see branch_portal/urls.py) ---------------


@role_required(*READ_ROLES)
def dashboard(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    today = timezone.localdate()
    # The period switcher: ?period=campaign-<id> or year-<yyyy>; ?campaign=<id> as a shortcut.
    wanted = request.GET.get("period") or (
        f"campaign-{request.GET['campaign']}" if request.GET.get("campaign") else ""
    )

    def build() -> dict:
        form = ReportPeriodForm(branch, {"period": wanted} if wanted else None, today=today)
        period = form.chosen_period()
        if period is None and form.is_bound:  # an unknown period: the default one
            form = ReportPeriodForm(branch, today=today)
            period = form.chosen_period()
        board = build_dashboard(branch, period, today)
        context = {"board": board, "branch": branch}
        return {
            "campaign": board.campaign.name if board.campaign else "",
            "label": period.label if period and period.year else "",
            "start": board.start,
            "end": board.end,
            "choices": form.fields["period"].choices if form.campaigns else [],
            "value": form.value(),
            "body": render_to_string("reports/_dashboard_body.html", context, request=request),
        }

    # The figures, charts and lists: the same for everyone who reads the branch, on one day.
    return render(
        request,
        "reports/dashboard.html",
        {
            "head": freshness.cached("dashboard", [branch], (today, wanted), build),
            "branch": branch,
            "branch_choices": choices,
            "can_manage": can_manage(request, branch),
            "todos": cached_todos_for(request.user, today),
        },
    )


def attachment(filename: str) -> str:
    """RFC 6266 Content-Disposition: an ASCII fallback, and the real name as UTF-8."""
    extension = filename.rsplit(".", 1)[-1]
    return f"attachment; filename=\"report.{extension}\"; filename*=UTF-8''{quote(filename)}"


def _variant(period: ReportPeriod, kind: str, *rest) -> tuple:
    """The cache key's part for one report of one period on today's date."""
    return (
        kind,
        period.start,
        period.end,
        period.campaign.pk,
        period.year,
        *rest,
        timezone.localdate(),
    )


def _document(branch, period: ReportPeriod, kind: str, *, data_sheets: bool = False):
    """The report's document tree, built from the records or, unchanged since, from the cache.

    The tree is the same for every reader of the branch (the writers turn it into HTML, Word or
    Excel); its key holds the branch's data version, the period and the day.
    """
    return freshness.cached(
        "report-document",
        [branch],
        _variant(period, kind, data_sheets),
        lambda: BUILDERS[kind](branch, period, data_sheets=data_sheets),
    )


def _period_or_404(request, branch) -> tuple[ReportPeriodForm, ReportPeriod]:
    form = ReportPeriodForm(branch, request.GET or None)
    period = form.chosen_period()
    if period is None:
        raise Http404("没有找到该报告期。")
    return form, period


@role_required(SECRETARY, STAFF, COMMITTEE)
def report_index(request):
    branches = list(
        branches_for(request.user, *READ_ROLES).select_related("committee").order_by("short_name")
    )
    if len(branches) == 1:
        return redirect("reports:report-branch", branch_pk=branches[0].pk)
    return render(request, "reports/report_index.html", {"branches": branches})


@role_required(SECRETARY, STAFF, COMMITTEE)
def report_branch(request, branch_pk):
    branch = get_branch_for_user(request, branch_pk, *READ_ROLES)
    form = ReportPeriodForm(branch, request.GET or None)
    period = form.chosen_period()
    can_edit = acts_on(request.user, branch.pk, SECRETARY)
    return render(
        request,
        "reports/report_branch.html",
        {
            "branch": branch,
            "form": form,
            "period": period,
            "query": form.query(),
            "reports": REPORT_TITLES,
            "pdf": "pdf" in formats_available(),
            "can_edit": can_edit,
            "several_branches": branches_for(request.user, *READ_ROLES).count() > 1,
        },
    )


@role_required(SECRETARY, STAFF, COMMITTEE)
def report_preview(request, branch_pk, kind):
    branch = get_branch_for_user(request, branch_pk, *READ_ROLES)
    form, period = _period_or_404(request, branch)
    document = _document(branch, period, kind)
    context = {
        **document_context(document),
        "branch": branch,
        "period": period,
        "kind": kind,
        "query": form.query(),
    }
    return render(request, "reports/report_preview.html", context)


def _write(branch, period, kind: str, fmt: str) -> tuple[str, bytes]:
    """(file name, content) of one report in one format.

    The written file is cached like the tree it is written from (same branch version, period
    and day): the same for every reader of the branch, so a repeated download costs no writing.
    A failed conversion raises and leaves nothing in the cache.
    """

    def write() -> tuple[str, bytes]:
        document = _document(branch, period, kind, data_sheets=fmt == "xlsx")
        output = formats_available()[fmt]
        return f"{document.filename}.{output.extension}", output.write(document)

    return freshness.cached("report-file", [branch], _variant(period, kind, fmt), write)


@role_required(SECRETARY, STAFF, COMMITTEE)
def report_download(request, branch_pk, kind, fmt):
    branch = get_branch_for_user(request, branch_pk, *READ_ROLES)
    _form, period = _period_or_404(request, branch)
    if fmt not in formats_available():
        raise Http404("本机未安装 LibreOffice，不能生成 PDF。")
    try:
        filename, content = _write(branch, period, kind, fmt)
    except ConversionError as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('reports:report-branch', args=[branch.pk])}?{_form.query()}")
    response = HttpResponse(content, content_type=formats_available()[fmt].content_type)
    response["Content-Disposition"] = attachment(filename)
    return response


@role_required(SECRETARY)
def report_options(request, branch_pk, kind):
    """Title, signature date and lists of one document of one period (书记/支委)."""
    branch = get_branch_for_user(request, branch_pk, SECRETARY)
    form, period = _period_or_404(request, branch)
    instance = ReportOptions.objects.of(period, kind) or ReportOptions(
        campaign=period.campaign, year=period.year, kind=kind
    )
    options_form = ReportOptionsForm(request.POST or None, instance=instance)
    back = f"{reverse('reports:report-branch', args=[branch.pk])}?{form.query()}"
    if request.method == "POST" and options_form.is_valid() and save_or_conflict(options_form):
        messages.success(request, "已保存报表选项。")
        return redirect(back)
    return render(
        request,
        "reports/report_options.html",
        {
            "branch": branch,
            "period": period,
            "form": options_form,
            "heading": f"{REPORT_TITLES[kind]}选项 · {period.label}",
            "back_url": back,
            "back_label": "报表",
        },
    )


BUNDLE_FORMATS = ("docx", "xlsx", "pdf")


@role_required(SECRETARY, STAFF, COMMITTEE)
def report_bundle(request, branch_pk):
    """The whole set in one .zip: summary and table, in Word, Excel and (where LibreOffice is
    installed) PDF."""
    branch = get_branch_for_user(request, branch_pk, *READ_ROLES)
    _form, period = _period_or_404(request, branch)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for kind in REPORT_TITLES:
            for fmt in BUNDLE_FORMATS:
                if fmt not in formats_available():
                    continue
                try:
                    filename, content = _write(branch, period, kind, fmt)
                except ConversionError:
                    continue  # the others are still worth having
                bundle.writestr(filename, content)
    name = f"{branch.short_name}{report_name(period)}报表.zip"
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = attachment(name)
    return response


# ---------------------------------------------------------------------------------------------
# The narrative (书记/支委 only): a campaign's, or one year's (``?year=2011``).


def _narrative_period(request, campaign) -> ReportPeriod:
    """The period whose texts are edited: the campaign, or the year asked for (404 if invalid)."""
    year = request.GET.get("year") or request.POST.get("year")
    if not year:
        return ReportPeriod.for_campaign(campaign)
    try:
        period = ReportPeriod.for_year(campaign.branch, int(year))
    except (ValueError, PeriodError) as error:
        raise Http404("没有这一年度。") from error
    if period.campaign.pk != campaign.pk:
        raise Http404("该年度的总结属于另一项活动。")
    return period


def _year_query(period: ReportPeriod) -> str:
    return f"?year={period.year}" if period.year else ""


@role_required(SECRETARY)
def narrative_list(request, branch_pk, campaign_pk):
    campaign = get_campaign_for_user(request, campaign_pk, SECRETARY, branch_pk=branch_pk)
    period = _narrative_period(request, campaign)
    suffix = _year_query(period)
    texts = Narratives(campaign, period.year)
    carriers = list(campaign.carriers.order_by("order"))
    parts = []
    for part in PARTS.values():
        if part.key == "二":
            rows = [
                {
                    "title": carrier.heading,
                    "text": texts.text("carrier", carrier),
                    "stored": texts.stored("carrier", carrier) is not None,
                    "url": reverse(
                        "reports:narrative-carrier-edit",
                        args=[campaign.branch_id, campaign.pk, carrier.pk],
                    )
                    + suffix,
                }
                for carrier in carriers
            ]
        else:
            rows = [
                {
                    "title": texts.title(slot.section) or part.label,
                    "text": texts.text(slot.section),
                    "stored": texts.stored(slot.section) is not None,
                    "url": reverse(
                        "reports:narrative-edit",
                        args=[campaign.branch_id, campaign.pk, slot.section],
                    )
                    + suffix,
                }
                for slot in slots_of(part.key)
            ]
        parts.append((part.label, rows))
    return render(
        request,
        "reports/narrativetext_list.html",
        {
            "campaign": campaign,
            "branch": campaign.branch,
            "parts": parts,
            "period": period,
            "year_query": suffix,
            "report_query": f"year-{period.year}" if period.year else f"campaign-{campaign.pk}",
        },
    )


@role_required(SECRETARY)
def narrative_edit(request, branch_pk, campaign_pk, section="carrier", carrier_pk=None):
    campaign = get_campaign_for_user(request, campaign_pk, SECRETARY, branch_pk=branch_pk)
    if section not in SLOTS or (section == "carrier") != (carrier_pk is not None):
        raise Http404("没有这一部分。")
    period = _narrative_period(request, campaign)
    carrier = None
    if carrier_pk is not None:
        carrier = get_object_or_404(Carrier, pk=carrier_pk, campaign=campaign)
    texts = Narratives(campaign, period.year)
    instance = texts.stored(section, carrier) or NarrativeText(
        campaign=campaign,
        year=period.year,
        section=section,
        carrier=carrier,
        title="" if carrier else texts.title(section),
        text=texts.text(section, carrier),
    )
    form = NarrativeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid() and save_or_conflict(form):
        messages.success(request, "已保存。")
        list_url = reverse("reports:narrative-list", args=[campaign.branch_id, campaign.pk])
        return redirect(list_url + _year_query(period))

    figures = Figures(campaign.branch, period)
    preview = paragraphs(form["text"].value() or "", figures)
    return render(
        request,
        "reports/narrativetext_form.html",
        {
            "campaign": campaign,
            "branch": campaign.branch,
            "form": form,
            "heading": carrier.heading if carrier else SLOTS[section].title or "开篇",
            "section_label": NarrativeText.Section(section).label,
            "catalogue": [
                (name, help, figures.text(name), figures.if_empty(name))
                for name, help in figures.catalogue()
            ],
            "period": period,
            "year_query": _year_query(period),
            "preview": preview,
            "history": history_for(request.user, instance, campaign.branch)
            if instance.pk
            else None,
        },
    )


@role_required(SECRETARY)
def narrative_preview(request, branch_pk, campaign_pk):
    """The text being edited, placeholders resolved (for the live preview beside the editor)."""
    campaign = get_campaign_for_user(request, campaign_pk, SECRETARY, branch_pk=branch_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    figures = Figures(campaign.branch, _narrative_period(request, campaign))
    text = request.POST.get("text", "")
    error = None
    try:
        check_placeholders(text, figures.names())
    except ValidationError as invalid:
        error = invalid.messages[0]
    return render(
        request,
        "reports/includes/narrative_preview.html",
        {"preview": paragraphs(text, figures), "error": error},
    )
