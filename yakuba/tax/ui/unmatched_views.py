"""未突合の課税資料: the review list of reports the import could not join to a resident
(docs/tax-income-files.md, "Matching to residents"), and the clerk's decision on each one.

For a report, the registry's search (through its door) offers the persons it may be about; the
clerk picks one by keyboard, sees both side by side on a 確認 screen and joins them, with a
reason — or sets the report aside as about someone this municipality does not tax. The person
must have been registered on 1月1日 of the 年度 (賦課期日, 地方税法 §318); one already assessed for
the year gets a 更正 from their reports as they now stand.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.ui.staff import staff_view
from yakuba.registry import services as registry
from yakuba.tax import access
from yakuba.tax.services import declarations
from yakuba.tax.ui.views import ATENA, _year


def _list_url(fiscal_year: int) -> str:
    return reverse("tax:unmatched") + "?" + urlencode({"fiscal_year": fiscal_year})


@staff_view(roles=access.STAFF_ROLES)
def unmatched_list(request):
    """The year's unmatched reports, a page at a time in the order they were taken in (keyset
    over the report's id: ?after=), with their count."""
    fiscal_year = _year(request.GET.get("fiscal_year", ""))
    after = request.GET.get("after", "")
    after_id = int(after) if after.isascii() and after.isdigit() else 0
    reports, last = declarations.unmatched_page(fiscal_year, after=after_id)
    return render(
        request,
        "tax/unmatched_list.html",
        {
            "fiscal_year": fiscal_year,
            "count": declarations.unmatched_count(fiscal_year),
            "reports": reports,
            "next_url": _list_url(fiscal_year) + f"&after={last}" if last else "",
            "first_url": _list_url(fiscal_year) if after_id else "",
            "may_write": bool(access.WRITE_ROLES & request.roles),
            "active": "tax",
        },
    )


@staff_view(roles=access.WRITE_ROLES)
def resolve(request, report_id: int):
    """One report: the persons it may be about (GET, with the clerk's search), the 確認 of the one
    chosen (POST ``_step=confirm``), and the decision (``match`` or ``outside``)."""
    try:
        report = declarations.unmatched_report(report_id)
    except declarations.ReportGone as exc:
        messages.error(request, str(exc))
        return redirect(reverse("tax:unmatched"))
    step = request.POST.get("_step", "") if request.method == "POST" else ""
    note = request.POST.get("note", "").strip()[:200]
    atena_no = request.POST.get("atena_no", "").strip()[:15]
    vis = registry.Visibility()
    try:
        if step == "outside":
            declarations.set_outside(report.id, note=note)
            messages.success(
                request,
                f"{report.file_name} {report.line_no}行目（{report.name}）を当市の住民ではないとしました",
            )
            return redirect(_list_url(report.fiscal_year))
        if step in ("confirm", "match"):
            if not ATENA.match(atena_no):
                return _screen(request, report, pick_error="突合する人を選んでください", status=422)
            person = declarations.taxpayer_on(atena_no, report.fiscal_year, visibility=vis)
            if step == "confirm":
                return _confirm(request, report, person)
            version = declarations.match_report(report.id, atena_no, note=note, visibility=vis)
            done = f"{report.file_name} {report.line_no}行目を {person.name}（宛名番号 {atena_no}）に突合しました"
            if version is not None:
                done += f"。再計算して第{version.version}版になりました（年税額 {version.total:,}円）"
            messages.success(request, done)
            return redirect(_list_url(report.fiscal_year))
    except declarations.DeclarationRejected as exc:  # the reason left empty
        message = "　".join(e["message"] for e in exc.errors)
        if step == "outside":
            return _screen(request, report, outside_error=message, status=422)
        return _confirm(request, report, person, note_error=message, status=422)
    except registry.NotFound:
        return _screen(request, report, pick_error=f"宛名番号 {atena_no} の人は見つかりません", status=404)
    except declarations.NotTaxpayer as exc:
        return _screen(request, report, pick_error=str(exc), status=422)
    except declarations.ReportGone as exc:
        messages.error(request, str(exc))
        return redirect(_list_url(report.fiscal_year))
    return _screen(request, report)


def _criteria(request, report: declarations.Unmatched) -> dict[str, str]:
    """The clerk's search, or the report's own フリガナ (else 氏名) and 生年月日 to start with."""
    source = request.POST if request.method == "POST" else request.GET
    if "searched" in source:
        return {k: source.get(k, "").strip()[:100] for k in ("name_kana", "name", "birth_date")}
    born = report.birth_date.isoformat() if report.birth_date else ""
    if report.name_kana:
        return {"name_kana": report.name_kana, "name": "", "birth_date": born}
    return {"name_kana": "", "name": report.name, "birth_date": born}


def _screen(request, report, *, pick_error="", outside_error="", status=200):
    criteria = _criteria(request, report)
    found, search_errors = [], {}
    try:
        found = declarations.candidates(
            registry.SearchQuery(**criteria, limit=20), visibility=registry.Visibility()
        )
    except registry.RuleViolation as exc:
        search_errors = dict(exc.errors)
    return render(
        request,
        "tax/unmatched_report.html",
        {
            "report": report,
            "criteria": criteria,
            "search_errors": search_errors,
            "candidates": [_candidate(r) for r in found],
            "pick_error": pick_error,
            "outside_error": outside_error,
            "note": request.POST.get("note", ""),
            "active": "tax",
        },
        status=status,
    )


def _candidate(record: registry.ResidentRecord) -> dict:
    return {
        "atena_no": record.atena_no,
        "name": record.name,
        "name_kana": record.name_kana,
        "birth": format_wareki(record.birth_date) if record.birth_date else record.birth_date_text,
        "address": f"{record.address} {record.address_extra}".strip(),
        "removed": record.status == declarations.REMOVED,
    }


def _confirm(request, report, person, *, note_error="", status=200):
    return render(
        request,
        "tax/unmatched_confirm.html",
        {
            "report": report,
            "person": person,
            "person_birth": format_wareki(person.birth_date) if person.birth_date else "",
            "report_birth": format_wareki(report.birth_date) if report.birth_date else "",
            "note": request.POST.get("note", ""),
            "note_error": note_error,
            "active": "tax",
        },
        status=status,
    )
