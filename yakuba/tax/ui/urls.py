"""URLs of the 個人住民税 staff screens, mounted under ``/tax/``."""

from django.urls import path

from yakuba.tax.ui import certificate_views, declaration_views, notice_views, unmatched_views, views

app_name = "tax"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("notice/", views.notice, name="notice"),
    path("employer-notice/", notice_views.employer_notice, name="employer-notice"),
    path("recalculate/", views.recalculate, name="recalculate"),
    path("declaration/", declaration_views.declaration, name="declaration"),
    path("declaration/dependent/", declaration_views.dependent_row, name="declaration-dependent"),
    path("unmatched/", unmatched_views.unmatched_list, name="unmatched"),
    path("unmatched/<int:report_id>/", unmatched_views.resolve, name="unmatched-resolve"),
    path("certificate/", certificate_views.issue, name="certificate"),
]
