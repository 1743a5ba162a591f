"""戸籍照会 screens of the 戸籍係 (docs/koseki.md "画面"): the search (本籍・筆頭者, or a person's
氏名・振り仮名・生年月日), a 戸籍 with its members in order and their 身分事項 (除籍 marked, a
除籍 or 改製原戸籍 read the same), a person's 身分事項 across every 戸籍, the 受付帳 of a day with
each 届出's page, and the 振り仮名 status.

Role: 戸籍 (``access.STAFF_ROLES``). Every read goes through the door or ``services/search.py``,
each audited there; ids come in the query string, so no path segment takes a value.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from yakuba.koseki import access, services
from yakuba.koseki.codes import Event, Outcome
from yakuba.koseki.services import search
from yakuba.koseki.ui.forms import KINDS, WORDS
from yakuba.platform.japanese.wareki import WarekiError, format_wareki, parse_wareki
from yakuba.platform.ui.staff import forbidden, staff_view

ACTIVE = "koseki"
ID = re.compile(r"^\d{10}$")
KEY = re.compile(r"^\d{1,18}$")
BAD_ID = "{label}は10桁の数字で入力してください"

# Words of the keys of an entry's ``detail`` (the door's entries, docs/koseki.md) beyond WORDS;
# an unknown key shows as itself, an id is not shown (the page links the persons instead).
DETAIL = {
    **WORDS,
    "reason": "事由",
    "spouse": "配偶者",
    "to": "入籍先・新本籍",
    "old": "従前の本籍",
    "new": "新本籍",
    "former_surname": "従前の氏",
    "legitimate": "嫡出子",
    "abroad": "外国で発生",
    "keep_surname": "婚氏続称",
    "migrated": "移行により記載",
    "source": "記載の根拠",
    "filed": "届出",
    "ex_officio": "職権",
}


def not_found(request, message: str):
    return forbidden(request, message, title="見つかりません", status=404)


def asked(request, ident: str, label: str, read):
    """(``read(ident)`` through the door, None), or (None, the 404 page) for an id that is
    malformed or unknown here."""
    ident = ident.strip()
    if not ID.match(ident):
        return None, not_found(request, BAD_ID.format(label=label))
    try:
        return read(ident), None
    except services.NotFound as exc:
        return None, not_found(request, str(exc))


def _value(value) -> str:
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, str) and value in Event.values:
        return Event(value).label
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return format_wareki(date.fromisoformat(value))
    return DETAIL.get(str(value), str(value)) if isinstance(value, str) else str(value)


def described(entry: services.EntryView) -> dict:
    """An entry as a line: the 事項, its day in 和暦, the 届出, and its details in words."""
    return {
        "label": entry.label,
        "on": format_wareki(entry.on),
        "recorded_on": format_wareki(entry.recorded_on),
        "notification_no": entry.notification_no,
        "details": [
            (DETAIL.get(k, k), _value(v))
            for k, v in entry.detail.items()
            if not k.endswith("_id") and k != "to_lg_code" and v not in ("", None)
        ],
    }


def _date(text: str) -> date | None:
    try:
        return parse_wareki(text) if text else None
    except WarekiError:
        return None


@staff_view(roles=access.STAFF_ROLES)
@require_GET
def search_view(request):
    """The search: by 本籍 and 筆頭者 (the 戸籍), or a person's 氏名, 振り仮名, 生年月日 (each 戸籍
    they are or were in); keyset pages of 50."""
    asked = {k: request.GET.get(k, "").strip()[:100] for k in ("honseki", "hittosha", "name", "kana", "born")}
    after = request.GET.get("after", "").strip()
    after = after if KEY.match(after) else ""
    context = {"asked": asked, "kinds": KINDS, "active": ACTIVE, "searched": any(asked.values())}
    if not context["searched"]:
        return render(request, "koseki/search.html", context)
    born = _date(asked["born"])
    if asked["born"] and born is None:
        context["errors"] = {"born": ["生年月日は西暦（1990-05-05）又は和暦（H2.5.5）で入力してください"]}
        return render(request, "koseki/search.html", context, status=422)
    hits, last = search.find(
        honseki=asked["honseki"],
        hittosha=asked["hittosha"],
        name=asked["name"],
        kana=asked["kana"],
        birth_date=born,
        after=after,
    )
    query = {k: v for k, v in asked.items() if v}
    base = reverse("koseki:search") + "?" + urlencode(query)
    context |= {
        "hits": hits,
        "persons": bool(asked["name"] or asked["kana"] or born),
        "next_url": f"{base}&after={last}" if last else "",
        "first_url": base if after else "",
    }
    return render(request, "koseki/search.html", context)


@staff_view(roles=access.STAFF_ROLES)
@require_GET
def register_view(request):
    """A 戸籍: 本籍, 筆頭者, 戸籍事項, then each member in order (14条) with their 身分事項; a
    除籍 member stays in place, marked; a closed 戸籍 is shown as a 除籍."""
    view, missing = asked(request, request.GET.get("id", ""), "戸籍ID", services.koseki_of)
    if missing:
        return missing
    return render(request, "koseki/register.html", {"koseki": shown(view), "active": ACTIVE})


def shown(view: services.KosekiView, notification_no: str = "") -> dict:
    """A 戸籍 for a template: the view, its 戸籍事項 and members with their entries described
    (``notification_no``: the 届出 whose lines are marked as new, on the 確認 page)."""
    return {
        "view": view,
        "entries": [described(e) | {"new": e.notification_no == notification_no != ""} for e in view.entries],
        "members": [
            {
                "m": m,
                "entries": [
                    described(e) | {"new": e.notification_no == notification_no != ""} for e in m.entries
                ],
                "new": notification_no != "" and any(e.notification_no == notification_no for e in m.entries),
                "removed_reason": _value(m.removed_reason),
            }
            for m in view.members
        ],
        "formed_now": notification_no != ""
        and any(e.event == Event.FORMED and e.notification_no == notification_no for e in view.entries),
    }


@staff_view(roles=access.STAFF_ROLES)
@require_GET
def person_view(request):
    """A person's 身分事項 in every 戸籍 they were written in, in the order written."""
    person_id = request.GET.get("id", "").strip()
    found, missing = asked(request, person_id, "個人ID", services.entries_of)
    if missing:
        return missing
    rows = [{"koseki_id": p.koseki_id, "honseki": p.honseki, **described(p.entry)} for p in found]
    name = search.names_of({person_id}).get(person_id, "")
    return render(
        request, "koseki/person.html", {"person_id": person_id, "name": name, "rows": rows, "active": ACTIVE}
    )


@staff_view(roles=access.STAFF_ROLES)
@require_GET
def ledger_view(request):
    """The 受付帳 of a day (today by default): every 届出, 受理 and 不受理, in 受付番号 order."""
    text = request.GET.get("day", "").strip()[:20]
    day = _date(text) if text else timezone.localdate()
    if day is None:
        return render(
            request,
            "koseki/ledger.html",
            {
                "error": "日付は西暦（2026-04-01）又は和暦（R8.4.1）で入力してください",
                "day_text": text,
                "active": ACTIVE,
            },
            status=422,
        )
    after = request.GET.get("after", "").strip()
    after = after if ID.match(after) else ""
    rows, last = search.received_on(day, after=after)
    base = reverse("koseki:ledger") + "?" + urlencode({"day": day.isoformat()})
    return render(
        request,
        "koseki/ledger.html",
        {
            "day": day,
            "day_text": day.isoformat(),
            "day_wareki": format_wareki(day),
            "rows": rows,
            "refused": Outcome.REFUSED,
            "next_url": f"{base}&after={last}" if last else "",
            "first_url": base if after else "",
            "active": ACTIVE,
        },
    )


@staff_view(roles=access.STAFF_ROLES)
@require_GET
def notification_view(request):
    """One 届出: its kind, days, 届出期間 and 期間経過, 受理 or 不受理 with every reason at its
    item, the 届書 as filed, and the 戸籍 it wrote."""
    number = request.GET.get("no", "").strip()
    found = search.received(number) if ID.match(number) else None
    if found is None:
        return not_found(request, f"受付番号 {number} の届出は見つかりません")
    return render(
        request,
        "koseki/notification.html",
        {
            "n": found,
            "accepted": found.outcome == Outcome.ACCEPTED,
            "reasons": [(DETAIL.get(f.split(".")[-1], f), m) for f, m in found.reasons],
            "data": _flat({k: v for k, v in found.data.items() if k != "kind"}),
            "written": search.written_by(found.notification_no),
            "active": ACTIVE,
        },
    )


def _flat(data: dict, prefix: str = "") -> list[tuple[str, str]]:
    """The 届書's items as (words, text) in order, a party's items under its words (「夫 氏」)."""
    items: list[tuple[str, str]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            items += _flat(value, prefix if key == "person" else f"{prefix}{DETAIL.get(key, key)} ")
        elif value not in (None, "", []):
            text = ", ".join(value) if isinstance(value, list) else _value(value)
            items.append((prefix + DETAIL.get(key, key), text))
    return items


@staff_view(roles=access.STAFF_ROLES)
@require_GET
def furigana_view(request):
    """The 振り仮名 of the persons in a 戸籍: how many were notified, filed, recorded by 職権, are
    still without one — and one list of them, by status."""
    status = request.GET.get("status", "notified")
    status = status if status in search.STATUS_FILTERS else "notified"
    after = request.GET.get("after", "").strip()
    after = after if KEY.match(after) else ""
    rows, last = search.readings(status, after=after)
    base = reverse("koseki:furigana") + "?" + urlencode({"status": status})
    return render(
        request,
        "koseki/furigana.html",
        {
            "counts": search.reading_status(),
            "filters": search.STATUS_FILTERS,
            "status": status,
            "rows": rows,
            "sources": {
                "none": "未記載",
                "filed": "届出",
                "ex_officio": "職権",
                "changed": "職権記載後の届出",
            },
            "next_url": f"{base}&after={last}" if last else "",
            "first_url": base if after else "",
            "active": ACTIVE,
        },
    )
