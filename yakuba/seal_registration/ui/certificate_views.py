"""印鑑登録証明書 交付 at the counter (civil-facts §2.4): the clerk types the number of the
印鑑登録証 presented and who presents it (本人, or a 代理人 holding the card — no 委任状), then
the certificate is issued through ``services.certificate.issue`` (the certificates machinery:
numbered, signed, QR-verifiable, in the 交付履歴) and its PDF handed to the printer once (the
certificates door's ``handover``; the certificates app's screen serves it). Every refusal — no
card, an unknown card, a registration ended by a 転出, 死亡, 廃止届 or 亡失届 — at its field.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from yakuba.certificates.services import NotFound, RequesterInfo, RuleViolation, handover
from yakuba.platform.ui.staff import staff_view
from yakuba.seal_registration import access
from yakuba.seal_registration.services import certificate, ordinance
from yakuba.seal_registration.ui.views import ACTIVE, VISIBILITY, by_input, summary_of

REQUESTERS = (("self", "本人"), ("agent", "代理人（印鑑登録証を持参）"))
INPUTS = {
    "requester.type": "requester_type",
    "requester.atena_no": "requester_atena_no",
    "requester.name": "requester_name",
}
LABELS = {
    "card_no": "印鑑登録証の番号",
    "my_number_card": "マイナンバーカード",
    "requester_type": "請求者",
    "requester_atena_no": "本人の宛名番号",
    "requester_name": "代理人の氏名",
    "fee_exempt_reason": "手数料免除の理由",
}


def _form(request, form: dict, errors: dict | None = None, status: int = 200):
    errors = errors or {}
    return render(
        request,
        "seal_registration/certificate_form.html",
        {
            "form": form,
            "errors": errors,
            "summary": summary_of(errors, LABELS),
            "requesters": REQUESTERS,
            # where the 条例 makes the マイナンバーカード the 印鑑登録証 (the registrant only)
            "my_number_card_used": ordinance.in_force(timezone.localdate()).my_number_card_as_card,
            "active": ACTIVE,
        },
        status=status,
    )


@staff_view(roles=access.STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def certificate_view(request):
    """GET: the form (``?card_no=`` prefilled from a registration's page); POST: issue — with the
    印鑑登録証's number, or the registrant's own マイナンバーカード where the 条例 allows it."""
    source = request.POST if request.method == "POST" else request.GET
    form = {
        "card_no": source.get("card_no", "").strip()[:8],
        "requester_type": source.get("requester_type", "self"),
        "requester_atena_no": source.get("requester_atena_no", "").strip()[:15],
        "requester_name": source.get("requester_name", "").strip()[:100],
        "fee_exempt_reason": source.get("fee_exempt_reason", "").strip()[:100],
        "my_number_card": source.get("my_number_card") == "1",
    }
    if request.method == "GET":
        return _form(request, form)
    requester = RequesterInfo(
        type=form["requester_type"],
        atena_no=form["requester_atena_no"] if form["requester_type"] == "self" else "",
        name=form["requester_name"] if form["requester_type"] == "agent" else "",
    )
    try:
        issued = certificate.issue(
            form["card_no"],
            requester=requester,
            visibility=VISIBILITY,
            fee_exempt_reason=form["fee_exempt_reason"],
            my_number_card=form["my_number_card"],
        )
    except RuleViolation as refused:
        errors = by_input(refused.errors, INPUTS)
        return _form(request, form, errors, 422)
    except NotFound:
        return _form(request, form, {"card_no": ["この印鑑登録証の登録者の証明書は交付できません"]}, 422)
    handover.keep(request.session, issued.number, issued.pdf)
    return render(
        request,
        "seal_registration/certificate_issued.html",
        {
            "form": form,
            "number": issued.number,
            "pages": issued.pages,
            "ttl_minutes": handover.TTL // 60,
            "active": ACTIVE,
        },
    )
