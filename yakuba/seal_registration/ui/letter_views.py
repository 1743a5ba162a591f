"""The 照会書 as mailed (civil-facts §2.3): when the applicant cannot be confirmed at the counter
(no photo ID and no 保証書, or a 代理人), the municipality mails a 照会書 to the address in the
住民基本台帳 — never to one the applicant gives — and registers when the person brings back its
回答書 by the deadline (洲本市: https://www.city.sumoto.hyogo.jp/soshiki/13/1144.html). The letter
carries its 回答書 to fill in. Printed on demand from the pending list and audited (``print``).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from yakuba.platform import pdf
from yakuba.platform.audit.log import Action, record
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.municipalities import lookup as municipality_of
from yakuba.platform.ui.staff import staff_view
from yakuba.seal_registration import access
from yakuba.seal_registration.services import queries, registrations
from yakuba.seal_registration.ui.views import CODE, VISIBILITY, not_found, resident_or_none

TITLE = "印鑑登録照会書"
NO_INQUIRY = "回答書待ちの照会書（照会番号 {no}）は見つかりません"


@staff_view(roles=access.STAFF_ROLES)
@require_http_methods(["GET"])
def letter_view(request):
    """The 照会書 and its 回答書 for ``?no=`` (照会番号), addressed to the registry's address."""
    number = request.GET.get("no", "").strip()[:8]
    inquiry = queries.waiting_inquiry(number, visibility=VISIBILITY) if CODE.match(number) else None
    person = resident_or_none(inquiry.atena_no) if inquiry else None
    if inquiry is None or person is None:
        return not_found(request, NO_INQUIRY.format(no=number))
    municipality = municipality_of(request.lg_code)
    body = pdf.render(
        "seal_registration/pdf/inquiry.html",
        {
            "title": TITLE,
            "inquiry": inquiry,
            "person": person,
            "municipality": municipality.full_name,
            "mayor": f"{municipality.name}長",
            "printed_on": format_wareki(timezone.localdate()),
            "sent_on": format_wareki(inquiry.sent_on),
            "deadline": format_wareki(inquiry.deadline),
        },
        stylesheets=(pdf.NOTICE_CSS,),
    )
    record(
        Action.PRINT,
        registrations.RESOURCE,
        subjects=[inquiry.atena_no],
        purpose=registrations.PURPOSE,
        detail={"inquiry_no": number, "document": TITLE},
    )
    response = HttpResponse(body, content_type=pdf.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = pdf.content_disposition(f"照会書-{number}.pdf")
    response["Cache-Control"] = "no-store"
    return response
