"""額改定 and 消滅 recorded by the clerk, and the monthly age review.

- **額改定認定請求** (a child added: a birth, a child who comes to live with the 受給者): not
  automatic — the 受給者 must claim it (insurance-welfare-facts §6). The higher amount starts the
  month after the 請求, or the month after the birth under the 15日特例 (児童手当法 第9条第1項・
  第2項; ``services/timing.py``); 伊豆の国市: 「額改定認定請求をした日の属する月の翌月分から
  （ただし、特例があります）」 https://www.city.izunokuni.shizuoka.jp/soudan/kenko/jidou/jidouteate/tetsuzuki.html
- **受給事由消滅届** (公務員になった, no longer supports the children …): ends with the month of the
  event (第8条第2項).
- **Age review** (``age_review``): a child's age changes the amount with no 届 — the under-3
  amount ends the month after the 3rd birthday's month, payment ends after the 18歳年度末, the
  19–22 count after the 22歳年度末 (the engine decides each month, ``rules/amounts.py``). Ages
  are not registry events (the feed says nothing on a birthday), so a monthly batch reviews
  every open entitlement up to the month asked — before the payment run that pays it — at each
  month its amount can change (``amounts.change_months``: Aprils, the month after a 3rd
  birthday's, the scheme's first months), so its cost does not grow with an entitlement's age. It is idempotent (a month reviewed again changes nothing) and catches up months it
  missed; each page of entitlements is one transaction. An entitlement left with no child paid
  ends (消滅, ``no_child``) with the last month paid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field

from yakuba.child_allowance.codes import EndReason, PeriodReason, Status, WorkKind, WorkStatus
from yakuba.child_allowance.models import AmountPeriod, Entitlement, WorkItem
from yakuba.child_allowance.services.amounts import change_months, month_amount, period_key
from yakuba.child_allowance.services.certification import ChildIn, Digits, resolve_child
from yakuba.child_allowance.services.ledger import (
    PURPOSE,
    RESOURCE,
    Rejected,
    counted_children,
    end,
    open_period,
    revise,
    ym,
)
from yakuba.child_allowance.services.timing import first_month, month_of, previous_month
from yakuba.platform.audit.log import Action, record
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry

REVIEW_PAGE = 500


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RevisionIn(_Strict):
    claimant_atena_no: Digits = Field(title="受給者の宛名番号")
    child: ChildIn = Field(title="増えた子")
    claimed_on: date = Field(title="額改定認定請求日")
    event_on: date | None = Field(
        None, title="15日特例の事由の日（省略時は子の生年月日。転入した子は前住所地の転出予定日）"
    )


class EndIn(_Strict):
    claimant_atena_no: Digits = Field(title="受給者の宛名番号")
    reason: Literal["public_servant", "notified"] = Field(
        title="消滅事由（public_servant 公務員になった／notified 受給事由消滅届）"
    )
    on: date = Field(title="事由の日")


def active_of(
    atena_no: str, field: str = "claimant_atena_no", *, visibility: registry.Visibility
) -> Entitlement:
    """The claimant's open 認定, locked; ``Rejected`` naming ``field`` when there is none or the
    claimant is hidden from the caller (the same answer)."""
    if not visibility.protected and registry.protected_among({atena_no}):
        raise Rejected.one(field, f"宛名番号 {atena_no} の受給者は見つかりません")
    found = (
        Entitlement.objects.select_for_update()
        .filter(claimant_atena_no=atena_no, status=Status.ACTIVE)
        .first()
    )
    if found is None:
        raise Rejected.one(field, f"宛名番号 {atena_no} の受給者は見つかりません")
    return found


def apply_revision(body: RevisionIn, *, visibility: registry.Visibility) -> AmountPeriod:
    """額改定認定請求 (one transaction): the child counted from the month the 請求 allows, the
    new amount period, the child's 額改定 work item closed."""
    if body.claimed_on > timezone.localdate():
        raise Rejected.one("claimed_on", "請求日に未来の日付は入力できません")
    with transaction.atomic():
        entitlement = active_of(body.claimant_atena_no, visibility=visibility)
        errors: list[tuple[str, str]] = []
        claimant = registry.get_resident(entitlement.claimant_atena_no, visibility=visibility)
        # The child's birth is the usual event; the month cannot precede the 認定's first.
        probe = resolve_child(
            body.child, "child", month_of(body.claimed_on), visibility, errors, setai_no=claimant.setai_no
        )
        if probe is None:
            raise Rejected([{"field": f, "message": m} for f, m in errors])
        event_on = body.event_on or probe.counted.birth_date
        if event_on > body.claimed_on:
            raise Rejected.one("event_on", "15日特例の事由の日は請求日以前の日付を入力してください")
        start = max(first_month(body.claimed_on, event_on), entitlement.first_month)
        plan = resolve_child(body.child, "child", start, visibility, errors, setai_no=claimant.setai_no)
        if plan is None:
            raise Rejected([{"field": f, "message": m} for f, m in errors])
        _confirmation(entitlement, plan.counted, start)
        try:
            with transaction.atomic():
                plan.row(entitlement, start).save()
        except IntegrityError:
            raise Rejected.one("child.atena_no", "この子はすでに児童手当で算定されています") from None
        amount = month_amount(counted_children([entitlement.id])[entitlement.id], start)
        period = revise(entitlement, amount, PeriodReason.CHILD_ADDED, claimed_on=body.claimed_on)
        if plan.counted.atena_no:
            WorkItem.objects.filter(
                kind__in=(WorkKind.REVISION, WorkKind.CLAIM),
                status=WorkStatus.OPEN,
                atena_no=plan.counted.atena_no,
            ).update(status=WorkStatus.DONE, closed_at=timezone.now(), entitlement=entitlement)
        record(
            Action.UPDATE,
            RESOURCE,
            subjects=sorted({entitlement.claimant_atena_no, plan.counted.atena_no} - {""}),
            purpose=PURPOSE,
            detail={"entitlement": entitlement.id, "revised_from": ym(start), "monthly_total": amount.total},
        )
        if period is None:  # the child changes no amount (e.g. counted, not paid)
            return entitlement.periods.get(until_month__isnull=True)
        return period


def _confirmation(entitlement: Entitlement, child, start: date) -> None:
    """A child this 認定 already counts comes back with the 確認書 (a 19–22-year-old whose count
    ended at the 18歳年度末, facts §6): the row without it ends the month before ``start`` and a
    row with it begins there. Anyone else already counted is refused (by the table's constraint)."""
    if not (child.atena_no and child.bears_costs):
        return
    counted = entitlement.children.filter(
        atena_no=child.atena_no, until_month__isnull=True, bears_costs=False
    )
    if (
        counted.filter(from_month__lt=start).update(until_month=previous_month(start)) == 0
        and counted.exists()
    ):
        raise Rejected.one("claimed_on", f"{ym(start)}分から算定中の子です（確認書は翌月以降の分から）")


class _Preview(Exception):
    def __init__(self, result):
        self.result = result


def check_revision(body: RevisionIn, *, visibility: registry.Visibility) -> AmountPeriod:
    """The period ``apply_revision`` would record, for the 確認 step: the same code run in a
    savepoint that is rolled back (rows, event and audit row with it), so the preview can never
    differ from what the 請求 then records."""
    try:
        with transaction.atomic():
            raise _Preview(apply_revision(body, visibility=visibility))
    except _Preview as preview:
        return preview.result


def check_end(body: EndIn, *, visibility: registry.Visibility) -> tuple[Entitlement, date]:
    """The entitlement and its 支給終了月 (the month of the event), for the 確認 step."""
    if body.on > timezone.localdate():
        raise Rejected.one("on", "事由の日に未来の日付は入力できません")
    entitlement = active_of(body.claimant_atena_no, visibility=visibility)
    if month_of(body.on) < previous_month(entitlement.first_month):
        raise Rejected.one("on", f"支給開始月（{ym(entitlement.first_month)}）より前の日付です")
    return entitlement, month_of(body.on)


def apply_end(body: EndIn, *, visibility: registry.Visibility) -> Entitlement:
    """受給事由消滅届 (one transaction): paid through the month of the event."""
    with transaction.atomic():
        entitlement, last = check_end(body, visibility=visibility)
        end(entitlement, last, EndReason(body.reason), body.on, source="届出")
        return entitlement


@dataclass(frozen=True)
class Reviewed:
    month: date
    entitlements: int
    revised: int
    ended: int


def age_review(
    lg_code: str, month: date, *, page: int = REVIEW_PAGE, progress: Callable[[int], None] | None = None
) -> Reviewed:
    """Every open entitlement reviewed up to ``month`` (not after this month), in order:
    a new period where a child's age changes the amount, a 消滅 where no child is paid. Pages of
    entitlements in 認定 order, each one transaction; call with an audit actor bound."""
    month = month_of(month)
    if month > month_of(timezone.localdate()):
        raise Rejected.one("month", "年齢による額改定は今月分までしか確定できません")
    after, seen, revised, ended = 0, 0, 0, 0
    while True:
        with tenant_context(lg_code), transaction.atomic():
            ids = list(
                Entitlement.objects.filter(status=Status.ACTIVE, first_month__lte=month, id__gt=after)
                .order_by("id")
                .values_list("id", flat=True)[:page]
            )
            if not ids:
                break
            r, e = _review_page(ids, month)
        after, seen, revised, ended = ids[-1], seen + len(ids), revised + r, ended + e
        if progress is not None:
            progress(len(ids))
    return Reviewed(month, seen, revised, ended)


def _review_page(ids: list[int], month: date) -> tuple[int, int]:
    entitlements = Entitlement.objects.select_for_update().in_bulk(ids)
    periods = {
        p.entitlement_id: p
        for p in AmountPeriod.objects.select_for_update().filter(
            entitlement_id__in=ids, until_month__isnull=True
        )
    }
    children = counted_children(ids)
    revised = ended = 0
    for entitlement_id in ids:
        entitlement, current = entitlements[entitlement_id], periods[entitlement_id]
        key = period_key(current.children)
        for m in change_months(children[entitlement_id], current.from_month, month):
            amount = month_amount(children[entitlement_id], m)
            if amount.key == key:
                continue
            if not any(c["eligible"] for c in amount.children):
                end(entitlement, previous_month(m), EndReason.NO_CHILD, previous_month(m), source="年齢到達")
                ended += 1
                break
            current, key = open_period(entitlement, amount, PeriodReason.AGE, previous=current), amount.key
            revised += 1
    if revised or ended:
        record(
            Action.UPDATE,
            RESOURCE,
            purpose=PURPOSE,
            detail={
                "age_review": ym(month),
                "after": ids[0],
                "through": ids[-1],
                "revised": revised,
                "ended": ended,
            },
        )
    return revised, ended
