"""Views of the mechanisms app: the registry of the branch's rules (制度), with their documents.

The views are the shared registry's (``members/registry.py``); what is the mechanisms' own is data.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from common.concurrency import save_or_conflict
from members.access import (
    MANAGE_ROLES,
    READ_ROLES,
    can_manage,
    get_branch_choice,
    role_required,
)
from members.registry import Registry, registry_views

from .access import get_featured_work_for_user, get_mechanism_for_user
from .forms import DOCUMENT_CONTENT_TYPES, FeaturedWorkForm, MechanismFilterForm, MechanismForm
from .models import Category, FeaturedWork, Mechanism

MECHANISMS = Registry(
    namespace="mechanisms",
    slug="mechanism",
    model=Mechanism,
    form_class=MechanismForm,
    filter_form_class=MechanismFilterForm,
    get_for_user=get_mechanism_for_user,
    noun="制度",
    heading="制度与长效机制",
    title_field="name",
    badge=("is_new", "创先争优中新建"),
    ordering=("category", "established_on", "pk"),
    related=("campaign",),
    counts=("count_by_category", Category),
    counts_id="mechanism-categories",
    columns=(
        ("类别", ""),
        ("制度名称", ""),
        ("建立日期", "d-none d-md-table-cell"),
        ("所属活动", "d-none d-lg-table-cell"),
        ("文件", "d-none d-sm-table-cell"),
    ),
    file_field="document",
    file_missing="该制度没有上传文件。",
    download=True,
    content_types=DOCUMENT_CONTENT_TYPES,
    filter_args=lambda: (timezone.localdate(),),  # in force on which day: today
    keeps_file_versions=True,  # a revised rule keeps its earlier texts
)

VIEWS = registry_views(MECHANISMS)
mechanism_list = VIEWS.list
mechanism_detail = VIEWS.detail
mechanism_document = VIEWS.file
mechanism_document_version = VIEWS.file_version
mechanism_create = VIEWS.create
mechanism_update = VIEWS.update
mechanism_delete = VIEWS.delete


# 党建特色工作 (the branch's featured works, listed in the mechanism table) --------------------


def _featured_list_url(branch) -> str:
    return f"{reverse('mechanisms:featured-work-list')}?branch={branch.pk}"


@role_required(*READ_ROLES)
def featured_work_list(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    works = FeaturedWork.objects.filter(branch=branch).select_related("carrier").order_by("order")
    return render(
        request,
        "mechanisms/featuredwork_list.html",
        {
            "works": list(works),
            "branch": branch,
            "branch_choices": choices,
            "can_manage": can_manage(request, branch),
        },
    )


def _featured_form_page(request, form, branch, heading, choices=None):
    return render(
        request,
        "mechanisms/featuredwork_form.html",
        {
            "form": form,
            "branch": branch,
            "branch_choices": choices,
            "heading": heading,
            "back_url": _featured_list_url(branch),
            "back_label": "党建特色工作",
        },
    )


@role_required(*MANAGE_ROLES)
def featured_work_create(request):
    branch, choices = get_branch_choice(request, *MANAGE_ROLES)
    last = FeaturedWork.objects.filter(branch=branch).order_by("-order").first()
    form = FeaturedWorkForm(
        request.POST or None,
        instance=FeaturedWork(branch=branch),
        initial={"order": (last.order if last else 0) + 1},
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "已添加党建特色工作。")
        return redirect(_featured_list_url(branch))
    return _featured_form_page(
        request, form, branch, f"{branch.short_name} · 添加党建特色工作", choices
    )


@role_required(*MANAGE_ROLES)
def featured_work_update(request, pk):
    work = get_featured_work_for_user(request, pk, *MANAGE_ROLES)
    form = FeaturedWorkForm(request.POST or None, instance=work)
    if request.method == "POST" and form.is_valid() and save_or_conflict(form):
        messages.success(request, "已保存党建特色工作。")
        return redirect(_featured_list_url(work.branch))
    return _featured_form_page(request, form, work.branch, "编辑党建特色工作")


@role_required(*MANAGE_ROLES)
def featured_work_delete(request, pk):
    work = get_featured_work_for_user(request, pk, *MANAGE_ROLES)
    if request.method == "POST":
        work.delete()
        messages.success(request, "已删除党建特色工作。")
        return redirect(_featured_list_url(work.branch))
    return render(
        request,
        "mechanisms/featuredwork_delete.html",
        {"what": "党建特色工作", "object": work, "cancel_url": _featured_list_url(work.branch)},
    )
