"""URLs of the 国民年金 staff screens, mounted under ``/national_pension/``."""

from django.urls import path

from yakuba.national_pension.ui import views

app_name = "national_pension"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("reached/", views.entrants, name="reached"),
    path("calculate/", views.calculate, name="calculate"),
]
