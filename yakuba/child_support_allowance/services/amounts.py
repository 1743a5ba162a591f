"""A 年度's 児童扶養手当 amounts registered by the 管理者, for the 年度 the packaged data lacks.

The amounts change every April with the CPI 自動改定 (児童扶養手当法 §5の2) by a national 告示
that each municipality enters into its system (facts §7). Until a release carries a 年度 in
``rules/data/jifu.toml``, the 管理者 registers it here from the 告示: the 全部支給 amount, the
highest and lowest 一部支給 amounts and the 係数 of the 第1子 (本体額) and of the 第2子以降 (加算額,
equal since 2024-11), the 受給資格者本人's 所得制限限度額 and the 所得額's deductions. Each change
is the next version (``AmountsVersion``) with who, when and the 告示 text, never rewritten.

**Which wins**: the packaged data, always. A 年度 the packaged data covers cannot be registered;
if a later release brings a 年度 already registered, the packaged figures are used from then on
(``amounts show`` says so) — a registered figure never silently replaces a published one. Every
determination records, period by period, which source it used (``Determination.amount_sources``).

**The 係数 is checked, and a mismatch refused**: every published 係数 is (highest 一部 − lowest
一部) ÷ (一部支給の限度額 − 全部支給の限度額) rounded to 7 decimals (facts §7, "How the 係数
arise": 令和5年度 0.0235804 = 33,720 ÷ 1,430,000; 令和7年度 0.0256619 = 35,670 ÷ 1,390,000). A
係数 off by more than that rounding means one of the five figures was typed wrong, and it would
pay every 一部支給 受給者 a wrong amount — so it is refused with the value the figures give,
rather than stored with a warning nobody reads before the odd-month 支払.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from yakuba.child_support_allowance.models import AmountsVersion
from yakuba.child_support_allowance.rules.parameters import UnknownMonth, for_month, supported_months
from yakuba.platform import year_versions
from yakuba.platform.audit.log import Actor
from yakuba.platform.calculations import CalculationRejected
from yakuba.platform.schema_errors import message, path
from yakuba.platform.tenancy.context import require_tenant

RESOURCE = "child_support_allowance.amounts"
PURPOSE = "児童扶養手当の手当額（告示）の登録"
PACKAGED, REGISTERED = "packaged", "registered"
# The published 係数 are the quotient rounded to 7 decimals: a given one within this of the
# quotient is the published rounding; anything further is a typing error.
TOLERANCE = Decimal("0.0000001")

Yen = Annotated[int, Field(ge=0, le=10_000_000)]
Coefficient = Annotated[Decimal, Field(gt=0, lt=1, max_digits=9, decimal_places=8)]


class AmountsRejected(CalculationRejected):
    """Amounts that cannot be stored: ``errors`` as ``[{"field", "message"}]`` in Japanese."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RankIn(_Strict):
    full: Yen = Field(title="全部支給の月額")
    partial_max: Yen = Field(title="一部支給の上限額（最も高い一部支給の月額）")
    partial_min: Yen = Field(title="一部支給の下限額（最も低い一部支給の月額）")
    coefficient: Coefficient = Field(title="一部支給の係数")


class LimitsIn(_Strict):
    full: Yen = Field(title="全部支給の所得制限限度額（扶養親族等なし）")
    partial: Yen = Field(title="一部支給の所得制限限度額（扶養親族等なし）")
    per_dependant: Yen = Field(title="扶養親族等1人あたりの加算額")
    elderly: Yen = Field(title="老人扶養親族1人あたりの加算額")
    specific: Yen = Field(title="特定扶養親族等1人あたりの加算額")


class IncomeRuleIn(_Strict):
    salary_pension_deduction: Yen = Field(title="給与所得・公的年金等所得からの控除額")
    child_support_share: Annotated[Decimal, Field(ge=0, le=1, max_digits=3, decimal_places=2)] = Field(
        title="養育費の算入割合"
    )
    flat_deduction: Yen = Field(title="一律控除（社会保険料相当額）")


class AmountsIn(_Strict):
    """One 年度's figures as the 告示 and the 通知 print them."""

    first: RankIn = Field(title="第1子（本体額）")
    second: RankIn = Field(title="第2子以降の加算額（1人につき）")
    limits: LimitsIn = Field(title="受給資格者本人の所得制限限度額")
    income: IncomeRuleIn = Field(title="所得額の計算（控除額・養育費の割合）")


@dataclass(frozen=True)
class AmountsLine:
    fiscal_year: int
    version: int
    payload: dict
    source: str
    created_at: object
    created_by: str


@dataclass(frozen=True)
class Figures:
    """The tables of one month (``amounts``, ``limits``, ``income``, as the packaged data's) and
    where they came from (``origin``: {"source", "fiscal_year", "version"})."""

    amounts: object
    limits: object
    income: object
    origin: dict

    def label(self) -> str:
        if self.origin["source"] == PACKAGED:
            return "同梱データ（rules/data/jifu.toml）"
        return f"{self.origin['fiscal_year']}年度 登録 第{self.origin['version']}版"


def fiscal_year_of(month: date) -> int:
    return month.year if month.month >= 4 else month.year - 1


def packaged(fiscal_year: int) -> bool:
    """Whether the packaged data has this 年度 (then a registered version is not used)."""
    first, last = (int(m.replace("-", "")) for m in supported_months())
    return first <= fiscal_year * 100 + 4 and (fiscal_year + 1) * 100 + 3 <= last


def check(fiscal_year: int, payload: object) -> AmountsIn:
    """Every bad field at once (``AmountsRejected``), or the parsed figures."""
    try:
        parsed = AmountsIn.model_validate(payload)
    except ValidationError as exc:
        raise AmountsRejected(
            [{"field": path(e["loc"]) or "(全体)", "message": message(e)} for e in exc.errors()]
        ) from None
    errors = []
    if packaged(fiscal_year):
        errors.append(
            {
                "field": "fiscal_year",
                "message": f"{fiscal_year}年度の手当額は同梱データにあります（登録できるのは同梱データにない年度だけです）",
            }
        )
    limits = parsed.limits
    if limits.partial <= limits.full:
        errors.append(
            {"field": "limits.partial", "message": "一部支給の限度額は全部支給の限度額より高くしてください"}
        )
    for rank, label in (("first", "第1子"), ("second", "第2子以降")):
        given: RankIn = getattr(parsed, rank)
        if not given.partial_min <= given.partial_max < given.full:
            errors.append(
                {
                    "field": f"{rank}.partial_max",
                    "message": f"{label}: 一部支給の下限額 ≦ 上限額 ＜ 全部支給の月額 になっていません",
                }
            )
        elif limits.partial > limits.full:
            exact = Decimal(given.partial_max - given.partial_min) / (limits.partial - limits.full)
            if abs(given.coefficient - exact) > TOLERANCE:
                errors.append(
                    {
                        "field": f"{rank}.coefficient",
                        "message": f"{label}の係数 {given.coefficient} が（上限額 {given.partial_max:,}円 − "
                        f"下限額 {given.partial_min:,}円）÷（一部支給の限度額 − 全部支給の限度額 "
                        f"{limits.partial - limits.full:,}円）= {exact:.7f} と合いません。告示の額を確かめてください",
                    }
                )
    if errors:
        raise AmountsRejected(errors)
    return parsed


def set_amounts(lg_code: str, fiscal_year: int, payload: object, source: str, actor: Actor) -> AmountsLine:
    """Store ``payload`` as the next version of ``fiscal_year``'s amounts, checked first
    (``AmountsRejected`` naming every bad field, nothing stored). One transaction, audited with
    the 告示 text (``platform/year_versions``); the versions before stay as they were."""
    errors = (
        [] if source.strip() else [{"field": "source", "message": "出典（告示・通知）を入力してください"}]
    )
    try:
        parsed = check(fiscal_year, payload)
    except AmountsRejected as exc:
        raise AmountsRejected(errors + exc.errors) from None
    if errors:
        raise AmountsRejected(errors)
    row = year_versions.append(
        AmountsVersion,
        lg_code,
        fiscal_year,
        actor,
        resource=RESOURCE,
        purpose=PURPOSE,
        payload=parsed.model_dump(mode="json"),
        source=source.strip(),
    )
    return _line(row)


def _line(row: AmountsVersion) -> AmountsLine:
    return AmountsLine(row.fiscal_year, row.version, row.payload, row.source, row.created_at, row.created_by)


def history(fiscal_year: int) -> list[AmountsLine]:
    """Every registered version of ``fiscal_year``, the latest first."""
    return [_line(r) for r in AmountsVersion.objects.filter(fiscal_year=fiscal_year).order_by("-version")]


def _tables(line: AmountsLine) -> Figures:
    p = AmountsIn.model_validate(line.payload)
    ranks = {}
    for rank, given in (("first", p.first), ("second", p.second), ("third", p.second)):
        ranks.update(
            {
                f"{rank}_full": given.full,
                f"{rank}_partial_max": given.partial_max,
                f"{rank}_coefficient": given.coefficient,
            }
        )
    return Figures(
        SimpleNamespace(**ranks),
        SimpleNamespace(**p.limits.model_dump()),
        SimpleNamespace(**p.income.model_dump()),
        {"source": REGISTERED, "fiscal_year": line.fiscal_year, "version": line.version},
    )


def not_registered(month: date) -> str:
    """The refusal for a month with no figures, telling the clerk how to register them."""
    first, last = supported_months()
    year = fiscal_year_of(month)
    return (
        f"{month.year}年{month.month}月の児童扶養手当の手当額が登録されていません（同梱データ: {first}〜{last}）。"
        f"管理者が{year}年度の告示の額を登録してください: yakuba child support-allowance amounts set "
        f"{require_tenant().lg_code} --year {year} --file 手当額.json --source 告示"
    )


class Resolver:
    """The figures of each month for one decision: the packaged data's, else the latest version
    registered for its 年度 — each 年度 read once (a 支給年度 spans two)."""

    def __init__(self) -> None:
        self._registered: dict[int, Figures | None] = {}

    def __call__(self, month: date) -> Figures:
        """``UnknownMonth`` (with how to register it) when neither has the month."""
        try:
            p = for_month(month.year, month.month)
        except UnknownMonth:
            pass
        else:
            return Figures(p.amounts, p.limits, p.income, {"source": PACKAGED})
        year = fiscal_year_of(month)
        if year not in self._registered:
            row = AmountsVersion.objects.filter(fiscal_year=year).order_by("-version").first()
            self._registered[year] = _tables(_line(row)) if row else None
        found = self._registered[year]
        if found is None:
            raise UnknownMonth(not_registered(month))
        return found
