"""The notices of the year's 個人住民税 as PDFs a clerk can send.

- the taxpayer's: 「市民税・県民税 納税通知書」 (地方税法 §319の2: the notice states the 課税標準,
  the tax, its 納期 and each 納期's amount) showing every part of the year's tax — 給与からの
  特別徴収, 年金からの特別徴収 (仮徴収 / 本徴収) and 普通徴収 — as one notice does; a person whose
  whole tax is withheld by the employer gets 「特別徴収税額の決定通知書（納税義務者用）」, the copy
  the employer hands over (§321の4 ②);
- the employer's: 「特別徴収税額の決定通知書（特別徴収義務者用）」 (§321の4 ①), one per 特別徴収
  義務者 listing each employee with the twelve monthly amounts June–May and the totals per month.

Names and addresses come through the registry's door (a person under 支援措置 is not named for
staff who may not see them); every print is an audit row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django.utils import timezone

from yakuba.platform import pdf
from yakuba.platform.audit.log import Action, record
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.municipalities import lookup
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.tax.models import Assessment, IncomeReport
from yakuba.tax.rules import collection as collect
from yakuba.tax.rules import installments as schedules
from yakuba.tax.services.assessment import RESOURCE, AssessmentMissing, versions

TAXPAYER = "市民税・県民税 納税通知書"
EMPLOYEE_COPY = "特別徴収税額の決定通知書（納税義務者用）"
EMPLOYER_COPY = "特別徴収税額の決定通知書（特別徴収義務者用）"
HIDDEN_NAME = "（氏名は表示できません）"
PAGE = 1000  # employees read per query for the employer's list


class NoNotice(ValueError):
    """Nothing to notify (no tax, no such employer); the message is for the clerk."""


def notice_pdf(atena_no: str, fiscal_year: int, *, visibility) -> tuple[bytes, str]:
    """(the PDF, its file name) of the latest version's notice."""
    found = versions(atena_no, fiscal_year)
    if not found:
        raise AssessmentMissing(f"宛名番号 {atena_no} の{fiscal_year}年度の課税はありません")
    latest = found[-1]
    if not latest.parts:
        raise NoNotice("税額がないため通知書はありません")
    title = EMPLOYEE_COPY if {p["way"] for p in latest.parts} == {collect.PAYROLL} else TAXPAYER
    person = registry.get_resident(atena_no, visibility=visibility)  # NotFound when hidden
    context = {
        **_heading(title, fiscal_year),
        "person": person,
        "assessment": latest,
        "result": latest.calculation_result,  # stored with the version: no need to calculate again
        "parts": [(WAYS[p["way"]], p["amount"]) for p in latest.parts],
        "sections": _sections(latest),
    }
    body = pdf.render("tax/notice.html", context, stylesheets=(pdf.NOTICE_CSS,))
    record(
        Action.PRINT,
        RESOURCE,
        subjects=[atena_no],
        purpose=title,
        detail={"fiscal_year": fiscal_year, "version": latest.version},
    )
    return body, f"{title}-{fiscal_year}-{atena_no}.pdf"


WAYS = {
    collect.PAYROLL: "給与からの特別徴収",
    collect.PENSION: "年金からの特別徴収",
    collect.DIRECT: "普通徴収（納付書・口座振替）",
}


def _heading(title: str, fiscal_year: int) -> dict:
    municipality = lookup(require_tenant().lg_code)
    return {
        "title": title,
        "municipality": municipality.full_name,
        "mayor": f"{municipality.name}長",
        "fiscal_year": f"{format_wareki(date(fiscal_year, 4, 1)).split('年')[0]}年度",
        "issued_on": format_wareki(timezone.localdate()),
    }


def _sections(latest) -> list[dict]:
    """One table per way of paying: the employer's twelve months, the pension's 仮徴収 and 本徴収,
    the 普通徴収 納期 (a first year's pension quarters are paid with them)."""
    sections = []
    for part in latest.parts:
        rows = part["installments"]
        if part["way"] == collect.PAYROLL:
            sections.append(
                {
                    "title": f"給与からの特別徴収（特別徴収義務者 指定番号 {part['payer_no']}）",
                    "rows": [(_month(m), a) for m, _w, a in rows],
                    "notes": ["お勤め先が毎月の給与から差し引いて納めます。"],
                }
            )
        elif part["way"] == collect.PENSION:
            sections.append(
                {
                    "title": "年金からの特別徴収",
                    "rows": [
                        (f"{PENSION_LABELS[w]}　{_month(m)}", a) for m, w, a in rows if w != collect.DIRECT
                    ],
                    "notes": _pension_notes(part),
                }
            )
    direct = [(m, a) for m, w, a in latest.installments if w == collect.DIRECT]
    if direct:
        sections.append(
            {
                "title": "普通徴収（納付書・口座振替）の納期",
                "rows": [(f"第{n}期　{_month(m)}", a) for n, (m, a) in enumerate(direct, 1)],
                "notes": [],
            }
        )
    return sections


PENSION_LABELS = {collect.PENSION_PROVISIONAL: "仮徴収", collect.PENSION: "本徴収"}


def _pension_notes(part: dict) -> list[str]:
    notes = ["年金の支払者（日本年金機構など）が年金から差し引いて納めます。"]
    if part["first_year"]:
        taken = sum(a for _m, w, a in part["installments"] if w == collect.DIRECT)
        notes.append(
            f"今年度から年金からの特別徴収が始まるため、年金に係る税額のうち {taken:,} 円は"
            "6月・8月の普通徴収の納期に含めて納めていただきます。"
        )
    else:
        notes.append("4月・6月・8月の仮徴収は前年度の年金に係る税額の6分の1ずつです。")
    if part["refund"]:
        notes.append(f"仮徴収額が今年度の年金に係る税額を {part['refund']:,} 円上回ったため、還付します。")
    return notes


def _month(month: str) -> str:
    """「2026-06」 → 「令和8年6月」."""
    return format_wareki(date(int(month[:4]), int(month[5:]), 1)).removesuffix("1日")


# --- the 特別徴収義務者's list -----------------------------------------------------------------


@dataclass(frozen=True)
class Employee:
    atena_no: str
    name: str
    total: int  # the 特別徴収税額 of the year
    monthly: list[int]  # June to May


def _latest(fiscal_year: int):
    """The latest version of each person's assessment of the 年度 (no newer version exists)."""
    newer = Assessment.objects.filter(
        fiscal_year=OuterRef("fiscal_year"), atena_no=OuterRef("atena_no"), version__gt=OuterRef("version")
    )
    return Assessment.objects.filter(fiscal_year=fiscal_year).exclude(Exists(newer))


def payers(fiscal_year: int) -> list[str]:
    """The 特別徴収義務者 of the 年度's latest assessments, in 指定番号 order."""
    return list(
        _latest(fiscal_year)
        .exclude(payer_no="")
        .order_by("payer_no")
        .values_list("payer_no", flat=True)
        .distinct()
    )


def employees(payer_no: str, fiscal_year: int, *, visibility) -> Iterator[list[Employee]]:
    """The employer's employees in 宛名番号 order, ``PAGE`` at a time (a keyset over 宛名番号;
    two queries for the assessments and the names a page, whatever its size)."""
    months = schedules.months(fiscal_year, schedules.PAYROLL_MONTHS)
    after = ""
    while True:
        rows = list(
            _latest(fiscal_year)
            .filter(payer_no=payer_no, atena_no__gt=after)
            .order_by("atena_no")
            .values_list("atena_no", "parts")[:PAGE]
        )
        if not rows:
            return
        names = registry.names_of([a for a, _p in rows], visibility=visibility)
        page = []
        for atena_no, parts in rows:
            withheld = next(p for p in parts if p["way"] == collect.PAYROLL)
            by_month = {m: a for m, _w, a in withheld["installments"]}
            page.append(
                Employee(
                    atena_no,
                    names.get(atena_no, HIDDEN_NAME),
                    withheld["amount"],
                    [by_month.get(m, 0) for m in months],
                )
            )
        yield page
        after = rows[-1][0]


def employer_notice_pdf(payer_no: str, fiscal_year: int, *, visibility) -> tuple[bytes, str, int]:
    """(the PDF, its file name, how many employees) of the 特別徴収義務者's 決定通知書 from the
    latest versions; ``NoNotice`` when the 年度 has no employee of that 指定番号."""
    listed: list[Employee] = []
    for page in employees(payer_no, fiscal_year, visibility=visibility):
        listed.extend(page)
    if not listed:
        raise NoNotice(f"指定番号 {payer_no} の{fiscal_year}年度の特別徴収の対象者はいません")
    payer_name = (
        IncomeReport.objects.filter(fiscal_year=fiscal_year, payer_no=payer_no)
        .exclude(payer_name="")
        .values_list("payer_name", flat=True)
        .first()
    )
    months = schedules.months(fiscal_year, schedules.PAYROLL_MONTHS)
    context = {
        **_heading(EMPLOYER_COPY, fiscal_year),
        "payer_no": payer_no,
        "payer_name": payer_name or "",
        "months": [f"{int(m[5:])}月" for m in months],
        "employees": listed,
        "month_totals": [sum(e.monthly[i] for e in listed) for i in range(len(months))],
        "total": sum(e.total for e in listed),
    }
    body = pdf.render("tax/employer_notice.html", context)
    record(
        Action.PRINT,
        RESOURCE,
        subjects=[e.atena_no for e in listed],
        purpose=EMPLOYER_COPY,
        detail={"fiscal_year": fiscal_year, "payer_no": payer_no, "count": len(listed)},
    )
    return body, f"{EMPLOYER_COPY}-{fiscal_year}-{payer_no}.pdf", len(listed)
