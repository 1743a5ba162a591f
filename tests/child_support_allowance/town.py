"""A small generated town for the 児童扶養手当 tests: 300 residents with their 住民税 of 2024 and
2025 (所得 of 2023 and 2024), and helpers to find a parent with children and to file a claim."""

from __future__ import annotations

from datetime import date

from tests.conftest import AIZU
from yakuba.child_support_allowance.services import ClaimIn
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.generate import generate_population
from yakuba.registry.models import Resident
from yakuba.tax.services import assessment, income_generate

YEARS = (2024, 2025)


def build() -> None:
    with tenant_context(AIZU):
        generate_population(300, seed=17, as_of=date(2023, 12, 1))
        for year in YEARS:
            income_generate.generate(year)
    for year in YEARS:
        assessment.run_initial(AIZU, year)


def families(limit: int = 5) -> list[tuple[str, list[str]]]:
    """(parent, [children under 15 on 2025-04-01, oldest first]) of 世帯 with both, parent = the
    世帯主 — read from the registry's table (a test may; the app may not)."""
    found = []
    with tenant_context(AIZU):
        heads = Resident.objects.filter(relationship="世帯主", status=1, birth_date__lt=date(1995, 1, 1))
        for head in heads.order_by("atena_no"):
            kids = list(
                Resident.objects.filter(
                    setai_no=head.setai_no, relationship="子", status=1, birth_date__gt=date(2010, 4, 1)
                )
                .order_by("birth_date")
                .values_list("atena_no", flat=True)
            )
            if kids:
                found.append((head.atena_no, kids))
            if len(found) == limit:
                break
    return found


def claim(parent: str, children: list[str], claimed_on: date = date(2025, 6, 10), **more) -> ClaimIn:
    body = {
        "claimant_atena_no": parent,
        "claimant_kind": "mother",
        "ground": "divorce",
        "children": children,
        "claimed_on": claimed_on.isoformat(),
        "certified_on": claimed_on.isoformat(),
        "bank_code": "0001",
        "branch_code": "123",
        "account_type": "1",
        "account_number": "1234567",
        "account_holder_kana": "ヤマダ ハナコ",
        **more,
    }
    return ClaimIn.model_validate(body)
