"""The municipality's 印鑑条例 as parameters (civil-facts §2: there is no national statute, each
municipality has its own 条例 modelled on the 自治省 要領 of 1974, so every number of the rules is a
per-municipality parameter with a default). A municipality sets its own from a day on
(``services/ordinance.py``); ``check`` says what a setting may not be.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

Refusal = tuple[str, str]  # (field, the clerk's message)


@dataclass(frozen=True)
class Ordinance:
    """The 条例's numbers; the defaults are the usual ones (civil-facts §2.1–§2.3)."""

    min_age: int = 15  # 「15歳未満の者」は登録できない (§2.1)
    adult_ward_with_guardian: bool = True  # 成年被後見人: 法定代理人が同行すれば登録できる (§2.1)
    min_mm: Decimal = Decimal(8)  # 一辺 8mm の正方形に収まる印影は不可 (§2.2 item 4)
    # 「8mm以上」と定める条例: ちょうど 8mm の印影も登録できる (§0 item 4, §2.2 item 4)
    min_mm_allowed: bool = False
    max_mm: Decimal = Decimal(25)  # 一辺 25mm の正方形に収まらない印影は不可 (§2.2 item 4)
    alike_mm: Decimal = Decimal(
        "0.5"
    )  # 世帯員の印鑑と文字が同じで大きさがこの差以内なら「類似」 (§2.2 item 6)
    reply_days: int = 30  # 回答書の期限: 照会書の発送日から（洲本市 30日、由良町 14日 …: §2.3）
    guarantor_allowed: bool = True  # 保証書による即日登録 (§2.3; 七ヶ浜町, 四街道市)
    kana_allowed: bool = True  # 氏名をかなで表した印影 (§2.2 item 1; most accept it, 佐久市 does not)
    my_number_card_as_card: bool = False  # マイナンバーカードを印鑑登録証とする (§2.3, §2.4; 古河市)
    strike_on_guardianship: bool = True  # 登記事項通知（後見開始）で登録を抹消する (§2.1)


DEFAULT = Ordinance()

# Each setting in the clerk's words: the 管理者's screen and ``yakuba seal ordinance`` show these.
LABELS = {
    "min_age": "登録できる年齢（この年齢以上）",
    "adult_ward_with_guardian": "成年被後見人は法定代理人の同行で登録できる",
    "strike_on_guardianship": "後見開始の登記事項通知で登録を抹消する",
    "min_mm": "印影の大きさの下限（一辺 mm の正方形に収まるものは登録できない）",
    "min_mm_allowed": "下限ちょうどの大きさを認める（「8mm以上」と定める条例）",
    "max_mm": "印影の大きさの上限（一辺 mm の正方形に収まらないものは登録できない）",
    "alike_mm": "世帯員の印鑑と文字が同じで、大きさの差がこの mm 以内なら類似とする",
    "reply_days": "回答書の期限（照会書の発送日から、日）",
    "guarantor_allowed": "保証書による即日登録を認める",
    "kana_allowed": "氏名をかなで表した印影を認める",
    "my_number_card_as_card": "マイナンバーカードを印鑑登録証とする（本人の請求のみ）",
}

# The bounds a setting is refused outside of: an age the 条例 could name (民法 sets adulthood
# at 18), a seal a person can hold, a 回答書 deadline of at most a year.
AGE = (1, 20)
MM = (Decimal(1), Decimal(100))
ALIKE_MM = (Decimal(0), Decimal(5))
REPLY_DAYS = (1, 365)

OUT_OF_RANGE = "{label}は{low}から{high}までで指定してください"
SIZES_CROSSED = "印影の大きさの上限（mm）は下限より大きくしてください"
TENTHS = "{label}は0.1mm単位で指定してください"


def check(ordinance: Ordinance) -> list[Refusal]:
    """Every reason the settings cannot be the 条例's (empty: they can)."""
    refusals: list[Refusal] = []
    bounds = (
        ("min_age", "登録できる年齢", AGE),
        ("min_mm", "印影の大きさの下限（mm）", MM),
        ("max_mm", "印影の大きさの上限（mm）", MM),
        ("alike_mm", "類似とする大きさの差（mm）", ALIKE_MM),
        ("reply_days", "回答書の期限（日）", REPLY_DAYS),
    )
    for name, label, (low, high) in bounds:
        value = getattr(ordinance, name)
        if not low <= value <= high:
            refusals.append((name, OUT_OF_RANGE.format(label=label, low=low, high=high)))
        elif isinstance(value, Decimal) and value != value.quantize(Decimal("0.1")):
            refusals.append((name, TENTHS.format(label=label)))
    if ordinance.max_mm <= ordinance.min_mm:
        refusals.append(("max_mm", SIZES_CROSSED))
    return refusals
