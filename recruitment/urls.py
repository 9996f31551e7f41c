from django.urls import path

from . import views

app_name = "recruitment"

urlpatterns = [
    path("", views.pipeline, name="pipeline"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.dossier, name="dossier"),
    path("<int:pk>/dossier.docx", views.dossier_export, name="dossier-export"),
    path("<int:pk>/step/<slug:step>/", views.step, name="step"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.approve, name="approve"),
    path("<int:pk>/waive/", views.waive, name="waive"),
    path("rules/", views.rules, name="rules"),
    path("rules/override/", views.rule_override, name="rule-override"),
]
