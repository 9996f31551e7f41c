from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.round_list, name="round-list"),
    path("new/", views.round_create, name="round-create"),
    path("mine/", views.my_evaluation, name="mine"),
    path("distribution/", views.distribution, name="distribution"),
    path("<int:pk>/", views.round_detail, name="round-detail"),
    path("<int:pk>/edit/", views.round_update, name="round-update"),
    path("<int:pk>/close/", views.round_close, name="round-close"),
    path("<int:pk>/grades/", views.round_decide, name="round-decide"),
    path("<int:pk>/export.<str:fmt>", views.round_export, name="round-export"),
    path("<int:pk>/self-assessment/", views.self_assessment, name="self-assessment"),
    path("<int:pk>/vote/", views.ballot, name="ballot"),
]
