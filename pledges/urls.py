from django.urls import path

from . import views

app_name = "pledges"

urlpatterns = [
    path("", views.my_pledges, name="my-pledges"),
    path("branch/", views.pledge_list, name="pledge-list"),
    path("campaigns/<int:campaign_pk>/new/", views.pledge_create, name="pledge-create"),
    path(
        "campaigns/<int:campaign_pk>/branch-pledge/",
        views.branch_pledge_create,
        name="branch-pledge-create",
    ),
    path(
        "campaigns/<int:campaign_pk>/publication/",
        views.publication_edit,
        name="publication-edit",
    ),
    path("<int:pk>/", views.pledge_detail, name="pledge-detail"),
    path("<int:pk>/edit/", views.pledge_edit, name="pledge-edit"),
    path("<int:pk>/submit/", views.pledge_submit, name="pledge-submit"),
    path("<int:pk>/review/", views.pledge_review, name="pledge-review"),
    path("<int:pk>/sign/", views.pledge_sign, name="pledge-sign"),
    path("<int:pk>/revise/", views.pledge_revise, name="pledge-revise"),
    path("<int:pk>/history/", views.pledge_history, name="pledge-history"),
    path("photos/<int:pk>/<str:kind>/", views.photo_file, name="photo-file"),
    path("items/<int:pk>/progress/", views.item_progress, name="item-progress"),
    path("items/<int:pk>/rate/", views.item_rate, name="item-rate"),
    path("objections/", views.objection_list, name="objection-list"),
    path("objections/<int:pk>/handle/", views.objection_handle, name="objection-handle"),
    # 公示: public, no login.
    path("public/<int:branch_pk>/", views.public_index, name="public-index"),
    path("public/<int:branch_pk>/<int:campaign_pk>/", views.public_page, name="public-page"),
    path(
        "public/<int:branch_pk>/<int:campaign_pk>/objection/",
        views.public_objection,
        name="public-objection",
    ),
    path(
        "public/<int:branch_pk>/<int:campaign_pk>/screen/",
        views.public_screen,
        name="public-screen",
    ),
    path(
        "public/<int:branch_pk>/<int:campaign_pk>/data.json",
        views.public_data,
        name="public-data",
    ),
]
