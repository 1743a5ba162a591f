"""URLs of the 国民健康保険 staff screens, mounted under ``/health_insurance/``. Persons, items and
年度 are named in the query string, so no path segment takes a value."""

from django.urls import path

from yakuba.health_insurance.ui import rates_views, views, work_views

app_name = "health_insurance"

urlpatterns = [
    path("", views.lookup_view, name="lookup"),
    path("premium/", views.premium_view, name="premium"),
    path("work/", work_views.work_list, name="work"),
    path("work/enrol/", work_views.enrol, name="enrol"),
    path("work/close/", work_views.close, name="close"),
    path("withdraw/", work_views.withdraw, name="withdraw"),
    path("correct/", work_views.correct, name="correct"),
    path("rates/", rates_views.rates_view, name="rates"),
    path("rates/edit/", rates_views.rates_edit, name="rates-edit"),
]
