"""The municipality's 国民健康保険税（料） rates for a 年度: data the 管理者 edits, with history.

The 税率・税額 are the municipality's 条例 (地方税法 §703の4; a 保険料 by 国保法 §76 and its 施行令),
changed by its 議会 for a 年度 — so they are data keyed by 年度, never code: contract §9.3's
``rates`` with the optional ``reduction_thresholds``, ``levy_type`` and ``truncation``, and the
``installments`` (納期 by 条例, facts §2.7; the 仮算定's months where the municipality uses one,
services/annual.py). Each change is a new version (``RatesVersion``) with who, when and why,
never rewritten; the current rates are the latest version. They are checked by the same pydantic
model as the calculation (``KokuhoIn``), on a probe 世帯 of the 年度, so what is stored is what
the 本算定 can use — every bad field named in Japanese.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from yakuba.health_insurance.models import RatesVersion
from yakuba.health_insurance.services.calculation import (
    CalculationRejected,
    KokuhoIn,
    KokuhoRatesIn,
    KokuhoThresholdsIn,
    calculate_kokuho,
)
from yakuba.platform.audit.log import Action, Actor, bind_actor, record
from yakuba.platform.schema_errors import message, path
from yakuba.platform.tenancy.context import require_tenant, tenant_context

RESOURCE = "health_insurance.rates"
PURPOSE = "国民健康保険税（料）の税率の管理"
# 納期 by 条例: 8 installments July – February (長久手, 栄町, 熊谷: facts §2.7), 100円 units with
# the remainder in the first — the municipality's choice, given with the rates.
DEFAULT_MONTHS = (7, 8, 9, 10, 11, 12, 1, 2)
DEFAULT_UNIT = 100
Month = Annotated[int, Field(ge=1, le=12)]


class RatesRejected(CalculationRejected):
    """Rates the 本算定 cannot use: ``errors`` as ``[{"field", "message"}]`` in Japanese."""


def _fiscal_order(month: int) -> int:
    return (month - 4) % 12


class InstallmentsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    months: list[Month] = Field(
        default=list(DEFAULT_MONTHS), min_length=6, max_length=12, title="本算定の納期の月（年度内の順）"
    )
    provisional_months: list[Month] = Field(
        default=[], max_length=6, title="仮算定の納期の月（使わないときは空。本算定の納期より前）"
    )
    unit: Literal[1, 10, 100, 1000] = Field(DEFAULT_UNIT, title="納期の端数単位（円）")

    @model_validator(mode="after")
    def _schedule(self) -> InstallmentsIn:
        every = self.provisional_months + self.months
        if [_fiscal_order(m) for m in every] != sorted({_fiscal_order(m) for m in every}):
            raise PydanticCustomError(
                "schedule", "納期の月は4月から翌年3月の順に、重ならないように指定してください"
            )
        if not self.provisional_months and not 8 <= len(self.months) <= 10:
            raise PydanticCustomError("schedule", "本算定の納期は8〜10回で指定してください")
        if len(every) > 12:
            raise PydanticCustomError("schedule", "仮算定と本算定の納期は合わせて12回までです")
        return self


class RatesIn(BaseModel):
    """A rates file or a stored version: §9.3's keys every 世帯's input carries, and the 納期."""

    model_config = ConfigDict(extra="forbid")

    rates: KokuhoRatesIn = Field(title="市区町村の税率・税額")
    reduction_thresholds: KokuhoThresholdsIn | None = Field(None, title="軽減の基準額")
    levy_type: Literal["tax", "premium"] = Field("tax", title="保険税（tax）か保険料（premium）か")
    truncation: Literal[1, 10, 100] = Field(100, title="各分の端数切捨ての単位（円）")
    installments: InstallmentsIn = Field(default_factory=InstallmentsIn, title="納期")


@dataclass(frozen=True)
class Settings:
    """The municipality's choices for the 年度 as the batches use them: ``body`` (the §9.3 keys
    every 世帯's input carries, as given), the 納期 and where they came from (``version``: the
    stored version, ``None`` for a file handed in)."""

    body: dict
    months: tuple[int, ...] = DEFAULT_MONTHS
    unit: int = DEFAULT_UNIT
    provisional: tuple[int, ...] = ()
    version: int | None = None

    @classmethod
    def of(cls, given: dict, fiscal_year: int, *, version: int | None = None) -> Settings:
        """From a rates file or a stored version: the bare §9.3 ``rates`` object, or ``{"rates":
        …, "reduction_thresholds": …, "levy_type": …, "truncation": …, "installments": {"months":
        [7, …, 2], "provisional_months": [4, 5, 6], "unit": 100}}``. Checked as the calculation
        checks a 世帯 of ``fiscal_year`` (a 45-year-old alone: the 介護分 is needed, and from
        令和8年度 the 子ども・子育て分); ``RatesRejected`` names every bad field."""
        if not isinstance(given, dict):
            raise RatesRejected([{"field": "(全体)", "message": "オブジェクトを指定してください"}])
        if "medical" in given:
            given = {"rates": given}
        try:
            parsed = RatesIn.model_validate(given)
        except ValidationError as exc:
            raise RatesRejected(
                [{"field": path(e["loc"]) or "(全体)", "message": message(e)} for e in exc.errors()]
            ) from None
        body = {k: v for k, v in given.items() if k != "installments"}
        probe = {"fiscal_year": fiscal_year, **body, "household": [{"role": "世帯主", "age": 45}]}
        try:
            calculate_kokuho(KokuhoIn.model_validate(probe))
        except ValidationError as exc:
            raise RatesRejected(
                [{"field": path(e["loc"]) or "(全体)", "message": message(e)} for e in exc.errors()]
            ) from None
        except CalculationRejected as exc:
            raise RatesRejected(exc.errors) from None
        plan = parsed.installments
        return cls(body, tuple(plan.months), plan.unit, tuple(plan.provisional_months), version)

    @property
    def used(self) -> int | str:
        """What the audit rows say was used: the stored version, or "file"."""
        return self.version if self.version is not None else "file"

    def payload(self) -> dict:
        return {
            **self.body,
            "installments": {
                "months": list(self.months),
                "provisional_months": list(self.provisional),
                "unit": self.unit,
            },
        }


@dataclass(frozen=True)
class RatesLine:
    fiscal_year: int
    version: int
    payload: dict
    reason: str
    created_at: object
    created_by: str


def set_rates(lg_code: str, fiscal_year: int, payload: dict, reason: str, actor: Actor) -> RatesLine:
    """Store ``payload`` as the next version of the rates of ``fiscal_year``, checked first
    (``RatesRejected`` naming every bad field, nothing stored). One transaction, audited with
    the reason; the versions before stay as they were."""
    if not reason.strip():
        raise RatesRejected([{"field": "reason", "message": "変更の理由を入力してください"}])
    settings = Settings.of(payload, fiscal_year)
    with bind_actor(actor), tenant_context(lg_code), transaction.atomic(using=require_tenant().alias):
        # Versions of a 年度 are numbered under a lock of the 年度's rates (the first version too):
        # two 管理者 saving at once get 2 and 3, not a unique-key error.
        with connections[require_tenant().alias].cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"{RESOURCE}:{lg_code}:{fiscal_year}"],
            )
        last = (
            RatesVersion.objects.filter(fiscal_year=fiscal_year).aggregate(last=Max("version"))["last"] or 0
        )
        row = RatesVersion.objects.create(
            lg_code=lg_code,
            fiscal_year=fiscal_year,
            version=last + 1,
            payload=settings.payload(),
            reason=reason.strip(),
            created_at=timezone.now(),
            created_by=actor.name,
        )
        record(
            Action.UPDATE,
            RESOURCE,
            purpose=PURPOSE,
            detail={"fiscal_year": fiscal_year, "version": row.version, "reason": row.reason},
        )
    return _line(row)


def _line(row: RatesVersion) -> RatesLine:
    return RatesLine(row.fiscal_year, row.version, row.payload, row.reason, row.created_at, row.created_by)


def rates_of(fiscal_year: int) -> RatesLine | None:
    """The current rates of ``fiscal_year`` (its latest version), or None if none were set."""
    row = RatesVersion.objects.filter(fiscal_year=fiscal_year).order_by("-version").first()
    return _line(row) if row else None


def history(fiscal_year: int) -> list[RatesLine]:
    """Every version of the rates of ``fiscal_year``, the latest first."""
    return [_line(r) for r in RatesVersion.objects.filter(fiscal_year=fiscal_year).order_by("-version")]


def settings_for(fiscal_year: int, given: dict | None = None) -> Settings:
    """What a batch of ``fiscal_year`` uses: the rates ``given`` (a file), else the stored
    current version; ``RatesRejected`` when there is neither."""
    if given is not None:
        return Settings.of(given, fiscal_year)
    line = rates_of(fiscal_year)
    if line is None:
        raise RatesRejected(
            [
                {
                    "field": "rates",
                    "message": f"{fiscal_year}年度の税率が登録されていません"
                    "（yakuba insurance kokuho rates set で登録するか --rates で指定してください）",
                }
            ]
        )
    return Settings.of(line.payload, fiscal_year, version=line.version)
