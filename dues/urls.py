from django.urls import path

from . import views

app_name = "dues"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("people/<int:pk>/", views.person_dues, name="person-dues"),
    path("people/<int:pk>/pay/", views.payment_create, name="payment-create"),
    path("people/<int:pk>/base/", views.base_create, name="base-create"),
    path("payments/<int:pk>/reverse/", views.payment_reverse_view, name="payment-reverse"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/export/", views.ledger_export, name="ledger-export"),
    path("record/", views.record_month, name="record-month"),
    path("arrears/", views.arrears, name="arrears"),
    path("bases/", views.base_list, name="base-list"),
    path("bases/year/", views.base_year, name="base-year"),
    path("bases/import/", views.base_import_view, name="base-import"),
    path("bases/template/", views.base_template_download, name="base-template"),
    path("summary/", views.summary, name="summary"),
    path("committee/", views.committee, name="committee"),
]
