"""URLs of the 後期高齢者医療 staff screens, mounted under ``/late_elderly_medical/``."""

from django.urls import path

from yakuba.late_elderly_medical.ui import views

app_name = "late_elderly_medical"

urlpatterns = [
    path("", views.SCREENS.lookup, name="lookup"),
    path("reached/", views.SCREENS.reached, name="reached"),
    path("calculate/", views.calculate, name="calculate"),
]
