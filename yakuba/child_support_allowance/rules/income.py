"""The 所得 the 所得制限 starts from, out of the tax app's figures (pure; facts §7).

The tax app keeps each person's 合計所得金額 with its 給与所得 and 公的年金等に係る雑所得 (the
latest version of the 住民税 assessment of a 年度, ``tax.assessment.figures_of``). The engine
(``rules/allowance.py``) takes them apart: 10万円 comes off 給与・公的年金 only, the rest is
``other_income``; the 養育費 (× 0.8) and the 諸控除 are what the 受給者 declares on the 請求書 or
the 現況届 — the tax app does not know them.

The 扶養親族等 of the limits are the tax app's 扶養親族 (年少 included — 児童扶養手当法施行令 §2の4
counts them, unlike the 住民税's 扶養控除): 老人 (老人扶養 and 同居老親等) and 特定 as the
assessment counts them. The clerk may change them on the form (a 配偶者 who counts, a 16–18歳 特定
扶養親族等 of the 手当 that the tax calls 一般).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dependants:
    total: int = 0
    elderly: int = 0
    specific: int = 0


def split_income(total_income: int, salary_income: int, pension_income: int) -> dict[str, int]:
    """The engine's ``income`` from the 合計所得金額 and its 給与・年金 parts (never negative)."""
    salary, pension = max(salary_income, 0), max(pension_income, 0)
    return {
        "salary_income": salary,
        "public_pension_income": pension,
        "other_income": max(total_income - salary - pension, 0),
    }


def dependants_of(counts: dict | None) -> Dependants:
    """The 扶養親族等 from the tax result's ``dependants`` (general, specific, elderly,
    cohabiting_parent, young); none when the assessment has no such figures."""
    counts = counts or {}
    elderly = counts.get("elderly", 0) + counts.get("cohabiting_parent", 0)
    specific = counts.get("specific", 0)
    total = elderly + specific + counts.get("general", 0) + counts.get("young", 0)
    return Dependants(total, elderly, specific)
