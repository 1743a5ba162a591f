"""The statistics dashboard: for a 基準日 (default today) and a month (default this one) — the
pyramid, the totals with the same day a year earlier, the month's 記載・消除, the 町字 table, and
the reports to download (住基年報 and monthly tables as JSON, CSV, XLSX; the pyramid as PNG, SVG).

Everything is made by the app's services, so each figure shown or file downloaded is the same as
the CLI's and the API's, and each is an audit row. Who may open it: ``access.STAFF_ROLES``.
"""

from __future__ import annotations

import time
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from yakuba.platform.japanese.wareki import WarekiError, format_seireki, format_wareki, parse_wareki
from yakuba.platform.ui.staff import forbidden, staff_view
from yakuba.statistics import access
from yakuba.statistics.services import (
    BadRequest,
    files,
    month_bounds,
    monthly,
    population,
    pyramid,
)
from yakuba.statistics.services.dashboard import overview

SLOW = 2.0  # seconds: past this the status line says the counting was slow


def _day(text: str, field: str = "as_of") -> date:
    """A 基準日 typed as 西暦 or 和暦 (R8.1.1, 令和8年1月1日), empty for today."""
    if not text.strip():
        return timezone.localdate()
    try:
        return parse_wareki(text)
    except WarekiError:
        raise BadRequest(field, f"基準日は 2026-01-01 や R8.1.1 の形で入力してください: {text}") from None


@staff_view(roles=access.STAFF_ROLES)
def dashboard(request):
    started = time.perf_counter()
    typed = {"as_of": request.GET.get("as_of", "")[:20], "month": request.GET.get("month", "")[:10]}
    context = {"typed": typed, "active": "statistics", "errors": {}}
    try:
        as_of = _day(typed["as_of"])
        month = typed["month"].strip() or f"{timezone.localdate():%Y-%m}"
        first, last = month_bounds(month)
        view = overview(request.lg_code, as_of)
        moves = monthly.movements_table(request.lg_code, first, last)
    except BadRequest as exc:
        context["errors"][exc.field] = exc.message
        return render(request, "statistics/dashboard.html", context, status=422)
    seconds = time.perf_counter() - started
    context |= {
        "as_of": as_of,
        "as_of_label": f"{format_wareki(as_of)}（{format_seireki(as_of)}）",
        "month": month,
        "period": (first, last),
        "view": view,
        "moves": moves["rows"],
        "seconds": seconds,
        "slow": seconds > SLOW,
        "formats": ("csv", "xlsx", "json"),
    }
    return render(request, "statistics/dashboard.html", context)


def _refused(request, exc: BadRequest):
    return forbidden(request, exc.message, title="入力内容を確認してください", status=422)


def _file(body: bytes, output: str, name: str, disposition: str = "attachment") -> HttpResponse:
    response = HttpResponse(body, content_type=files.CONTENT_TYPES[output])
    response["Content-Disposition"] = f'{disposition}; filename="{name}.{output}"'
    return response


def _output(request, allowed: tuple[str, ...]) -> str:
    output = request.GET.get("format", allowed[0])
    if output not in allowed:
        raise BadRequest("format", f"形式は {'、'.join(allowed)} のどれかを指定してください: {output}")
    return output


@staff_view(roles=access.STAFF_ROLES)
def pyramid_image(request):
    """The dashboard's picture (SVG inline in an <img>) and its downloads."""
    try:
        output = _output(request, pyramid.FORMATS[::-1])
        as_of = _day(request.GET.get("as_of", ""))
        body = pyramid.pyramid_image(request.lg_code, as_of, output=output)
    except BadRequest as exc:
        return _refused(request, exc)
    disposition = "attachment" if request.GET.get("download") else "inline"
    return _file(body, output, f"pyramid-{request.lg_code}-{as_of}", disposition)


@staff_view(roles=access.STAFF_ROLES)
def download_population(request):
    try:
        output = _output(request, files.REPORT_FORMATS)
        as_of = _day(request.GET.get("as_of", ""))
        report = population.population_report(request.lg_code, as_of, output=output)
    except BadRequest as exc:
        return _refused(request, exc)
    return _file(files.population_file(report, output), output, f"population-{request.lg_code}-{as_of}")


@staff_view(roles=access.STAFF_ROLES)
def download_monthly(request):
    table = request.GET.get("table", "")[:20]
    try:
        if table not in monthly.TABLES:
            raise BadRequest("table", f"表は town、age、movements のどれかです: {table}")
        output = _output(request, files.REPORT_FORMATS)
        first, last = month_bounds(request.GET.get("month", ""))
        if table == "movements":
            data = monthly.movements_table(request.lg_code, first, last, output=output)
        else:
            make = monthly.town_table if table == "town" else monthly.age_table
            data = make(request.lg_code, monthly.as_of_month(last), output=output)
    except BadRequest as exc:
        return _refused(request, exc)
    name = f"{table}-{request.lg_code}-{request.GET.get('month', '')}"
    return _file(files.monthly_file(data, output), output, name)
