"""The 附票 screens of the 戸籍係 (docs/koseki_annex.md「画面」): 附票照会 (search, a 附票 with its
住所, 国外転出者 entries, 在外選挙人 notes and 除籍), the 附票記載事項通知 in (upload: every bad
line named, nothing taken in) and out (the files for other 本籍地, as one ZIP), and the
附票の写し issued through ``services.issue_copy`` (every refusal at its field).

The 附票 is named in the query string (``?honseki=…&hittosha=…``), so no path segment takes a
value. The 戸籍係 sees persons under 支援措置 on the 附票 (marked), as the registry's clerks do;
their copy goes out only as ``issue_copy`` allows.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from yakuba.certificates.services import RequesterInfo, RuleViolation, handover
from yakuba.koseki_annex import access, services
from yakuba.koseki_annex.codes import ElectorChange, Source
from yakuba.platform.file_issues import FileRejected
from yakuba.platform.ui.staff import staff_view
from yakuba.registry.services import Visibility

ACTIVE = "koseki_annex"
PURPOSE = "戸籍の附票の照会（画面）"
MAX_UPLOAD = 20 * 1024 * 1024
KEYSET = re.compile(r"[0-9]{1,18}")
SEX = {1: "男", 2: "女"}
REQUESTERS = (
    ("self", "本人（附票に記録されている者）"),
    ("spouse", "配偶者"),
    ("lineal", "直系尊属・直系卑属"),
    ("agent", "代理人"),
    ("third_party", "第三者"),
    ("professional", "職務上請求"),
    ("official", "公用"),
)
ITEMS = (
    ("domicile", "本籍・筆頭者"),
    ("overseas_elector", "在外選挙人名簿の登録等"),
    ("juminhyo_code", "住民票コード"),
)
# The door's field names → the form's inputs.
INPUTS = {
    "requester.type": "requester_type",
    "requester.atena_no": "requester_atena_no",
    "requester.juminhyo_code": "requester_juminhyo_code",
    "requester.name": "requester_name",
    "requester.purpose": "purpose",
    "requester": "requester_type",
    "counter": "wide_area",
    "requested": "items",
    "persons": "honseki",
}
LABELS = {
    "honseki": "本籍",
    "hittosha": "筆頭者",
    "items": "請求により記載する事項",
    "requester_type": "請求者",
    "requester_atena_no": "請求者の宛名番号",
    "requester_juminhyo_code": "請求者の住民票コード",
    "requester_name": "請求者の氏名・機関名",
    "purpose": "請求事由",
    "mandate": "委任状",
    "wide_area": "請求の窓口",
    "fee_exempt_reason": "手数料免除の理由",
}


def _summary(errors: dict[str, list[str]]) -> list[dict]:
    return [
        {"id": f"f-{key}" if key in LABELS else "", "label": LABELS.get(key, ""), "message": m}
        for key, messages in errors.items()
        for m in messages
    ]


@staff_view(roles=access.STAFF_ROLES)
@require_http_methods(["GET"])
def search_view(request):
    """附票照会: by 本籍, 筆頭者 or a person's 氏名 or 住民票コード, a keyset page."""
    asked = {
        k: request.GET.get(k, "").strip()[:100] for k in ("honseki", "hittosha", "name", "juminhyo_code")
    }
    after = request.GET.get("after", "")
    keyset = int(after) if KEYSET.fullmatch(after) else 0  # a bigint in ASCII digits, or the start
    page = services.find_annexes(**asked, after=keyset) if any(asked.values()) else None
    return render(request, "koseki_annex/search.html", {"asked": asked, "page": page, "active": ACTIVE})


@staff_view(roles=access.STAFF_ROLES)
@require_http_methods(["GET"])
def annex_view(request):
    """One 附票: every item its rows carry (the clerk's view), one audit row."""
    honseki, hittosha = request.GET.get("honseki", "")[:200], request.GET.get("hittosha", "")[:100]
    try:
        annex = services.annex_of(honseki, hittosha, protected=True, purpose=PURPOSE)
    except services.NotOnAnnex as exc:
        return render(
            request,
            "koseki_annex/annex.html",
            {"missing": str(exc), "honseki": honseki, "hittosha": hittosha, "active": ACTIVE},
            status=404,
        )
    persons = [
        {
            "person": p,
            "sex": SEX.get(p.sex, "") if p.sex is not None else "",
            "elector": [(e, ElectorChange(e.change).label) for e in p.elector],
            "rows": [(r, Source(r.source).label) for r in p.rows],
        }
        for p in annex.persons
    ]
    return render(
        request,
        "koseki_annex/annex.html",
        {"annex": annex, "persons": persons, "honseki": honseki, "hittosha": hittosha, "active": ACTIVE},
    )


@staff_view(roles=access.STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def notices_view(request):
    """附票記載事項通知: take in a file other 住所地 sent (all or nothing, every bad line named)."""
    context: dict = {"active": ACTIVE, "unsent": services.unsent_count()}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["file_errors"] = ["取り込むファイルを選んでください"]
        elif upload.size > MAX_UPLOAD:
            context["file_errors"] = [f"ファイルが大きすぎます（{MAX_UPLOAD // 1024 // 1024}MB まで）"]
        else:
            try:
                context["taken"] = services.take_in(upload.read(), file_name=Path(upload.name).name[:200])
            except FileRejected as exc:
                context["file_errors"] = [str(exc)]
                context["issues"] = [str(issue) for issue in exc.issues]
        status = 422 if "file_errors" in context else 200
        return render(request, "koseki_annex/notices.html", context, status=status)
    return render(request, "koseki_annex/notices.html", context)


@staff_view(roles=access.STAFF_ROLES)
@require_http_methods(["POST"])
def notices_out_view(request):
    """The 附票記載事項通知 queued for other 本籍地, written now (each marked sent) and handed over
    as one ZIP of the per-本籍地 files; nothing queued: the page says so."""
    with tempfile.TemporaryDirectory(prefix="yakuba-fuhyo-") as folder:
        sent = services.send_out(Path(folder))
        if not sent:
            context = {"active": ACTIVE, "nothing_to_send": True, "unsent": 0}
            return render(request, "koseki_annex/notices.html", context)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for s in sent:
                archive.write(s.path, Path(s.path).name)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="fuhyo-notices-{timezone.localdate():%Y%m%d}.zip"'
    )
    return response


def _copy_form(request, form: dict, errors: dict | None = None, status: int = 200):
    errors = errors or {}
    return render(
        request,
        "koseki_annex/copy_form.html",
        {
            "form": form,
            "errors": errors,
            "summary": _summary(errors),
            "requesters": REQUESTERS,
            "items": ITEMS,
            "active": ACTIVE,
        },
        status=status,
    )


@staff_view(roles=access.ISSUE_ROLES)
@require_http_methods(["GET", "POST"])
def copy_view(request):
    """附票の写しの交付: GET the form (本籍・筆頭者 prefilled from a 附票's page); POST issue."""
    source = request.POST if request.method == "POST" else request.GET
    form = {
        "honseki": source.get("honseki", "").strip()[:200],
        "hittosha": source.get("hittosha", "").strip()[:100],
        "items": [i for i in source.getlist("items") if i in dict(ITEMS)],
        "requester_type": source.get("requester_type", "self"),
        "requester_atena_no": source.get("requester_atena_no", "").strip()[:15],
        # 本人 living in another town: known on the 附票 by their 住民票コード (services/copy.py)
        "requester_juminhyo_code": source.get("requester_juminhyo_code", "").strip()[:11],
        "requester_name": source.get("requester_name", "").strip()[:100],
        "purpose": source.get("purpose", "").strip()[:200],
        "persons": [c[:11] for c in source.getlist("persons")[:50]],
        "mandate": source.get("mandate") == "1",
        "wide_area": source.get("wide_area") == "1",
        "fee_exempt_reason": source.get("fee_exempt_reason", "").strip()[:100],
    }
    if request.method == "GET":
        return _copy_form(request, form)
    errors: dict[str, list[str]] = {}
    for key in ("honseki", "hittosha"):
        if not form[key]:
            errors[key] = [f"{LABELS[key]}を入力してください"]
    if errors:
        return _copy_form(request, form, errors, 422)
    try:
        issued = services.issue_copy(
            services.CopyRequest(
                form["honseki"],
                form["hittosha"],
                tuple(form["items"]),
                form["mandate"],
                form["wide_area"],
                tuple(form["persons"]),
            ),
            requester=RequesterInfo(
                type=form["requester_type"],
                atena_no=form["requester_atena_no"],
                person_id=form["requester_juminhyo_code"],
                name=form["requester_name"],
                purpose=form["purpose"],
            ),
            visibility=Visibility(),
            fee_exempt_reason=form["fee_exempt_reason"],
        )
    except RuleViolation as refused:
        for field, message in refused.errors:
            errors.setdefault(INPUTS.get(field, field), []).append(message)
        return _copy_form(request, form, errors, 422)
    handover.keep(request.session, issued.number, issued.pdf)
    return render(
        request,
        "koseki_annex/copy_issued.html",
        {
            "form": form,
            "number": issued.number,
            "pages": issued.pages,
            "ttl_minutes": handover.TTL // 60,
            "active": ACTIVE,
        },
    )
