"""One shape for a branch's registry of records with an uploaded file: honors, mechanisms (制度).

A registry lists a branch's records (picker, filter form, counts, pages), shows one record with
its file and history, and lets the secretary register, edit and delete records. The views and
templates (``templates/includes/registry_*.html``) are written once here; what differs between
registries is data, one ``Registry`` per app: the model, forms and access helper, the names the
pages use, the list's order, counts and columns, and how the file is served. Each app keeps two
small templates of its own: a table row and the detail page's fields.

``registry_views(registry)`` returns the six views, each with its access rule; an app's
``views.py`` names them (``honor_list = VIEWS.list``) so its URL names stay its own.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from types import SimpleNamespace

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from common.concurrency import save_or_conflict
from common.files import delete_after_commit, file_response
from common.urls import pk_url

from .access import (
    MANAGE_ROLES,
    READ_ROLES,
    can_manage,
    get_branch_choice,
    history_for,
    role_required,
)

PAGE_SIZE = 30


@dataclass(frozen=True)
class Registry:
    """What one registry is: its records, names, list and file, as data for the shared views."""

    namespace: str  # the app's URL namespace and template folder: "honors"
    slug: str  # URL names and element ids: "honor" → "honors:honor-list", id "honor-table"
    model: type[models.Model]
    form_class: type
    filter_form_class: type
    get_for_user: Callable  # the app's access helper: (request, pk, *roles) → record
    noun: str  # 荣誉: "登记荣誉", "已保存荣誉“…”。"
    heading: str  # the list's heading after the branch's name: 荣誉与先进典型
    title_field: str  # the record's name: "title"
    badge: tuple[str, str]  # (boolean attribute, label) shown after the name on the detail page
    ordering: tuple[str, ...]
    related: tuple[str, ...]  # select_related of the list
    counts: tuple[
        str, type
    ]  # (QuerySet method returning {value: n}, its choices) for the count line
    counts_id: str  # the count line's element id
    columns: tuple[tuple[str, str], ...]  # the table's headings: (label, css class)
    file_field: str
    file_missing: str  # 404 text when the record has no file
    download: bool = False  # serve the file as an attachment named after the record
    content_types: dict[str, str] | None = None  # by extension; None: guessed from the name
    filter_args: Callable[[], tuple] = field(default=tuple)  # extra arguments of form.filter
    # A replaced file is kept (its name stays in the record's history) and each earlier version
    # can be downloaded from the detail page; otherwise it is deleted once the change commits.
    keeps_file_versions: bool = False

    def url(self, action: str) -> str:
        return f"{self.namespace}:{self.slug}-{action}"

    @property
    def urls(self) -> dict[str, str]:
        actions = ("list", "create", "detail", "update", "delete")
        return {action: self.url(action) for action in actions} | {
            "file": self.url(self.file_field)
        }

    @property
    def rows_template(self) -> str:
        """The app's table rows: one loop over ``page`` (no include per row)."""
        return f"{self.namespace}/{self.slug}_rows.html"

    @property
    def fields_template(self) -> str:
        """The app's detail fields (``record``)."""
        return f"{self.namespace}/{self.slug}_fields.html"

    def title_of(self, record) -> str:
        return getattr(record, self.title_field)

    def counted(self, records) -> list[tuple[str, int]]:
        method, choices = self.counts
        return [(choices(key).label, n) for key, n in getattr(records, method)().items()]

    def file_versions(self, record) -> list:
        """Earlier files of ``record`` (newest first), from its history: each a history row with
        ``file_name``; the current file is left out."""
        if not self.keeps_file_versions:
            return []
        current = getattr(record, self.file_field).name
        seen, versions = {current}, []
        rows = record.history.exclude(**{self.file_field: ""}).order_by("history_date")
        for row in rows.only("history_id", "history_date", self.file_field):
            name = str(getattr(row, self.file_field) or "")
            if name and name not in seen:  # the row where this file first appears: its upload
                seen.add(name)
                row.file_name = name
                versions.append(row)
        return versions[::-1]

    def version_file(self, record, history_id):
        """The file of ``record``'s history row ``history_id`` (404 when there is none)."""
        row = (
            record.history.filter(history_id=history_id).first()
            if self.keeps_file_versions
            else None
        )
        name = str(getattr(row, self.file_field) or "") if row is not None else ""
        if not name:
            raise Http404(self.file_missing)
        return FieldFile(record, record._meta.get_field(self.file_field), name)

    def file_response(self, record, upload=None) -> HttpResponse:
        upload = upload if upload is not None else getattr(record, self.file_field)
        if not upload:
            raise Http404(self.file_missing)
        if self.content_types is None:
            content_type = mimetypes.guess_type(upload.name)[0] or "application/octet-stream"
        else:
            extension = PurePath(upload.name).suffix.lower()
            content_type = self.content_types.get(extension, "application/octet-stream")
        if not self.download:
            return file_response(upload, content_type=content_type)
        return file_response(
            upload,
            as_attachment=True,
            filename=f"{self.title_of(record)}{PurePath(upload.name).suffix.lower()}",
            content_type=content_type,
        )


def registry_views(registry: Registry) -> SimpleNamespace:
    """The list, detail, file, create, update and delete views of ``registry``."""
    reg = registry

    def page_context(record=None, **context) -> dict:
        context = {"registry": reg, "record": record, **context}
        if record is not None:
            context["title"] = reg.title_of(record)
        return context

    @role_required(*READ_ROLES)
    def list_view(request):
        branch, choices = get_branch_choice(request, *READ_ROLES)
        form = reg.filter_form_class(request.GET or None, branch=branch)
        records = form.filter(reg.model.objects.for_branch(branch), *reg.filter_args())
        page = Paginator(
            records.select_related(*reg.related).order_by(*reg.ordering), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        detail, file = pk_url(reg.urls["detail"]), pk_url(reg.urls["file"])
        context = page_context(
            page=page,
            # each record with the links of its row, joined to prefixes reversed once
            rows=[(record, detail(record.pk), file(record.pk)) for record in page],
            form=form,
            counts=reg.counted(records),
            branch=branch,
            branch_choices=choices,
            can_manage=can_manage(request, branch),
        )
        return render(request, "includes/registry_list.html", context)

    @role_required(*READ_ROLES)
    def detail_view(request, pk):
        record = reg.get_for_user(request, pk, *READ_ROLES)
        context = page_context(
            record,
            badge=reg.badge[1] if getattr(record, reg.badge[0]) else "",
            can_manage=can_manage(request, record.branch),
            history=history_for(request.user, record, record.branch),
            file_versions=reg.file_versions(record),
        )
        return render(request, "includes/registry_detail.html", context)

    @role_required(*READ_ROLES)
    def file_view(request, pk):
        return reg.file_response(reg.get_for_user(request, pk, *READ_ROLES))

    @role_required(*READ_ROLES)
    def file_version_view(request, pk, history_id):
        record = reg.get_for_user(request, pk, *READ_ROLES)
        return reg.file_response(record, reg.version_file(record, history_id))

    @role_required(*MANAGE_ROLES)
    def create_view(request):
        branch, choices = get_branch_choice(request, *MANAGE_ROLES)
        form = reg.form_class(request.POST or None, request.FILES or None, branch=branch)
        if request.method == "POST" and form.is_valid():
            record = form.save()
            messages.success(request, f"已登记{reg.noun}“{reg.title_of(record)}”。")
            return redirect(reg.url("detail"), pk=record.pk)
        context = page_context(form=form, branch=branch, branch_choices=choices)
        return render(request, "includes/registry_form.html", context)

    @role_required(*MANAGE_ROLES)
    def update_view(request, pk):
        record = reg.get_for_user(request, pk, *MANAGE_ROLES)
        old_file = getattr(record, reg.file_field).name
        form = reg.form_class(
            request.POST or None, request.FILES or None, instance=record, branch=record.branch
        )
        if request.method == "POST" and form.is_valid() and save_or_conflict(form):
            upload = getattr(record, reg.file_field)
            if old_file and upload.name != old_file and not reg.keeps_file_versions:
                delete_after_commit(FieldFile(record, upload.field, old_file))
            messages.success(request, f"已保存{reg.noun}“{reg.title_of(record)}”。")
            return redirect(reg.url("detail"), pk=record.pk)
        history = history_for(request.user, record, record.branch)
        context = page_context(record, form=form, history=history)
        return render(request, "includes/registry_form.html", context)

    @role_required(*MANAGE_ROLES)
    def delete_view(request, pk):
        record = reg.get_for_user(request, pk, *MANAGE_ROLES)
        if request.method == "POST":
            with transaction.atomic():
                delete_after_commit(getattr(record, reg.file_field))
                record.delete()
            messages.success(request, f"已删除{reg.noun}“{reg.title_of(record)}”。")
            return redirect(f"{reverse(reg.url('list'))}?branch={record.branch_id}")
        context = {
            "object": record,
            "what": reg.noun,
            "cancel_url": reverse(reg.url("detail"), args=[record.pk]),
        }
        return render(request, "includes/confirm_delete.html", context)

    return SimpleNamespace(
        list=list_view,
        detail=detail_view,
        file=file_view,
        file_version=file_version_view,
        create=create_view,
        update=update_view,
        delete=delete_view,
    )
