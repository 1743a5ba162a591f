"""URLs of the 統計 staff screens, mounted under ``/statistics/``."""

from django.urls import path

from yakuba.statistics.ui import views

app_name = "statistics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("pyramid/", views.pyramid_image, name="pyramid"),
    path("download/population/", views.download_population, name="download-population"),
    path("download/monthly/", views.download_monthly, name="download-monthly"),
]
