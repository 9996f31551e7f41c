from django.urls import path

from . import views

app_name = "mechanisms"

urlpatterns = [
    path("", views.mechanism_list, name="mechanism-list"),
    path("new/", views.mechanism_create, name="mechanism-create"),
    path("<int:pk>/", views.mechanism_detail, name="mechanism-detail"),
    path("<int:pk>/edit/", views.mechanism_update, name="mechanism-update"),
    path("<int:pk>/delete/", views.mechanism_delete, name="mechanism-delete"),
    path("<int:pk>/document/", views.mechanism_document, name="mechanism-document"),
    path("featured/", views.featured_work_list, name="featured-work-list"),
    path("featured/new/", views.featured_work_create, name="featured-work-create"),
    path("featured/<int:pk>/edit/", views.featured_work_update, name="featured-work-update"),
    path("featured/<int:pk>/delete/", views.featured_work_delete, name="featured-work-delete"),
    path(
        "<int:pk>/document/<int:history_id>/",
        views.mechanism_document_version,
        name="mechanism-document-version",
    ),
]
