"""URLs of the 児童扶養手当 staff screens, mounted under ``/child_support_allowance/``. Persons and
支給年度 are named in the query string, so no path segment takes a value."""

from django.urls import path

from yakuba.child_support_allowance.ui import views

app_name = "child_support_allowance"

urlpatterns = [
    path("", views.lookup_view, name="lookup"),
    path("claim/", views.claim_view, name="claim"),
    path("report/", views.report_view, name="report"),
    path("child/", views.add_child_view, name="add-child"),
    path("end/", views.end_view, name="end"),
    path("work/", views.work_view, name="work"),
]
