"""Synthetic 課税資料 for a generated town: a 給与支払報告書 for the employed, a 公的年金等支払報告書
for pensioners — for the demo, the tests of the annual run and its benchmark (never for a real
municipality: the rows say ``generated`` as their file).

Deterministic from each person's 宛名番号 (the same town gives the same incomes), shaped after
the national figures of docs/reference/population-facts.md only roughly: about 62 % of persons
aged 18–64 earn a salary (2.0–9.0 million yen, a few more), about 90 % of persons 65+ draw a
pension (0.8–3.0 million), some of them a salary as well.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from yakuba.platform.audit.log import current_actor
from yakuba.platform.bulk import copy_insert
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.tax.codes import Collection, Match, ReportKind
from yakuba.tax.models import ImportBatch

PURPOSE = "個人住民税の課税資料（合成データ）の作成"
PAGE = 5000
COLUMNS = (
    "lg_code",
    "batch_id",
    "fiscal_year",
    "kind",
    "line_no",
    "payer_no",
    "payer_name",
    "name",
    "name_kana",
    "birth_date",
    "address",
    "atena_no",
    "match",
    "collection",
    "facts",
)


def _draw(atena_no: str, salt: str) -> int:
    """A stable number 0–9999 for this person and purpose."""
    return int.from_bytes(hashlib.blake2b(f"{salt}:{atena_no}".encode(), digest_size=4).digest()) % 10_000


def _salary_facts(atena_no: str) -> dict:
    revenue = 2_000_000 + _draw(atena_no, "salary") * 700  # 2.0–9.0 million
    if _draw(atena_no, "high") < 300:
        revenue += _draw(atena_no, "bonus") * 1_000  # a few up to 19 million
    revenue -= revenue % 1_000
    return {
        "incomes": {"salary": revenue},
        "deductions": {
            "social_insurance": revenue * 15 // 100,
            "life_insurance": {"new_general": _draw(atena_no, "life") * 10},
        },
    }


def _reports(person, income_year: int) -> list[tuple[str, str, dict]]:
    """(kind, employer's 指定番号, facts) of the reports this person gets."""
    if person.birth_date is None:
        return []
    age = income_year - person.birth_date.year
    reports = []
    if 18 <= age < 65 and _draw(person.atena_no, "employed") < 6_200:
        payer = f"{_draw(person.atena_no, 'employer') % 300:06d}"
        reports.append((ReportKind.SALARY, payer, _salary_facts(person.atena_no)))
    if age >= 65 and _draw(person.atena_no, "pension") < 9_000:
        revenue = 800_000 + _draw(person.atena_no, "pension-amount") * 220
        reports.append((ReportKind.PENSION, "", {"incomes": {"public_pension": revenue - revenue % 1_000}}))
    return reports


def generate(fiscal_year: int) -> dict[str, int]:
    """Write the reports of everyone registered on 1月1日 of ``fiscal_year``; the counts by kind."""
    tenant = require_tenant()
    actor = current_actor().name
    income_year = fiscal_year - 1
    batches = {
        kind: ImportBatch.objects.create(
            lg_code=tenant.lg_code,
            fiscal_year=fiscal_year,
            kind=kind,
            file_name="generated",
            rows=0,
            matched=0,
            created_by=actor,
        )
        for kind in (ReportKind.SALARY, ReportKind.PENSION)
    }
    counts = dict.fromkeys(batches, 0)
    after = ""
    while True:
        people, after = registry.inhabitants_page(
            date(fiscal_year, 1, 1), after=after, limit=PAGE, purpose=PURPOSE
        )
        if not after:
            break
        rows = []
        for person in people:
            for kind, payer, facts in _reports(person, income_year):
                counts[kind] += 1
                rows.append(
                    (
                        tenant.lg_code,
                        batches[kind].pk,
                        fiscal_year,
                        kind,
                        counts[kind],
                        payer,
                        f"合成事業所{payer}" if payer else "日本年金機構",
                        person.name,
                        person.name_kana,
                        person.birth_date,
                        person.address,
                        person.atena_no,
                        Match.MY_NUMBER,
                        Collection.PAYROLL if kind == ReportKind.SALARY else Collection.DIRECT,
                        json.dumps(facts),
                    )
                )
        copy_insert("tax_income_report", COLUMNS, rows)
    for kind, batch in batches.items():
        ImportBatch.objects.filter(pk=batch.pk).update(rows=counts[kind], matched=counts[kind])
    return {str(kind): n for kind, n in counts.items()}
