"""支援措置 (DV・ストーカー・児童虐待等の被害者保護): set, extend, end, provisional measures.

住民記録システム標準仕様書 §3.4: a measure blocks 閲覧 and 写しの交付 for the protected person;
its period is one year (start 2020-04-01 → end 2021-03-31), extendable from one month before
the end; 仮支援措置 covers the time until the police/consultation opinion arrives. Here it also
hides the person from third-party search results, API reads and exports, everywhere, unless an
authorized override is recorded with its reason in the audit log.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.codes import ProtectionKind
from yakuba.registry.errors import Collector, NotFound
from yakuba.registry.models import Protection, Resident

EXTENSION_WINDOW = 31  # days before the end from which an extension is accepted (one month)


def one_year_from(start: date) -> date:
    """The day before the first anniversary: 2020-04-01 → 2021-03-31 (§3.4)."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 2/29 → 3/1 of the next year, so the period ends on 2/28
        anniversary = date(start.year + 1, 3, 1)
    return anniversary - timedelta(days=1)


def active_filter(on: date) -> Q:
    return Q(starts_on__lte=on, ends_on__gte=on) & (Q(ended_early_on__isnull=True) | Q(ended_early_on__gt=on))


def protected_atena_nos(on: date | None = None) -> set[str]:
    on = on or timezone.localdate()
    return set(Protection.objects.filter(active_filter(on)).values_list("atena_no", flat=True))


def is_protected(atena_no: str, on: date | None = None) -> bool:
    on = on or timezone.localdate()
    return Protection.objects.filter(active_filter(on), atena_no=atena_no).exists()


def current_measure(atena_no: str, on: date | None = None) -> Protection | None:
    on = on or timezone.localdate()
    return Protection.objects.filter(active_filter(on), atena_no=atena_no).order_by("-ends_on").first()


def _person(atena_no: str) -> Resident:
    resident = Resident.objects.filter(atena_no=atena_no).first()
    if resident is None:
        raise NotFound(f"宛名番号 {atena_no} の住民はいません")
    return resident


def set_measure(
    atena_no: str, *, starts_on: date, kind: str = ProtectionKind.FULL, reason: str = ""
) -> Protection:
    """A new measure: one year for 支援措置, until the given end for 仮支援措置 (default one month)."""
    errors = Collector()
    if kind not in ProtectionKind.values:
        errors.add("kind", "種別は full（支援措置）または provisional（仮支援措置）です")
    _person(atena_no)
    if current_measure(atena_no, starts_on) is not None:
        errors.add("atena_no", "この住民には有効な支援措置があります（延長または終了してください）")
    errors.raise_if_any()
    ends_on = one_year_from(starts_on) if kind == ProtectionKind.FULL else starts_on + timedelta(days=30)
    measure = Protection.objects.create(
        lg_code=require_tenant().lg_code,
        atena_no=atena_no,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason[:200],
        created_by=current_actor().name,
    )
    record(
        Action.CREATE,
        "protection",
        subjects=[atena_no],
        detail={"kind": kind, "ends_on": ends_on.isoformat()},
    )
    return measure


def extend_measure(atena_no: str, *, today: date | None = None) -> Protection:
    """Extend by one year from the day after the current end; accepted from one month before it."""
    today = today or timezone.localdate()
    measure = current_measure(atena_no, today)
    errors = Collector()
    if measure is None:
        errors.add("atena_no", "延長できる支援措置がありません")
    elif measure.kind != ProtectionKind.FULL:
        errors.add("atena_no", "仮支援措置は延長できません（支援措置として申出を受けてください）")
    elif today < measure.ends_on - timedelta(days=EXTENSION_WINDOW):
        opens = measure.ends_on - timedelta(days=EXTENSION_WINDOW)
        errors.add("atena_no", f"延長の申出は終了日の1か月前（{opens.isoformat()}）から受け付けます")
    errors.raise_if_any()
    new_start = measure.ends_on + timedelta(days=1)
    extension = Protection.objects.create(
        lg_code=measure.lg_code,
        atena_no=atena_no,
        kind=ProtectionKind.FULL,
        starts_on=new_start,
        ends_on=one_year_from(new_start),
        reason=measure.reason,
        created_by=current_actor().name,
    )
    record(
        Action.UPDATE,
        "protection",
        subjects=[atena_no],
        detail={"extended_to": extension.ends_on.isoformat()},
    )
    return extension


def end_measure(atena_no: str, *, on: date | None = None) -> None:
    on = on or timezone.localdate()
    updated = Protection.objects.filter(active_filter(on), atena_no=atena_no).update(ended_early_on=on)
    if not updated:
        raise NotFound("終了できる支援措置がありません")
    Protection.objects.filter(atena_no=atena_no, starts_on__gt=on).update(ended_early_on=on)
    record(Action.UPDATE, "protection", subjects=[atena_no], detail={"ended_on": on.isoformat()})
