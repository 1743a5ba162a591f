"""URLs of the 児童手当 staff screens, mounted under ``/child_allowance/``. Persons and items are
named in the query string, so no path segment takes a value."""

from django.urls import path

from yakuba.child_allowance.ui import forms, views, work_views

app_name = "child_allowance"

urlpatterns = [
    path("", views.lookup_view, name="lookup"),
    path("list/", views.list_view, name="list"),
    path("work/", work_views.work_list, name="work"),
    path("claim/", forms.claim, name="claim"),
    path("revise/", forms.revise, name="revise"),
    path("end/", forms.end, name="end"),
]
