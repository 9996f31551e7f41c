from django.urls import path, re_path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="report-index"),
    path("<int:branch_pk>/", views.report_branch, name="report-branch"),
    re_path(
        r"^(?P<branch_pk>[0-9]+)/(?P<kind>summary|table)/$",
        views.report_preview,
        name="report-preview",
    ),
    re_path(
        r"^(?P<branch_pk>[0-9]+)/(?P<kind>summary|table)\.(?P<fmt>docx|xlsx|html|pdf)$",
        views.report_download,
        name="report-download",
    ),
    path("<int:branch_pk>/reports.zip", views.report_bundle, name="report-bundle"),
    re_path(
        r"^(?P<branch_pk>[0-9]+)/(?P<kind>summary|table)/options/$",
        views.report_options,
        name="report-options",
    ),
    path(
        "<int:branch_pk>/campaigns/<int:campaign_pk>/narrative/",
        views.narrative_list,
        name="narrative-list",
    ),
    path(
        "<int:branch_pk>/campaigns/<int:campaign_pk>/narrative/preview/",
        views.narrative_preview,
        name="narrative-preview",
    ),
    path(
        "<int:branch_pk>/campaigns/<int:campaign_pk>/narrative/carrier/<int:carrier_pk>/",
        views.narrative_edit,
        name="narrative-carrier-edit",
    ),
    path(
        "<int:branch_pk>/campaigns/<int:campaign_pk>/narrative/<slug:section>/",
        views.narrative_edit,
        name="narrative-edit",
    ),
]
