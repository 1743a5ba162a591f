"""The split of a year's 個人住民税 into 給与特徴, 年金特徴 (仮徴収 / 本徴収) and 普通徴収
(rules/collection.py), each rule against the municipal page it comes from, and the property
that every part's 納期 add up to the part."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from tests.tax.conftest import tax
from yakuba.tax.rules import collection
from yakuba.tax.rules.collection import DIRECT, PAYROLL, PENSION, PENSION_PROVISIONAL, Taxpayer

BORN_65 = date(1961, 4, 2)  # 65 on 2026-04-01 (年齢計算ニ関スル法律)


def pensioner(part: int, *, previous: int = 0, **changes) -> Taxpayer:
    """A taxpayer whose whole tax ``part`` is on pension income (所得割 + 均等割)."""
    facts = {
        "fiscal_year": 2026,
        "birth_date": date(1950, 5, 1),
        "total": part,
        "income_levy": part - 5000,
        "per_capita": 5000,
        "total_income": 1_000_000,
        "pension_income": 1_000_000,
        "pension_paid": 2_100_000,
        "previous_pension": previous,
    }
    return Taxpayer(**{**facts, **changes})


def test_a_first_year_pays_a_quarter_in_june_and_august_and_a_sixth_in_october_december_february():
    """大淀町's pensioner (http://www.town.oyodo.lg.jp/contents_detail.php?frmId=47): 「年金所得に
    係る町県民税額 20,000円」. The first year (伊東市, https://www.city.ito.shizuoka.jp/gyosei/
    kurashi_tetsuzuki/zeikin/shikemminzei/1/7/6170.html: 普通徴収 6月・8月 年税額の1/4, 特別徴収
    10月・12月・2月 年税額の1/6), the remainder in October (輪之内町: 「端数金額は10月に徴収」)."""
    (part,) = collection.split(pensioner(20_000))
    assert part.way == PENSION and part.first_year and part.amount == 20_000
    assert part.installments == [
        ("2026-06", DIRECT, 5000),
        ("2026-08", DIRECT, 5000),
        ("2026-10", PENSION, 3400),
        ("2026-12", PENSION, 3300),
        ("2027-02", PENSION, 3300),
    ]


def test_a_continuing_year_takes_a_sixth_of_last_year_then_the_rest_in_thirds():
    """伊東市 (ibid.): 仮徴収 4月・6月・8月 「（前年度分の年税額×1/2）÷3」, 本徴収 10月・12月・2月
    「（年税額−仮徴収額）÷3」; 名古屋市 (https://faq.city.nagoya.jp/faq/detail.aspx?id=2475):
    「前年度の公的年金からの特別徴収税額…の6分の1の税額を4月、6月、8月」."""
    (part,) = collection.split(pensioner(24_000, previous=20_000))
    assert not part.first_year and part.refund == 0
    assert part.installments == [
        ("2026-04", PENSION_PROVISIONAL, 3300),  # 20,000 ÷ 6 = 3,333 → 3,300
        ("2026-06", PENSION_PROVISIONAL, 3300),
        ("2026-08", PENSION_PROVISIONAL, 3300),
        ("2026-10", PENSION, 4700),  # (24,000 − 9,900) ÷ 3
        ("2026-12", PENSION, 4700),
        ("2027-02", PENSION, 4700),
    ]


def test_provisional_collection_above_the_year_is_refunded():
    """仮徴収 beyond the year's pension part: no 本徴収, the excess a 過納金 (a municipal FAQ,
    https://300499.q88px.group/faq000409.html)."""
    (part,) = collection.split(pensioner(6_000, previous=60_000))
    assert [i for i in part.installments if i[1] == PENSION] == []
    assert sum(a for _m, _w, a in part.installments) == 30_000 and part.refund == 24_000


def test_who_is_collected_from_the_pension():
    """65 on 4月1日 (born 4月2日 included: 八百津町, https://www.town.yaotsu.lg.jp/6116.htm), 老齢等
    年金給付 of 180,000円 or more, a tax not above them (泉佐野市, https://www.city.izumisano.lg.jp/
    kakuka/somu/zeimu/menu/sizei/sizei_kojin/juminzei_hikiotosi.html)."""
    assert collection.pension_part(pensioner(20_000, birth_date=BORN_65)) == 20_000
    young = pensioner(20_000, birth_date=date(1961, 4, 3))  # 64 on 4月1日
    assert collection.pension_part(young) == 0
    assert [p.way for p in collection.split(young)] == [DIRECT]
    assert collection.pension_part(pensioner(20_000, pension_paid=180_000)) == 20_000
    assert collection.pension_part(pensioner(20_000, pension_paid=179_999)) == 0
    assert collection.pension_part(pensioner(20_000, pension_paid=19_999)) == 0  # the tax exceeds it
    assert collection.split(pensioner(0)) == [] and collection.main_way([]) == collection.NONE


def test_a_pensioner_under_65_with_a_salary_pays_through_the_employer():
    young = pensioner(50_000, birth_date=date(1963, 1, 1), payer_no="000123")
    (part,) = collection.split(young)
    assert (part.way, part.payer_no, part.amount) == (PAYROLL, "000123", 50_000)
    assert part.installments[0] == ("2026-06", PAYROLL, 50_000 - 4100 * 11) and len(part.installments) == 12


def test_a_pensioner_with_a_salary_pays_the_pension_part_from_the_pension_and_the_rest_by_payroll():
    """The 所得割 in the ratio of the 公的年金等に係る所得 to the total (菰野町's three ways,
    https://www2.town.komono.mie.jp/www/contents/1653641924467/index.html); the 均等割 goes with
    the salary when the employer withholds."""
    result = tax(2026, "1950-05-01", incomes={"public_pension": 2_500_000, "salary": 3_000_000})
    levy = result["municipal"]["income_levy"] + result["prefectural"]["income_levy"]
    by_kind = result["income_by_kind"]
    facts = Taxpayer.of(result, date(1950, 5, 1), pension_paid=2_500_000, payer_no="000123")
    payroll, pension = collection.split(facts)
    assert pension.amount == levy * by_kind["public_pension"] // result["total_income"] // 100 * 100
    assert (payroll.way, payroll.payer_no, payroll.amount) == (
        PAYROLL,
        "000123",
        result["total"] - pension.amount,
    )
    assert collection.main_way([payroll, pension]) == PAYROLL
    # the same person without 給与特徴: the 均等割 and 森林環境税 go with the pension, the rest 普通徴収
    pension_alone, direct = collection.split(Taxpayer.of(result, date(1950, 5, 1), pension_paid=2_500_000))
    assert pension_alone.amount == pension.amount + 3000 + 1000 + 1000
    assert direct.way == DIRECT and direct.amount == result["total"] - pension_alone.amount


def test_a_pensioner_with_nothing_else_pays_everything_from_the_pension():
    result = tax(
        2026, "1950-05-01", incomes={"public_pension": 2_500_000}, deductions={"social_insurance": 100_000}
    )
    (part,) = collection.split(Taxpayer.of(result, date(1950, 5, 1), pension_paid=2_500_000))
    assert part.way == PENSION and part.amount == result["total"]


@given(
    total=st.integers(0, 3_000_000),
    pension_share=st.integers(0, 100),
    previous=st.integers(0, 2_000_000),
    payer=st.booleans(),
    born=st.dates(date(1930, 1, 1), date(2000, 1, 1)),
    paid=st.integers(0, 5_000_000),
)
def test_every_part_is_paid_exactly(total, pension_share, previous, payer, born, paid):
    per_capita = min(total, 5000)
    facts = Taxpayer(
        fiscal_year=2026,
        birth_date=born,
        total=total,
        income_levy=total - per_capita,
        per_capita=per_capita,
        total_income=1_000_000,
        pension_income=10_000 * pension_share,
        pension_paid=paid,
        payer_no="000123" if payer else "",
        previous_pension=previous,
    )
    parts = collection.split(facts)
    assert sum(p.amount for p in parts) == total
    for part in parts:
        paid_in = sum(a for _m, _w, a in part.installments)
        assert paid_in - part.refund == part.amount and all(a > 0 for _m, _w, a in part.installments)
        provisional = [a for _m, w, a in part.installments if w == PENSION_PROVISIONAL]
        main = [a for _m, w, a in part.installments if w == PENSION]
        assert all(a % 100 == 0 for a in provisional + main[1:])  # the remainder in October only
    merged = collection.schedule(parts)
    assert sum(a for _m, _w, a in merged) - sum(p.refund for p in parts) == total
    assert [m for m, _w, _a in merged] == sorted(m for m, _w, _a in merged)
    assert all("2026-04" <= m <= "2027-05" for m, _w, _a in merged)
