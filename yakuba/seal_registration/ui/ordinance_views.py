"""印鑑条例 settings for the 管理者 (``access.ORDINANCE_ROLES``): the settings in force today, every
version with its 適用開始日 and who set it, and a new version from a day (today or later) — the
numbers of the rules are the municipality's 条例's, never the code's (civil-facts §2; pitfall 6).
``services.ordinance.set_from`` checks and keeps it (versions are never rewritten, so a past
registration is explained by the settings of its day); every refusal at its field.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from yakuba.platform.japanese.wareki import WarekiError, parse_wareki
from yakuba.platform.ui.staff import staff_view
from yakuba.seal_registration import access
from yakuba.seal_registration.rules.ordinance import DEFAULT, LABELS
from yakuba.seal_registration.services import ordinance
from yakuba.seal_registration.services.registrations import Refused
from yakuba.seal_registration.ui.views import by_input, summary_of

# What each setting means, as the 管理者 reads it on the screen (the field names are the 条例
# settings of rules/ordinance.py; a setting without a line here is refused by the test).
NOT_A_NUMBER = "数字で入力してください"
NO_DAY = "適用開始日を入力してください（例 令和8年4月1日、R8.4.1、2026-04-01）"


@dataclass(frozen=True)
class Setting:
    """One setting on the form: its name, label, kind (flag or number) and the value shown."""

    name: str
    label: str
    flag: bool
    value: object
    errors: list[str]


def _settings(values: dict, errors: dict) -> list[Setting]:
    return [
        Setting(name, LABELS[name], isinstance(default, bool), values[name], errors.get(name, []))
        for name, default in dataclasses.asdict(DEFAULT).items()
    ]


def _read(post) -> tuple[dict, list[tuple[str, str]]]:
    """The form's values typed as the settings are (flags, whole numbers, mm with decimals)."""
    values, errors = {}, []
    for name, default in dataclasses.asdict(DEFAULT).items():
        text = post.get(name, "").strip()[:10]
        if isinstance(default, bool):
            values[name] = post.get(name) == "1"
            continue
        values[name] = text
        try:
            number = int(text) if isinstance(default, int) else Decimal(text)
            if isinstance(number, Decimal) and not number.is_finite():
                raise InvalidOperation
            values[name] = number
        except (ValueError, InvalidOperation):
            errors.append((name, NOT_A_NUMBER))
    return values, errors


def _page(request, values: dict, effective_from: str, errors: dict | None = None, status: int = 200):
    errors = errors or {}
    today = timezone.localdate()
    current = ordinance.setting_on(today)
    return render(
        request,
        "seal_registration/ordinance.html",
        {
            "current": current,
            "in_force": _settings(dataclasses.asdict(current.ordinance), {}),
            "versions": ordinance.history(),
            "form": _settings(values, errors),
            "effective_from": effective_from,
            "errors": errors,
            "summary": summary_of(errors, {"effective_from": "適用開始日", **LABELS}),
            "active": "seal_registration-ordinance",
        },
        status=status,
    )


@staff_view(roles=access.ORDINANCE_ROLES)
@require_http_methods(["GET", "POST"])
def ordinance_view(request):
    """GET: the settings in force, the versions and the form; POST: a new version."""
    if request.method == "GET":
        today = timezone.localdate()
        return _page(request, dataclasses.asdict(ordinance.in_force(today)), f"{today:%Y-%m-%d}")
    values, errors = _read(request.POST)
    effective_text = request.POST.get("effective_from", "").strip()[:40]
    effective_from = None
    try:
        effective_from = parse_wareki(effective_text) if effective_text else None
    except WarekiError as exc:
        errors.insert(0, ("effective_from", str(exc)))
    if effective_from is None and not effective_text:
        errors.insert(0, ("effective_from", NO_DAY))
    try:
        if errors:
            raise Refused(errors)
        done = ordinance.set_from(effective_from, **values)
    except Refused as refused:
        return _page(request, values, effective_text, by_input(refused.errors, {}), 422)
    messages.success(request, f"印鑑条例の設定を {done.effective_from:%Y年%m月%d日} から適用します")
    return redirect(reverse("seal_registration:ordinance"))
