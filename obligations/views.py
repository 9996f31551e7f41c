"""Views of obligations: the secretary's calendar, a member's meetings, the committee's heat
map and its workbook, the rules, calendar feeds and the digest setting."""

from __future__ import annotations

import calendar as month_calendar
import datetime
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from common.history import history_rows
from members import freshness
from members.access import (
    COMMITTEE,
    MEMBER,
    READ_ROLES,
    SECRETARY,
    STAFF,
    branches_for,
    can_manage,
    get_branch_choice,
    public,
    role_required,
)
from members.deadlines import deadlines_for
from members.models import Committee, Person
from members.orglife import meetings

from . import services
from .access import committee_ids_for, get_rule_for_user, rules_for_user
from .exports import heat_map_workbook
from .feeds import branch_calendar, meetings_for_person, person_calendar
from .forms import MonthForm, RuleForm, YearForm
from .heatmap import SORTS, heat_map
from .judging import DUE, MET, OVERDUE, UPCOMING, add_months, compliance_and_overdue_earlier
from .models import CalendarFeed, DigestPreference, Rule
from .reminders import AHEAD

ALL_ROLES = (SECRETARY, STAFF, MEMBER, COMMITTEE)


def _today() -> datetime.date:
    return timezone.localdate()


def _weeks(month: datetime.date, facts) -> list[list[dict]]:
    """The month grid: weeks from Monday, each day with its meetings (None outside the month)."""
    by_day = defaultdict(list)
    for fact in facts:
        by_day[fact.day].append(fact)
    weeks = []
    for week in month_calendar.Calendar().monthdatescalendar(month.year, month.month):
        weeks.append(
            [
                {"day": day, "meetings": by_day.get(day, []), "in_month": day.month == month.month}
                for day in week
            ]
        )
    return weeks


def _plan_day(obligation, today: datetime.date) -> datetime.date:
    """A suggested date for planning: today within the period, else the period's first day."""
    return max(today, obligation.period.start) if obligation.period.end >= today else today


@role_required(*READ_ROLES)
def calendar(request):
    """The secretary's month: the grid of meetings, what is due this month, what is overdue."""
    today = _today()
    branch, choices = get_branch_choice(request, *READ_ROLES)
    month = MonthForm(request.GET).chosen(today)
    month_end = add_months(month, 1) - datetime.timedelta(days=1)
    # This year's obligations to the month's end, and earlier years' still unmet, back to the
    # branch's first record or the first rule (whichever is later), judged together.
    owed, earlier_unmet = compliance_and_overdue_earlier(
        branch, month.replace(month=1), month_end, today=today
    )
    this_month = [
        o
        for o in owed
        if o.period.start <= month_end and o.period.end >= month and o.status != "met"
    ]
    overdue = [o for o in owed if o.status == OVERDUE and o.period.end < month]
    earlier = defaultdict(list)  # by year, the latest first
    for obligation in earlier_unmet:
        earlier[obligation.period.end.year].append(obligation)
    met = [
        o
        for o in owed
        if o.status == "met" and o.period.end >= month and o.period.start <= month_end
    ]
    facts = meetings([branch.pk], month, month_end)
    for obligation in this_month + overdue:
        obligation.plan_day = _plan_day(obligation, today)
    manages = can_manage(request, branch)
    lines = {"branch": branch, "can_manage": manages}
    return render(
        request,
        "obligations/calendar.html",
        {
            "branch": branch,
            "branch_choices": choices,
            "month": month,
            "previous": add_months(month, -1),
            "next": add_months(month, 1),
            "weeks": _weeks(month, facts),
            "this_month": this_month,
            "this_month_lines": _obligation_lines(
                this_month, empty="本月应开展的组织生活均已完成。", **lines
            ),
            "overdue": overdue,
            "overdue_lines": _obligation_lines(overdue, empty="本年度没有逾期事项。", **lines),
            "earlier_overdue": [
                (year, len(rows), _earlier_lines(rows))
                for year, rows in sorted(earlier.items(), reverse=True)
            ],
            "overdue_count": len(overdue) + sum(len(rows) for rows in earlier.values()),
            "met": met,
            "met_lines": _obligation_lines(met, **lines),
            "can_manage": manages,
            "today": today,
            "open_statuses": (DUE, OVERDUE, UPCOMING),
            "feed": CalendarFeed.objects.filter(branch=branch, person=None).first()
            if manages
            else None,
        },
    )


BADGES = {OVERDUE: "text-bg-danger", DUE: "text-bg-warning", MET: "text-bg-success"}
OBLIGATION_LINE = """<li class="list-group-item d-flex flex-wrap justify-content-between \
align-items-start gap-2 obligation-row" data-status="{}">
  <div class="me-auto">
    <div class="fw-semibold">{} <span class="badge {}">{}</span></div>
    <div class="small text-body-secondary">{} · {} · 截止 {}</div>
    {}
    <div class="small text-body-secondary">依据：{}</div>
    {}
    {}
  </div>
  {}
</li>"""


def _obligation_lines(obligations, *, branch, can_manage: bool, empty: str = "") -> str:
    """One list of the calendar (due this month, overdue, met) as HTML, a line per obligation
    with its meetings and, for who manages the branch, the buttons to plan or record one;
    ``empty``: the line shown when there are none. Written by ``format_html`` (every value
    escaped) instead of some 30 template variables and tags per line."""
    if not obligations:
        return (
            format_html('<li class="list-group-item text-body-secondary">{}</li>', empty)
            if empty
            else ""
        )
    create_url = reverse("activities:meeting-create")
    return format_html_join(
        "",
        OBLIGATION_LINE,
        (_obligation_line(o, branch, can_manage, create_url) for o in obligations),
    )


def _obligation_line(o, branch, can_manage: bool, create_url: str) -> tuple:
    unmet = ""
    if o.unmet_people:
        unmet = format_html(
            '<div class="small text-danger obligation-unmet">{}：{}</div>',
            o.shortfall,
            "、".join(o.unmet_people),
        )
    held = format_html_join(
        "",
        '<div class="small"><a href="{}">{} {}</a></div>',
        (
            (reverse("activities:meeting-detail", args=[m.pk]), _month_day(m.day), m.topic)
            for m in o.meetings
        ),
    )
    planned = format_html_join(
        "",
        '<div class="small">计划：<a href="{}">{} {}</a>{}</div>',
        (
            (
                reverse("activities:meeting-detail", args=[m.pk]),
                _month_day(m.day),
                m.topic,
                format_html(
                    ' · <a href="{}">登记召开</a>', reverse("activities:meeting-edit", args=[m.pk])
                )
                if can_manage
                else "",
            )
            for m in o.planned
        ),
    )
    buttons = ""
    if can_manage and o.status != MET:
        group = format_html("&party_group={}", o.group_id) if o.group_id else ""
        plan = ""
        if o.status != OVERDUE:
            plan = format_html(
                '<a class="btn btn-sm btn-outline-danger" href="{}?branch={}&kind={}'
                '&status=planned&held_on={}{}">安排会议</a>',
                create_url,
                branch.pk,
                o.kind,
                o.plan_day.isoformat() if o.plan_day else "",
                group,
            )
        buttons = format_html(
            """
    <div class="d-flex gap-1 flex-wrap">
      {}
      <a class="btn btn-sm btn-danger" href="{}?branch={}&kind={}&status=held{}">登记已召开</a>
    </div>
  """,
            plan,
            create_url,
            branch.pk,
            o.kind,
            group,
        )
    return (
        o.status,
        o.label,
        BADGES.get(o.status, "text-bg-secondary"),
        o.status_label,
        o.period.label,
        o.progress,
        o.period.end.isoformat(),
        unmet,
        o.rule.source,
        held,
        planned,
        buttons,
    )


def _month_day(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


def _earlier_lines(obligations) -> str:
    """An earlier year's unmet obligations as the lines of its list, one string of HTML: a
    branch owes some 80 a year back to 2018, and the same labels and wordings recur month after
    month, so each distinct text is escaped once instead of a template tag per line and part."""
    escaped: dict[str, str] = {}

    def text(value: str) -> str:
        if value not in escaped:
            escaped[value] = escape(value)
        return escaped[value]

    lines = []
    for o in obligations:
        shortfall = o.shortfall
        if shortfall:
            who = f"：{'、'.join(o.unmet_people)}" if o.unmet_people else ""
            shortfall = f' · <span class="text-danger">{text(shortfall)}{text(who)}</span>'
        lines.append(
            f'<li class="list-group-item obligation-row" data-status="{text(o.status)}">'
            f'<span class="fw-semibold">{text(o.label)}</span> · {text(o.period.label)} · '
            f"{text(o.progress)}{shortfall}</li>"
        )
    return mark_safe("".join(lines))  # every text escaped above


def _own_person(request) -> Person:
    person = Person.objects.filter(user=request.user).select_related("branch").first()
    if person is None:
        raise PermissionDenied("您的账号没有对应的人员记录。")
    return person


@role_required(*ALL_ROLES)
def my_meetings(request):
    """A member's coming meetings (those they belong at) and their deadlines."""
    today = _today()
    person = _own_person(request)
    coming = meetings_for_person(person, today, today + datetime.timedelta(days=90))
    return render(
        request,
        "obligations/my_meetings.html",
        {
            "person": person,
            "coming": coming,
            "deadlines": deadlines_for([person.pk], today, today + AHEAD).get(person.pk, []),
            "feed": CalendarFeed.objects.filter(person=person).first(),
            "today": today,
        },
    )


def _heat_map(request):
    today = _today()
    form = YearForm(request.GET or None)
    year = form.chosen(today)
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    branches = _committee_branches(request)
    table = freshness.cached(
        "heat-map",
        branches,
        (year, sort, today),
        lambda: heat_map(branches, year, today=today, sort=sort),
    )
    return form, table, sort


def _committee_branches(request):
    return branches_for(request.user, COMMITTEE).only("pk", "short_name", "committee_id")


CELL_CLASSES = {"met": "table-success", "due": "table-warning", "overdue": "table-danger"}


def _heat_rows(table) -> list[dict]:
    """Each branch's row, its 12 cells as one string of HTML: a cell's class, title and text are
    escaped once per distinct cell (most branches share them), its link from the branch's part
    and the month's, each escaped once, so the template writes 200 strings instead of
    200 × 12 × 4 variables."""
    calendar_url = reverse("obligations:calendar")
    months = [escape(f"&month={month:%Y-%m}") for month in table.months]
    pieces: dict[tuple, tuple[str, str]] = {}
    rows = []
    for row in table.rows:
        link = f"{calendar_url}?branch={row.branch.pk}"
        href = escape(link)
        cells = []
        for cell, month in zip(row.cells, months, strict=True):
            key = (cell.status, cell.met, cell.judged, *cell.missing)
            if key not in pieces:
                pieces[key] = _heat_cell(cell.status, cell.title, cell.text or "·")
            start, end = pieces[key]
            cells.append(f"{start}{href}{month}{end}")
        rows.append(
            {
                "name": row.branch.short_name,
                "url": link,
                "cells": mark_safe("".join(cells)),  # every part escaped above
                "rate": "—" if row.rate is None else f"{row.rate}%",
                "overdue": row.overdue,
            }
        )
    return rows


def _heat_cell(status: str, title: str, text: str) -> tuple[str, str]:
    """A heat map cell's HTML before and after its link."""
    return (
        format_html(
            '<td class="heat-{} {}" title="{}">'
            '<a class="link-body-emphasis text-decoration-none d-block" href="',
            status,
            CELL_CLASSES.get(status, ""),
            title,
        ),
        format_html('">{}</a></td>', text),
    )


@role_required(COMMITTEE)
def heatmap(request):
    def body():
        form, table, sort = _heat_map(request)
        return {"form": form, "table": table, "rows": _heat_rows(table), "sort": sort}

    # Every branch of the committee judged: the key holds all their data versions (one query;
    # a rule's change moves those of the branches it judges) and the day, since what is overdue
    # is judged as of today.
    html = freshness.cached_render(
        "heat-map-page",
        request,
        _committee_branches(request),
        (freshness.query_variant(request), _today()),
        "obligations/_heatmap_body.html",
        body,
    )
    year = YearForm(request.GET or None).chosen(_today())
    return render(request, "obligations/heatmap.html", {"body": html, "year": year})


@role_required(COMMITTEE)
def heatmap_export(request):
    _form, table, _sort = _heat_map(request)
    title = f"各党支部组织生活完成情况（{table.year}年）"
    return FileResponse(
        heat_map_workbook(table, title),
        as_attachment=True,
        filename=f"{title}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@role_required(*READ_ROLES)
def rule_list(request):
    rules = rules_for_user(request, *READ_ROLES).order_by(
        "kind", "scope", "committee_id", "valid_from"
    )
    return render(
        request,
        "obligations/rule_list.html",
        {
            "rules": rules,
            "can_edit": bool(
                committee_ids_for(request.user, COMMITTEE) or request.user.is_superuser
            ),
        },
    )


def _committee_of(request):
    ids = committee_ids_for(request.user, COMMITTEE)
    if not ids:
        raise PermissionDenied("只有上级党委可以制定本地规定。")
    return Committee.objects.filter(pk__in=ids).order_by("pk").first()


def _rule_form(request, rule, committee):
    form = RuleForm(request.POST or None, instance=rule, committee=committee)
    if request.method == "POST" and form.is_valid():
        services.rule_save(form=form)
        messages.success(request, f"规定“{rule}”已保存。")
        return redirect("obligations:rule-list")
    history = history_rows(rule) if rule.pk else None
    return render(
        request,
        "obligations/rule_form.html",
        {"form": form, "rule": rule, "committee": committee, "history": history},
    )


@role_required(COMMITTEE)
def rule_create(request):
    committee = _committee_of(request)
    return _rule_form(request, Rule(committee=committee), committee)


@role_required(COMMITTEE)
def rule_edit(request, pk):
    rule = get_rule_for_user(request, pk)
    return _rule_form(request, rule, rule.committee)


# Calendar feeds ---------------------------------------------------------------------------------


@role_required(SECRETARY)
@require_POST
def branch_feed_renew(request):
    branch, _choices = get_branch_choice(request, SECRETARY)
    services.feed_renew(branch=branch)
    messages.success(request, "已生成新的订阅地址，原地址即时失效。")
    return redirect(reverse("obligations:calendar") + f"?branch={branch.pk}")


@role_required(*ALL_ROLES)
@require_POST
def person_feed_renew(request):
    person = _own_person(request)
    services.feed_renew(branch=person.branch, person=person)
    messages.success(request, "已生成新的订阅地址，原地址即时失效。")
    return redirect("obligations:my-meetings")


@public
def feed(request, token):
    """The iCalendar file behind a private address; an unknown or renewed token: 404."""
    found = CalendarFeed.objects.select_related("branch", "person").filter(token=token).first()
    if found is None:
        raise Http404("订阅地址无效或已更新。")
    today = _today()
    if found.person is not None:
        body = person_calendar(found.person, today)
    else:
        body = branch_calendar(found.branch, today)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@role_required(*ALL_ROLES)
def digest_settings(request):
    preference, _ = DigestPreference.objects.get_or_create(user=request.user)
    if request.method == "POST":
        preference.opted_out = request.POST.get("opted_out") == "1"
        preference.save(update_fields=["opted_out"])
        messages.success(
            request, "已停止每周提醒。" if preference.opted_out else "已恢复每周提醒。"
        )
        return redirect("obligations:digest-settings")
    return render(
        request,
        "obligations/digest_settings.html",
        {"preference": preference, "has_address": bool(request.user.email)},
    )
