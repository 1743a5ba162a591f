"""URLs of the 住所辞書 staff screens, mounted under ``/address/``."""

from django.urls import path

from yakuba.address.ui import views

app_name = "address"

urlpatterns = [
    path("", views.town_areas, name="town-areas"),
    path("import/", views.import_file, name="import"),
    path("load-postal/", views.load_postal, name="load-postal"),
]
