"""URLs of the 個人住民税 staff screens, mounted under ``/tax/``."""

from django.urls import path

from yakuba.tax.ui import views

app_name = "tax"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("notice/", views.notice, name="notice"),
]
