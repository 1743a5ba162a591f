"""URLs of the 保育 staff screens, mounted under ``/childcare/``."""

from django.urls import path, re_path

from yakuba.childcare.ui import views

app_name = "childcare"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("certify/", views.certify, name="certify"),
    path("apply/", views.apply, name="apply"),
    path("fee/", views.decide, name="decide"),
    path("allocations/", views.runs, name="runs"),
    path("expiring/", views.expiring, name="expiring"),
    path("work/", views.work, name="work"),
    path("allocations/<int:run>/", views.run, name="run"),
    path("allocations/<int:run>.csv", views.run_csv, name="run_csv"),
    path("calculate/", views.calculate, name="calculate"),
    re_path(r"^certificates/(?P<number>\d{8})\.pdf$", views.certificate, name="certificate"),
    re_path(r"^fees/(?P<number>\d{8})\.pdf$", views.fee_notice, name="fee_notice"),
]
