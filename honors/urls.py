from django.urls import path

from . import views

app_name = "honors"

urlpatterns = [
    path("", views.honor_list, name="honor-list"),
    path("new/", views.honor_create, name="honor-create"),
    path("<int:pk>/", views.honor_detail, name="honor-detail"),
    path("<int:pk>/edit/", views.honor_update, name="honor-update"),
    path("<int:pk>/delete/", views.honor_delete, name="honor-delete"),
    path("<int:pk>/certificate/", views.honor_certificate, name="honor-certificate"),
]
