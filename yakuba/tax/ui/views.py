"""個人住民税 staff screens: 課税照会 — a taxpayer's assessment for a 年度 with every version, its
納期 and the calculation explained step by step — the status of the year's 当初課税, and the
再計算 of the latest version (a 更正 from the person's 課税資料 as they stand now).

Tax information is for 税務 staff only (地方税法 §22). Persons under 支援措置 do not exist here, as
on the registry's screens for everyone but 窓口 and 管理者 (registry/ui/access.py); the attempt is
audited. Through the doors only.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yakuba.platform.audit.log import Action, record, refuse
from yakuba.platform.ui.staff import staff_view
from yakuba.registry import services as registry
from yakuba.tax import access
from yakuba.tax.rules.parameters import supported_years
from yakuba.tax.services import ResidentTaxIn, assessment, calculate_resident_tax, declarations

ATENA = re.compile(r"^\d{2,15}$")
LABELS = {
    "initial": "当初課税",
    "correction": "更正",
    "cancellation": "賦課の取消し",
    "payroll": "特別徴収（給与）",
    "direct": "普通徴収",
    "pension": "特別徴収（年金）",
    "none": "税額なし",
}


def _year(text: str) -> int:
    years = supported_years()
    return int(text) if text.isascii() and text.isdigit() and int(text) in years else years.stop - 1


@staff_view(roles=access.STAFF_ROLES)
def lookup(request):
    fiscal_year, atena_no = _asked(request)
    context = _context(fiscal_year, atena_no)
    if atena_no:
        context |= _taxpayer(atena_no, fiscal_year)
    return render(request, "tax/lookup.html", context)


def _asked(request) -> tuple[int, str]:
    return _year(request.GET.get("fiscal_year", "")), request.GET.get("atena_no", "").strip()[:15]


def lookup_url(atena_no: str, fiscal_year: int) -> str:
    return reverse("tax:lookup") + "?" + urlencode({"atena_no": atena_no, "fiscal_year": fiscal_year})


def _context(fiscal_year: int, atena_no: str) -> dict:
    run = assessment.run_status(fiscal_year)
    return {
        "unmatched": declarations.unmatched_count(fiscal_year),
        "years": list(reversed(supported_years())),
        "fiscal_year": fiscal_year,
        "atena_no": atena_no,
        "run": run,
        # Counting the persons of 1月1日 sorts the town's history: only while a run has no total yet.
        "taxpayers": run.done if run and run.state == "done" else assessment.taxpayers_on(fiscal_year),
        "labels": LABELS,
        "active": "tax",
    }


def _taxpayer(atena_no: str, fiscal_year: int) -> dict:
    if not ATENA.match(atena_no):
        return {"error": "宛名番号は数字で入力してください"}
    name = _visible_name(atena_no, Action.READ)
    found = assessment.versions(atena_no, fiscal_year) if name else []
    if not found:
        return {"error": f"宛名番号 {atena_no} の{fiscal_year}年度の課税はありません"}
    record(Action.READ, assessment.RESOURCE, subjects=[atena_no], purpose="個人住民税の課税照会")
    latest = found[-1]
    steps = []
    if latest.calculation_input:
        steps = calculate_resident_tax(ResidentTaxIn.model_validate(latest.calculation_input))["steps"]
    return {"name": name, "versions": found, "latest": latest, "steps": steps}


def _visible_name(atena_no: str, action: str) -> str | None:
    """The person's 氏名; None for an unknown person or one hidden by 支援措置 (the attempt on a
    hidden one audited, as the registry's own screens do)."""
    name = registry.names_of([atena_no]).get(atena_no)
    if name is None and registry.is_protected(atena_no):
        refuse(action, assessment.RESOURCE, subjects=[atena_no], reason="protected")
    return name


@staff_view(roles=access.WRITE_ROLES)
@require_POST
def recalculate(request):
    """再計算 (更正): the latest version calculated again from the person's 課税資料 as they stand
    now, with the clerk's reason (地方税法 §321 の3 ff.: every 更正 keeps its reason); the new
    version is shown on 課税照会."""
    fiscal_year, atena_no = _year(request.POST.get("fiscal_year", "")), request.POST.get("atena_no", "")[:15]
    note = request.POST.get("note", "").strip()[:200]
    if not ATENA.match(atena_no) or _visible_name(atena_no, Action.UPDATE) is None:
        return _refused(
            request, fiscal_year, atena_no, f"宛名番号 {atena_no} の{fiscal_year}年度の課税はありません"
        )
    if not note:
        context = _context(fiscal_year, atena_no) | _taxpayer(atena_no, fiscal_year)
        context["recalc_error"] = "再計算の理由を入力してください"
        return render(request, "tax/lookup.html", context, status=422)
    try:
        row = assessment.recalculate(atena_no, fiscal_year, note=note)
    except assessment.AssessmentMissing as exc:
        return _refused(request, fiscal_year, atena_no, str(exc))
    messages.success(request, f"再計算しました（第{row.version}版、年税額 {row.total:,}円）")
    return redirect(lookup_url(atena_no, fiscal_year))


@staff_view(roles=access.STAFF_ROLES)
def notice(request):
    """The latest version's 納税通知書 or 特別徴収税額の決定通知書 as a PDF."""
    from yakuba.platform import pdf
    from yakuba.tax.services import notices

    fiscal_year, atena_no = _asked(request)
    try:
        if not ATENA.match(atena_no):
            raise notices.NoNotice("宛名番号は数字で入力してください")
        body, filename = notices.notice_pdf(atena_no, fiscal_year, visibility=registry.Visibility())
    except registry.NotFound:
        return _refused(
            request, fiscal_year, atena_no, f"宛名番号 {atena_no} の{fiscal_year}年度の課税はありません"
        )
    except (notices.NoNotice, assessment.AssessmentMissing) as exc:
        return _refused(request, fiscal_year, atena_no, str(exc))
    response = HttpResponse(body, content_type=pdf.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = pdf.content_disposition(filename)
    return response


def _refused(request, fiscal_year: int, atena_no: str, message: str):
    return render(
        request, "tax/lookup.html", _context(fiscal_year, atena_no) | {"error": message}, status=404
    )
