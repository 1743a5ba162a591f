"""証明書発行 screens: the form (opened from 世帯照会 or 個人照会), its 確認 with page 1 as it
will print, the 発行 and the issued PDF.

住民基本台帳法 第12条〜第12条の3 (who may ask, 請求事由); 住民記録システム標準仕様書 §5 (証明:
認証文, 電子公印, 発行番号 §5.5 — each copy its own number). The 確認 takes no number and
records nothing but its audited read; the 発行 issues through ``issuing.issue`` (one
transaction: numbered, signed, recorded). The signed PDF is not stored: it waits in the clerk's
session, once, for ten minutes (``services/handover.py``).
"""

from __future__ import annotations

import base64

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yakuba.certificates.access import ISSUE_ROLES
from yakuba.certificates.codes import Kind, Layout
from yakuba.certificates.services import handover, issuing, ledger, preview, settings
from yakuba.certificates.ui import access
from yakuba.certificates.ui.issue_form import IssueForm, Member
from yakuba.platform.audit import log as audit_log
from yakuba.platform.audit.log import Action
from yakuba.platform.ui.staff import forbidden, staff_view
from yakuba.registry import services as registry
from yakuba.registry.services import NotFound, RuleViolation

REMOVED = 3  # resident JSON status of a 除票 (docs/reference/contract.md §6)


def not_found(request, message: str = "指定された住民・世帯は見つかりません。"):
    return forbidden(request, message, title="見つかりません", status=404)


def _member(record) -> Member:
    return Member(record.atena_no, record.name, record.relationship, record.protected)


def _subjects(setai_no: str, subject: str, vis) -> tuple[str, list[Member], dict]:
    """(世帯番号, members offered, defaults): a whole 世帯; or one person's 世帯 with that person
    ticked; or, for a 除票, the person alone (a 除票 is issued only as 個人票)."""
    if subject:
        record = registry.get_resident(subject, visibility=vis)
        if record.status == REMOVED:
            initial = {"kind": Kind.REMOVED_COPY, "layout": Layout.INDIVIDUAL, "requester": subject}
            return "", [_member(record)], initial | {"ticked": [subject]}
        setai_no = record.setai_no
        initial = {"layout": Layout.INDIVIDUAL, "ticked": [subject], "requester": subject}
    else:
        initial = {}
    members = [_member(m) for m in registry.household(setai_no, visibility=vis).members]
    return setai_no, members, initial


def _form(request, form: IssueForm, *, status: int = 200):
    return render(
        request,
        "certificates/issue.html",
        {"form": form, "registered": settings.current().registered, "active": "certificates"},
        status=status,
    )


@staff_view(roles=ISSUE_ROLES)
@require_http_methods(["GET", "POST"])
def issue(request):
    """The form; POST ``step=confirm`` shows the 確認, ``step=issue`` issues."""
    source = request.POST if request.method == "POST" else request.GET
    setai_no = source.get("setai_no", "")[:15]
    subject = source.get("subject", source.get("atena_no", ""))[:15]
    if not setai_no and not subject:
        return not_found(request, "世帯照会または個人照会から開いてください。")
    try:
        setai_no, members, initial = _subjects(setai_no, subject, access.visibility(request.roles))
    except NotFound:
        return not_found(request)
    if request.method == "GET":
        ticked = [a for a in request.GET.getlist("atena") if a in {m.atena_no for m in members}]
        form = IssueForm(None, roles=request.roles, setai_no=setai_no, members=members, initial=initial)
        form.ticked = ticked or form.ticked
        form.subject = subject if not setai_no else ""
        audit_log.record(Action.READ, "household", subjects=[m.atena_no for m in members])
        return _form(request, form)
    form = IssueForm(request.POST, roles=request.roles, setai_no=setai_no, members=members)
    form.subject = subject if not setai_no else ""
    step = request.POST.get("step", "confirm")
    if step == "edit":
        return _form(request, form)
    if not form.check():
        return _form(request, form, status=422)
    vis = access.visibility(request.roles, my_number=form.my_number_asked())
    try:
        if step == "issue":
            issued = issuing.issue(
                form.request(),
                requester=form.requester(),
                visibility=vis,
                fee_exempt_reason=form.fee_exempt_reason(),
            )
            keep_pdf(request, issued)
            return redirect("certificates:issued", number=issued.number)
        png = preview.preview(form.request(), requester=form.requester(), visibility=vis)
    except RuleViolation as refused:
        form.add_errors(refused.errors)
        return _form(request, form, status=422)
    except NotFound:
        form.add_errors([("members", "指定された住民は見つかりません")])
        return _form(request, form, status=422)
    return render(
        request,
        "certificates/issue_confirm.html",
        {
            "form": form,
            "preview": base64.b64encode(png).decode(),
            "fee": 0 if (form.official_use or form.fee_exempt) else settings.current().fee,
            "active": "certificates",
        },
    )


# -- the issued PDF, once, from the session ----------------------------------------------------


def keep_pdf(request, issued: issuing.Issued) -> None:
    handover.keep(request.session, issued.number, issued.pdf)


@staff_view(roles=ISSUE_ROLES)
@require_http_methods(["GET"])
def issued(request, number: str):
    """The result: 証明書番号, 枚数, 手数料 and the PDF to print."""
    try:
        entry = ledger.get(number)
    except NotFound:
        return not_found(request, "指定された証明書は見つかりません。")
    waiting = handover.waiting(request.session, number)
    return render(
        request,
        "certificates/issued.html",
        {
            "entry": entry,
            "number": entry.number,
            "waiting": waiting,
            "ttl_minutes": handover.TTL // 60,
            "active": "certificates",
        },
    )


@staff_view()
@require_http_methods(["GET"])
def pdf(request, number: str):
    """The signed PDF of a certificate just issued, served once (one number, one copy: §5.5) —
    to the session that issued it, whichever app's screen that was (a 所得・課税証明書 is issued
    by 税務 staff too): no other session holds the bytes."""
    data = handover.take(request.session, number)
    if data is None:
        return not_found(
            request,
            "この証明書の PDF はすでに開かれたか、発行から10分を過ぎました。"
            "もう一度必要なときは交付履歴から再発行してください。",
        )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
