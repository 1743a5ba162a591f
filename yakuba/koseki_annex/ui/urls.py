"""URLs of the 附票 screens, mounted under ``/koseki_annex/``. A 附票 is named in the query string
(本籍 and 筆頭者), so no path segment takes a value."""

from django.urls import path

from yakuba.koseki_annex.ui import views

app_name = "koseki_annex"

urlpatterns = [
    path("", views.search_view, name="search"),
    path("annex/", views.annex_view, name="annex"),
    path("notices/", views.notices_view, name="notices"),
    path("notices/out/", views.notices_out_view, name="notices_out"),
    path("copy/", views.copy_view, name="copy"),
]
