import os

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from activities.urls import urlpatterns as activity_patterns
from members.access import COMMITTEE, MEMBER, SECRETARY, STAFF, public, role_required
from members.forms import AdminLoginForm, LoginForm, ThrottledPasswordChangeForm
from reports.views import dashboard

from . import views

ALL_ROLES = (SECRETARY, STAFF, MEMBER, COMMITTEE)  # password change: every signed-in role

admin.site.site_header = "党支部创先争优工作平台 · 管理后台"
admin.site.site_title = "创先争优工作平台"
admin.site.index_title = "数据管理"
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("members/", include("members.urls")),
    path("pledges/", include("pledges.urls")),
    # The dashboard reads every app, so it lives in reports; its URL name stays activities:dashboard.
    path(
        "activities/",
        include(
            ([path("dashboard/", dashboard, name="dashboard"), *activity_patterns], "activities")
        ),
    ),
    path("honors/", include("honors.urls")),
    path("mechanisms/", include("mechanisms.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("recruitment/", include("recruitment.urls")),
    path("dues/", include("dues.urls")),
    path("reports/", include("reports.urls")),
    path("committee/", include("committees.urls")),
    path("obligations/", include("obligations.urls")),
    path(
        "login/", public(auth_views.LoginView.as_view(authentication_form=LoginForm)), name="login"
    ),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/change/",
        role_required(*ALL_ROLES)(
            auth_views.PasswordChangeView.as_view(form_class=ThrottledPasswordChangeForm)
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        role_required(*ALL_ROLES)(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
]

if os.environ.get("BENCH") == "1":  # the load benchmark's reference page (bench/load.py)
    from bench.ping import ping

    urlpatterns.append(path("bench/ping/", ping, name="bench-ping"))
