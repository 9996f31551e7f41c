"""The committee's overview of its branches: the table and its consolidated workbook."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone

from members import freshness
from members.access import COMMITTEE, role_required

from .access import get_committee_branch_list_for_user, get_committee_branches_for_user
from .exports import write_workbook
from .figures import (
    CommitteePeriod,
    by_level_label,
    cached_branch_table,
    campaign_names,
    default_year,
    sort_rows,
)
from .forms import CommitteePeriodForm


def _percent(value) -> str:
    return "—" if value is None else f"{value}%"


def _rows(table) -> list[dict]:
    """Each branch's row as plain values for the template: the cells already as text.

    The template loops over short lists of strings (no lookups into row objects per cell), which
    keeps the 200-branch table's cold build cheap (docs/performance.md).
    """
    levels = [level for level, _label in by_level_label()]
    rows = []
    for row in table.rows:
        values = [
            row.members,
            f"{_percent(row.signed_percent)}（{row.signers}/{row.signing.members}人）",
            row.overdue_items,
            *[row.carrier_count(name) for name in table.carriers],
            row.activities,
            row.meetings,
            _percent(row.attendance_rate),
            *[row.honors_by_level[level] for level in levels],
            row.honors,
        ]
        rating = f"{row.rating_label}（{row.rated_on:%Y年%-m月}）" if row.rating else "—"
        rows.append(
            {
                "pk": row.branch.pk,
                "name": row.branch.short_name,
                "cells": [str(value) for value in values],
                "rating": rating,
            }
        )
    return rows


def _table(request):
    today = timezone.localdate()
    branches = get_committee_branches_for_user(request)
    form = CommitteePeriodForm(
        request.GET or None,
        today=today,
        default=default_year(branches, today),
        campaigns=campaign_names(branches),
    )
    campaign, year = form.chosen()
    if campaign:
        period = CommitteePeriod.for_campaign(campaign, branches, today)
    else:
        period = CommitteePeriod.for_year(year, today)
    table = cached_branch_table(branches, period, today)
    sort = sort_rows(table, request.GET.get("sort", "name"))
    return form, table, sort


@role_required(COMMITTEE)
def branch_overview(request):
    def body():
        form, table, sort = _table(request)
        return {
            "form": form,
            "table": table,
            "rows": _rows(table),
            "sort": sort,
            "levels": by_level_label(),
            "carrier_columns": [(f"carrier{i}", name) for i, name in enumerate(table.carriers, 1)],
            "level_columns": [(f"level-{level}", label) for level, label in by_level_label()],
            "period": table.period,
        }

    # The table shows every branch of the committee: its key holds all their data versions
    # (one query), and the day, since overdue items are counted as of today.
    html = freshness.cached_render(
        "committee-table",
        request,
        get_committee_branch_list_for_user(request),
        (freshness.query_variant(request), timezone.localdate()),
        "committees/_branch_overview_body.html",
        body,
    )
    return render(request, "committees/branch_overview.html", {"body": html})


@role_required(COMMITTEE)
def branch_overview_export(request):
    _form, table, _sort = _table(request)
    title = "各党支部创先争优情况汇总"
    return FileResponse(
        write_workbook(table, title),
        as_attachment=True,
        filename=f"{title}（{table.period.label}）.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
