"""税額控除 in the order the law applies them: 調整控除 (地方税法 §314の6), 配当控除 (附則 §5),
住宅借入金等特別税額控除 (附則 §5の4の2), 寄附金税額控除 (§314の7) and the 令和6・7年度 定額減税
(附則 §5の12, §5の13). docs/reference/tax-facts.md §2.5, §3.

Amounts are per part — 市町村民税 (``municipal``) and 道府県民税 (``prefectural``) — and a credit
never takes a part below zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from yakuba.platform.amounts import bracket, yen, yen_down, yen_up

PARTS = ("municipal", "prefectural")


@dataclass
class Part:
    levy: int  # 所得割 so far
    adjustment: int = 0
    other: int = 0

    def take(self, amount: int) -> int:
        """Take up to ``amount`` off the levy; what was taken."""
        taken = max(0, min(amount, self.levy))
        self.levy -= taken
        return taken


def _split(table, designated: bool, key: str = "rate") -> dict[str, Decimal]:
    rates = getattr(table, f"designated_city_{key}") if designated else getattr(table, key)
    return {part: rates[part] for part in PARTS}


def adjustment(
    parts: dict[str, Part], *, taxable: int, total_income: int, difference: int, table, designated: bool
) -> list[str]:
    """調整控除: 5 % (市 3 % / 県 2 %; 指定都市 4 % / 1 %) of min(人的控除額の差, 課税総所得) up to
    200万; above, of (差 − (課税総所得 − 200万)) with at least 2,500円 in all."""
    if table.income_cutoff and total_income > table.income_cutoff:
        return [f"調整控除: 合計所得 {yen(total_income)} が {yen(table.income_cutoff)} を超えるため適用なし"]
    if taxable <= 0:
        return []
    rates = _split(table, designated)
    total_rate = sum(rates.values())
    if taxable <= table.threshold:
        base, minimum = min(difference, taxable), 0
    else:
        base, minimum = max(0, difference - (taxable - table.threshold)), table.minimum
    steps = []
    for part in PARTS:
        share = yen_up(Decimal(minimum) * rates[part] / total_rate)
        amount = max(yen_up(base * rates[part]), share)
        parts[part].adjustment = parts[part].take(amount)
    steps.append(
        f"調整控除: 人的控除額の差 {yen(difference)}、対象 {yen(base)} × {total_rate * 100:g}%"
        f"（最低 {yen(minimum)}） → 市 {yen(parts['municipal'].adjustment)}・県 {yen(parts['prefectural'].adjustment)}"
    )
    return steps


def dividend(
    parts: dict[str, Part], *, dividends: int, given: int | None, taxable: int, table, designated: bool
) -> list[str]:
    """配当控除: 課税総所得 1,000万 以下の部分 市 1.6 % 県 1.2 % (指定都市 2.24 % / 0.56 %), 超える部分 半分."""
    if given is not None:
        rates = _split(table, designated)
        total_rate = sum(rates.values())
        amounts = {part: yen_up(Decimal(given) * rates[part] / total_rate) for part in PARTS}
        label = f"配当控除（申告額 {yen(given)}）"
    elif dividends > 0:
        above = max(0, min(dividends, taxable - table.threshold))
        below = dividends - above
        low, high = _split(table, designated), _split(table, designated, "above_rate")
        amounts = {part: yen_up(below * low[part] + above * high[part]) for part in PARTS}
        label = f"配当控除（配当所得 {yen(dividends)}）"
    else:
        return []
    taken = {part: parts[part].take(amounts[part]) for part in PARTS}
    for part in PARTS:
        parts[part].other += taken[part]
    return [f"{label}: 市 {yen(taken['municipal'])}・県 {yen(taken['prefectural'])}"]


def housing_loan(
    parts: dict[str, Part], *, amount: int, specified: bool, base: int, table, designated: bool
) -> list[str]:
    """住宅借入金等特別税額控除: what 所得税 could not take, up to 5 % of 所得税の課税総所得金額等
    and 97,500円 (特定取得等 7 %, 136,500円), 市 3/5 県 2/5 (指定都市 4/5, 1/5)."""
    if amount <= 0:
        return []
    rate, cap = (table.specified_rate, table.specified_cap) if specified else (table.rate, table.cap)
    limit = min(yen_down(Decimal(base) * rate), cap)
    total = min(amount, limit)
    share = _split(table, designated, "share")
    municipal = yen_up(total * share["municipal"])
    taken = {
        "municipal": parts["municipal"].take(municipal),
        "prefectural": parts["prefectural"].take(total - municipal),
    }
    for part in PARTS:
        parts[part].other += taken[part]
    return [
        f"住宅借入金等特別税額控除: {yen(amount)}（限度額 {yen(limit)}） → 市 {yen(taken['municipal'])}・県 {yen(taken['prefectural'])}"
    ]


def donation(
    parts: dict[str, Part],
    *,
    furusato: int,
    other: int,
    total_income: int,
    taxable: int,
    difference: int,
    rates: dict[str, Decimal],
    table,
) -> list[str]:
    """寄附金税額控除: 基本分 (min(寄附金, 総所得金額等 × 30 %) − 2,000) × 10 %, and for ふるさと納税
    the 特例分 (寄附金 − 2,000) × (90 % − 所得税率 × 1.021), at most 20 % of the 所得割 after the
    調整控除; both split in the ratio of the 所得割 rates (6:4, 指定都市 8:2)."""
    donated = furusato + other
    if donated <= table.floor:
        return []
    total_rate = rates["municipal"] + rates["prefectural"]
    weight = {part: rates[part] / total_rate for part in PARTS}
    basic_base = min(donated, yen_down(Decimal(total_income) * table.income_share)) - table.floor
    basic = {part: yen_up(max(0, basic_base) * table.basic_rate * weight[part]) for part in PARTS}
    special = dict.fromkeys(PARTS, 0)
    special_rate = Decimal(0)
    if furusato > table.floor:
        bracketed = taxable - difference
        special_rate = (
            table.special_rate_no_taxable_income
            if bracketed < 0
            else bracket(bracketed, table.special_rates)[1]
        )
        for part in PARTS:
            cap = yen_down(Decimal(parts[part].levy + parts[part].other) * table.special_cap)
            special[part] = min(yen_up((furusato - table.floor) * special_rate * weight[part]), cap)
    taken = {part: parts[part].take(basic[part] + special[part]) for part in PARTS}
    for part in PARTS:
        parts[part].other += taken[part]
    steps = [
        f"寄附金税額控除（基本分）: ({yen(min(donated, basic_base + table.floor))} − {yen(table.floor)}) × 10% → "
        f"市 {yen(basic['municipal'])}・県 {yen(basic['prefectural'])}"
    ]
    if furusato > table.floor:
        steps.append(
            f"寄附金税額控除（特例分）: ({yen(furusato)} − {yen(table.floor)}) × {special_rate * 100:g}%"
            f"（所得割額の20%が上限） → 市 {yen(special['municipal'])}・県 {yen(special['prefectural'])}"
        )
    return steps


def flat_reduction(
    parts: dict[str, Part], *, persons: int, total_income: int, table, label: str
) -> list[str]:
    """定額減税 (令和6年度 本人・控除対象配偶者・扶養親族 1人 1万円; 令和7年度 the 同一生計配偶者 not
    counted in 令和6年度): off the 所得割 after every other credit, split between 市 and 県 in the
    ratio of their 所得割 with the 県's share rounded up (川崎市's worked example)."""
    if persons <= 0:
        return []
    if table.income_limit and total_income > table.income_limit:
        return [f"定額減税: 合計所得 {yen(total_income)} が {yen(table.income_limit)} を超えるため適用なし"]
    amount = table.per_person * persons
    levy = parts["municipal"].levy + parts["prefectural"].levy
    if levy <= 0:
        return [f"定額減税: 所得割額がないため控除なし（{label}）"]
    prefectural = min(
        yen_up(Decimal(min(amount, levy)) * parts["prefectural"].levy / levy), parts["prefectural"].levy
    )
    municipal = min(amount, levy) - prefectural
    taken = {
        "municipal": parts["municipal"].take(municipal),
        "prefectural": parts["prefectural"].take(prefectural),
    }
    for part in PARTS:
        parts[part].other += taken[part]
    return [
        f"定額減税: {yen(table.per_person)} × {persons}人（{label}） = {yen(amount)} → "
        f"市 {yen(taken['municipal'])}・県 {yen(taken['prefectural'])}"
    ]
