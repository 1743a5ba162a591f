"""The clerk's 国保 work: the lists a registry event or the age job leaves (加入届 pending after a
転入, 75歳到達 for 後期, a cancelled 異動 to review), and the 届出 filed on a screen — 加入届,
脱退届, 資格の訂正, and closing an item without one (対象外: 社保加入済み等).

Every 届出 is typed, checked and shown on a 確認 screen before it is recorded (one transaction
in the door, audited there); an error is shown next to its input and nothing is written.
The person is named by the query string (``?item=``, ``?atena_no=``), never a path segment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from yakuba.health_insurance import access
from yakuba.health_insurance.codes import Change, WorkKind
from yakuba.health_insurance.services import lookup, qualification
from yakuba.health_insurance.ui import forms
from yakuba.health_insurance.ui.views import VISIBILITY, lookup_url
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.ui.staff import staff_view

ACTIVE = "health_insurance"
TITLES = {
    WorkKind.ENROLMENT: "加入届の確認待ち",
    WorkKind.AGE_75: "75歳到達（後期高齢者医療へ）",
    WorkKind.REVIEW: "異動の取消しの確認",
}
NOTES = {
    WorkKind.ENROLMENT: "転入・職権記載のあった方です。国民健康保険の加入届を受け付けるか、"
    "社会保険に加入済みなど対象外であれば一覧から外します。",
    WorkKind.AGE_75: "75歳の誕生日に国民健康保険の資格を喪失した方です（喪失は登録済み）。"
    "後期高齢者医療の資格取得を確認したら一覧から外します。",
    WorkKind.REVIEW: "住民記録の異動が取り消された方です。資格の記録を確かめ、必要なら訂正してから一覧から外します。",
}


def work_url(kind: str) -> str:
    return reverse("health_insurance:work") + "?" + urlencode({"kind": kind})


def _after(token: str) -> tuple[date, int] | None:
    """The keyset of the next page, ``YYYY-MM-DD.id`` (anything else: the first page)."""
    day, _, item = token.partition(".")
    try:
        return date.fromisoformat(day), int(item)
    except ValueError:
        return None


@staff_view(roles=access.STAFF_ROLES)
def work_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in WorkKind.values else WorkKind.ENROLMENT
    after = _after(request.GET.get("after", "")[:40])
    rows, last = lookup.work_page(kind, after=after, visibility=VISIBILITY)
    return render(
        request,
        "health_insurance/work_list.html",
        {
            "kind": kind,
            "title": TITLES[kind],
            "note": NOTES[kind],
            "kinds": [(k, TITLES[k]) for k in WorkKind.values],
            "count": lookup.open_counts()[kind],
            "rows": rows,
            "next_url": work_url(kind) + f"&after={last[0].isoformat()}.{last[1]}" if last else "",
            "first_url": work_url(kind) if after else "",
            "active": ACTIVE,
        },
    )


def _number(request, name: str) -> str:
    return request.GET.get(name, "").strip()[:15]


@staff_view(roles=access.STAFF_ROLES)
def enrol(request):
    """加入届 for an open 加入届 work item (``?item=``): 取得日 the 転入日 unless changed."""
    item = _item(request, WorkKind.ENROLMENT)
    if item is None:
        return _gone(request, "加入届の確認待ちの方が見つかりません（すでに処理済みです）")

    def apply(values: dict) -> tuple[str, str]:
        qualification.enrol(item.atena_no, values["effective_on"], values["reason"], values["notified_on"])
        return f"{item.name}（宛名番号 {item.atena_no}）の加入を登録しました", work_url(item.kind)

    return _filing(request, forms.enrol_form(item.due_on), _person(item), apply, work_url(item.kind))


@staff_view(roles=access.STAFF_ROLES)
def close(request):
    """Close a work item without a 届出 (``?item=``): 対象外, or reviewed."""
    item = _item(request, None)
    if item is None:
        return _gone(request, "この作業は見つかりません（すでに処理済みです）")

    def apply(values: dict) -> tuple[str, str]:
        qualification.close_work_item(item.id, values["note"])
        return f"{item.name}（宛名番号 {item.atena_no}）を{TITLES[item.kind]}の一覧から外しました", work_url(
            item.kind
        )

    return _filing(request, forms.close_form(item.kind), _person(item), apply, work_url(item.kind))


@staff_view(roles=access.STAFF_ROLES)
def withdraw(request):
    """脱退届 of a member (``?atena_no=``)."""
    member = _member(request)
    if member is None:
        return _gone(request, "この方は国民健康保険の記録にありません")

    def apply(values: dict) -> tuple[str, str]:
        qualification.withdraw(
            member.atena_no, values["effective_on"], values["reason"], values["notified_on"]
        )
        return f"{member.name}（宛名番号 {member.atena_no}）の資格喪失を登録しました", lookup_url(
            member.setai_no
        )

    return _filing(request, forms.withdraw_form(), _person(member), apply, lookup_url(member.setai_no))


@staff_view(roles=access.STAFF_ROLES)
def correct(request):
    """資格の訂正 of a member (``?atena_no=&row=``): a 取得 or 喪失 recorded in error is voided."""
    member = _member(request)
    if member is None:
        return _gone(request, "この方は国民健康保険の記録にありません")
    rows = tuple(
        (str(h.id), f"{h.change_label} {format_wareki(h.effective_on)}（{h.reason_label}）")
        for h in member.history
        if h.change != Change.CORRECTED and not h.voided
    )
    if not rows:
        return _gone(request, "訂正できる資格の記録がありません")

    def apply(values: dict) -> tuple[str, str]:
        qualification.correct(member.atena_no, int(values["row"]), values["note"])
        return f"{member.name}（宛名番号 {member.atena_no}）の資格の記録を訂正しました", lookup_url(
            member.setai_no
        )

    filing = forms.correct_form(rows, request.GET.get("row", "")[:20])
    return _filing(request, filing, _person(member), apply, lookup_url(member.setai_no))


def _item(request, kind: str | None) -> lookup.WorkRow | None:
    number = _number(request, "item")
    if not (number.isascii() and number.isdigit()):
        return None
    try:
        item = lookup.work_item(int(number), visibility=VISIBILITY)
    except lookup.NotFound:
        return None
    return item if kind is None or item.kind == kind else None


def _member(request) -> lookup.MemberLine | None:
    atena_no = _number(request, "atena_no")
    if not (atena_no.isascii() and atena_no.isdigit()):
        return None
    try:
        return lookup.member(atena_no, visibility=VISIBILITY)
    except lookup.NotFound:
        return None


def _person(who: lookup.WorkRow | lookup.MemberLine) -> dict:
    return {"atena_no": who.atena_no, "name": who.name, "setai_no": who.setai_no}


def _gone(request, message: str):
    return render(request, "health_insurance/filing.html", {"error": message, "active": ACTIVE}, status=404)


def _filing(request, filing: forms.Filing, person: dict, apply: Callable[[dict], tuple[str, str]], back: str):
    """The form (GET), its 確認 (POST ``_step=confirm``) and the 届出 recorded (``_step=apply``)."""
    step = request.POST.get("_step", "") if request.method == "POST" else ""
    context = {
        "filing": filing,
        "person": person,
        "back": back,
        "action": request.get_full_path(),
        "active": ACTIVE,
    }
    if step not in ("confirm", "apply"):
        if step == "edit":  # back from the 確認 screen with what was typed
            filing.read(request.POST)
        return render(request, "health_insurance/filing.html", context)
    if filing.read(request.POST):
        if step == "confirm":
            return render(request, "health_insurance/filing_confirm.html", context)
        try:
            done, to = apply(filing.values)
        except qualification.QualificationRejected as exc:
            filing.refused(str(exc))
        else:
            messages.success(request, done)
            return redirect(to)
    return render(request, "health_insurance/filing.html", context, status=422)
