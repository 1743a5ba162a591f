"""成年後見の登記事項通知 at the counter (civil-facts §2.1): the 法務局's notice that a person came
under 後見 (or that it ended) is typed from the person's page; ``services.guardianship.receive``
keeps it and, where the 条例 says so, strikes the open registration off from the 受付日. Dates are
typed as the clerk reads them (令和8年4月1日, R8.4.1, 2026-04-01); every refusal at its field.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yakuba.platform.japanese.wareki import WarekiError, parse_wareki
from yakuba.platform.ui.staff import staff_view
from yakuba.seal_registration import access
from yakuba.seal_registration.codes import GuardianshipKind
from yakuba.seal_registration.services import guardianship, registrations
from yakuba.seal_registration.services.registrations import Refused
from yakuba.seal_registration.ui.views import (
    ACTIVE,
    VISIBILITY,
    asked_person,
    audit_read,
    by_input,
    not_found,
    person_url,
    summary_of,
)

LABELS = {"kind": "通知の種類", "registered_on": "登記日", "received_on": "受付日"}
NO_DATE = "{label}を入力してください（例 令和8年4月1日、R8.4.1、2026-04-01）"


def _date(text: str, field: str, errors: list) -> date | None:
    if not text:
        if field == "registered_on":
            errors.append((field, NO_DATE.format(label=LABELS[field])))
        return None
    try:
        return parse_wareki(unicodedata.normalize("NFKC", text))
    except WarekiError as exc:
        errors.append((field, f"{LABELS[field]}：{exc}"))
        return None


@staff_view(roles=access.STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def guardianship_view(request):
    """GET the form for ``?atena_no=``; POST keeps the notice (and strikes off where it must)."""
    atena_no, person = asked_person(request)
    if person is None:
        return not_found(request, registrations.NOT_FOUND.format(atena_no=atena_no))
    source = request.POST if request.method == "POST" else request.GET
    given = {k: source.get(k, "").strip()[:40] for k in ("kind", "registered_on", "received_on")}
    given["kind"] = given["kind"] or GuardianshipKind.STARTED
    context = {"person": person, "given": given, "kinds": GuardianshipKind.choices, "active": ACTIVE}
    if request.method == "GET":
        audit_read([atena_no])
        return render(request, "seal_registration/guardianship.html", context | {"errors": {}})
    errors: list[tuple[str, str]] = []
    registered_on = _date(given["registered_on"], "registered_on", errors)
    received_on = _date(given["received_on"], "received_on", errors)
    if given["kind"] not in GuardianshipKind.values:
        errors.append(("kind", "通知の種類を選んでください"))
    try:
        if errors:
            raise Refused(errors)
        done = guardianship.receive(
            atena_no,
            GuardianshipKind(given["kind"]),
            registered_on,
            received_on=received_on,
            visibility=VISIBILITY,
        )
    except Refused as refused:
        found = by_input(refused.errors, {})
        return render(
            request,
            "seal_registration/guardianship.html",
            context | {"errors": found, "summary": summary_of(found, LABELS)},
            status=422,
        )
    struck = (
        f"。印鑑登録番号 {done.struck_registration_no} の登録を抹消しました"
        if done.struck_registration_no
        else ""
    )
    messages.success(request, f"登記事項通知（{done.kind.label}）を受け付けました{struck}")
    return redirect(person_url(atena_no))
