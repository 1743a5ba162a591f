"""URLs of the 印鑑登録 counter screens, mounted under ``/seal_registration/``. Persons,
registrations and 照会書 are named in the query string, so no path segment takes a value."""

from django.urls import path

from yakuba.seal_registration.ui import (
    certificate_views,
    guardianship_views,
    letter_views,
    ordinance_views,
    views,
)

app_name = "seal_registration"

urlpatterns = [
    path("", views.person_view, name="person"),
    path("apply/", views.apply_view, name="apply"),
    path("registration/", views.registration_view, name="registration"),
    path("registration/end/", views.end_view, name="end"),
    path("inquiries/", views.inquiries_view, name="inquiries"),
    path("inquiries/answer/", views.answer_view, name="answer"),
    path("inquiries/letter/", letter_views.letter_view, name="letter"),
    path("certificate/", certificate_views.certificate_view, name="certificate"),
    path("guardianship/", guardianship_views.guardianship_view, name="guardianship"),
    path("ordinance/", ordinance_views.ordinance_view, name="ordinance"),
]
