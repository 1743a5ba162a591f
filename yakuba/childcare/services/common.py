"""What the 保育 door's modules share: the input models' base, the refusal, the child read
through the registry's door, the numbering, the 認定 of a 認定証番号 and the parents' 所得割
through the tax app's door."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from django.db import connections
from django.db.models import Exists, Max, OuterRef
from pydantic import BaseModel, ConfigDict, Field

from yakuba.childcare.models import (
    Certification,
)
from yakuba.childcare.rules.ages import MONTH
from yakuba.childcare.rules.certification import REASONS
from yakuba.platform.audit.log import Action, record
from yakuba.platform.calculations import CalculationRejected
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.tax.services import assessment

PURPOSE = "子ども・子育て支援（保育）の認定・利用調整・利用者負担"
AtenaNo = Annotated[str, Field(pattern=r"^\d{1,15}$", title="宛名番号")]
Reason = Literal[tuple(REASONS)]
Hours = Annotated[int, Field(ge=0, le=744)]
MONTH_TEXT = re.compile(MONTH)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def reject(errors: list[dict]) -> None:
    if errors:
        raise CalculationRejected(errors)


def child_of(atena_no: str, protected: bool, errors: list[dict], field: str = "child_atena_no"):
    """The child's 住民票 today (masked for the caller), or ``None`` with an error on the field."""
    try:
        person = registry.get_resident(atena_no, visibility=registry.Visibility(protected=protected))
    except registry.NotFound:
        errors.append({"field": field, "message": f"宛名番号 {atena_no} の住民は見つかりません"})
        return None
    if person.birth_date is None:
        errors.append({"field": field, "message": "生年月日が不詳のため認定できません"})
        return None
    return person


def next_no(model, field: str) -> str:
    """The next 8-digit number of ``field`` in the municipality (under a transaction lock)."""
    return next_nos(model, field, 1)[0]


def next_nos(model, field: str, count: int) -> list[str]:
    """The next ``count`` 8-digit numbers of ``field`` in the municipality, in order (one lock and
    one read whatever the count: a batch numbers a page of 決定 at once)."""
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))",
            [f"{require_tenant().lg_code}/{model._meta.db_table}"],
        )
    last = int(model.objects.aggregate(last=Max(field))["last"] or 0)
    return [f"{last + n:08d}" for n in range(1, count + 1)]


def month_of(text: str) -> date:
    year, month = (int(part) for part in text.split("-"))
    return date(year, month, 1)


def latest_certification(certificate_no: str) -> Certification | None:
    return Certification.objects.filter(certificate_no=certificate_no).order_by("-version").first()


def latest_versions():
    """The latest version of every 認定 (a queryset to filter further)."""
    newer = Certification.objects.filter(
        certificate_no=OuterRef("certificate_no"), version__gt=OuterRef("version")
    )
    return Certification.objects.filter(~Exists(newer))


def listed_names(children: list[str], resource: str, *, protected: bool) -> dict[str, str]:
    """{宛名番号: 氏名} of a list's children through the registry's door (a child hidden from the
    caller by 支援措置 has none), and the list's one audit row naming them."""
    names = registry.names_of(children, visibility=registry.Visibility(protected=protected))
    if children:
        record(Action.READ, resource, subjects=children, purpose=PURPOSE)
    return names


def parent_atenas(cert: Certification) -> list[str]:
    return [p["atena_no"] for p in cert.parents if p.get("atena_no")]


@dataclass(frozen=True)
class HouseholdTax:
    income_levy: int  # 父母の所得割 合算額 (before 税額控除)
    exempt: bool
    steps: list[str]


def household_tax(atena_nos: list[str], tax_year: int) -> HouseholdTax | None:
    """The parents' 市町村民税 所得割 合算額 before the 税額控除 (the 調整控除 stays deducted:
    https://jadocz.com/doc/842588/ 「住宅ローン控除などの税額控除(調整控除は除く)は含みません」) and
    whether every one is 均等割 非課税, from the latest version of each one's 個人住民税 of the
    年度 (one query, ``assessment.levies_of``); ``None`` when one of them has no assessment of
    the 年度 (not yet decided, or taxed by another municipality)."""
    return household_taxes({"": atena_nos}, tax_year).get("")


def household_taxes(households: dict[str, list[str]], tax_year: int) -> dict[str, HouseholdTax]:
    """``household_tax`` of many households at once ({key: parents}), one query for them all; a
    household one of whose parents has no assessment of the 年度 is left out."""
    levies = assessment.levies_of(sorted({a for parents in households.values() for a in parents}), tax_year)
    found = {}
    for key, parents in households.items():
        if not all(a in levies for a in parents):
            continue
        steps = [
            f"宛名番号 {a}: {tax_year}年度 市町村民税所得割（税額控除前）{levies[a].income_levy:,}円"
            for a in parents
        ]
        found[key] = HouseholdTax(
            sum(levies[a].income_levy for a in parents),
            bool(parents) and all(levies[a].non_taxable for a in parents),
            steps,
        )
    return found
