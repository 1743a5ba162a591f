"""URLs of the 介護保険 staff screens, mounted under ``/long_term_care/``."""

from django.urls import path

from yakuba.long_term_care.ui import views

app_name = "long_term_care"

urlpatterns = [
    path("", views.SCREENS.lookup, name="lookup"),
    path("reached/", views.SCREENS.reached, name="reached"),
    path("calculate/", views.calculate, name="calculate"),
]
