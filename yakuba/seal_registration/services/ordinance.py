"""The municipality's 印鑑条例 settings (civil-facts §2, pitfall 6: the sizes, the 回答書 deadline,
成年被後見人, the 保証人 are the 条例's, never hard-coded): the version in force on a day, its
history, and a new version from a day — set by the 管理者 (``access.ORDINANCE_ROLES``).

Versions are never rewritten (``models.Ordinance``): a registration checked on a day can always
be explained by the settings in force that day.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.seal_registration.models import Ordinance as OrdinanceRow
from yakuba.seal_registration.rules import ordinance as rules
from yakuba.seal_registration.rules.ordinance import DEFAULT, Ordinance
from yakuba.seal_registration.rules.refusal import Refused

RESOURCE = "seal_registration.ordinance"
PURPOSE = "印鑑条例の設定"
FIELDS = tuple(f.name for f in dataclasses.fields(Ordinance))
PAST = "適用開始日は今日以降の日にしてください（過去の審査は当時の設定で説明できるように）"
UNKNOWN = "設定できない項目です: {names}"

__all__ = ["FIELDS", "Refused", "Setting", "history", "in_force", "set_from", "setting_on"]


@dataclass(frozen=True)
class Setting:
    """One version: the settings and from when, who wrote them (None: the defaults)."""

    ordinance: Ordinance
    effective_from: date | None = None
    created_at: datetime | None = None
    created_by: str = ""


def _setting(row: OrdinanceRow) -> Setting:
    values = {name: getattr(row, name) for name in FIELDS}
    return Setting(Ordinance(**values), row.effective_from, row.created_at, row.created_by)


def setting_on(day: date) -> Setting:
    """The version in force on ``day`` (one query): the municipality's latest from a day not
    after it, else the defaults."""
    row = OrdinanceRow.objects.filter(effective_from__lte=day).order_by("-effective_from", "-id").first()
    return _setting(row) if row else Setting(DEFAULT)


def in_force(day: date) -> Ordinance:
    """The settings on ``day`` (one query)."""
    return setting_on(day).ordinance


def history() -> list[Setting]:
    """Every version, the latest first (the defaults are not a row)."""
    return [_setting(row) for row in OrdinanceRow.objects.order_by("-effective_from", "-id")]


def set_from(effective_from: date, **changes) -> Setting:
    """A new version from ``effective_from`` (today or later): the version in force that day
    with ``changes``. Raises ``Refused`` with every bad field at once."""
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise Refused([(unknown[0], UNKNOWN.format(names="、".join(unknown)))])
    errors = [("effective_from", PAST)] if effective_from < timezone.localdate() else []
    with transaction.atomic(using=require_tenant().alias):
        ordinance = dataclasses.replace(in_force(effective_from), **changes)
        errors += rules.check(ordinance)
        if errors:
            raise Refused(errors)
        row = OrdinanceRow.objects.create(
            lg_code=require_tenant().lg_code,
            effective_from=effective_from,
            created_at=timezone.now(),
            created_by=current_actor().name,
            **dataclasses.asdict(ordinance),
        )
        record(
            Action.UPDATE,
            RESOURCE,
            purpose=PURPOSE,
            detail={"effective_from": effective_from.isoformat(), **{k: str(v) for k, v in changes.items()}},
        )
        return _setting(row)
