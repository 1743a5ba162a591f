"""所得・課税証明書 at the counter: who asks (本人, 同一世帯の者, 代理人 with a 委任状), the 手数料,
then the certificate issued through the certificates machinery and its PDF handed to the printer
once (the certificates door's ``handover``; the certificates app's screen serves it).

Issued by 税務 staff and by the 窓口, where most municipalities hand it out beside the 住民票;
the form shows the taxpayer's name only, never the figures (地方税法 §22).
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from yakuba.certificates.services import NotFound, RequesterInfo, RuleViolation, handover
from yakuba.platform.audit.log import Action, refuse
from yakuba.platform.identity.roles import Role
from yakuba.platform.ui.staff import forbidden, staff_view
from yakuba.registry import services as registry
from yakuba.tax import access
from yakuba.tax.services import certificate
from yakuba.tax.ui.views import ATENA, _year

ISSUE_ROLES = access.STAFF_ROLES | {Role.COUNTER}
# The roles that handle 支援措置 (as on the registry's screens): a protected person asking for
# their own certificate is served by them; for everyone else the person does not exist here.
PROTECTED_PERSON_ROLES = frozenset({Role.COUNTER, Role.ADMIN})
REQUESTERS = (("self", "本人"), ("household", "同一世帯の者"), ("agent", "代理人（委任状）"))
FIELDS = {
    "requester.type": "requester_type",
    "requester.atena_no": "requester_atena_no",
    "requester.name": "requester_name",
    "power_of_attorney": "power_of_attorney",
}
LABELS = {
    "requester_type": "請求者の区分",
    "requester_atena_no": "請求者の宛名番号",
    "requester_name": "代理人の氏名",
    "power_of_attorney": "委任状",
    "fee_exempt_reason": "手数料免除の理由",
    "fiscal_year": "年度",
}


@staff_view(roles=ISSUE_ROLES)
@require_http_methods(["GET", "POST"])
def issue(request):
    """GET: the form for the taxpayer and 年度 asked; POST: issue, or the form with each reason."""
    source = request.POST if request.method == "POST" else request.GET
    fiscal_year, atena_no = _asked_from(source)
    if not ATENA.match(atena_no):
        return forbidden(request, "宛名番号は数字で入力してください", title="見つかりません", status=404)
    name = registry.names_of([atena_no]).get(atena_no)  # none: unknown, or hidden by 支援措置
    sees_protected = bool(PROTECTED_PERSON_ROLES & set(request.roles))
    if name is None and not (sees_protected and registry.is_protected(atena_no)):
        if registry.is_protected(atena_no):
            refuse(Action.READ, "certificate", subjects=[atena_no], reason="protected")
        return forbidden(
            request, f"宛名番号 {atena_no} の方は見つかりません", title="見つかりません", status=404
        )
    form = {
        "requester_type": source.get("requester_type", "self"),
        "requester_atena_no": source.get(
            "requester_atena_no", atena_no if request.method == "GET" else ""
        ).strip(),
        "requester_name": source.get("requester_name", "").strip()[:100],
        "power_of_attorney": source.get("power_of_attorney") == "1",
        "fee_exempt_reason": source.get("fee_exempt_reason", "").strip()[:100],
    }
    context = {
        "fiscal_year": fiscal_year,
        "atena_no": atena_no,
        "name": name or "（支援措置の対象者）",
        "form": form,
        "requesters": REQUESTERS,
        "errors": {},
        "active": "tax",
    }
    if request.method == "GET":
        return render(request, "tax/certificate_form.html", context)
    requester = RequesterInfo(
        type=form["requester_type"], atena_no=form["requester_atena_no"], name=form["requester_name"]
    )
    try:
        issued = certificate.issue(
            atena_no,
            fiscal_year,
            requester=requester,
            visibility=registry.Visibility(protected=sees_protected),
            power_of_attorney=form["power_of_attorney"],
            fee_exempt_reason=form["fee_exempt_reason"],
        )
    except RuleViolation as refused:
        return _refused(request, context, refused.errors)
    except NotFound:
        return _refused(request, context, [("requester", "指定された方の証明書は交付できません")])
    handover.keep(request.session, issued.number, issued.pdf)
    return render(
        request,
        "tax/certificate_issued.html",
        context | {"number": issued.number, "pages": issued.pages, "ttl_minutes": handover.TTL // 60},
    )


def _asked_from(source) -> tuple[int, str]:
    return _year(source.get("fiscal_year", "")), source.get("atena_no", "").strip()[:15]


def _refused(request, context: dict, errors: list[tuple[str, str]]):
    by_field: dict[str, list[str]] = {}
    for field, message in errors:
        by_field.setdefault(FIELDS.get(field, field), []).append(message)
    summary = [
        {"id": f"f-{key}" if key in LABELS else "", "label": LABELS.get(key, ""), "message": m}
        for key, messages in by_field.items()
        for m in messages
    ]
    return render(
        request, "tax/certificate_form.html", context | {"errors": by_field, "summary": summary}, status=422
    )
