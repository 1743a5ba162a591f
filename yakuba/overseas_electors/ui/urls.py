"""URLs of the 在外選挙人名簿 staff screens, mounted under ``/overseas_electors/``. Entries and
applications are named in the query string or the form, so no path segment takes a value."""

from django.urls import path

from yakuba.overseas_electors.ui import views

app_name = "overseas_electors"

urlpatterns = [
    path("", views.book_view, name="book"),
    path("entry/", views.entry_view, name="entry"),
    path("entry/came-home/", views.came_home_view, name="came_home"),
    path("entry/strike-off/", views.strike_off_view, name="strike_off"),
    path("entry/card/", views.card_view, name="card"),
    path("applications/", views.applications_view, name="applications"),
    path("applications/departure/", views.departure_view, name="departure"),
    path("applications/mission/", views.mission_view, name="mission"),
    path("applications/register/", views.register_view, name="register"),
    path("work/", views.work_view, name="work"),
    path("work/sent/", views.sent_view, name="sent"),
    path("work/print/", views.print_view, name="print"),
]
