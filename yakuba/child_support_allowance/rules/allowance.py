"""The 児童扶養手当 monthly amount of one 受給資格者 (pure; facts §7, §10 item 9).

1. 所得額 for the test: 前年所得 − 10万円 on 給与所得 and 公的年金等 所得 (at most their sum)
   + 養育費 × 0.8 − 8万円 (一律控除) − 諸控除, never below 0 — 平戸市's 計算例
   https://www.city.hirado.nagasaki.jp/kurashi/learn/childcare/jifu.html ("2,800,000円 −
   100,000円（給与所得の…）"), 東金市 https://www.city.togane.chiba.jp/0000000309.html.
2. 全部支給 when the 所得額 is below the 全部支給 limit for the 扶養親族等 count, 一部支給 below
   the 一部支給 limit, 支給停止 otherwise (「未満」: 平戸市; 児童扶養手当法 §9 「以上であるとき
   は…支給しない」).
3. 一部支給: each child's amount = 一部支給の上限額 − round₁₀((所得額 − 全部支給の限度額) × 係数),
   the brace rounded half-up to 10円 (下野市 https://www.city.shimotsuke.lg.jp/1276/info-0000009247-3.html
   「{ }内は10円未満四捨五入」). 第1子 is the 本体額, 第2子 and 第3子以降 the 加算額 (equal from
   2024-11). The 施行令 §2の4③ says the same in its own terms: the 一部支給停止額 is the product
   (5円未満切捨て, 5円以上 10円に切上げ) plus 10円, taken from the 全部支給 amount
   (https://www.sn-hoki.co.jp/data/pickup_hourei/onct/JIDOUFUYOUTEATEHOU-REI20250326-82-1.html,
   令和7年政令第82号: 「〇・〇二五六六一九を乗じて得た額 … に十円を加えて得た額」).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

FULL, PARTIAL, STOPPED = "全部支給", "一部支給", "支給停止"
RANKS = ("first", "second", "third")  # 第1子 (本体額), 第2子 加算, 第3子以降 加算


@dataclass(frozen=True)
class Income:
    """The 受給資格者's 前年所得 (円) as the contract's ``income`` gives it."""

    salary_income: int = 0
    public_pension_income: int = 0
    other_income: int = 0
    child_support_received_annual: int = 0
    other_deductions: int = 0


@dataclass(frozen=True)
class Amount:
    """One rank's 全部支給 amount, 一部支給 upper amount and 係数."""

    full: int
    partial_max: int
    coefficient: Decimal


@dataclass
class Result:
    income_for_test: int
    limits: dict[str, int]
    category: str
    per_child: list[int]
    steps: list[str] = field(default_factory=list)


def income_for_test(income: Income, salary_pension_deduction: int, share: Decimal, flat: int) -> int:
    """Step 1. The 10万円 comes off 給与所得 + 公的年金等 所得 only (never more than they are);
    the 養育費 share is truncated to the yen."""
    earned = income.salary_income + income.public_pension_income
    counted = (
        earned
        - min(earned, salary_pension_deduction)
        + income.other_income
        + int(income.child_support_received_annual * share)
        - flat
        - income.other_deductions
    )
    return max(counted, 0)


def limits(dependants: int, elderly: int, specific: int, table) -> dict[str, int]:
    """Step 2's limits: the base + 38万円 per 扶養親族等 + the 老人・特定扶養 additions."""
    extra = dependants * table.per_dependant + elderly * table.elderly + specific * table.specific
    return {FULL: table.full + extra, PARTIAL: table.partial + extra}


def category(income: int, limit: dict[str, int]) -> str:
    if income < limit[FULL]:
        return FULL
    return PARTIAL if income < limit[PARTIAL] else STOPPED


def round_10(value: Decimal) -> int:
    """Half-up to 10円 (「10円未満四捨五入」)."""
    return int((value / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 10


def rank_of(index: int) -> str:
    """The rank of the ``index``-th child (0 = 第1子)."""
    return RANKS[min(index, 2)]


def calculate(
    children: int,
    income: int,
    limit: dict[str, int],
    amounts: dict[str, Amount],
) -> Result:
    """The monthly amount of each child under steps 2–3, with the steps in Japanese."""
    found = category(income, limit)
    steps = [
        f"所得制限限度額: 全部支給 {limit[FULL]:,}円未満、一部支給 {limit[PARTIAL]:,}円未満",
        f"所得額 {income:,}円 → {found}",
    ]
    per_child = []
    for index in range(children):
        amount = amounts[rank_of(index)]
        if found == FULL:
            value = amount.full
        elif found == PARTIAL:
            # Step 3: the upper amount less the rounded reduction, never below 0.
            reduction = round_10((income - limit[FULL]) * amount.coefficient)
            value = max(amount.partial_max - reduction, 0)
            steps.append(
                f"第{index + 1}子: {amount.partial_max:,}円 − ({income:,}円 − {limit[FULL]:,}円) × "
                f"{amount.coefficient}（10円未満四捨五入 {reduction:,}円） = {value:,}円"
            )
        else:
            value = 0
        per_child.append(value)
    steps.append(f"手当月額 合計 {sum(per_child):,}円")
    return Result(income, limit, found, per_child, steps)
