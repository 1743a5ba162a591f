"""Screens of the certificates app, under ``/certificates/``.

``verify/`` and ``verify/<団体コード>/`` are public (no sign-in): the verification page
(docs/certificates.md, "Verification").
"""

from django.urls import path

from yakuba.certificates.ui import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify_page, name="verify"),
    path("verify/<str:lg_code>/", views.verify_page, name="verify-municipality"),
]
