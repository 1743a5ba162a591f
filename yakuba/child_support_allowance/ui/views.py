"""児童扶養手当 staff screens (福祉 role): 受給者 照会 — every 認定 with each 支給年度's versions,
the 所得額 and the amount with their steps —, the 認定請求 and the 現況届 (typed, checked and shown
on a 確認 screen with the amount it decides before anything is recorded), and the list of 未提出
現況届.

The forms are built from the door's own models (``platform.ui.model_form``: ``ClaimIn``,
``FactsIn``), so each error of the model or of the door lands next to its input. Persons under
支援措置 are as the registry's screens show them to this role: not found (the attempt audited);
on the work list they stay, without name or 宛名番号. Persons are named in the query string,
never in a path segment.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from pydantic import BaseModel, Field, ValidationError

from yakuba.child_support_allowance import access
from yakuba.child_support_allowance.codes import Category, Claimant, Ground
from yakuba.child_support_allowance.rules.months import month_after
from yakuba.child_support_allowance.services import (
    ClaimIn,
    FactsIn,
    Rejected,
    children,
    ending,
    entitlement,
    lookup,
    status_report,
)
from yakuba.platform.schema_errors import message, path
from yakuba.platform.ui.model_form import ModelForm
from yakuba.platform.ui.staff import staff_view
from yakuba.registry import services as registry

ACTIVE = "child_support_allowance"
ATENA = re.compile(r"^\d{1,15}$")
VISIBILITY = entitlement.VISIBILITY
LABELS = {
    **{c.value: c.label for c in Claimant},
    **{g.value: g.label for g in Ground},
    "1": "普通",
    "2": "当座",
}
HINTS = {
    "child_atena_no": "数字（例：0000000353）",
    "ended_on": "例：R7.9.15（和暦・西暦どちらでも）",
    "claimed_on": "例：R7.6.10（和暦・西暦どちらでも）。支給は請求月の翌月から",
    "certified_on": "空欄は今日",
    "dependants": "空欄は住民税の扶養親族の数（年少扶養親族を含む）",
    "other_deductions": "障害者控除・寡婦控除（養育者）・医療費控除など",
    "child_support_received_annual": "前年に受け取った養育費の年額（8割を所得に加えます）",
    "account_holder_kana": "カタカナ（全銀ファイルに半角で書きます）",
    "children": "宛名番号を年長の子から「,」で区切って（例：0000000345, 0000000353）",
}


def lookup_url(atena_no: str) -> str:
    return reverse("child_support_allowance:lookup") + "?" + urlencode({"atena_no": atena_no})


def _atena(request) -> str:
    return request.GET.get("atena_no", "").strip()[:15]


@staff_view(roles=access.STAFF_ROLES)
def lookup_view(request):
    """受給者 照会 (``?atena_no=``): the person's 認定, versions, amounts and steps."""
    atena_no = _atena(request)
    context = {"atena_no": atena_no, "action": request.path, "active": ACTIVE, "open_reports": _open_count()}
    status = 200
    if atena_no and not ATENA.match(atena_no):
        context["error"], status = "宛名番号は数字で入力してください", 422
    elif atena_no:
        try:
            context["entitlements"] = lookup.person(atena_no, visibility=VISIBILITY)
            context["name"] = registry.names_of([atena_no], visibility=VISIBILITY).get(atena_no, "")
        except registry.NotFound:
            context["error"], status = f"宛名番号 {atena_no} の方は見つかりません", 404
        else:
            context["has_active"] = any(e.status == "active" for e in context["entitlements"])
            context["report_year"] = status_report.current_benefit_year()
    return render(request, "child_support_allowance/lookup.html", context, status=status)


def _open_count() -> tuple[int, int]:
    year = status_report.current_benefit_year()
    return year, status_report.outstanding_count(year)


def _children(text: str) -> list[str]:
    return [p for p in re.split(r"[,、\s]+", unicodedata.normalize("NFKC", text).strip()) if p]


def _decision_rows(decision: entitlement.Decision) -> list[tuple[str, str]]:
    rows = [
        ("支給年度", f"{decision.benefit_year}年11月〜{decision.benefit_year + 1}年10月"),
        ("所得額", f"{decision.income_for_test:,}円（{decision.income['tax_year']}年度の住民税の所得から）"),
        ("扶養親族等の数", f"{decision.dependants}人"),
        ("支給区分", Category(decision.category).label),
    ]
    rows += [(f"{f:%Y年%-m月}〜{u:%Y年%-m月}", f"月額 {total:,}円") for f, u, total, _c in decision.periods]
    if decision.note:
        rows.append(("備考", decision.note))
    return rows


def _filing(request, form: ModelForm, context: dict, run, done):
    """The form, its 確認 (``run(parsed, False)`` → the rows of what it decides; nothing written)
    and the record made (``run(parsed, True)``, then ``done(parsed, row)`` → where to go). A
    refusal lands on its input (a child's ``children[1]`` on the one 対象児童 input), answered 422."""
    context = {"form": form, "action": request.get_full_path(), "active": ACTIVE, **context}
    step = request.POST.get("_step", "") if request.method == "POST" else ""
    if step not in ("confirm", "apply"):
        return render(request, "child_support_allowance/form.html", context)
    parsed = form.validate()
    if parsed is not None:
        try:
            result = run(parsed, step == "apply")
        except Rejected as exc:
            form.set_errors([(e["field"].split("[")[0], e["message"]) for e in exc.errors])
        else:
            if step == "apply":
                return redirect(done(parsed, result))
            context["decision"] = result
            context["inputs"] = [(f.label, f.value) for f in form.fields.values() if f.value]
            return render(request, "child_support_allowance/confirm.html", context)
    return render(request, "child_support_allowance/form.html", context, status=422)


def _person(request) -> tuple[str, str] | None:
    """(宛名番号, 氏名) of ``?atena_no=`` (the name as this role may see it), or None."""
    atena_no = _atena(request)
    if not ATENA.match(atena_no):
        return None
    return atena_no, registry.names_of([atena_no], visibility=VISIBILITY).get(atena_no, "")


def _no_person(request, title: str):
    context = {"error": "宛名番号を指定してください", "active": ACTIVE, "title": title}
    return render(request, "child_support_allowance/form.html", context, status=404)


def _year(request) -> int:
    text = request.GET.get("year", "")[:4]
    return int(text) if text.isascii() and text.isdigit() else status_report.current_benefit_year()


class ClaimForm(ClaimIn):
    """The 認定請求 as typed: the 対象児童 in one input (宛名番号 keep their leading zeros)."""

    children: str = Field(title="対象児童の宛名番号", max_length=200)

    def claim(self) -> ClaimIn:
        """The door's model, or ``Rejected`` naming ``children`` for a 宛名番号 that is not one."""
        try:
            return ClaimIn.model_validate({**self.model_dump(), "children": _children(self.children)})
        except ValidationError as exc:
            raise Rejected(
                [{"field": path(e.get("loc", ())), "message": message(e)} for e in exc.errors()]
            ) from None


@staff_view(roles=access.STAFF_ROLES)
def claim_view(request):
    """認定請求 (``?atena_no=`` prefills the 請求者): form → 確認 (the first 支給年度's amount) →
    recorded."""
    data = request.POST if request.method == "POST" else None
    form = ModelForm(
        ClaimForm, data, labels=LABELS, hints=HINTS, values={"claimant_atena_no": _atena(request)}
    )

    def run(typed: ClaimForm, apply: bool):
        if apply:
            return entitlement.apply_claim(typed.claim(), visibility=VISIBILITY)
        return _decision_rows(entitlement.preview_claim(typed.claim(), visibility=VISIBILITY))

    def done(body: ClaimForm, row) -> str:
        messages.success(request, f"認定しました（認定番号 {row.id}、支給開始 {row.first_month:%Y年%-m月}）")
        return lookup_url(body.claimant_atena_no)

    lead = "請求者・対象児童・受給資格の事由・口座を入力します。所得は住民税の課税資料から読みます。"
    return _filing(request, form, {"title": "認定請求", "lead": lead}, run, done)


class ReportIn(FactsIn):
    """The 現況届 form: the 受付日 and what the 受給者 declares."""

    received_on: date = Field(title="受付日")


@staff_view(roles=access.STAFF_ROLES)
def report_view(request):
    """現況届 of a 受給者 (``?atena_no=&year=``): form → 確認 (the 支給年度's amount) → recorded."""
    year = _year(request)
    found = _person(request)
    if found is None:
        return _no_person(request, "現況届")
    atena_no, name = found
    form = ModelForm(ReportIn, request.POST if request.method == "POST" else None, labels=LABELS, hints=HINTS)

    def run(body: ReportIn, apply: bool):
        facts = FactsIn(**body.model_dump(include=set(FactsIn.model_fields)))
        if apply:
            return status_report.record_report(atena_no, year, body.received_on, facts, visibility=VISIBILITY)
        return _decision_rows(
            status_report.preview_report(atena_no, year, body.received_on, facts, visibility=VISIBILITY)
        )

    def done(_body, row) -> str:
        messages.success(request, f"{year}年度の現況届を受け付けました（{row.get_category_display()}）")
        return lookup_url(atena_no)

    lead = f"{name or atena_no}さんの{year}年11月〜{year + 1}年10月の手当を、{year - 1}年の所得で決めます。"
    context = {"atena_no": atena_no, "name": name, "title": f"{year}年度の現況届", "lead": lead}
    return _filing(request, form, context, run, done)


class AddChildForm(BaseModel):
    """The 額改定請求 form."""

    child_atena_no: str = Field(title="増えた対象児童の宛名番号", max_length=15)
    claimed_on: date = Field(title="請求日")


@staff_view(roles=access.STAFF_ROLES)
def add_child_view(request):
    """額改定請求 of a 受給者 (``?atena_no=``): form → 確認 (the new amounts) → recorded."""
    found = _person(request)
    if found is None:
        return _no_person(request, "額改定請求")
    atena_no, name = found
    form = ModelForm(AddChildForm, request.POST if request.method == "POST" else None, hints=HINTS)

    def run(typed: AddChildForm, apply: bool):
        body = children.ChildIn(atena_no=atena_no, **typed.model_dump())
        if apply:
            return children.add_child(body, visibility=VISIBILITY)
        _found, errors = children.check_child(body, visibility=VISIBILITY)
        if errors:
            raise Rejected.of(errors)
        start = f"{month_after(typed.claimed_on):%Y年%-m月}"
        return [
            ("増額の開始月", f"{start}分から（請求の翌月）。支給年度ごとの額は登録後の照会で確かめられます")
        ]

    def done(_typed, row) -> str:
        messages.success(request, "額改定請求を登録しました（対象児童を追加）")
        return lookup_url(atena_no)

    lead = "対象児童が増えたとき（出生、監護の開始）。請求の翌月から増額します。"
    context = {"atena_no": atena_no, "name": name, "title": "額改定請求", "lead": lead}
    return _filing(request, form, context, run, done)


class EndForm(BaseModel):
    """The 資格喪失届 form."""

    ended_on: date = Field(title="資格を喪失した日")


@staff_view(roles=access.STAFF_ROLES)
def end_view(request):
    """資格喪失届 of a 受給者 (``?atena_no=``): form → 確認 (the 支給終了月) → recorded."""
    found = _person(request)
    if found is None:
        return _no_person(request, "資格喪失届")
    atena_no, name = found
    form = ModelForm(EndForm, request.POST if request.method == "POST" else None, hints=HINTS)

    def run(typed: EndForm, apply: bool):
        if apply:
            return ending.end_by_notice(atena_no, typed.ended_on, visibility=VISIBILITY)
        _found, errors = ending.check_end(atena_no, typed.ended_on, visibility=VISIBILITY)
        if errors:
            raise Rejected.of(errors)
        return [("支給終了月", f"{typed.ended_on:%Y年%-m月}（この月分まで支給）")]

    def done(_typed, row) -> str:
        messages.success(request, f"資格喪失届を登録しました（支給終了月 {row.last_month:%Y年%-m月}）")
        return lookup_url(atena_no)

    lead = "婚姻（事実婚を含む）、児童を監護しなくなったときなど。喪失の日の属する月まで支給します。"
    context = {"atena_no": atena_no, "name": name, "title": "資格喪失届", "lead": lead}
    return _filing(request, form, context, run, done)


@staff_view(roles=access.STAFF_ROLES)
def work_view(request):
    """未提出の現況届 of a 支給年度 (``?year=&after=``), 50 a page by the 現況届's number."""
    year = _year(request)
    after_text = request.GET.get("after", "")[:19]
    after = int(after_text) if after_text.isascii() and after_text.isdigit() else 0
    rows = status_report.outstanding(year, after=after, visibility=VISIBILITY)
    base = reverse("child_support_allowance:work") + f"?year={year}"
    return render(
        request,
        "child_support_allowance/work.html",
        {
            "year": year,
            "rows": rows,
            "count": status_report.outstanding_count(year),
            "next_url": f"{base}&after={rows[-1].report_id}" if len(rows) == 50 else "",
            "first_url": base if after else "",
            "active": ACTIVE,
        },
    )
