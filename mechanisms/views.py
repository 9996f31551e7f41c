"""Views of the mechanisms app: the registry of the branch's rules (制度), with their documents.

The views are the shared registry's (``members/registry.py``); what is the mechanisms' own is data.
"""

from __future__ import annotations

from django.utils import timezone

from members.registry import Registry, registry_views

from .access import get_mechanism_for_user
from .forms import DOCUMENT_CONTENT_TYPES, MechanismFilterForm, MechanismForm
from .models import Category, Mechanism

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
