"""選挙人名簿 staff screens (docs/elections.md "Screens"), role 選挙管理委員会 (``access.STAFF_ROLES``):

- the roll per 投票区 (50 a page, keyset on 宛名番号) and a person's entries with their history;
- the registration runs and the 定時登録・選挙時登録 form (``services.register``), which offers the
  選挙期日 of an election whose period covers the 基準日;
- 投票区: the plan in force and the 告示's CSV upload (``services.precincts.load``);
- the 抄本 download (PDF/CSV, for the 選管 or for a 閲覧);
- 閲覧: the 申出 form, the list, a 申出's page with its 審査 and the 閲覧 itself, and the 閲覧の状況;
- the elections fixed (公示・告示日, 選挙期日).

Every form shows each refusal at its field, writes nothing then, and answers 422. Persons and
申出 are named in the query string, so no path segment takes a value.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from yakuba.elections import access, services
from yakuba.elections.codes import Kind, ViewingPurpose
from yakuba.elections.services import extract, periods, precincts, viewing
from yakuba.platform import pdf
from yakuba.platform.tenancy.context import require_tenant
from yakuba.platform.ui.staff import staff_view

ACTIVE = "elections"
NUMBER = re.compile(r"^\d{1,15}$")
MAX_UPLOAD = 5 * 1024 * 1024
CSV = "text/csv; charset=utf-8"


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _page(request, template: str, context: dict, status: int = 200):
    return render(request, f"elections/{template}", {"active": ACTIVE, **context}, status=status)


def _lines(text: str, limit: int) -> tuple[str, ...]:
    """One value a line (the form's textareas), blanks dropped."""
    return tuple(v.strip()[:100] for v in text.splitlines() if v.strip())[:limit]


@staff_view(roles=access.STAFF_ROLES)
def list_view(request):
    today = timezone.localdate()
    names = extract.precinct_names(today)
    tohyoku = request.GET.get("tohyoku", "").strip()[:40]
    tohyoku = tohyoku if tohyoku in names else ""
    after = request.GET.get("after", "").strip()[:15]
    after = after if NUMBER.match(after) else ""
    lines, last = extract.roll_page(today, tohyoku=tohyoku or None, after=after)
    base = reverse("elections:list") + "?" + urlencode({"tohyoku": tohyoku} if tohyoku else {})
    return _page(
        request,
        "list.html",
        {
            "lines": lines,
            "names": names,
            "tohyoku": tohyoku,
            "today": today,
            "next_url": f"{base}&after={last}" if last else "",
            "first_url": base if after else "",
        },
    )


@staff_view(roles=access.STAFF_ROLES)
def person_view(request):
    atena_no = request.GET.get("atena_no", "").strip()[:15]
    found = extract.person_entries(atena_no) if NUMBER.match(atena_no) else None
    if found is None:
        return _page(
            request, "person.html", {"error": f"宛名番号 {atena_no} の選挙人は名簿にありません"}, 404
        )
    return _page(request, "person.html", {"person": found})


@staff_view(roles=access.STAFF_ROLES)
def runs_view(request):
    """The runs made and the registration form; POST makes a run (one transaction)."""
    errors, given, status = {}, {}, 200
    if request.method == "POST":
        given = {k: request.POST.get(k, "").strip()[:10] for k in ("kind", "kijun", "election_day")}
        kijun, election_day = _date(given["kijun"]), _date(given["election_day"])
        if given["kind"] not in Kind.values:
            errors["kind"] = "登録の種類を選んでください"
        if kijun is None:
            errors["kijun"] = "基準日を YYYY-MM-DD で入力してください"
        if given["election_day"] and election_day is None:
            errors["election_day"] = "選挙期日を YYYY-MM-DD で入力してください"
        if not errors:
            try:
                with transaction.atomic(using=require_tenant().alias):
                    run = services.register(given["kind"], kijun, election_day)
            except services.RegisterRefused as refused:
                errors = _register_errors(str(refused))
            else:
                note = f"登録 {run.added:,} 人、表示 {run.marked:,} 人、抹消 {run.struck_off:,} 人"
                return redirect(reverse("elections:runs") + "?" + urlencode({"done": note}))
        status = 422
    kijun = _date(given.get("kijun", "")) or timezone.localdate()
    return _page(
        request,
        "runs.html",
        {
            "runs": periods.runs(),
            "kinds": Kind.choices,
            "covering": periods.covering(kijun),
            "errors": errors,
            "given": given,
            "done": request.GET.get("done", "")[:100],
        },
        status,
    )


FLAGS = {"--kind": "kind", "--kijun-date": "kijun", "--election-day": "election_day"}


def _register_errors(text: str) -> dict[str, str]:
    """``RegisterRefused`` names the CLI option (「--kijun-date: …」 lines): put each at its field."""
    errors: dict[str, str] = {}
    for line in text.splitlines():
        flag, _sep, message = line.partition(": ")
        field = FLAGS.get(flag, "kijun")
        errors[field] = f"{errors[field]} {message}".strip() if field in errors else (message or line)
    return errors


@staff_view(roles=access.STAFF_ROLES)
def precincts_view(request):
    """The plan in force, the plans loaded, and the 告示's CSV upload (all or nothing)."""
    errors, loaded, status, notice = [], None, 200, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        effective_from = _date(request.POST.get("effective_from", ""))
        notice = request.POST.get("notice", "").strip()[:100]
        if effective_from is None:
            errors.append("施行日を YYYY-MM-DD で入力してください")
        if upload is None or upload.size == 0:
            errors.append("取り込むファイルを選んでください")
        elif upload.size > MAX_UPLOAD:
            errors.append(f"ファイルが大きすぎます（{MAX_UPLOAD // 1024 // 1024} MB まで）")
        if not errors:
            try:
                with transaction.atomic(using=require_tenant().alias):
                    loaded = precincts.load(upload.read(), effective_from, notice)
            except precincts.RangeFileRejected as exc:
                errors = list(exc.errors)[:100]
        status = 422 if errors else 200
    today = timezone.localdate()
    return _page(
        request,
        "precincts.html",
        {
            "plan": precincts.show(today),
            "plans": precincts.plans(),
            "errors": errors,
            "loaded": loaded,
            "notice": notice,
        },
        status,
    )


@staff_view(roles=access.STAFF_ROLES)
def extract_view(request):
    """The 抄本 form (GET) and the file (GET with ``as_of``): PDF or CSV, audited."""
    today = timezone.localdate()
    if "as_of" not in request.GET:
        return _page(request, "extract.html", {"names": extract.precinct_names(today), "today": today})
    as_of = _date(request.GET.get("as_of", ""))
    output = "csv" if request.GET.get("format") == "csv" else "pdf"
    tohyoku = request.GET.get("tohyoku", "").strip()[:40] or None
    error = "" if as_of else "基準とする日を YYYY-MM-DD で入力してください"
    if as_of:
        try:
            body, _made = extract.print_extract(
                as_of, tohyoku=tohyoku, output=output, for_viewing=request.GET.get("for_viewing") == "1"
            )
        except extract.ExtractRefused as exc:
            error = exc.message
    if error:
        context = {"names": extract.precinct_names(today), "today": today, "error": error}
        return _page(request, "extract.html", context, 422)
    response = HttpResponse(body, content_type=pdf.PDF_CONTENT_TYPE if output == "pdf" else CSV)
    response["Content-Disposition"] = f'attachment; filename="senkyoninmeibo-shohon-{as_of}.{output}"'
    return response


@staff_view(roles=access.STAFF_ROLES)
def periods_view(request):
    errors, given, status, overlaps = {}, {}, 200, []
    if request.method == "POST":
        given = {k: request.POST.get(k, "").strip()[:100] for k in ("name", "announced_on", "election_day")}
        announced, day = _date(given["announced_on"]), _date(given["election_day"])
        try:
            added = periods.add_period(given["name"], announced, day)
        except periods.PeriodRefused as refused:
            errors, status = dict(refused.errors), 422
        else:
            overlaps = [p for p in periods.overlapping(added.announced_on, added.election_day) if p != added]
            given = {}
    return _page(
        request,
        "periods.html",
        {"periods": periods.periods(), "errors": errors, "given": given, "overlaps": overlaps},
        status,
    )


@staff_view(roles=access.STAFF_ROLES)
def viewings_view(request):
    """The 申出 (newest first, keyset) and the form for a new one; POST records it (審査中)."""
    errors, given, status = {}, {}, 200
    if request.method == "POST":
        post = request.POST
        given = {k: post.get(k, "").strip()[:2000] for k in
                 ("purpose", "requester_name", "requester_address", "representative", "viewing_on",
                  "purpose_detail", "viewers", "persons")}  # fmt: skip
        given["precincts"] = [p[:40] for p in post.getlist("precincts")][:100]
        req = viewing.Request(
            purpose=given["purpose"],
            requester_name=given["requester_name"][:100],
            requester_address=given["requester_address"][:200],
            viewing_on=_date(given["viewing_on"]),
            purpose_detail=given["purpose_detail"],
            representative=given["representative"][:100],
            viewers=_lines(given["viewers"], 20),
            persons=tuple(p for p in _lines(given["persons"], 50) if NUMBER.match(p)),
            precincts=tuple(given["precincts"]),
        )
        bad_persons = [p for p in _lines(given["persons"], 50) if not NUMBER.match(p)]
        try:
            if bad_persons:
                raise viewing.ViewingRefused(
                    [("persons", f"宛名番号は数字で入力してください（{bad_persons[0]}）")]
                )
            made = viewing.apply_request(req)
        except viewing.ViewingRefused as refused:
            errors, status = dict(refused.errors), 422
        else:
            return redirect(reverse("elections:viewing") + "?" + urlencode({"id": made.id}))
    after_text = request.GET.get("after", "")
    after = int(after_text) if after_text.isdigit() and len(after_text) < 12 else None
    page, last = viewing.listing(after=after)
    base = reverse("elections:viewings")
    return _page(
        request,
        "viewings.html",
        {
            "viewings": page,
            "purposes": ViewingPurpose.choices,
            "names": extract.precinct_names(timezone.localdate()),
            "errors": errors,
            "given": given,
            "next_url": f"{base}?after={last}" if last else "",
            "first_url": base if after else "",
        },
        status,
    )


def _viewing_id(request) -> int | None:
    text = (request.POST if request.method == "POST" else request.GET).get("id", "")
    return int(text) if text.isdigit() and len(text) < 12 else None


@staff_view(roles=access.STAFF_ROLES)
def viewing_view(request):
    """A 申出: its items, the 審査 form while pending, the 閲覧 form once approved — and, after the
    閲覧, what was shown (the 閲覧's 抄本 on the screen, never a file)."""
    viewing_id = _viewing_id(request)
    errors, shown, status = {}, None, 200
    try:
        if request.method == "POST" and viewing_id is not None:
            action = request.POST.get("action", "")
            try:
                if action == "decide":
                    viewing.decide(
                        viewing_id,
                        allowed=request.POST.get("allowed") == "1",
                        reason=request.POST.get("refusal_reason", "")[:2000],
                    )
                elif action == "view":
                    _record, shown = viewing.view(viewing_id, identity=request.POST.get("identity", "")[:100])
            except viewing.ViewingRefused as refused:
                errors, status = dict(refused.errors), 422
        found = viewing.get(viewing_id) if viewing_id is not None else None
    except viewing.ViewingNotFound:
        found = None
    if found is None:
        return _page(request, "viewing.html", {"error": "この閲覧の申出はありません"}, 404)
    return _page(request, "viewing.html", {"v": found, "errors": errors, "shown": shown}, status)


@staff_view(roles=access.STAFF_ROLES)
def published_view(request):
    """The 閲覧の状況 over a period as CSV (公職選挙法28条の4第7項)."""
    start, end = _date(request.GET.get("from", "")), _date(request.GET.get("to", ""))
    if start is None or end is None or end < start:
        return redirect(reverse("elections:viewings"))
    response = HttpResponse(viewing.published(start, end), content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="etsuran-jokyo-{start}-{end}.csv"'
    return response
