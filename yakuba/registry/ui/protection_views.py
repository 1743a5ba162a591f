"""支援措置 screen (住民記録システム標準仕様書 §3.4): show, set, extend and end the measure of one
person; only the counter and administrators handle measures."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from yakuba.platform.audit.log import Action, audited
from yakuba.platform.japanese.wareki import WarekiError
from yakuba.platform.tenancy.context import require_tenant
from yakuba.platform.ui.staff import staff_view
from yakuba.registry import services
from yakuba.registry.codes import ConsultedBody, ProtectionKind
from yakuba.registry.services import current_measure
from yakuba.registry.ui import display
from yakuba.registry.ui.access import PROTECTION_ROLES, visibility
from yakuba.registry.ui.fields import parse_date_text
from yakuba.registry.ui.views import not_found


@audited(Action.READ, "protection", subject="atena_no")
def _read_protection(atena_no: str):
    return current_measure(atena_no)


def _date_or_none(values: dict, key: str, errors: list) -> date | None:
    try:
        return parse_date_text(values[key]) if values[key] else None
    except (WarekiError, ValueError) as exc:
        errors.append((key, str(exc)))
        return None


def _set_protection(atena_no: str, values: dict) -> None:
    errors: list[tuple[str, str]] = []
    starts = _date_or_none(values, "starts_on", errors)
    if starts is None and not errors:
        errors.append(("starts_on", "開始日を入力してください"))
    covered = [c for c in values["covered"].replace("、", ",").replace(" ", ",").split(",") if c]
    bad = [c for c in covered if not c.isdigit() or len(c) > 15]
    if bad:
        errors.append(("covered", f"宛名番号ではありません: {'、'.join(bad)}"))
    offender = services.Offender(
        values["offender_name"],
        values["offender_name_kana"],
        _date_or_none(values, "offender_birth_date", errors),
        values["offender_address"],
        values["offender_relation"],
    )
    opinion = services.Opinion(
        values["opinion_body"],
        values["opinion_body_name"],
        _date_or_none(values, "opinion_requested_on", errors),
        _date_or_none(values, "opinion_received_on", errors),
    )
    if errors:
        raise services.RuleViolation(errors)
    services.set_measure(
        atena_no,
        starts_on=starts,
        kind=values["kind"],
        provisional=values["provisional"] == "1",
        covered=covered,
        summary=values["reason"],
        offender=offender,
        opinion=opinion,
    )


# The 申出's details on the screen: 加害者 and the 相談機関等's 意見.
DETAIL_FIELDS = (
    "offender_name",
    "offender_name_kana",
    "offender_birth_date",
    "offender_address",
    "offender_relation",
    "opinion_body",
    "opinion_body_name",
    "opinion_requested_on",
    "opinion_received_on",
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
    values |= dict.fromkeys(DETAIL_FIELDS, "")
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
                key = key.replace(".", "_")  # offender.name → offender_name
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
            "bodies": ConsultedBody.choices,
            "fields": {n: {"name": n, "value": values[n], "error": errors.get(n, "")} for n in DETAIL_FIELDS},
            "body_label": dict(ConsultedBody.choices).get(measure.opinion.body, "") if measure else "",
            "today": display.wareki(timezone.localdate()),
            "active": "registry-search",
        },
        status=status,
    )


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@staff_view(roles=PROTECTION_ROLES)
def expiring(request):
    """支援措置の期間終了予定: the measures ending this month and next, not yet extended or ended
    — whom to notify (支援措置期間終了通知) and whose extension to expect."""
    today = timezone.localdate()
    until = _month_end(_month_end(today) + timedelta(days=1))
    measures = services.expiring(today.replace(day=1), until)
    names = services.names_of([m.atena_no for m in measures], visibility=visibility(request.roles))
    rows = [
        {
            "measure": m,
            "name": names.get(m.atena_no, ""),
            "ends": display.wareki(m.end_date),
            "past": m.end_date < today,
        }
        for m in measures
    ]
    return render(
        request,
        "registry/protections_expiring.html",
        {
            "rows": rows,
            "since": display.wareki(today.replace(day=1)),
            "until": display.wareki(until),
            "active": "registry-protections",
        },
    )
