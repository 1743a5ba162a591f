"""Who is counted and who is paid in one month, each one's rank (第1子, 第2子, …) and 月額.

The rules (insurance-welfare-facts §6, §10 item 8; 児童手当法 第4条・第6条):

- Payment runs to the 年度末 after an age (「n歳に達する日以後の最初の3月31日」): 15 (中学校修了)
  until 令和6年9月分, 18 (高校生年代) from 令和6年10月分. The month of that 3月31日 is still paid
  (支給は事由が消滅した日の属する月まで: 児童手当法 第8条第2項). The age is reached on the day
  before the birthday, so one born on 4月1日 leaves a year earlier (facts §1.2).
- The rank counts, oldest first, the children up to the 18歳年度末 and — from 令和6年10月分 —
  the young people up to the 22歳年度末 whose costs the claimant bears (監護相当・生計費の負担に
  ついての確認書): counted, never paid. https://town.chonan.chiba.jp/?p=43117 ;
  https://www.city.kurashiki.okayama.jp/kosodate/childcare/1012563/1004159/1004160/1022535/1022564.html
- 「3歳に満たない児童（月の初日に生まれた児童については、出生の日から3年を経過しない児童）」
  (児童手当法 第6条) is paid the under-3 amount up to and including the month of the 3rd birthday;
  the lower amount starts the month after (額の減額は事由が生じた月の翌月から).
  https://www.hamamatsu-pippi.net/sodan/faq/docs/2014031200320/
- Amounts by rank and band are the scheme's data (``data/jidou_teate.toml``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from yakuba.platform.japanese.wareki import turns_age_on
from yakuba.platform.yearly import Table

UNDER_THREE = "3歳未満"


@dataclass(frozen=True)
class Child:
    birth_date: date
    parent_bears_costs: bool = False


@dataclass(frozen=True)
class Judged:
    rank: int | None  # None: not counted for the rank
    eligible: bool
    monthly: int
    band: str


def year_end_after(birth: date, age: int) -> tuple[int, int]:
    """The month (year, 3) of 「age歳に達する日以後の最初の3月31日」."""
    reached = turns_age_on(birth, age)
    return (reached.year if reached.month <= 3 else reached.year + 1, 3)


def under_three(birth: date, month: tuple[int, int]) -> bool:
    """The under-3 amount is paid to the month of the 3rd birthday (児童手当法 第6条)."""
    return month <= (birth.year + 3, birth.month)


def counted(child: Child, scheme: Table, month: tuple[int, int]) -> bool:
    """In the 第3子 count: up to the ``counted_until`` 年度末, or beyond it up to the
    ``counted_if_costs_borne_until`` 年度末 when the claimant bears the person's costs."""
    if month <= year_end_after(child.birth_date, scheme.counted_until):
        return True
    return child.parent_bears_costs and month <= year_end_after(
        child.birth_date, scheme.counted_if_costs_borne_until
    )


def ranks(children: Sequence[Child], scheme: Table, month: tuple[int, int]) -> list[int | None]:
    """Each child's rank among those counted, oldest first (a tie keeps the input order, which
    changes no amount: twins are in the same band)."""
    order = sorted(
        (i for i, child in enumerate(children) if counted(child, scheme, month)),
        key=lambda i: children[i].birth_date,
    )
    found: list[int | None] = [None] * len(children)
    for rank, i in enumerate(order, start=1):
        found[i] = rank
    return found


def judge(children: Sequence[Child], scheme: Table, month: tuple[int, int]) -> list[Judged]:
    """Each child's rank, eligibility, 月額 and band in the month, in the order given."""
    judged = []
    for child, rank in zip(children, ranks(children, scheme, month), strict=True):
        paid = month <= year_end_after(child.birth_date, scheme.paid_until)
        if not paid:
            band = "算定対象（支給対象外）" if rank is not None else "対象外"
            judged.append(Judged(rank, False, 0, band))
            continue
        column = 0 if rank <= 2 else 1  # 第1子・第2子 / 第3子以降
        if under_three(child.birth_date, month):
            judged.append(Judged(rank, True, scheme.under_three[column], UNDER_THREE))
            continue
        band = next(b for b in scheme.bands if month <= year_end_after(child.birth_date, b["until"]))
        amount = band["first_second"] if column == 0 else band["third_on"]
        judged.append(Judged(rank, True, amount, band["label"]))
    return judged
