"""URLs of the 戸籍係's screens, mounted under ``/koseki/``. 戸籍, persons and 届出 are named in the
query string, so no path segment takes a value."""

from django.urls import path

from yakuba.koseki.ui import certificate_views, notify_views, views

app_name = "koseki"

urlpatterns = [
    path("", views.search_view, name="search"),
    path("register/", views.register_view, name="register"),
    path("person/", views.person_view, name="person"),
    path("notify/", notify_views.notify_view, name="notify"),
    path("ledger/", views.ledger_view, name="ledger"),
    path("ledger/notification/", views.notification_view, name="notification"),
    path("furigana/", views.furigana_view, name="furigana"),
    path("certificate/", certificate_views.certificate_view, name="certificate"),
]
