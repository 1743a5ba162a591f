"""Demo data for ``yakuba serve --demo``: the demo town's 国保 被保険者, sample rates for the
current 年度 and its 本算定, so 照会, the 税率 screen and the 納税通知書 have something to show."""

from __future__ import annotations

REASON = "デモ用の税率"
# Plausible rates, not a real 条例's (facts §2.3: three parts and, from 令和8年度, the 子ども・子育て
# 支援納付金分 — 所得割 %, 均等割 per member, 平等割 per 世帯), as bench/bench_kokuho.py uses them. The
# 軽減 thresholds per member (5割 30.5万円, 2割 56万円) are 令和7年度's (facts §2.5), given for 令和8年度
# because its 政令 amounts are not in the facts yet and the engine has no default for that 年度.
RATES = {
    "rates": {
        "medical": {"income_rate": "7.0", "per_capita": 30000, "per_household": 20000},
        "support": {"income_rate": "2.5", "per_capita": 10000, "per_household": 6000},
        "care": {"income_rate": "2.0", "per_capita": 12000, "per_household": 5000},
        "child_rearing": {"income_rate": "0.3", "per_capita": 1800, "adult_per_capita": 100},
    },
    "reduction_thresholds": {"half_per_member": 305000, "twenty_pct_per_member": 560000},
}


def populate(lg_code: str) -> str:
    """Enrol the town once (``demo_enrol``), store the sample rates of the 年度 unless an
    administrator already set some, and run the 本算定 (a finished run does nothing again)."""
    from yakuba.health_insurance.models import Member
    from yakuba.health_insurance.services import annual, seed_insured
    from yakuba.health_insurance.services.rates import rates_of, set_rates
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.server import demo_enrol, demo_fiscal_year
    from yakuba.platform.tenancy.context import tenant_context

    year = demo_fiscal_year()
    enrolled, fresh = demo_enrol(lg_code, Member, seed_insured)
    with tenant_context(lg_code):
        stored = rates_of(year)
    if stored is None:
        set_rates(lg_code, year, RATES, REASON, SYSTEM)
    with bind_actor(SYSTEM):
        status = annual.run_annual(lg_code, year)
    if not fresh:
        return f"国民健康保険 {enrolled:,} 人・{year}年度 本算定 {status.done:,} 世帯（前回の起動で作成済み）"
    return (
        f"国民健康保険 被保険者 {enrolled:,} 人を登録し、{year}年度の{REASON}で"
        f"本算定 {status.done:,} 世帯を行いました"
    )
