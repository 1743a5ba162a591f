"""在外選挙人名簿 staff screens (docs/overseas_electors.md, "Screens"), role 選挙管理委員会
(``access.STAFF_ROLES``): the book as of a day (50 a page, keyset on 在外選挙人証番号), an entry with
its history and 附票 notices and the 国内住所 表示 / 抹消 forms, the applications waiting with the
出国時申請 and 在外公館申請 forms and registration, and the work list (国外転出 whose 出国時申請
window is open; 附票 notices to send). Every broken rule is shown at its field; every view of
personal data is audited by the door."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from yakuba.overseas_electors import access, services
from yakuba.overseas_electors.codes import StruckOff
from yakuba.overseas_electors.rules.eligibility import struck_off_from
from yakuba.overseas_electors.services import queries
from yakuba.platform import pdf
from yakuba.platform.ui.staff import staff_view

ACTIVE = "overseas_electors"
CARD = re.compile(r"^\d{1,12}$")
DATE_ERROR = "日付は YYYY-MM-DD で入力してください"


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _posted(request, names: tuple[str, ...]) -> dict[str, str]:
    return {k: request.POST.get(k, "").strip()[:200] for k in names}


def _dates(given: dict, names: tuple[str, ...], required: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The date fields that do not parse (a required one also when empty)."""
    return [(f, DATE_ERROR) for f in names if (given[f] or f in required) and _date(given[f]) is None]


@staff_view(roles=access.STAFF_ROLES)
def book_view(request):
    as_of = _date(request.GET.get("as_of", "")) or timezone.localdate()
    after = request.GET.get("after", "").strip()[:12]
    after = after if CARD.match(after) else ""
    lines, last = queries.book(as_of, after=after)
    base = reverse("overseas_electors:book") + "?" + urlencode({"as_of": as_of.isoformat()})
    return render(request, "overseas_electors/book.html", {
        "lines": lines, "as_of": as_of, "next_url": f"{base}&after={last}" if last else "",
        "first_url": base if after else "", "active": ACTIVE,
    })  # fmt: skip


def _entry_page(request, card_no: str, errors=None, given=None, status=200):
    try:
        view = queries.entry(card_no) if CARD.match(card_no) else None
    except services.Refused:
        view = None
    if view is None:
        return render(request, "overseas_electors/entry.html",
                      {"error": f"在外選挙人証番号 {card_no} の登録は見つかりません", "active": ACTIVE}, status=404)  # fmt: skip
    return render(request, "overseas_electors/entry.html", {
        "view": view, "reasons": StruckOff.choices, "errors": dict(errors or []), "given": given or {},
        "struck_off_from": struck_off_from(view.entry.came_home_on) if view.entry.came_home_on else None,
        "active": ACTIVE,
    }, status=status)  # fmt: skip


@staff_view(roles=access.STAFF_ROLES)
def entry_view(request):
    return _entry_page(request, request.GET.get("card_no", "").strip()[:12])


def _entry_post(request, names, required, act):
    if request.method != "POST":
        return redirect(reverse("overseas_electors:book"))
    card_no = request.POST.get("card_no", "").strip()[:12]
    given = _posted(request, names)
    try:
        errors = _dates(given, required, required)
        if errors:
            raise services.Refused(errors)
        act(card_no, given)
    except services.Refused as refused:
        return _entry_page(request, card_no, refused.errors, given, 422)
    return redirect(reverse("overseas_electors:entry") + "?" + urlencode({"card_no": card_no}))


@staff_view(roles=access.STAFF_ROLES)
def came_home_view(request):
    return _entry_post(request, ("came_home_on",), ("came_home_on",),
                       lambda card_no, g: services.mark_came_home(card_no, _date(g["came_home_on"])))  # fmt: skip


@staff_view(roles=access.STAFF_ROLES)
def strike_off_view(request):
    return _entry_post(request, ("on", "reason"), ("on",),
                       lambda card_no, g: services.strike_off(card_no, _date(g["on"]), g["reason"]))  # fmt: skip


def _applications_page(request, errors=None, given=None, form="", status=200):
    today = timezone.localdate()
    pending = queries.pending()
    return render(request, "overseas_electors/applications.html", {
        "pending": [(a, services.registrable_from(a)) for a in pending], "today": today,
        "errors": dict(errors or []), "given": given or {}, "form": form, "active": ACTIVE,
    }, status=status)  # fmt: skip


@staff_view(roles=access.STAFF_ROLES)
def applications_view(request):
    return _applications_page(request)


def _application_post(request, form: str, names, dates, required, act):
    if request.method != "POST":
        return redirect(reverse("overseas_electors:applications"))
    given = _posted(request, names)
    try:
        errors = _dates(given, dates, required)
        if errors:
            raise services.Refused(errors)
        act(given)
    except services.Refused as refused:
        return _applications_page(request, refused.errors, given, form, 422)
    return redirect(reverse("overseas_electors:applications"))


@staff_view(roles=access.STAFF_ROLES)
def departure_view(request):
    statement = request.POST.get("statement") == "1"
    return _application_post(
        request, "departure", ("atena_no", "applied_on", "agent_name"), ("applied_on",), ("applied_on",),
        lambda g: services.apply_departure(
            services.DepartureIn(g["atena_no"][:15], _date(g["applied_on"]), g["agent_name"], statement)
        ),
    )  # fmt: skip


MISSION_FIELDS = ("applied_on", "name", "birth_date", "domicile", "mission", "overseas_address", "arrived_on",
                  "atena_no", "left_japan_on", "domestic_address")  # fmt: skip


@staff_view(roles=access.STAFF_ROLES)
def mission_view(request):
    def apply(g):
        dated = {
            f: _date(g[f]) if g[f] else None
            for f in ("applied_on", "birth_date", "arrived_on", "left_japan_on")
        }
        services.apply_mission(services.MissionIn(**{**g, **dated, "atena_no": g["atena_no"][:15]}))

    return _application_post(
        request, "mission", MISSION_FIELDS, ("applied_on", "birth_date", "arrived_on", "left_japan_on"),
        ("applied_on",), apply,
    )  # fmt: skip


@staff_view(roles=access.STAFF_ROLES)
def register_view(request):
    def apply(g):
        if not g["application"].isdigit():
            raise services.Refused([("application", "申請を選んでください")])
        services.register(services.Registration(int(g["application"]), _date(g["on"]), g["mission"],
                                                g["overseas_address"]))  # fmt: skip

    return _application_post(
        request, "register", ("application", "on", "mission", "overseas_address"), ("on",), ("on",), apply
    )


@staff_view(roles=access.STAFF_ROLES)
def work_view(request):
    today = timezone.localdate()
    return render(request, "overseas_electors/work.html", {
        "leads": queries.open_leads(today), "notices": queries.notices_to_send(),
        "today": today, "active": ACTIVE,
    })  # fmt: skip


@staff_view(roles=access.STAFF_ROLES)
def sent_view(request):
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("notice") if x.isdigit()]
        queries.mark_sent(ids, timezone.localdate())
    return redirect(reverse("overseas_electors:work"))


@staff_view(roles=access.STAFF_ROLES)
def print_view(request):
    """The chosen 附票 notices as one PDF (one page each), to mail; POST only."""
    if request.method != "POST":
        return redirect(reverse("overseas_electors:work"))
    try:
        body = queries.notices_pdf([int(x) for x in request.POST.getlist("notice") if x.isdigit()])
    except services.Refused as refused:
        today = timezone.localdate()
        return render(request, "overseas_electors/work.html", {
            "leads": queries.open_leads(today), "notices": queries.notices_to_send(), "today": today,
            "error": refused.errors[0][1], "active": ACTIVE,
        }, status=422)  # fmt: skip
    response = HttpResponse(body, content_type=pdf.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = pdf.content_disposition(f"annex-notices-{timezone.localdate()}.pdf")
    return response


@staff_view(roles=access.STAFF_ROLES)
def card_view(request):
    """The entry's 在外選挙人証 as a PDF (to send to the 在外公館); POST only, audited as a print."""
    card_no = request.POST.get("card_no", "").strip()[:12]
    if request.method != "POST":
        return redirect(reverse("overseas_electors:book"))
    try:
        body = queries.card_pdf(card_no)
    except services.Refused as refused:
        return _entry_page(request, card_no, refused.errors, {}, 422)
    response = HttpResponse(body, content_type=pdf.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = pdf.content_disposition(f"zaigai-senkyoninsho-{card_no}.pdf")
    return response
