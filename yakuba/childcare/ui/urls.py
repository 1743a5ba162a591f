"""URLs of the 保育 staff screens, mounted under ``/childcare/``."""

from django.urls import path

from yakuba.childcare.ui import views

app_name = "childcare"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("certify/", views.certify, name="certify"),
    path("apply/", views.apply, name="apply"),
    path("fee/", views.decide, name="decide"),
    path("allocations/", views.runs, name="runs"),
    path("expiring/", views.expiring, name="expiring"),
    path("allocations/<int:run>/", views.run, name="run"),
    path("calculate/", views.calculate, name="calculate"),
    path("certificates/<str:number>.pdf", views.certificate, name="certificate"),
    path("fees/<str:number>.pdf", views.fee_notice, name="fee_notice"),
]
