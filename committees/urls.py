from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("", views.branch_overview, name="branch-overview"),
    path("export.xlsx", views.branch_overview_export, name="branch-overview-export"),
]
