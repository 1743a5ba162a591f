"""戸籍の証明書 交付 at the counter (docs/koseki.md "画面"): 全部事項・個人事項・除籍全部事項・改製原戸籍
of one 戸籍, for whoever asks — 本人・配偶者・直系 (their relation read from the 戸籍 by the door,
never taken from the form), 代理人 with a 委任状, 第三者 and 職務上請求 with their 請求事由, 公用 —
and 広域交付 (in person, photo ID). The door (``services.issue_certificate``) decides every rule
and issues through the certificates machinery (numbered, signed, QR-verifiable, 交付履歴); each
refusal comes back at its input, 422, nothing issued. The PDF is handed to the printer once
(the certificates app's ``handover``).

Role: 戸籍 and 窓口 (``access.ISSUE_ROLES``: its certificates are handed over at the 住民票's
counter).
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from yakuba.certificates.services import RequesterInfo, RuleViolation, handover
from yakuba.koseki import access, services
from yakuba.koseki.rules import requests
from yakuba.koseki.ui.views import ACTIVE, ID, asked
from yakuba.platform.ui.model_form import Field
from yakuba.platform.ui.staff import staff_view
from yakuba.registry.services import Visibility

# The 戸籍係 and the 窓口 handle 支援措置 at the counter (as on the registry's screens); the
# machinery still gives a protected person's 戸籍 to them alone unless an override is recorded.
VISIBILITY = Visibility(protected=True)
KINDS = tuple(requests.KIND_LABELS.items())
REQUESTERS = (
    (requests.SELF, "本人（この戸籍に記載されている者）"),
    (requests.SPOUSE, "配偶者"),
    (requests.LINEAL, "直系尊属・直系卑属"),
    (requests.AGENT, "代理人（委任状）"),
    (requests.THIRD_PARTY, "第三者（請求事由）"),
    (requests.PROFESSIONAL, "職務上請求（弁護士・司法書士等）"),
    (requests.OFFICIAL, "公用（国・地方公共団体の機関）"),
)
# The door's field names → this form's inputs.
INPUTS = {
    "requester.type": "requester_type",
    "requester.name": "requester_name",
    "requester.purpose": "purpose",
    "requester.atena_no": "requester_person_id",
    "requester.override_reason": "purpose",
}


def _fields(source, view) -> list[Field]:
    """The form's inputs as the platform's fields (one template for all: ui/_model_field.html)."""
    default_kind = requests.ORIGINAL if view.original else requests.JOSEKI if view.closed else requests.FULL
    text = {
        k: source.get(k, "").strip()[:200]
        for k in ("requester_person_id", "requester_name", "purpose", "fee_exempt_reason")
    }
    return [
        Field(
            "kind", "証明書の種類", "select", source.get("kind", default_kind), options=KINDS, required=True
        ),
        Field(
            "requester_type",
            "請求者",
            "select",
            source.get("requester_type", requests.SELF),
            options=REQUESTERS,
            required=True,
        ),
        Field(
            "requester_person_id",
            "請求者の個人ID",
            "text",
            text["requester_person_id"],
            hint="本人・配偶者・直系のとき（戸籍で関係を確かめます）",
        ),
        Field(
            "requester_name",
            "請求者の氏名・名称",
            "text",
            text["requester_name"],
            hint="配偶者・直系・代理人・第三者・職務上請求・公用のとき",
        ),
        Field(
            "purpose_kind",
            "請求事由の区分（第三者）",
            "select",
            source.get("purpose_kind", ""),
            options=(("", "—"), *requests.PURPOSES.items()),
        ),
        Field("purpose", "請求事由", "text", text["purpose"], hint="第三者・職務上請求・公用のとき"),
        Field(
            "profession",
            "職務上請求の資格",
            "select",
            source.get("profession", ""),
            options=(("", "—"), *((p, p) for p in requests.PROFESSIONS)),
        ),
        Field("mandate", "委任状がある（代理人）", "flag", "1" if source.get("mandate") else ""),
        Field(
            "wide_area", "広域交付（本籍地以外の窓口で請求）", "flag", "1" if source.get("wide_area") else ""
        ),
        Field(
            "photo_id", "顔写真付きの本人確認書類を確認した", "flag", "1" if source.get("photo_id") else ""
        ),
        Field("fee_exempt_reason", "手数料免除の理由（免除するときのみ）", "text", text["fee_exempt_reason"]),
    ]


def _page(request, view, fields, chosen, status=200, **context):
    return render(
        request,
        "koseki/certificate_form.html",
        {"koseki": view, "fields": fields, "chosen": chosen, "active": ACTIVE, **context},
        status=status,
    )


def _lookup(request):
    """Which 戸籍: the 戸籍 of the 本籍 the requester writes (a 戸籍 is named by 本籍 and 筆頭者)."""
    honseki = request.GET.get("honseki", "").strip()[:200]
    found = services.koseki_ids(honseki) if honseki else None
    return render(
        request, "koseki/certificate_lookup.html", {"honseki": honseki, "found": found, "active": ACTIVE}
    )


@staff_view(roles=access.ISSUE_ROLES)
@require_http_methods(["GET", "POST"])
def certificate_view(request):
    """GET ``?id=``: the form for that 戸籍 (its members to choose for a 個人事項証明書); POST: issue,
    or every refusal at its input (422)."""
    source = request.POST if request.method == "POST" else request.GET
    koseki_id = source.get("id", "").strip()
    if not koseki_id and request.method == "GET":
        return _lookup(request)
    view, missing = asked(request, koseki_id, "戸籍ID", services.koseki_of)
    if missing:
        return missing
    fields = _fields(source, view)
    chosen = [p for p in source.getlist("person_ids") if ID.match(p)]
    if request.method == "GET":
        return _page(request, view, fields, chosen)
    given = {f.name: f.value for f in fields}
    requester = RequesterInfo(
        type=given["requester_type"],
        name=given["requester_name"],
        purpose=given["purpose"],
        person_id=given["requester_person_id"] if ID.match(given["requester_person_id"]) else "",
    )
    try:
        issued = services.issue_certificate(
            koseki_id,
            given["kind"],
            person_ids=chosen,
            requester=requester,
            requester_person_id=requester.person_id,
            wide_area=bool(given["wide_area"]),
            photo_id=bool(given["photo_id"]),
            visibility=VISIBILITY,
            purpose_kind=given["purpose_kind"],
            profession=given["profession"],
            mandate=bool(given["mandate"]),
            fee_exempt_reason=given["fee_exempt_reason"],
        )
    except RuleViolation as refused:
        by_name = {f.name: f for f in fields}
        summary, general = [], []
        for field, message in refused.errors:
            f = by_name.get(INPUTS.get(field, field))
            if field == "person_ids" or f is None:
                general.append(message)
            else:
                f.errors.append(message)
            summary.append({"id": f.id if f else "", "label": f.label if f else "", "message": message})
        return _page(request, view, fields, chosen, 422, summary=summary, general=general)
    handover.keep(request.session, issued.number, issued.pdf)
    return render(
        request,
        "koseki/certificate_issued.html",
        {
            "koseki": view,
            "kind_label": requests.KIND_LABELS.get(given["kind"], ""),
            "number": issued.number,
            "pages": issued.pages,
            "ttl_minutes": handover.TTL // 60,
            "active": ACTIVE,
        },
    )
