"""Demo data for ``yakuba serve --demo``: the demo town's 町字 from Japan Post's data."""

from __future__ import annotations


def populate(lg_code: str) -> str:
    """Load the master once; later starts keep what an administrator changed."""
    from yakuba.address import services
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context

    with bind_actor(SYSTEM), tenant_context(lg_code):
        if services.is_loaded():
            return "住所辞書（前回の起動で作成済み）"
        summary = services.load_postal(lg_code)
    return f"住所辞書 町字 {summary.added:,} 件を郵便番号データから登録しました"
