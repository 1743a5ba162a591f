"""Demo data for ``yakuba serve --demo``: the demo town's 後期高齢者医療 被保険者 (75 and over)."""

from __future__ import annotations


def populate(lg_code: str) -> str:
    from yakuba.late_elderly_medical.models import Member
    from yakuba.late_elderly_medical.services import seed_insured
    from yakuba.platform.server import demo_enrol

    enrolled, fresh = demo_enrol(lg_code, Member, seed_insured)
    return f"後期高齢者医療 被保険者 {enrolled:,} 人" + (
        "を登録しました" if fresh else "（前回の起動で作成済み）"
    )
