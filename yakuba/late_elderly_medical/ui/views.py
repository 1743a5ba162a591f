"""後期高齢者医療 staff screens: 資格照会 (a person's 資格 history by 宛名番号), the month's 75歳到達
(the 資格確認書 to send; insurance-welfare-facts §3.1) and the 保険料 calculation of contract §9.4
with every step.

The screens are the platform's shared ones for an individual 資格 book (``platform.ui.insured``)
on 後期's reads; the calculation form is built from the API's own model (``KoukiIn``), so the
screen asks exactly what the API takes and each error lands on its input. Persons under 支援措置
are as the registry's screens show them to 保険年金 staff: not found (the attempt audited).
"""

from __future__ import annotations

from yakuba.late_elderly_medical import access, codes
from yakuba.late_elderly_medical.services import KoukiIn, calculate_kouki, insured_reads
from yakuba.platform.ui.insured import InsuredScreens
from yakuba.platform.ui.model_form import YEN_UNITS, calculation_page
from yakuba.platform.ui.staff import staff_view

SCREENS = InsuredScreens(insured_reads, codes, age=75, roles=access.STAFF_ROLES)
LABELS = {
    **YEN_UNITS,
    "rates": "保険料率など（広域連合の条例）",
    "first_two_years": "資格取得から2年以内",
    "later": "2年を過ぎている",
}
HINTS = {
    "rates.per_capita": "広域連合の条例の額（例：52,953）",
    "rates.income_rate": "％で入力（例：11.79）",
    "household[0].birth_date": "例：S20.5.1（和暦・西暦どちらでも）",
}
FORM = {"rows": {"household": 4}, "labels": LABELS, "hints": HINTS, "values": {"household[0].role": "世帯主"}}


@staff_view(roles=access.STAFF_ROLES)
def calculate(request):
    """保険料の計算: the 世帯 (世帯主 first, 被保険者 or not) and the 広域連合's rates → the
    contract's JSON with its steps."""
    return calculation_page(request, "late_elderly_medical/calculate.html", KoukiIn, calculate_kouki, **FORM)
