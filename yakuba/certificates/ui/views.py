"""The public verification page: anyone holding a certificate asks whether it is genuine.

No sign-in: the person checking is a bank clerk, an employer, the resident — not staff
(docs/certificates.md, "Verification"). The page therefore shows nothing of the person: one
answer (真正な証明書です / 改ざんされています / 該当する証明書はありません), the number it was
asked about and the issuing municipality. A number alone does not name the municipality, so it
is taken from the path (``/certificates/verify/<団体コード>/``, printed on the certificate), from
the QR code's text (``YKB1:<団体コード>:…``) or from an uploaded PDF. Uploads are POST with the
CSRF token; their size is bounded before any view runs (``DATA_UPLOAD_MAX_MEMORY_SIZE``, 413);
every verification is audited without subjects and an address is throttled
(``verify.THROTTLE_LIMIT`` in ``THROTTLE_WINDOW``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from yakuba.certificates.services import qr, signing, verify
from yakuba.platform.audit.log import bind_actor, request_actor
from yakuba.platform.audit.models import ActorType
from yakuba.platform.http import client_ip
from yakuba.platform.municipalities import UnknownMunicipality, lookup
from yakuba.platform.tenancy.context import UnknownTenant, alias_for, tenant_context

VERDICTS = {
    verify.GENUINE: ("真正な証明書です", "発行した証明書の記録と一致しました。"),
    verify.ALTERED: (
        "改ざんされています",
        "発行した証明書と内容が一致しません。証明書として扱わないでください。",
    ),
    verify.UNKNOWN: (
        "該当する証明書はありません",
        "この証明書番号の証明書は発行されていないか、取り消されています。",
    ),
}
NEEDS_MUNICIPALITY = (
    "証明書番号だけでは発行した市区町村が分かりません。QR コードの内容（YKB1: で始まる文字列）を"
    "入力するか、PDF を選んでください。"
)
BAD_CODE = "証明書番号または QR コードの内容を正しく入力してください（例: 20260401-000001）。"
NO_FILE = "確認する PDF ファイルを選んでください。"
THROTTLED = "確認の回数が上限に達しました。しばらく時間をおいてから、もう一度確認してください。"


class _Throttled(Exception):
    pass


def _name(lg_code: str | None) -> str:
    try:
        return lookup(lg_code).name if lg_code else ""
    except UnknownMunicipality:
        return ""


def _run(request, lg_code: str, work) -> tuple[str, str | None]:
    """``work()`` in the municipality's tenant, audited as the page; an unregistered municipality
    is simply ``unknown`` (the page does not tell which municipalities are hosted here)."""
    try:
        alias = alias_for(lg_code)
    except UnknownTenant:
        return verify.UNKNOWN, None
    actor = request_actor(request, ActorType.CLIENT, verify.PUBLIC_ACTOR, settings.ZONE)
    with bind_actor(actor), tenant_context(lg_code, alias=alias):
        if verify.throttled(client_ip(request)):
            raise _Throttled
        return work()


def _by_code(request, code: str, path_lg: str | None):
    parsed = qr.parse(code)
    if parsed is not None:
        if path_lg and parsed.lg_code != path_lg:
            return (verify.UNKNOWN, parsed.number), parsed.lg_code
        return _run(request, parsed.lg_code, lambda: verify.verify_payload(code)), parsed.lg_code
    if not verify.is_number(code):
        return BAD_CODE, path_lg
    if path_lg is None:
        return NEEDS_MUNICIPALITY, None
    return _run(request, path_lg, lambda: (verify.verify_number(code), code)), path_lg


def _by_file(request, path_lg: str | None):
    upload = request.FILES.get("pdf")
    if upload is None or not upload.size:
        return NO_FILE, path_lg
    pdf = upload.read()
    lg_code = path_lg or signing.read_marks(pdf)[0]
    if lg_code is None:
        return (verify.UNKNOWN, None), None
    return _run(request, lg_code, lambda: verify.verify_pdf(pdf)), lg_code


@csrf_protect
@never_cache
def verify_page(request, lg_code: str | None = None):
    """GET: the form, or the answer for ``?code=`` (証明書番号 or QR text); POST: a PDF."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if lg_code is not None and not (len(lg_code) == 6 and lg_code.isascii() and lg_code.isdigit()):
        raise Http404
    code = request.GET.get("code", "").strip()[:200]
    outcome, shown_lg, status = None, lg_code, 200
    try:
        if request.method == "POST":
            outcome, shown_lg = _by_file(request, lg_code)
        elif code:
            outcome, shown_lg = _by_code(request, code, lg_code)
    except _Throttled:
        outcome, status = THROTTLED, 429
    context = {
        "lg_code": lg_code,
        "code": code,
        "error": "",
        "verdict": None,
        "max_size": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:.1f} MB",
    }
    if isinstance(outcome, str):
        context["error"] = outcome
    elif outcome is not None:
        result, number = outcome
        title, text = VERDICTS[result]
        context["verdict"] = {"result": result, "title": title, "text": text, "number": number}
        if result != verify.UNKNOWN and shown_lg:
            context["verdict"]["municipality"] = _name(shown_lg)
    context["municipality"] = _name(lg_code)
    return render(request, "certificates/verify.html", context, status=status)
