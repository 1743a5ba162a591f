"""URLs of the 選挙人名簿 staff screens, mounted under ``/elections/``. Persons and 申出 are named
in the query string, so no path segment takes a value."""

from django.urls import path

from yakuba.elections.ui import views

app_name = "elections"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("person/", views.person_view, name="person"),
    path("runs/", views.runs_view, name="runs"),
    path("precincts/", views.precincts_view, name="precincts"),
    path("extract/", views.extract_view, name="extract"),
    path("periods/", views.periods_view, name="periods"),
    path("viewings/", views.viewings_view, name="viewings"),
    path("viewings/one/", views.viewing_view, name="viewing"),
    path("viewings/published/", views.published_view, name="published"),
]
