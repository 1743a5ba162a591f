"""Demo data for ``yakuba serve --demo``: about 1,000 synthetic residents and a pool of unused
住民票コード (docs/reference/contract.md#cli-built)."""

from __future__ import annotations

import random

DEMO_RESIDENTS = 1000
DEMO_SEED = 1
DEMO_POOL = 2000  # a municipality fetches its unused codes from 住基ネット CS (§4.3)


def _pool_codes(rng: random.Random, taken: set[str], count: int) -> list[str]:
    """Synthetic but valid 住民票コード (10 digits + check digit) that no resident holds."""
    from yakuba.platform.japanese.checkdigits import juminhyo_code_check_digit

    codes: set[str] = set()
    while len(codes) < count:
        base = f"{rng.randrange(10**10):010d}"
        code = base + str(juminhyo_code_check_digit(base))
        if code not in taken:
            codes.add(code)
    return sorted(codes)


def populate(lg_code: str) -> str:
    """Generate the demo town once; later starts keep what is there (and what clerks changed)."""
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.registry import numbering
    from yakuba.registry.generate import generate_population
    from yakuba.registry.models import Resident

    with bind_actor(SYSTEM), tenant_context(lg_code):
        if Resident.objects.exists():
            return f"住民記録 {Resident.objects.count():,} 人（前回の起動で作成済み）"
        summary = generate_population(DEMO_RESIDENTS, seed=DEMO_SEED, progress=False)
        taken = set(Resident.objects.values_list("juminhyo_code", flat=True))
        added, _rejected = numbering.load_juminhyo_codes(
            _pool_codes(random.Random(DEMO_SEED), taken, DEMO_POOL)
        )
    return (
        f"住民記録 合成住民 {summary.residents:,} 人・{summary.households:,} 世帯を作成しました"
        f"（未使用の住民票コード {added:,} 件）"
    )
