"""The elections the 選管 has fixed (公示・告示日, 選挙期日; docs/elections.md "選挙の期間"), and the
registration runs made (the screens' list; the 閲覧's 異議申出 days).

They close the 閲覧 from the 公示・告示日 to the 5th day after the 選挙期日 (公職選挙法28条の2第1項,
``rules.viewing``) and, when a 登録月's 1st falls inside one, the 定時登録 form offers its 選挙期日
(age by the 選挙期日, 22条2項; civil-facts §1.1). Elections may overlap — a 知事選 and a 市長選 on
one day, or a 補欠選挙 inside a general election's period — so an overlap is reported to the clerk,
never refused; the same election twice is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from yakuba.elections.codes import Kind
from yakuba.elections.models import ElectionPeriod, Run
from yakuba.elections.rules.viewing import Period
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.tenancy.context import require_tenant

RESOURCE = "elections.period"


class PeriodRefused(ValueError):
    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(m for _f, m in errors))
        self.errors = errors


def periods() -> list[Period]:
    """Every election fixed, newest 選挙期日 first (one query)."""
    rows = ElectionPeriod.objects.order_by("-election_day", "name").values_list(
        "name", "announced_on", "election_day"
    )
    return [Period(*row) for row in rows]


def covering(day: date) -> list[Period]:
    """The elections whose period (公示・告示日 to the day before the 選挙期日) contains ``day`` — a
    定時登録 on that day judges age by their 選挙期日 (公職選挙法22条2項)."""
    rows = ElectionPeriod.objects.filter(announced_on__lte=day, election_day__gt=day).order_by("election_day")
    return [Period(*r) for r in rows.values_list("name", "announced_on", "election_day")]


def check_period(name: str, announced_on: date | None, election_day: date | None) -> list[tuple[str, str]]:
    """Every broken rule at once (no writes)."""
    errors = []
    if not name.strip():
        errors.append(("name", "選挙の名称を入力してください"))
    elif len(name.strip()) > 100:
        errors.append(("name", "選挙の名称は100文字以内で入力してください"))
    if announced_on is None:
        errors.append(("announced_on", "公示・告示日を YYYY-MM-DD で入力してください"))
    if election_day is None:
        errors.append(("election_day", "選挙期日を YYYY-MM-DD で入力してください"))
    if announced_on and election_day:
        if announced_on >= election_day:
            errors.append(("announced_on", "公示・告示日は選挙期日より前の日にしてください"))
        elif ElectionPeriod.objects.filter(name=name.strip(), election_day=election_day).exists():
            errors.append(("name", f"{name.strip()}（選挙期日 {election_day}）は登録済みです"))
    return errors


def overlapping(announced_on: date, election_day: date) -> list[Period]:
    """The other elections whose blackout meets this one's (shown to the clerk, not refused)."""
    mine = Period("", announced_on, election_day)
    return [
        p
        for p in periods()
        if p.announced_on <= mine.blackout_until and mine.announced_on <= p.blackout_until
    ]


def add_period(name: str, announced_on: date | None, election_day: date | None) -> Period:
    """Record an election (one transaction, one audit row); ``PeriodRefused`` with every error."""
    tenant = require_tenant()
    with transaction.atomic(using=tenant.alias):
        errors = check_period(name, announced_on, election_day)
        if errors:
            raise PeriodRefused(errors)
        ElectionPeriod.objects.create(
            lg_code=tenant.lg_code,
            name=name.strip(),
            announced_on=announced_on,
            election_day=election_day,
            created_at=timezone.now(),
            created_by=current_actor().name,
        )
        record(
            Action.CREATE,
            RESOURCE,
            detail={
                "name": name.strip(),
                "announced_on": str(announced_on),
                "election_day": str(election_day),
            },
        )
    return Period(name.strip(), announced_on, election_day)


@dataclass(frozen=True, slots=True)
class RunView:
    kind: str
    kind_label: str
    kijun: date
    registered_on: date
    election_day: date | None
    age_deadline: date
    added: int
    marked: int
    struck_off: int


def runs() -> list[RunView]:
    """Every 定時登録 and 選挙時登録 made, newest 基準日 first (one query)."""
    rows = Run.objects.order_by("-kijun", "-id").values_list(
        "kind", "kijun", "registered_on", "election_day", "age_deadline", "added", "marked", "struck_off"
    )
    return [RunView(kind, Kind(kind).label, *rest) for kind, *rest in rows]
