"""国保の税率: the 年度's current rates of each part, its 軽減 thresholds and 納期, every version
with who registered it, when and why — and, for the 管理者, a new version typed over the current
one, shown as what changes on a 確認 step, then registered (``rates.set_rates``: one transaction,
audited, the versions before kept).

The form is built from the rates' own pydantic model (``rates.RatesIn``, through
``platform.ui.model_form``), so the screen asks exactly what the CLI and the API take and each
refusal — of the model, or of the calculation on its probe 世帯 — lands on its input (422).
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from yakuba.health_insurance import access
from yakuba.health_insurance.services import rates
from yakuba.health_insurance.services.lookup import PARTS
from yakuba.platform.audit.log import current_actor
from yakuba.platform.ui.model_form import YEN_UNITS, ModelForm
from yakuba.platform.ui.staff import staff_view

ACTIVE = "health_insurance"
LABELS = {**YEN_UNITS, "1000": "1,000円", "tax": "保険税", "premium": "保険料"}
HINTS = {
    **{f"rates.{key}.income_rate": "％で入力（例：7.2）" for key, _label in PARTS},
    "installments.months": "4月からの順に「,」で区切る（例：7, 8, 9, 10, 11, 12, 1, 2）",
    "installments.provisional_months": "使わないときは空（例：4, 5, 6）",
}
REASON = "reason"
NO_VALUE = "（指定なし）"


def rates_url(year: int) -> str:
    return reverse("health_insurance:rates") + "?" + urlencode({"year": year})


def _year(request) -> int | None:
    """The 年度 of ``?year=`` (this 年度, April to March, when not given); None when unreadable."""
    given = request.GET.get("year", "").strip()[:4]
    if not given:
        today = timezone.localdate()
        return today.year if today.month >= 4 else today.year - 1
    return int(given) if given.isascii() and given.isdigit() and 1900 <= int(given) <= 2999 else None


def _paths(value, prefix: str = "") -> dict[str, object]:
    """A payload as {JSON path: value} — the form's inputs (lists of numbers are one input)."""
    if not isinstance(value, dict):
        return {prefix: value}
    found: dict[str, object] = {}
    for key, item in value.items():
        found |= _paths(item, f"{prefix}.{key}" if prefix else key)
    return found


def _form(data=None, current: rates.RatesLine | None = None) -> ModelForm:
    """The rates' form, typed (``data``) or prefilled from the current version (else the 納期
    by default)."""
    given = current.payload if current else {"installments": rates.InstallmentsIn().model_dump()}
    return ModelForm(rates.RatesIn, data, labels=LABELS, hints=HINTS, values=_paths(given))


def _normal(payload: dict) -> dict[str, object]:
    """A payload as the model reads it, by path: ``7.0`` and ``7.00`` are one rate, a default is
    as good as its value written out."""
    return _paths(rates.RatesIn.model_validate(payload).model_dump())


def _shown(value) -> str:
    """A rate in ％, an amount in 円, months as typed, a choice in its words."""
    if value is None or value == []:
        return NO_VALUE
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, Decimal):
        return f"{value}％"
    if isinstance(value, int):
        return f"{value:,}円"
    return LABELS.get(value, value)


def _changes(form: ModelForm, before: dict | None, after: dict) -> list[tuple[str, str, str]]:
    """(項目, 現在, 変更後) of every input whose value the new version changes."""
    old, new = _normal(before) if before else {}, _normal(after)
    found = []
    for section in form.sections:
        for f in section.fields:
            if old.get(f.name) != new.get(f.name) or not before:
                label = f.label if section.key == "_" else f"{section.title}：{f.label}"
                found.append((label, _shown(old.get(f.name)) if before else "—", _shown(new.get(f.name))))
    return found


def _page(request, year: int, versions: list[rates.RatesLine], form: ModelForm | None, status: int = 200):
    current = versions[0] if versions else None
    payload = current.payload if current else {}
    given = payload.get("rates", {})
    context = {
        "year": year,
        "current": current,
        "parts": [(label, given[key]) for key, label in PARTS if given.get(key)],
        "thresholds": payload.get("reduction_thresholds") or {},
        "installments": payload.get("installments", {}),
        "levy": LABELS[payload.get("levy_type", "tax")],
        "truncation": LABELS[str(payload.get("truncation", 100))],
        "versions": versions,
        "form": form,
        "reason": request.POST.get(REASON, "").strip()[:200] if request.method == "POST" else "",
        "reason_error": next((e["message"] for e in form.summary if e["id"] == "f-reason"), "")
        if form
        else "",
        "action": reverse("health_insurance:rates-edit") + "?" + urlencode({"year": year}),
        "active": ACTIVE,
    }
    return render(request, "health_insurance/rates.html", context, status=status)


def _missing_year(request):
    context = {"error": "年度は西暦4桁で指定してください（例：?year=2026）", "active": ACTIVE}
    return render(request, "health_insurance/rates.html", context, status=404)


@staff_view(roles=access.RATES_READ_ROLES)
def rates_view(request):
    """The 年度's rates and their history (``?year=``); the 管理者 also gets the form."""
    year = _year(request)
    if year is None:
        return _missing_year(request)
    versions = rates.history(year)
    editable = bool(access.RATES_WRITE_ROLES & request.roles)
    return _page(
        request, year, versions, _form(current=versions[0] if versions else None) if editable else None
    )


@staff_view(roles=access.RATES_WRITE_ROLES)
def rates_edit(request):
    """A new version (POST): checked (``_step=confirm``: what changes), registered (``apply``),
    or typed again (``edit``); every refusal on its input, 422, nothing written."""
    year = _year(request)
    if year is None:
        return _missing_year(request)
    if request.method != "POST":
        return redirect(rates_url(year))
    versions = rates.history(year)
    form = _form(request.POST)
    step = request.POST.get("_step", "")
    if step == "edit":
        return _page(request, year, versions, form)
    payload = _checked(form, year, request.POST.get(REASON, "").strip()[:200])
    if payload is None:
        return _page(request, year, versions, form, status=422)
    if step != "apply":
        before = versions[0].payload if versions else None
        context = {
            "year": year,
            "form": form,
            "changes": _changes(form, before, payload),
            "reason": request.POST[REASON].strip()[:200],
            "version": (versions[0].version if versions else 0) + 1,
            "action": request.get_full_path(),
            "back": rates_url(year),
            "active": ACTIVE,
        }
        return render(request, "health_insurance/rates_confirm.html", context)
    try:
        line = rates.set_rates(
            request.lg_code, year, payload, request.POST[REASON].strip()[:200], current_actor()
        )
    except rates.RatesRejected as exc:
        _refused(form, exc.errors)
        return _page(request, year, versions, form, status=422)
    messages.success(request, f"{year}年度の税率を第{line.version}版として登録しました")
    return redirect(rates_url(year))


def _checked(form: ModelForm, year: int, reason: str) -> dict | None:
    """The payload typed when the model, the calculation's probe (``rates.Settings.of``) and the
    理由 accept it; else None with every error on its input."""
    parsed = form.validate()
    payload = form.payload()[0] if parsed is not None else None
    if payload is not None:
        try:
            rates.Settings.of(payload, year)
        except rates.RatesRejected as exc:
            _refused(form, exc.errors)
            payload = None
    if not reason:
        _refused(form, [{"field": REASON, "message": "変更の理由を入力してください"}])
        return None
    return payload


def _refused(form: ModelForm, errors: list[dict]) -> None:
    """Each error on its input; the 理由's (not an input of the model) in the summary, linked."""
    form.set_errors([(e["field"], e["message"]) for e in errors if e["field"] != REASON])
    for e in errors:
        if e["field"] == REASON:
            form.summary.append({"id": "f-reason", "label": "変更の理由", "message": e["message"]})
