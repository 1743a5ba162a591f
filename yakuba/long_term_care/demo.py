"""Demo data for ``yakuba serve --demo``: the demo town's 介護保険 第1号被保険者 (65 and over)."""

from __future__ import annotations


def populate(lg_code: str) -> str:
    from yakuba.long_term_care.models import Member
    from yakuba.long_term_care.services import seed_insured
    from yakuba.platform.server import demo_enrol

    enrolled, fresh = demo_enrol(lg_code, Member, seed_insured)
    return f"介護保険 第1号被保険者 {enrolled:,} 人" + (
        "を登録しました" if fresh else "（前回の起動で作成済み）"
    )
