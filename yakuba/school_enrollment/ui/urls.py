"""URLs of the 学齢簿 staff screens, mounted under ``/school_enrollment/``. Children, schools and
grades are named in the query string, so no path segment takes a value."""

from django.urls import path

from yakuba.school_enrollment.ui import views

app_name = "school_enrollment"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("child/", views.child_view, name="child"),
    path("child/designate/", views.designate_view, name="designate"),
    path("child/guardian/", views.guardian_view, name="guardian"),
    path("export/", views.export_view, name="export"),
    path("work/", views.work_view, name="work"),
    path("work/notice/", views.notice_view, name="notice"),
    path("districts/", views.districts_view, name="districts"),
]
