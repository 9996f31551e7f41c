from django.urls import path

from . import views

app_name = "obligations"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("mine/", views.my_meetings, name="my-meetings"),
    path("committee/", views.heatmap, name="heatmap"),
    path("committee/export.xlsx", views.heatmap_export, name="heatmap-export"),
    path("rules/", views.rule_list, name="rule-list"),
    path("rules/new/", views.rule_create, name="rule-create"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule-edit"),
    path("feeds/branch/renew/", views.branch_feed_renew, name="branch-feed-renew"),
    path("feeds/mine/renew/", views.person_feed_renew, name="person-feed-renew"),
    path("feeds/<str:token>.ics", views.feed, name="feed"),
    path("digest/", views.digest_settings, name="digest-settings"),
]
