"""Screens of the certificates app, under ``/certificates/``.

``verify/`` and ``verify/<団体コード>/`` are public (no sign-in): the verification page
(docs/certificates.md, "Verification").
"""

from django.urls import path

from yakuba.certificates.ui import issue_views, ledger_views, settings_views, views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify_page, name="verify"),
    path("verify/<str:lg_code>/", views.verify_page, name="verify-municipality"),
    # Staff screens (issue, 交付履歴, settings): signed in, roles per view.
    path("issue/", issue_views.issue, name="issue"),
    path("issued/<str:number>/", issue_views.issued, name="issued"),
    path("issued/<str:number>/pdf/", issue_views.pdf, name="pdf"),
    path("ledger/", ledger_views.ledger_search, name="ledger"),
    path("ledger/daily.csv", ledger_views.daily_csv, name="daily-csv"),
    path("ledger/<str:number>/reissue/", ledger_views.reissue, name="reissue"),
    path("ledger/<str:number>/void/", ledger_views.void, name="void"),
    path("settings/", settings_views.issuer_settings, name="settings"),
]
