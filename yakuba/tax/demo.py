"""Demo data for ``yakuba serve --demo``: the 課税資料 of the demo town for the current 年度 and
its 当初課税, so the 個人住民税 screens have someone to show (and 国保's 本算定 an 所得)."""

from __future__ import annotations


def populate(lg_code: str) -> str:
    """Generate the 給与・年金 reports once (as the benchmarks do) and run the 当初課税; a later
    start keeps what is there — the run resumes if a start was stopped half-way, else does nothing."""
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.server import demo_fiscal_year
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.tax.models import ImportBatch
    from yakuba.tax.services import assessment, income_generate

    year = demo_fiscal_year()
    with bind_actor(SYSTEM):
        with tenant_context(lg_code):
            fresh = not ImportBatch.objects.filter(fiscal_year=year).exists()
            reports = sum(income_generate.generate(year).values()) if fresh else 0
        status = assessment.run_initial(lg_code, year)
    if not fresh:
        return f"個人住民税 {year}年度 当初課税 {status.done:,} 人（前回の起動で作成済み）"
    return (
        f"個人住民税 {year}年度 課税資料 {reports:,} 件を作成し、"
        f"当初課税 {status.done:,} 人（うち課税 {status.taxed:,} 人）を行いました"
    )
