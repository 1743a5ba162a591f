"""The municipality's 印鑑条例 as parameters (civil-facts §2: there is no national statute, each
municipality has its own 条例 modelled on the 自治省 要領 of 1974, so every number of the rules is a
per-municipality parameter with a default).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Ordinance:
    """The 条例's numbers; the defaults are the usual ones (civil-facts §2.1–§2.3)."""

    min_age: int = 15  # 「15歳未満の者」は登録できない (§2.1)
    adult_ward_with_guardian: bool = True  # 成年被後見人: 法定代理人が同行すれば登録できる (§2.1)
    min_mm: Decimal = Decimal(8)  # 一辺 8mm の正方形に収まる印影は不可 (§2.2 item 4)
    max_mm: Decimal = Decimal(25)  # 一辺 25mm の正方形に収まらない印影は不可 (§2.2 item 4)
    alike_mm: Decimal = Decimal(
        "0.5"
    )  # 世帯員の印鑑と文字が同じで大きさがこの差以内なら「類似」 (§2.2 item 6)
    reply_days: int = 30  # 回答書の期限: 照会書の発送日から（洲本市 30日、由良町 14日 …: §2.3）


DEFAULT = Ordinance()
