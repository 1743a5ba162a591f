"""Screens of the certificates app, under ``/certificates/``.

``verify/`` and ``verify/<団体コード>/`` are public (no sign-in): the verification page
(docs/certificates.md, "Verification").
"""

from django.urls import path, re_path

from yakuba.certificates.ui import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify_page, name="verify"),
    re_path(r"^verify/(?P<lg_code>\d{6})/$", views.verify_page, name="verify-municipality"),
]
