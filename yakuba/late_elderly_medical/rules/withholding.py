"""年金からの特別徴収 or 普通徴収 of the 後期高齢者医療保険料 (高齢者の医療の確保に関する法律
§107 ①, §110; insurance-welfare-facts §3.4): withheld from the pension 介護保険料 is withheld
from when that pension is at least 18万円 a year and 介護保険料 + 後期高齢者医療保険料 do not
exceed half of it; otherwise paid by 納付書 or 口座振替. A pure decision on annual amounts — the
timing rules (new members start on 普通徴収) are the collecting municipality's."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from yakuba.late_elderly_medical.rules.parameters import for_year
from yakuba.platform.amounts import yen

PENSION = "pension"
DIRECT = "direct"


@dataclass(frozen=True)
class Decision:
    way: str  # "pension" (特別徴収) or "direct" (普通徴収)
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"way": self.way, "reason": self.reason}


def decide(fiscal_year: int, pension: int, care_premium: int, premium: int) -> Decision:
    w = for_year(fiscal_year).withholding
    if pension < w.pension_min:
        return Decision(DIRECT, f"年金額 {yen(pension)} が {yen(w.pension_min)} 未満のため普通徴収")
    together = care_premium + premium
    half = Decimal(pension) * w.share_max
    if together > half:
        return Decision(
            DIRECT,
            f"介護保険料と後期高齢者医療保険料の合計 {yen(together)} が年金額 {yen(pension)} の2分の1を超えるため普通徴収",
        )
    return Decision(
        PENSION,
        f"年金額 {yen(pension)} が {yen(w.pension_min)} 以上で、介護保険料との合計 {yen(together)} が2分の1以下のため特別徴収",
    )
