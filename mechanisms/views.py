"""Views of the mechanisms app: the registry of the branch's rules (制度), with their documents."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from activities.access import can_manage, get_branch_choice
from common.access import MANAGE_ROLES, READ_ROLES, role_required
from common.concurrency import save_or_conflict
from common.history import history_for

from .access import get_mechanism_for_user
from .forms import DOCUMENT_CONTENT_TYPES, MechanismFilterForm, MechanismForm
from .models import Category, Mechanism

PAGE_SIZE = 30


def _list_url(branch) -> str:
    return f"{reverse('mechanisms:mechanism-list')}?branch={branch.pk}"


@role_required(*READ_ROLES)
def mechanism_list(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    form = MechanismFilterForm(request.GET or None, branch=branch)
    mechanisms = form.filter(Mechanism.objects.for_branch(branch), timezone.localdate())
    page = Paginator(
        mechanisms.select_related("campaign").order_by("category", "established_on", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    counts = mechanisms.count_by_category()
    return render(
        request,
        "mechanisms/mechanism_list.html",
        {
            "page": page,
            "form": form,
            "by_category": [(Category(key).label, n) for key, n in counts.items()],
            "branch": branch,
            "branch_choices": choices,
            "can_manage": can_manage(request, branch),
        },
    )


@role_required(*READ_ROLES)
def mechanism_detail(request, pk):
    mechanism = get_mechanism_for_user(request, pk, *READ_ROLES)
    return render(
        request,
        "mechanisms/mechanism_detail.html",
        {
            "mechanism": mechanism,
            "can_manage": can_manage(request, mechanism.branch),
            "history": history_for(request.user, mechanism, mechanism.branch),
        },
    )


@role_required(*READ_ROLES)
def mechanism_document(request, pk):
    mechanism = get_mechanism_for_user(request, pk, *READ_ROLES)
    if not mechanism.document:
        raise Http404("该制度没有上传文件。")
    extension = PurePath(mechanism.document.name).suffix.lower()
    return FileResponse(
        mechanism.document.open("rb"),
        as_attachment=True,
        filename=f"{mechanism.name}{extension}",
        content_type=DOCUMENT_CONTENT_TYPES.get(extension, "application/octet-stream"),
    )


@role_required(*MANAGE_ROLES)
def mechanism_create(request):
    branch, choices = get_branch_choice(request, *MANAGE_ROLES)
    form = MechanismForm(request.POST or None, request.FILES or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        mechanism = form.save()
        messages.success(request, f"已登记制度“{mechanism.name}”。")
        return redirect("mechanisms:mechanism-detail", pk=mechanism.pk)
    return render(
        request,
        "mechanisms/mechanism_form.html",
        {"form": form, "branch": branch, "branch_choices": choices},
    )


@role_required(*MANAGE_ROLES)
def mechanism_update(request, pk):
    mechanism = get_mechanism_for_user(request, pk, *MANAGE_ROLES)
    old_document = mechanism.document.name
    form = MechanismForm(
        request.POST or None, request.FILES or None, instance=mechanism, branch=mechanism.branch
    )
    if request.method == "POST" and form.is_valid() and save_or_conflict(form):
        with transaction.atomic():
            if old_document and mechanism.document.name != old_document:
                storage = mechanism.document.storage
                transaction.on_commit(lambda: storage.delete(old_document))
        messages.success(request, f"已保存制度“{mechanism.name}”。")
        return redirect("mechanisms:mechanism-detail", pk=mechanism.pk)
    return render(
        request,
        "mechanisms/mechanism_form.html",
        {
            "form": form,
            "mechanism": mechanism,
            "history": history_for(request.user, mechanism, mechanism.branch),
        },
    )


@role_required(*MANAGE_ROLES)
def mechanism_delete(request, pk):
    mechanism = get_mechanism_for_user(request, pk, *MANAGE_ROLES)
    if request.method == "POST":
        with transaction.atomic():
            if mechanism.document:
                storage, name = mechanism.document.storage, mechanism.document.name
                transaction.on_commit(lambda: storage.delete(name))
            mechanism.delete()
        messages.success(request, f"已删除制度“{mechanism.name}”。")
        return redirect(_list_url(mechanism.branch))
    return render(
        request,
        "mechanisms/mechanism_delete.html",
        {
            "object": mechanism,
            "what": "制度",
            "cancel_url": reverse("mechanisms:mechanism-detail", args=[mechanism.pk]),
        },
    )
