"""URLs of the 個人住民税 staff screens, mounted under ``/tax/``."""

from django.urls import path

from yakuba.tax.ui import notice_views, views

app_name = "tax"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("notice/", views.notice, name="notice"),
    path("employer-notice/", notice_views.employer_notice, name="employer-notice"),
]
