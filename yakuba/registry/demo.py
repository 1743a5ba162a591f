"""Demo data for ``yakuba serve --demo``: about 1,000 synthetic residents (docs/reference/contract.md#cli-built)."""

from __future__ import annotations

DEMO_RESIDENTS = 1000
DEMO_SEED = 1


def populate(lg_code: str) -> str:
    """Generate the demo town once; later starts keep what is there (and what clerks changed)."""
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.registry.generate import generate_population
    from yakuba.registry.models import Resident

    with bind_actor(SYSTEM), tenant_context(lg_code):
        if Resident.objects.exists():
            return f"住民記録 {Resident.objects.count():,} 人（前回の起動で作成済み）"
        summary = generate_population(DEMO_RESIDENTS, seed=DEMO_SEED, progress=False)
    return f"住民記録 合成住民 {summary.residents:,} 人・{summary.households:,} 世帯を作成しました"
