"""Views of the honors app: the registry of honors and 先进典型, with certificate images.

The views are the shared registry's (``members/registry.py``); what is the honors' own is data.
"""

from __future__ import annotations

from members.registry import Registry, registry_views

from .access import get_honor_for_user
from .forms import HonorFilterForm, HonorForm
from .models import Honor, Level

HONORS = Registry(
    namespace="honors",
    slug="honor",
    model=Honor,
    form_class=HonorForm,
    filter_form_class=HonorFilterForm,
    get_for_user=get_honor_for_user,
    noun="荣誉",
    heading="荣誉与先进典型",
    title_field="title",
    badge=("is_typical", "先进典型"),
    ordering=("-awarded_on", "pk"),
    related=("person",),
    counts=("count_by_level", Level),
    counts_id="honor-levels",
    columns=(
        ("授予日期", ""),
        ("荣誉称号", ""),
        ("级别", ""),
        ("获奖对象", "d-none d-md-table-cell"),
        ("授予单位", "d-none d-lg-table-cell"),
        ("证书", "d-none d-sm-table-cell"),
    ),
    file_field="certificate",
    file_missing="该荣誉没有证书图片。",
)

VIEWS = registry_views(HONORS)
honor_list = VIEWS.list
honor_detail = VIEWS.detail
honor_certificate = VIEWS.file
honor_create = VIEWS.create
honor_update = VIEWS.update
honor_delete = VIEWS.delete
