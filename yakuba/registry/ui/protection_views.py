"""支援措置 screen (住民記録システム標準仕様書 §3.4): show, set, extend and end the measure of one
person; only the counter and administrators handle measures."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.shortcuts import redirect, render

from yakuba.platform.audit.log import Action, audited
from yakuba.platform.japanese.wareki import WarekiError
from yakuba.platform.tenancy.context import require_tenant
from yakuba.platform.ui.staff import staff_view
from yakuba.registry import services
from yakuba.registry.codes import ProtectionKind
from yakuba.registry.services import current_measure
from yakuba.registry.ui import display
from yakuba.registry.ui.access import PROTECTION_ROLES, visibility
from yakuba.registry.ui.fields import parse_date_text
from yakuba.registry.ui.views import not_found


@audited(Action.READ, "protection", subject="atena_no")
def _read_protection(atena_no: str):
    return current_measure(atena_no)


def _set_protection(atena_no: str, values: dict) -> None:
    try:
        starts = parse_date_text(values["starts_on"]) if values["starts_on"] else None
    except (WarekiError, ValueError) as exc:
        raise services.RuleViolation([("starts_on", str(exc))]) from None
    if starts is None:
        raise services.RuleViolation([("starts_on", "開始日を入力してください")])
    covered = [c for c in values["covered"].replace("、", ",").replace(" ", ",").split(",") if c]
    bad = [c for c in covered if not c.isdigit() or len(c) > 15]
    if bad:
        raise services.RuleViolation([("covered", f"宛名番号ではありません: {'、'.join(bad)}")])
    services.set_measure(
        atena_no,
        starts_on=starts,
        kind=values["kind"],
        provisional=values["provisional"] == "1",
        covered=covered,
        summary=values["reason"],
    )


# The service's field names → the screen's inputs.
_PROTECTION_FIELDS = {"start_date": "starts_on", "summary": "reason"}


@staff_view(roles=PROTECTION_ROLES)
def protection(request, atena_no: str):
    """支援措置: show the current measure; set (支援措置/仮支援措置, with the family members
    covered), extend, end.

    Only the counter and administrators handle measures. Each change is recorded in the audit
    log by the service; reading the page is recorded here.
    """
    try:
        row = services.get_resident(atena_no, visibility=visibility(request.roles))
    except services.NotFound:
        return not_found(request)
    errors: dict[str, str] = {}
    values = {"kind": ProtectionKind.DV, "provisional": "", "starts_on": "", "covered": "", "reason": ""}
    status = 200
    measure = current_measure(atena_no)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            with transaction.atomic(using=require_tenant().alias):
                if action == "set":
                    values = {k: request.POST.get(k, "").strip() for k in values}
                    _set_protection(atena_no, values)
                    message = "支援措置を設定しました。"
                elif action in ("extend", "end") and measure is not None:
                    if action == "extend":
                        services.extend_measure(measure.protection_id, atena_no=atena_no)
                        message = "支援措置を1年延長しました。"
                    else:
                        services.end_measure(measure.protection_id, atena_no=atena_no)
                        message = "支援措置を終了しました。"
                else:
                    raise services.RuleViolation([("action", "操作を選んでください")])
        except services.RuleViolation as exc:
            for field, msg in exc.errors:
                key = "covered" if field.startswith("covered") else _PROTECTION_FIELDS.get(field, field)
                errors.setdefault(key if key in values else "form", msg)
            status = 422
        except services.NotFound as exc:
            errors["form"] = str(exc)
            status = 422
        else:
            from django.contrib import messages

            messages.success(request, message)
            return redirect("registry:protection", atena_no=atena_no)
    measure = _read_protection(atena_no)
    return render(
        request,
        "registry/protection.html",
        {
            "row": row,
            "measure": measure,
            "starts": display.wareki(measure.start_date) if measure else "",
            "ends": display.wareki(measure.end_date) if measure else "",
            "errors": errors,
            "values": values,
            "kinds": ProtectionKind.choices,
            "today": display.wareki(date.today()),
            "active": "registry-search",
        },
        status=status,
    )
