"""交付履歴 screens: search by 発行日 (和暦 or 西暦), kind, 発行者 and 宛名番号, a page at a time;
再発行 and 取消し of one certificate; the day's CSV for the 手数料 reconciliation.

住民記録システム標準仕様書 §1 (管理項目: 交付履歴), §5.5 (発行番号: a re-issue is a new
certificate under its own number, naming the one it replaces). A 取消し keeps the row, marked,
and asks for its reason and a confirmation: verification answers 「取消し」 for it from then on.
"""

from __future__ import annotations

import functools
from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from yakuba.certificates.access import ISSUE_ROLES
from yakuba.certificates.codes import Kind
from yakuba.certificates.services import issuing, ledger
from yakuba.certificates.ui import access
from yakuba.certificates.ui.issue_form import IssueForm
from yakuba.certificates.ui.issue_views import keep_pdf, not_found
from yakuba.platform.japanese.wareki import WarekiError, format_wareki, parse_wareki
from yakuba.platform.ui.staff import staff_view
from yakuba.registry.services import NotFound, RuleViolation

DATE_HINT = "例：R8.4.1 または 2026-04-01"
LABELS = {
    "first": "発行日（から）",
    "last": "発行日（まで）",
    "kind": "種類",
    "actor": "発行者",
    "atena_no": "宛名番号",
}


def _day(text: str, default: date, errors: dict, name: str) -> date:
    if not text.strip():
        return default
    try:
        return parse_wareki(text)
    except (WarekiError, ValueError, OverflowError) as exc:  # WarekiError says what is wrong
        errors[name] = [str(exc)]
        return default


@staff_view(roles=ISSUE_ROLES)
@require_http_methods(["GET"])
def ledger_search(request):
    """交付履歴, newest first; ``after`` = the last 証明書番号 of the page before."""
    today = timezone.localdate()
    params = {
        key: request.GET.get(key, "").strip()[:limit]
        for key, limit in (("first", 20), ("last", 20), ("kind", 30), ("actor", 150), ("atena_no", 15))
    }
    errors: dict[str, list[str]] = {}
    first = _day(params["first"], today, errors, "first")
    last = _day(params["last"], first if params["first"] and not params["last"] else today, errors, "last")
    if params["kind"] and params["kind"] not in Kind.values:
        errors["kind"] = ["証明書の種類を選んでください"]
    entries: list[ledger.Entry] = []
    if not errors:
        try:
            entries = ledger.search(
                first,
                last,
                kind=params["kind"],
                actor=params["actor"],
                atena_no=params["atena_no"],
                after=request.GET.get("after", "")[:20],
            )
        except RuleViolation as refused:
            for field, message in refused.errors:
                errors.setdefault(field if field in params else "last", []).append(message)
    query = {k: v for k, v in params.items() if v}
    return render(
        request,
        "certificates/ledger.html",
        {
            "params": params,
            "period": f"{format_wareki(first)}〜{format_wareki(last)}",
            "errors": errors,
            "summary": [
                {"id": f"f-{k}", "label": LABELS[k], "message": m} for k, ms in errors.items() for m in ms
            ],
            "entries": entries,
            "next": entries[-1].number if len(entries) == ledger.PAGE else "",
            "query": query,
            "kinds": Kind.choices,
            "today": today.isoformat(),
            "date_hint": DATE_HINT,
            "active": "certificates-ledger",
        },
        status=422 if errors else 200,
    )


@staff_view(roles=ISSUE_ROLES)
@require_http_methods(["GET"])
def daily_csv(request):
    """The day's certificates as CSV (Excel opens it), with the day's total 手数料."""
    errors: dict[str, list[str]] = {}
    day = _day(request.GET.get("day", "")[:20], timezone.localdate(), errors, "day")
    if errors:
        return not_found(request, f"日付を確認してください：{errors['day'][0]}")
    response = HttpResponse(ledger.daily_csv(day), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="certificates-{day:%Y%m%d}.csv"'
    return response


def one_certificate(view):
    """A screen of one certificate of the ledger (GET and POST, the issuing roles): the view
    gets its row; a number the ledger does not hold is 404."""

    @staff_view(roles=ISSUE_ROLES)
    @require_http_methods(["GET", "POST"])
    @functools.wraps(view)
    def wrapper(request, number: str):
        try:
            entry = ledger.get(number)
        except NotFound:
            return not_found(request, "指定された証明書は見つかりません。")
        return view(request, entry)

    return wrapper


@one_certificate
def void(request, entry):
    """取消し: the reason, then a confirmation, then the mark in the ledger."""
    number = entry.number
    reason = request.POST.get("reason", "").strip()[:200]
    step = request.POST.get("step", "")
    errors: list[str] = []
    if request.method == "POST":
        if not reason:
            errors.append("取消しの理由を入力してください")
        elif step == "void":
            try:
                ledger.void(number, reason=reason)
            except RuleViolation as refused:
                errors += [message for _field, message in refused.errors]
            else:
                messages.success(request, f"証明書 {number} を取り消しました")
                return redirect("certificates:ledger")
    confirm = request.method == "POST" and not errors
    return render(
        request,
        "certificates/void.html",
        {
            "entry": entry,
            "reason": reason,
            "confirm": confirm,
            "errors": errors,
            "summary": [{"id": "f-reason", "label": "取消しの理由", "message": m} for m in errors],
            "active": "certificates-ledger",
        },
        status=422 if errors else 200,
    )


@one_certificate
def reissue(request, entry):
    """再発行 with who asks now: the same certificate from today's registry, a new number."""
    number = entry.number
    data = request.POST if request.method == "POST" else None
    form = IssueForm(data, roles=request.roles, setai_no="", members=[])
    if request.method == "POST" and form.check():
        vis = access.visibility(request.roles, my_number=bool(entry.options.get("my_number")))
        try:
            issued = issuing.reissue(
                number, requester=form.requester(), visibility=vis, fee_exempt_reason=form.fee_exempt_reason()
            )
        except RuleViolation as refused:
            form.add_errors(refused.errors)
        except NotFound:
            form.general.append("記載する住民が見つかりません")
        else:
            keep_pdf(request, issued)
            return redirect("certificates:issued", number=issued.number)
    failed = bool(form.summary or form.general)
    return render(
        request,
        "certificates/reissue.html",
        {"entry": entry, "form": form, "active": "certificates-ledger"},
        status=422 if failed else 200,
    )
