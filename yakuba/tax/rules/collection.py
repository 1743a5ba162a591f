"""How one taxpayer's 個人住民税 of a 年度 is collected: the year's tax split into parts, each
with its way of collection and its 納期.

- **年金からの特別徴収** (年金特徴, 地方税法 §321の7の2〜§321の7の8) takes the tax on the
  公的年金等に係る所得 of a person aged 65 or more on 4月1日 of the 年度 (a person born on 4月2日
  is 65 on 4月1日: 年齢計算ニ関スル法律; 八百津町 "4月1日現在、65歳以上（4月2日生まれを含む）",
  https://www.town.yaotsu.lg.jp/6116.htm) — unless the 老齢等年金給付 are under 180,000円 a year
  or the tax to take exceeds them (泉佐野市, https://www.city.izumisano.lg.jp/kakuka/somu/zeimu/
  menu/sizei/sizei_kojin/juminzei_hikiotosi.html: 「公的年金等の給付金額が年額18万円未満の方」
  「当該年度の特別徴収税額が公的年金等の給付金額の年額を超える方」 are not). The 老齢等年金給付
  are read from the 公的年金等支払報告書; disability and survivors' pensions are not taxed and
  not in them.
- **The pension part** is 「公的年金等の所得に係る所得割額及び均等割額」 (泉佐野市, ibid.): the
  所得割 in the ratio of the 公的年金等に係る所得 to the 総所得金額 (the total of 所得; here the
  合計所得金額, separately taxed income being outside the input), truncated to 100円 as a 所得割
  is, plus the 均等割 and 森林環境税 — those only when there is no 給与特徴, which otherwise takes
  them (菰野町: 年金特徴・給与特徴・普通徴収 side by side, https://www2.town.komono.mie.jp/www/
  contents/1653641924467/index.html).
- **給与からの特別徴収** (§321の3) takes the rest from a salary earner whose employer withholds
  (the employer of the largest salary); 普通徴収 (§319) everything else.

The pension part's schedule (伊東市, https://www.city.ito.shizuoka.jp/gyosei/kurashi_tetsuzuki/
zeikin/shikemminzei/1/7/6170.html, the rule since 2016年10月):

- **the first year** (no pension part in the previous 年度): a quarter by 普通徴収 in June and in
  August, the other half by 本徴収 in October, December and February (a sixth each);
- **a continuing year**: 仮徴収 in April, June and August, each 「（前年度分の年税額×1/2）÷3」 —
  the previous 年度's pension part ÷ 6 — and 本徴収 in October, December and February, each
  「（年税額−仮徴収額）÷3」.

Rounding: each amount is truncated to 100円 and the 本徴収's remainder is taken in October
(輪之内町: 「端数金額は10月に徴収します」, http://town.wanouchi.gifu.jp/living/tax/
tyoukenminzei_tokubetsu_tyosyu/); the three 仮徴収 are equal, whatever they leave is settled by
the 本徴収. When the 仮徴収 exceed the year's pension part, there is no 本徴収 and the excess is
a 過納金 to refund (a municipal FAQ: 「8月分までの仮徴収額が…新年度の住民税額を上回ったことによる
過納金の発生」, https://300499.q88px.group/faq000409.html). A person who leaves 年金特徴 (no
pension part this year) has no 仮徴収 in this plan: what the pension insurer already took is
settled by the 収納 side (docs/tax.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from yakuba.platform.amounts import floor_to
from yakuba.tax.rules import installments
from yakuba.tax.rules.inputs import age_on

# The ways of collection (the values of yakuba.tax.codes.Collection, which is Django's).
PAYROLL = "payroll"
PENSION = "pension"
PENSION_PROVISIONAL = "pension_provisional"  # 仮徴収: a 納期 of the pension part, not a part
DIRECT = "direct"
NONE = "none"

ELDERLY_AGE = 65  # on 4月1日 of the 年度 (§321の7の2)
PENSION_MINIMUM = 180_000  # 老齢等年金給付 a year, below which there is no 年金特徴 (泉佐野市)
PENSION_UNIT = 100


@dataclass(frozen=True)
class Taxpayer:
    """What the split needs of one taxpayer's year (the calculation's figures and the reports')."""

    fiscal_year: int
    birth_date: date
    total: int  # 年税額
    income_levy: int  # 所得割 (市 + 県)
    per_capita: int  # 均等割 (市 + 県) and 森林環境税
    total_income: int  # the 按分's base: 総所得金額 (= 合計所得金額 here)
    pension_income: int  # 公的年金等に係る所得
    pension_paid: int = 0  # 老齢等年金給付 a year, from the 公的年金等支払報告書
    payer_no: str = ""  # the 特別徴収義務者 that withholds from the salary ("" none)
    previous_pension: int = 0  # the previous 年度's pension part (0: not 年金特徴 then)

    @classmethod
    def of(cls, result: dict, birth_date: date, **reported) -> Taxpayer:
        """The figures of a calculation (contract §9.2 output) and what the reports say
        (``pension_paid``, ``payer_no``, ``previous_pension``)."""
        return cls(
            fiscal_year=result["fiscal_year"],
            birth_date=birth_date,
            total=result["total"],
            income_levy=result["municipal"]["income_levy"] + result["prefectural"]["income_levy"],
            per_capita=result["municipal"]["per_capita_levy"]
            + result["prefectural"]["per_capita_levy"]
            + result["forest_environment_tax"],
            total_income=result["total_income"],
            pension_income=result["income_by_kind"]["public_pension"],
            **reported,
        )


@dataclass(frozen=True)
class Part:
    """One part of the year's tax and its 納期 ``(年月, way, 円)``; ``refund`` is what the 納期
    took beyond the part (仮徴収 above the year's pension part)."""

    way: str
    amount: int
    installments: list[tuple[str, str, int]] = field(default_factory=list)
    payer_no: str = ""
    refund: int = 0
    first_year: bool = False  # the pension part's first 年度 (half by 普通徴収)

    def as_dict(self) -> dict:
        return {
            "way": self.way,
            "amount": self.amount,
            "payer_no": self.payer_no,
            "first_year": self.first_year,
            "refund": self.refund,
            "installments": [list(i) for i in self.installments],
        }


def pension_part(t: Taxpayer) -> int:
    """The tax the pensions pay this 年度 (0: no 年金特徴)."""
    if age_on(t.birth_date, date(t.fiscal_year, 4, 1)) < ELDERLY_AGE or t.pension_paid < PENSION_MINIMUM:
        return 0
    if t.pension_income <= 0 or t.total_income <= 0 or t.total <= 0:
        return 0
    levy = floor_to(t.income_levy * min(t.pension_income, t.total_income) // t.total_income, 100)
    part = levy + (0 if t.payer_no else t.per_capita)
    return part if 0 < part <= min(t.pension_paid, t.total) else 0


def split(t: Taxpayer) -> list[Part]:
    """The year's tax in parts: 給与特徴, 年金特徴 and 普通徴収, in that order, each with its
    納期; the parts add up to the 年税額 (none when there is no tax)."""
    pension = pension_part(t)
    rest = t.total - pension
    parts = []
    if rest > 0 and t.payer_no:
        parts.append(
            Part(PAYROLL, rest, _ways(installments.payroll(rest, t.fiscal_year), PAYROLL), t.payer_no)
        )
    if pension:
        parts.append(_pension(pension, t.previous_pension, t.fiscal_year))
    if rest > 0 and not t.payer_no:
        parts.append(Part(DIRECT, rest, _ways(installments.direct(rest, t.fiscal_year), DIRECT)))
    return parts


def _pension(amount: int, previous: int, fiscal_year: int) -> Part:
    if previous <= 0:  # the first year: half by 普通徴収 in June and August, half by 本徴収
        quarter = floor_to(amount // 4, PENSION_UNIT)
        by_hand = [
            (month, DIRECT, quarter)
            for month in installments.months(fiscal_year, installments.FIRST_PENSION_DIRECT_MONTHS)
            if quarter
        ]
        taken = sum(a for _m, _w, a in by_hand)
        return Part(PENSION, amount, by_hand + _main(amount - taken, fiscal_year), first_year=True)
    each = floor_to(previous // 6, PENSION_UNIT)
    provisional = [
        (month, PENSION_PROVISIONAL, each)
        for month in installments.months(fiscal_year, installments.PENSION_PROVISIONAL_MONTHS)
        if each
    ]
    taken = each * len(provisional)
    return Part(
        PENSION, amount, provisional + _main(amount - taken, fiscal_year), refund=max(taken - amount, 0)
    )


def _main(amount: int, fiscal_year: int) -> list[tuple[str, str, int]]:
    """本徴収: October, December, February, 100円 units, the remainder in October."""
    schedule = installments.spread(amount, fiscal_year, installments.PENSION_MONTHS, PENSION_UNIT)
    return _ways(schedule, PENSION)


def _ways(schedule: list[tuple[str, int]], way: str) -> list[tuple[str, str, int]]:
    return [(month, way, amount) for month, amount in schedule]


def schedule(parts: list[Part]) -> list[tuple[str, str, int]]:
    """Every 納期 of the year in time order, one per month and way (a first year's 普通徴収
    quarter of the pension part is paid with the 普通徴収 part's 納期 of that month)."""
    merged: dict[tuple[str, str], int] = {}
    for part in parts:
        for month, way, amount in part.installments:
            merged[(month, way)] = merged.get((month, way), 0) + amount
    return [(month, way, amount) for (month, way), amount in sorted(merged.items())]


def main_way(parts: list[Part]) -> str:
    """The person's main way of collection: the largest part's (給与 before 年金 before 普通 on a
    tie); 「none」 without tax."""
    return max(parts, key=lambda p: p.amount).way if parts else NONE
