"""額改定請求 of the 児童扶養手当: a child the 受給者 now looks after (出生, 監護の開始) counts from
the month after the 請求, and each 支給年度 it changes is decided again (``check_child`` for the
確認, ``add_child`` to record it).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from pydantic import Field

from yakuba.child_support_allowance.models import Entitlement
from yakuba.child_support_allowance.rules import months as rules
from yakuba.child_support_allowance.services.entitlement import (
    PURPOSE,
    RESOURCE,
    VISIBILITY,
    AtenaNo,
    Rejected,
    Strict,
    active_of,
    living,
    revise_for_children,
)
from yakuba.platform.audit.log import Action, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry


class ChildIn(Strict):
    """An 額改定請求: a child the 受給者 now looks after (出生, 監護の開始)."""

    atena_no: AtenaNo = Field(title="受給者の宛名番号")
    child_atena_no: AtenaNo = Field(title="増えた対象児童の宛名番号")
    claimed_on: date = Field(title="請求日")


def check_child(
    body: ChildIn, *, visibility: registry.Visibility = VISIBILITY
) -> tuple[Entitlement | None, list[tuple[str, str]]]:
    """The active 認定 an 額改定請求 adds to, and every broken rule (reads only)."""
    errors = []
    if body.claimed_on > timezone.localdate():
        errors.append(("claimed_on", "請求日に未来の日付は入力できません"))
    found = active_of(body.atena_no, visibility, errors)
    child = living(body.child_atena_no, "child_atena_no", "対象児童", errors, visibility)
    if found is not None and body.child_atena_no in found.children:
        errors.append(("child_atena_no", "この児童はすでに対象児童です"))
    if child is not None and (child.birth_date is None or child.birth_date > body.claimed_on):
        errors.append(("child_atena_no", "対象児童の生年月日が請求日の後か不詳です"))
    elif child is not None and rules.last_child_month(child.birth_date) < rules.month_after(body.claimed_on):
        errors.append(("child_atena_no", "対象児童は18歳到達後の年度末を過ぎています"))
    return found, errors


def add_child(body: ChildIn, *, visibility: registry.Visibility = VISIBILITY) -> Entitlement:
    """額改定請求: the child counts from the month after the 請求 (下野市 「請求した翌月から手当額が
    増額されます」 http://www.city.shimotsuke.lg.jp/viewer/print.html?idSubTop=3&id=1296); each
    支給年度 it changes is decided again — one transaction, every broken rule at once."""
    with transaction.atomic(using=require_tenant().alias):
        found, errors = check_child(body, visibility=visibility)
        if errors:
            raise Rejected.of(errors)
        start = rules.month_after(body.claimed_on)
        found = Entitlement.objects.select_for_update().get(id=found.id)
        found.children = [*found.children, body.child_atena_no]
        found.children_from = {**found.children_from, body.child_atena_no: start.isoformat()}
        found.save(update_fields=["children", "children_from", "updated_at"])
        record(
            Action.UPDATE,
            RESOURCE,
            subjects=[body.atena_no, body.child_atena_no],
            purpose=PURPOSE,
            detail={"entitlement": found.id, "child_added_from": start.isoformat()},
        )
        revise_for_children(found)
    return found
