"""The taxpayer's notice of the year's 個人住民税 as a PDF a clerk can send.

- 普通徴収: 「市民税・県民税 納税通知書」 (地方税法 §319の2: the notice states the 課税標準, the
  tax, its 納期 and each 納期's amount);
- 特別徴収 (給与): 「特別徴収税額の決定通知書（納税義務者用）」, the copy the employer hands the
  employee (§321の4 ②), with the twelve monthly amounts.

The name and address come through the registry's door (a person under 支援措置 is not printed
for staff who may not see them); every print is an audit row.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from yakuba.platform import pdf
from yakuba.platform.audit.log import Action, record
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.municipalities import lookup
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.tax.codes import Collection
from yakuba.tax.services.assessment import RESOURCE, AssessmentMissing, versions

TITLES = {
    Collection.DIRECT: "市民税・県民税 納税通知書",
    Collection.PAYROLL: "特別徴収税額の決定通知書（納税義務者用）",
}


class NoNotice(ValueError):
    """Nothing to notify (no tax, or a 徴収方法 without a notice yet); the message is for the clerk."""


def notice_pdf(atena_no: str, fiscal_year: int, *, visibility) -> tuple[bytes, str]:
    """(the PDF, its file name) of the latest version's notice."""
    found = versions(atena_no, fiscal_year)
    if not found:
        raise AssessmentMissing(f"宛名番号 {atena_no} の{fiscal_year}年度の課税はありません")
    latest = found[-1]
    title = TITLES.get(latest.collection)
    if title is None:
        raise NoNotice(
            "税額がないため通知書はありません"
            if latest.total == 0
            else "年金からの特別徴収の通知書はまだ作成できません"
        )
    person = registry.get_resident(atena_no, visibility=visibility)  # NotFound when hidden
    municipality = lookup(require_tenant().lg_code)
    result = latest.calculation_result  # stored with the version: no need to calculate again
    context = {
        "title": title,
        "municipality": municipality.full_name,
        "mayor": f"{municipality.name}長",
        "fiscal_year": f"{format_wareki(date(fiscal_year, 4, 1)).split('年')[0]}年度",
        "issued_on": format_wareki(timezone.localdate()),
        "person": person,
        "assessment": latest,
        "result": result,
        "installments": [(_month(month), amount) for month, amount in latest.installments],
    }
    body = pdf.render("tax/notice.html", context)
    record(
        Action.PRINT,
        RESOURCE,
        subjects=[atena_no],
        purpose=title,
        detail={"fiscal_year": fiscal_year, "version": latest.version},
    )
    return body, f"{title}-{fiscal_year}-{atena_no}.pdf"


def _month(month: str) -> str:
    """「2026-06」 → 「令和8年6月」."""
    return format_wareki(date(int(month[:4]), int(month[5:]), 1)).removesuffix("1日")
