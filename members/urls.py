from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.person_list, name="person-list"),
    path("export/", views.person_export, name="person-export"),
    path("new/", views.person_create, name="person-create"),
    path("<int:pk>/", views.person_detail, name="person-detail"),
    path("<int:pk>/edit/", views.person_update, name="person-update"),
    path("<int:pk>/year-review/", views.person_year_review, name="person-year-review"),
    path("<int:pk>/year-review/word/", views.person_year_review_docx, name="year-review-docx"),
    path("<int:pk>/status/", views.person_status, name="person-status"),
    path("<int:pk>/transfer-out/", views.person_transfer_out, name="person-transfer-out"),
    path("<int:pk>/transfer-in/", views.person_transfer_in, name="person-transfer-in"),
    path("<int:pk>/posts/new/", views.branch_post_create, name="branch-post-create"),
    path("posts/<int:pk>/end/", views.branch_post_end, name="branch-post-end"),
    path("import/", views.roster_import_upload, name="roster-import"),
    path("import/template/", views.roster_template_download, name="roster-template"),
    path("import/preview/", views.roster_import_preview, name="roster-import-preview"),
    path("import/confirm/", views.roster_import_confirm, name="roster-import-confirm"),
    path("groups/", views.party_group_list, name="party-group-list"),
    path("groups/new/", views.party_group_create, name="party-group-create"),
    path("groups/<int:pk>/", views.party_group_detail, name="party-group-detail"),
    path("groups/<int:pk>/edit/", views.party_group_update, name="party-group-update"),
    path("groups/<int:pk>/join/", views.party_group_join, name="party-group-join"),
    path(
        "group-places/<int:pk>/end/",
        views.party_group_membership_end,
        name="party-group-membership-end",
    ),
    path("leading-group/", views.leading_role_list, name="leading-role-list"),
    path("leading-group/new/", views.leading_role_create, name="leading-role-create"),
    path("leading-group/<int:pk>/edit/", views.leading_role_update, name="leading-role-update"),
    path(
        "leading-group/<int:pk>/replace/",
        views.leading_role_replace,
        name="leading-role-replace",
    ),
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/new/", views.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_update, name="campaign-update"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign-close"),
    path("campaigns/<int:pk>/reopen/", views.campaign_reopen, name="campaign-reopen"),
    path("campaigns/<int:pk>/carriers/new/", views.carrier_create, name="carrier-create"),
    path("carriers/<int:pk>/edit/", views.carrier_update, name="carrier-update"),
    path("carriers/<int:pk>/delete/", views.carrier_delete, name="carrier-delete"),
    path("ratings/", views.rating_list, name="rating-list"),
    path("ratings/new/", views.rating_create, name="rating-create"),
    path("ratings/<int:pk>/edit/", views.rating_update, name="rating-update"),
]
