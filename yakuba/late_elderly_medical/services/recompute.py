"""Our own check of the 広域連合's figures: each received premium recomputed with our pure engine
from the same 所得 and 世帯 we reported (docs/late_elderly_medical.md, 賦課結果の検算).

For the 年度's 賦課期日 (4月1日) the 被保険者 and their 世帯 are walked as the 所得 file walks them
(``exchange.insured_households``), 所得 from the tax door (``figures_of``), the 広域連合's rates of
the 年度 from ``rules/data/kouki.toml`` (or given), and every insured person's premium, 均等割,
所得割, 軽減 and 徴収方法 (``rules/withholding`` on the file's pension and 介護保険料) compared
with the premium in force. The 世帯 are taken in pages: each is a bounded number of queries
(所得, received premiums, 障害認定) whatever its size, read in this process; the engine runs on
forked workers (``platform.forked``, as the 国保 本算定), the pages being pure data.

Not compared, listed as such: a person the 広域連合 charged who was not a 被保険者 on 4月1日 (a
later 取得 is 月割 by the 広域連合), and a person insured on 4月1日 with no premium received.
The 元被扶養者 軽減 is not known to the municipality (the 広域連合 learns it from the former
insurer): such a person shows as a difference to be looked at.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from yakuba.late_elderly_medical.codes import AcquiredReason, Collection
from yakuba.late_elderly_medical.models import PremiumResult, Qualification
from yakuba.late_elderly_medical.rules import withholding
from yakuba.late_elderly_medical.rules.parameters import kouiki_rates
from yakuba.late_elderly_medical.services.calculation import CalculationRejected, KoukiIn, calculate_kouki
from yakuba.late_elderly_medical.services.exchange import (
    HEAD,
    assessment_day,
    insured_households,
    require_assessed,
)
from yakuba.late_elderly_medical.services.premium_import import latest_results
from yakuba.platform.audit.log import Action, record
from yakuba.platform.forked import ordered_map
from yakuba.platform.tenancy.context import require_tenant
from yakuba.tax import services as tax

PURPOSE = "後期高齢者医療保険料の賦課結果の検算"
RESOURCE = "late_elderly_medical.premium"
PAGE = 500  # 世帯 per page
COMPARED = (
    ("premium", "annual_premium", "保険料額"),
    ("per_capita", "per_capita_levy", "均等割額"),
    ("income_levy", "income_levy", "所得割額"),
    ("reduction", "reduction", "軽減区分"),
)


def _shown(value: int | str) -> str:
    """A figure as the clerk reads it: yen with separators, 軽減 なし rather than its code."""
    if isinstance(value, int):
        return f"{value:,}"
    return "なし" if value == "none" else value


class VerifyRejected(ValueError):
    """The check cannot run (no rates for the 年度, …); the message is for the operator."""


@dataclass(frozen=True)
class Difference:
    atena_no: str
    column: str  # 保険料額, 均等割額, 所得割額, 軽減区分, 徴収方法, or 検算 (not compared)
    theirs: str
    ours: str


@dataclass
class Verified:
    fiscal_year: int
    checked: int = 0  # persons compared
    same: int = 0
    differences: list[Difference] = field(default_factory=list)
    not_insured_on_day: list[str] = field(default_factory=list)  # charged, not insured on 4月1日
    not_received: list[str] = field(default_factory=list)  # insured on 4月1日, no premium


def settings_for(fiscal_year: int, given: dict | None = None) -> dict:
    """The contract §9.4 keys every 世帯's input carries (``rates``, optionally
    ``reduction_thresholds``): ``given`` (a rates file), else the 広域連合's rates of the
    municipality's prefecture in kouki.toml."""
    if given is not None:
        body = given if "rates" in given else {"rates": given}
        unknown = set(body) - {"rates", "reduction_thresholds", "kouiki"}
        if unknown:
            raise VerifyRejected(
                f"保険料率ファイルの形式が不正です（不明な項目: {', '.join(sorted(unknown))}）"
            )
        return body
    prefecture = require_tenant().lg_code[:2]
    rates = kouiki_rates(fiscal_year, prefecture)
    if rates is None:
        raise VerifyRejected(
            f"{fiscal_year}年度の広域連合（都道府県コード {prefecture}）の保険料率は登録されていません"
            "（--rates で指定してください）"
        )
    name = rates.pop("name", None)
    return {"rates": rates, "kouiki": name}


@dataclass(frozen=True)
class _Theirs:
    """What the comparison needs of a received premium (picklable, for a worker)."""

    premium: int
    per_capita: int
    income_levy: int
    reduction: str
    collection: str
    pension: int | None
    care_premium: int | None

    @classmethod
    def of(cls, row: PremiumResult) -> _Theirs:
        return cls(*(getattr(row, f) for f in cls.__dataclass_fields__))


@dataclass(frozen=True)
class _Page:
    """Some 世帯 as a worker checks them: each one's §9.4 input and its 被保険者 in the engine's
    order with what the 広域連合 charged them (None: nothing received)."""

    fiscal_year: int
    households: list[tuple[dict, list[tuple[str, _Theirs | None]]]]


def verify(
    fiscal_year: int,
    *,
    rates: dict | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int = 0,
) -> Verified:
    """Compare every premium in force for ``fiscal_year`` with ours (the engine on ``workers``
    forked processes, ``platform.forked``). Inside the municipality's ``tenant_context`` with an
    actor bound; reads only (one audit row for the whole check, and the registry's per page)."""
    body = settings_for(fiscal_year, rates)
    require_assessed(fiscal_year)
    day = assessment_day(fiscal_year)
    members: dict[str, list] = defaultdict(list)
    for page in insured_households(day, purpose=PURPOSE, progress=progress):
        for person, insured in page:
            members[person.setai_no].append((person, insured))
    result = Verified(fiscal_year)
    seen: set[str] = set()
    for checked in ordered_map(_check_page, _pages(fiscal_year, members, body, seen), workers=workers):
        result.checked += checked.checked
        result.same += checked.same
        result.differences.extend(checked.differences)
        result.not_received.extend(checked.not_received)
    charged = (
        PremiumResult.objects.filter(fiscal_year=fiscal_year).values_list("atena_no", flat=True).distinct()
    )
    result.not_insured_on_day = sorted(set(charged) - seen)
    record(
        Action.READ,
        RESOURCE,
        purpose=PURPOSE,
        detail={
            "fiscal_year": fiscal_year,
            "checked": result.checked,
            "differences": len(result.differences),
            "not_insured_on_day": len(result.not_insured_on_day),
            "not_received": len(result.not_received),
        },
    )
    return result


def _pages(fiscal_year: int, members: dict[str, list], body: dict, seen: set[str]) -> Iterator[_Page]:
    """``PAGE`` 世帯 at a time with their 所得, premiums received and 障害認定: three queries."""
    setai_nos = sorted(members)
    for start in range(0, len(setai_nos), PAGE):
        households = [
            sorted(members[s], key=lambda pi: pi[0].relationship != HEAD)  # the engine's order
            for s in setai_nos[start : start + PAGE]
        ]
        everyone = [p.atena_no for people in households for p, _i in people]
        insured = [p.atena_no for people in households for p, i in people if i]
        figures = tax.assessment.figures_of(everyone, fiscal_year)
        received = {a: _Theirs.of(r) for a, r in latest_results(fiscal_year, insured).items()}
        certified = set(
            Qualification.objects.filter(atena_no__in=insured, reason=AcquiredReason.DISABILITY).values_list(
                "atena_no", flat=True
            )
        )
        seen.update(insured)
        yield _Page(
            fiscal_year,
            [
                (
                    _household_input(fiscal_year, people, figures, certified, body),
                    [(p.atena_no, received.get(p.atena_no)) for p, i in people if i],
                )
                for people in households
            ],
        )


def _check_page(page: _Page) -> Verified:
    """The engine and the comparison for a page — pure, so it runs in a forked worker."""
    result = Verified(page.fiscal_year)
    for body, charged in page.households:
        result.not_received.extend(a for a, theirs in charged if theirs is None)
        if all(theirs is None for _a, theirs in charged):
            continue
        try:
            ours = calculate_kouki(KoukiIn.model_validate(body))
        except (CalculationRejected, ValueError) as exc:
            result.differences.extend(
                Difference(a, "検算", "", f"計算できません（{exc}）") for a, theirs in charged if theirs
            )
            continue
        for (atena_no, theirs), mine in zip(charged, ours["members"], strict=True):
            if theirs is not None:
                _compare(page.fiscal_year, atena_no, theirs, mine, result)
    return result


def _household_input(fiscal_year: int, people: list, figures: dict, certified: set[str], body: dict) -> dict:
    """The contract §9.4 input of one 世帯 from the 世帯 and 所得 reported. The tax door gives
    総所得金額等 and its 給与・年金 parts; the rest (事業・不動産 …) goes in as ``other_income`` so
    that the engine, computing the 給与所得 and 年金所得 again from the revenues, arrives at the
    same 総所得金額等. ``people`` come 世帯主 first."""
    household = []
    for person, insured in people:
        f = figures.get(person.atena_no)
        entry = {
            "role": HEAD if person.relationship == HEAD else (person.relationship or "世帯員")[:20],
            "member": insured,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "disability_certified": person.atena_no in certified,
        }
        if f is not None:
            entry.update(
                public_pension_revenue=f.public_pension_revenue,
                salary_revenue=f.salary_revenue,
                other_income=max(0, f.total_income - f.salary_income - f.pension_income),
            )
        household.append(entry)
    return {"fiscal_year": fiscal_year, **body, "household": household}


def _compare(fiscal_year: int, atena_no: str, theirs: _Theirs, mine: dict, result: Verified) -> None:
    result.checked += 1
    found = [
        Difference(atena_no, label, _shown(getattr(theirs, attr)), _shown(mine[key]))
        for attr, key, label in COMPARED
        if getattr(theirs, attr) != mine[key]
    ]
    if theirs.pension is not None:
        decision = withholding.decide(fiscal_year, theirs.pension, theirs.care_premium or 0, theirs.premium)
        if decision.way != theirs.collection:
            found.append(
                Difference(
                    atena_no,
                    "徴収方法",
                    Collection(theirs.collection).label,
                    f"{Collection(decision.way).label}（{decision.reason}）",
                )
            )
    if found:
        result.differences.extend(found)
    else:
        result.same += 1
