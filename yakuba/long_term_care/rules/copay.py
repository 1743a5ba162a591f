"""利用者負担割合 (1割・2割・3割) of a 第1号被保険者, decided each 8月1日 (介護保険法 §49の2,
§59の2; 施行令 §22の2, §29の2; insurance-welfare-facts §4.3): by the person's 合計所得金額 and the
年金収入 + その他の合計所得金額 of the 世帯's 第1号被保険者; always 1割 for 第2号, 住民税非課税 and
生活保護."""

from __future__ import annotations

from yakuba.long_term_care.rules.parameters import for_year
from yakuba.long_term_care.rules.stages import Insured, other_income
from yakuba.platform.amounts import yen


def decide(
    fiscal_year: int,
    *,
    own_income: int,
    household: list[int],
    non_taxed: bool = False,
    public_assistance: bool = False,
    second_insured: bool = False,
) -> tuple[str, str]:
    """(「1割」・「2割」・「3割」, the reason). ``household``: 年金収入 + その他の合計所得金額 of each
    第1号被保険者 of the 世帯, the person included."""
    if second_insured or non_taxed or public_assistance:
        why = "第2号被保険者" if second_insured else "生活保護" if public_assistance else "住民税非課税"
        return "1割", f"{why}のため1割"
    t = for_year(fiscal_year).copay
    total, plural = sum(household), len(household) > 1
    who = f"{len(household)}人" if plural else "1人"
    for share, income, single, several in (
        ("3割", t.three_income, t.three_single, t.three_plural),
        ("2割", t.two_income, t.two_single, t.two_plural),
    ):
        bound = several if plural else single
        if own_income >= income and total >= bound:
            return share, (
                f"本人の合計所得金額 {yen(own_income)} が {yen(income)} 以上、第1号被保険者{who}の年金収入とその他の"
                f"合計所得金額 {yen(total)} が {yen(bound)} 以上のため{share}"
            )
    return (
        "1割",
        f"本人の合計所得金額 {yen(own_income)}、第1号被保険者{who}の年金収入とその他の合計所得金額 {yen(total)}: 1割",
    )


def judged_sum(fiscal_year: int, figures) -> int:
    """年金収入 + その他の合計所得金額 of one 第1号被保険者 (facts §4.3) from his ``figures`` (the tax
    app's: ``total_income``, ``public_pension_revenue``, ``pension_income``, ``salary_income``): the
    合計所得金額 without the 公的年金等に係る雑所得, the 年金収入 added instead — the same その他の合計所得
    金額 as 段階1–5 (``stages.other_income``: 給与所得 10万円 less; docs/long_term_care.md, known
    limits)."""
    person = Insured(
        household_taxed=True,
        taxed=True,
        total_income=figures.total_income,
        pension_revenue=figures.public_pension_revenue,
        pension_income=min(figures.pension_income, figures.total_income),
        salary_income=figures.salary_income,
    )
    return figures.public_pension_revenue + other_income(
        person, for_year(fiscal_year).stages.salary_deduction
    )
