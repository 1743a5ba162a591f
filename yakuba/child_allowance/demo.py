"""Demo data for ``yakuba serve --demo``: 児童手当 認定 for some families of the demo town, so the
照会 and the 受給者一覧 have something to show.

Once: a start that finds any 認定 keeps them. The consumer starts at the feed's head (the demo
town was written without events), then a few 世帯 whose 世帯主 has a child to the 18歳年度末 are
certified through the door as a clerk would (the household's choice: the demo's 所得 are not
compared), with a made-up account.
"""

from __future__ import annotations

DEMO_FAMILIES = 12
ACCOUNT = {
    "bank_code": "0001",
    "branch_code": "001",
    "account_type": "1",
    "account_number": "1234567",
    "account_holder_kana": "ﾃﾞﾓ",
}


def populate(lg_code: str) -> str:
    from django.utils import timezone

    from yakuba.child_allowance.models import Entitlement
    from yakuba.child_allowance.services import ClaimIn, ClaimRejected, certification, follow
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.registry import services as registry

    today = timezone.localdate()
    with bind_actor(SYSTEM):
        with tenant_context(lg_code):
            known = Entitlement.objects.count()
        if known:
            return f"児童手当 受給者 {known:,} 人（前回の起動で作成済み）"
        follow.CONSUMER.start_at_head(lg_code)
        with (
            tenant_context(lg_code),
            registry.inhabitants_on(today, purpose="児童手当のデモデータ") as people,
        ):
            heads = {p.setai_no: p.atena_no for p in people if p.relationship == "世帯主" and not p.protected}
        made = 0
        for atena_no in heads.values():
            if made == DEMO_FAMILIES:
                break
            body = ClaimIn.model_validate(
                {"claimant_atena_no": atena_no, "claimed_on": today, "household_choice": True, **ACCOUNT}
            )
            try:
                with tenant_context(lg_code):
                    certification.certify(body, visibility=registry.Visibility())
            except ClaimRejected:  # no child to pay, or the spouse earns more: the next 世帯
                continue
            made += 1
    return f"児童手当 受給者 {made:,} 人を認定しました"
