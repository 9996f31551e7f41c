"""Views of the honors app: the registry of honors and 先进典型, with certificate images."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from activities.access import can_manage, get_branch_choice
from common.access import MANAGE_ROLES, READ_ROLES, role_required
from common.concurrency import save_or_conflict
from common.history import history_for

from .access import get_honor_for_user
from .forms import HonorFilterForm, HonorForm
from .models import Honor, Level

PAGE_SIZE = 30


def _list_url(branch) -> str:
    return f"{reverse('honors:honor-list')}?branch={branch.pk}"


def _forget_file(field_file) -> None:
    """Delete a replaced or orphaned upload once the database change is committed."""
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


@role_required(*READ_ROLES)
def honor_list(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    form = HonorFilterForm(request.GET or None, branch=branch)
    honors = form.filter(Honor.objects.for_branch(branch)).select_related("person")
    page = Paginator(honors.order_by("-awarded_on", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "honors/honor_list.html",
        {
            "page": page,
            "form": form,
            "by_level": [(Level(key).label, n) for key, n in honors.count_by_level().items()],
            "branch": branch,
            "branch_choices": choices,
            "can_manage": can_manage(request, branch),
        },
    )


@role_required(*READ_ROLES)
def honor_detail(request, pk):
    honor = get_honor_for_user(request, pk, *READ_ROLES)
    return render(
        request,
        "honors/honor_detail.html",
        {
            "honor": honor,
            "can_manage": can_manage(request, honor.branch),
            "history": history_for(request.user, honor, honor.branch),
        },
    )


@role_required(*READ_ROLES)
def honor_certificate(request, pk):
    honor = get_honor_for_user(request, pk, *READ_ROLES)
    if not honor.certificate:
        raise Http404("该荣誉没有证书图片。")
    content_type = mimetypes.guess_type(honor.certificate.name)[0] or "application/octet-stream"
    return FileResponse(honor.certificate.open("rb"), content_type=content_type)


@role_required(*MANAGE_ROLES)
def honor_create(request):
    branch, choices = get_branch_choice(request, *MANAGE_ROLES)
    form = HonorForm(request.POST or None, request.FILES or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        honor = form.save()
        messages.success(request, f"已登记荣誉“{honor.title}”。")
        return redirect("honors:honor-detail", pk=honor.pk)
    return render(
        request,
        "honors/honor_form.html",
        {"form": form, "branch": branch, "branch_choices": choices},
    )


@role_required(*MANAGE_ROLES)
def honor_update(request, pk):
    honor = get_honor_for_user(request, pk, *MANAGE_ROLES)
    old_certificate = honor.certificate.name
    form = HonorForm(
        request.POST or None, request.FILES or None, instance=honor, branch=honor.branch
    )
    if request.method == "POST" and form.is_valid() and save_or_conflict(form):
        with transaction.atomic():
            if old_certificate and honor.certificate.name != old_certificate:
                storage = honor.certificate.storage
                transaction.on_commit(lambda: storage.delete(old_certificate))
        messages.success(request, f"已保存荣誉“{honor.title}”。")
        return redirect("honors:honor-detail", pk=honor.pk)
    return render(
        request,
        "honors/honor_form.html",
        {"form": form, "honor": honor, "history": history_for(request.user, honor, honor.branch)},
    )


@role_required(*MANAGE_ROLES)
def honor_delete(request, pk):
    honor = get_honor_for_user(request, pk, *MANAGE_ROLES)
    if request.method == "POST":
        with transaction.atomic():
            _forget_file(honor.certificate)
            honor.delete()
        messages.success(request, f"已删除荣誉“{honor.title}”。")
        return redirect(_list_url(honor.branch))
    return render(
        request,
        "honors/honor_delete.html",
        {
            "object": honor,
            "what": "荣誉",
            "cancel_url": reverse("honors:honor-detail", args=[honor.pk]),
        },
    )
