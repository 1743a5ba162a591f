"""介護保険 staff screens: 資格照会 (a 第1号被保険者's 資格 history by 宛名番号), the month's 65歳到達
(資格取得 the day before the 65th birthday; the 被保険者証 to send: insurance-welfare-facts §4.1)
and the 保険料段階・利用者負担割合 calculation of contract §9.4.1 with every step.

The screens are the platform's shared ones for an individual 資格 book (``platform.ui.insured``)
on 介護's reads; the calculation form is built from the API's own model (``KaigoIn``), so each
error lands on its input. Persons under 支援措置 are as the registry's screens show them to
保険年金 staff: not found (the attempt audited).
"""

from __future__ import annotations

from yakuba.long_term_care import access, codes
from yakuba.long_term_care.services import KaigoIn, calculate_kaigo, insured_reads
from yakuba.platform.ui.insured import InsuredScreens
from yakuba.platform.ui.model_form import YEN_UNITS, calculation_page
from yakuba.platform.ui.staff import staff_view

SCREENS = InsuredScreens(insured_reads, codes, age=65, roles=access.STAFF_ROLES)
LABELS = {
    **YEN_UNITS,
    "person": "本人（第1号被保険者）",
    "down": "切捨て",
    "up": "切上げ",
    "year": "年額で計算",
    "month": "月額で計算して12倍",
}
HINTS = {
    "base_amount": "条例の基準額（年額、例：73,200）",
    "multipliers": "市町村独自の割合を第1段階から「,」区切りで（空欄は国の標準）",
    "taxed_bounds": "第6段階からの区切りの合計所得金額を「,」区切りで（空欄は国の標準）",
    "person.birth_date": "例：S30.4.1（和暦・西暦どちらでも）",
}
FORM = {"rows": {"household_elderly": 2}, "labels": LABELS, "hints": HINTS}


@staff_view(roles=access.STAFF_ROLES)
def calculate(request):
    """保険料段階と利用者負担割合: the person's 課税 status and revenues and the municipality's
    基準額 (and its own 段階, if any) → the contract's JSON with its steps."""
    return calculation_page(request, "long_term_care/calculate.html", KaigoIn, calculate_kaigo, **FORM)
