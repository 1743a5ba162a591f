"""戸籍からの異動候補 for the clerk: the list, one proposal, and its apply or dismissal.

A proposal (``koseki_follow``) is what a 受理 in the 戸籍 calls for; the clerk applies it as the
registry's own 異動 — 出生, 死亡 or 職権修正, through ``apply_move`` with its rules, history,
events and audit like any other — or dismisses it with a reason (the 住民票 already says it, the
person moved away …). Either is one transaction with the proposal's new status, who and when.
A proposal about a person under 支援措置 (or naming one, the parents of a birth) does not exist
for a caller who may not see them (docs/reference/contract.md#protected-persons).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.codes import ProposalKind, ProposalStatus, Status
from yakuba.registry.errors import Conflict, NotFound, RuleViolation
from yakuba.registry.models import KosekiProposal, Resident
from yakuba.registry.services.koseki_follow import PURPOSE, RESOURCE, modify_request
from yakuba.registry.services.moves import MoveResult, apply_move
from yakuba.registry.services.protection import protected_among, protected_atena_nos
from yakuba.registry.services.records import MINIMAL, Visibility

PAGE = 50
REASON_MAX = 200
DONE = "この候補はすでに処理されています（{status}）"
SUPERSEDED = (
    "この人には後の届出による候補があります。後の候補を反映し、この候補は「反映しない」としてください"
)
NO_REASON = "反映しない理由を入力してください"
LONG_REASON = f"理由は{REASON_MAX}文字以内で入力してください"
HEAD = "世帯主"
# A child's 続柄 in its parent's 世帯 (住民記録システム標準仕様書 §1.1.11), by the parent's 続柄:
# a guess the clerk confirms on the screen.
CHILD_OF = {"世帯主": "子", "妻": "子", "夫": "子", "子": "子の子"}


@dataclass(frozen=True)
class Proposal:
    proposal_id: uuid.UUID
    kind: str
    kind_label: str
    status: str
    status_label: str
    notification_kind: str
    notification_no: str
    atena_no: str
    atena_nos: list[str]
    event_on: date
    accepted_on: date | None
    before: dict
    proposed: dict
    note: str
    created_at: datetime
    decided_at: datetime | None
    decided_by: str
    reason: str
    move_id: uuid.UUID | None

    @property
    def name(self) -> str:
        return self.proposed.get("name") if self.kind == ProposalKind.BIRTH else self.before.get("name", "")

    @classmethod
    def of(cls, row: KosekiProposal) -> Proposal:
        return cls(
            row.proposal_id, row.kind, ProposalKind(row.kind).label, row.status,
            ProposalStatus(row.status).label, row.notification_kind, row.notification_no, row.atena_no,
            list(row.atena_nos), row.event_on, row.accepted_on, row.before, row.proposed, row.note,
            row.created_at, row.decided_at, row.decided_by, row.reason, row.move_id,
        )  # fmt: skip


@dataclass(frozen=True)
class ProposalPage:
    proposals: list[Proposal]
    next: str  # the proposal_id to continue after ("" on the last page)


def count_open() -> int:
    """Open proposals, for the home screen (a figure: no person named, nothing audited)."""
    return KosekiProposal.objects.filter(status=ProposalStatus.OPEN).count()


def proposals_page(
    *, status: str = ProposalStatus.OPEN, kind: str = "", after: str = "", visibility: Visibility = MINIMAL
) -> ProposalPage:
    """One page in the order they came (keyset on the time-ordered id), of one status and
    optionally one kind; an audited read of the persons listed."""
    if status not in ProposalStatus.values:
        raise RuleViolation([("status", "状態を選択肢から選んでください")])
    if kind and kind not in ProposalKind.values:
        raise RuleViolation([("kind", "種類を選択肢から選んでください")])
    rows = KosekiProposal.objects.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if after:
        try:
            rows = rows.filter(proposal_id__gt=uuid.UUID(after))
        except ValueError:
            raise RuleViolation([("after", "ページの指定が正しくありません")]) from None
    if not visibility.protected:
        hidden = protected_atena_nos()
        if hidden:
            rows = rows.exclude(atena_nos__overlap=sorted(hidden))
    found = [Proposal.of(r) for r in rows.order_by("proposal_id")[: PAGE + 1]]
    shown = found[:PAGE]
    record(
        Action.READ,
        RESOURCE,
        purpose="戸籍からの異動候補の一覧",
        subjects=sorted({a for p in shown for a in p.atena_nos}),
        detail={"status": status, "kind": kind, "count": len(shown)},
    )
    return ProposalPage(shown, str(shown[-1].proposal_id) if len(found) > PAGE else "")


def _row(proposal_id: uuid.UUID | str, visibility: Visibility, *, lock: bool = False) -> KosekiProposal:
    rows = KosekiProposal.objects.select_for_update() if lock else KosekiProposal.objects
    try:
        row = rows.get(proposal_id=proposal_id)
    except (KosekiProposal.DoesNotExist, ValueError):
        raise NotFound("この候補はありません") from None
    if not visibility.protected and protected_among(row.atena_nos):
        raise NotFound("この候補はありません")
    return row


@dataclass(frozen=True)
class Household:
    """A 世帯 the child of a birth may be recorded in: a parent's, with the 続柄 guessed there."""

    setai_no: str
    parent: str  # the parent's 氏名
    relationship: str


@dataclass(frozen=True)
class Member:
    """A member left in the 世帯 of a 世帯主 who died: one of them heads it now."""

    atena_no: str
    name: str
    relationship: str  # to the 世帯主 who died


@dataclass(frozen=True)
class ProposalView:
    proposal: Proposal
    households: list[Household]  # a birth: the parents' 世帯
    remaining: list[Member]  # a death of a 世帯主: who is left in the 世帯


@dataclass(frozen=True)
class Inputs:
    """What the clerk adds to a proposal's 異動: for a birth the 世帯, 続柄 and (when the 戸籍 had
    none) フリガナ; for the death of a 世帯主 the new 世帯主 and each member's 続柄 to them."""

    setai_no: str = ""
    relationship: str = ""
    name_kana: str = ""
    new_head: str = ""
    relationships: dict[str, str] = field(default_factory=dict)


LIVING = (Status.RESIDENT, Status.MOVING_OUT)


def proposal(proposal_id: uuid.UUID | str, *, visibility: Visibility = MINIMAL) -> ProposalView:
    """One proposal (NotFound for a hidden one) with the 世帯 its 異動 needs; audited."""
    row = _row(proposal_id, visibility)
    households: list[Household] = []
    remaining: list[Member] = []
    if row.kind == ProposalKind.BIRTH:
        parents = [p["atena_no"] for p in row.proposed.get("parents", [])]
        seen: set[str] = set()
        for r in Resident.objects.filter(atena_no__in=parents, status__in=LIVING).order_by("atena_no"):
            if r.setai_no not in seen:
                seen.add(r.setai_no)
                households.append(Household(r.setai_no, r.name, CHILD_OF.get(r.relationship, "")))
    elif row.kind == ProposalKind.DEATH:
        head = Resident.objects.filter(atena_no=row.atena_no, status__in=LIVING, relationship=HEAD).first()
        if head is not None:
            remaining = [
                Member(r.atena_no, r.name, r.relationship)
                for r in Resident.objects.filter(setai_no=head.setai_no, status__in=LIVING)
                .exclude(atena_no=head.atena_no)
                .order_by("atena_no")
            ]
    subjects = {*row.atena_nos, *(m.atena_no for m in remaining)}
    record(Action.READ, RESOURCE, purpose="戸籍からの異動候補の確認", subjects=sorted(subjects))
    return ProposalView(Proposal.of(row), households, remaining)


def _request(row: KosekiProposal, inputs: Inputs) -> dict:
    dates = {
        "move_date": row.event_on.isoformat(),
        "notified_date": row.accepted_on.isoformat() if row.accepted_on else None,
    }
    if row.kind == ProposalKind.BIRTH:
        p = row.proposed
        person = {
            "name": p["name"],
            "name_kana": inputs.name_kana or p["name_kana"],
            "birth_date": p["birth_date"],
            "sex": p["sex"] or None,
            "relationship": inputs.relationship,
            "resident_type": 1,
            "domicile": p["domicile"],
            "domicile_head": p["domicile_head"],
        }
        return {
            "kind": "birth",
            **dates,
            "household": {"setai_no": inputs.setai_no or None},
            "persons": [person],
        }
    if row.kind == ProposalKind.DEATH:
        household = (
            {"new_head": inputs.new_head, "relationships": inputs.relationships or None}
            if inputs.new_head
            else None
        )
        return {"kind": "death", **dates, "household": household, "persons": [{"atena_no": row.atena_no}]}
    return modify_request(row)


def _decided(row: KosekiProposal, status: str) -> None:
    if row.status != ProposalStatus.OPEN:
        raise Conflict(DONE.format(status=ProposalStatus(row.status).label))
    row.status, row.decided_at, row.decided_by = status, timezone.now(), current_actor().name


def _not_superseded(row: KosekiProposal) -> None:
    """A 職権修正 writes what one 届出 said: once a later 届出 has said something else about the
    person (a 離婚 after the 婚姻, a 振り仮名 copied since), applying the earlier would undo it."""
    if row.kind != ProposalKind.MODIFY:
        return
    later = KosekiProposal.objects.filter(
        atena_no=row.atena_no,
        kind__in=(ProposalKind.MODIFY, ProposalKind.FURIGANA),
        proposal_id__gt=row.proposal_id,
    ).exclude(status=ProposalStatus.DISMISSED)
    if later.exists():
        raise RuleViolation([("", SUPERSEDED)])


def apply_proposal(
    proposal_id: uuid.UUID | str,
    *,
    visibility: Visibility = MINIMAL,
    inputs: Inputs = Inputs(),
) -> MoveResult:
    """Make the proposal's 異動 with what the clerk adds (``Inputs``) and mark it applied, in one
    transaction. Every broken rule of the 異動 comes back as RuleViolation, its fields those of
    the 異動 (``household.new_head``, ``persons[0].relationship`` …)."""
    with transaction.atomic(using=require_tenant().alias):
        row = _row(proposal_id, visibility, lock=True)
        _decided(row, ProposalStatus.APPLIED)
        _not_superseded(row)
        result = apply_move(_request(row, inputs), visibility=visibility)
        row.move_id = result.move_id
        row.save(update_fields=["status", "decided_at", "decided_by", "move_id"])
        record(
            Action.UPDATE,
            RESOURCE,
            purpose=PURPOSE,
            subjects=sorted({*row.atena_nos, *(a for a, _h in result.persons)}),
            detail={"proposal_id": str(row.proposal_id), "kind": row.kind, "move_no": result.move_no},
        )
        return result


def dismiss_proposal(
    proposal_id: uuid.UUID | str, reason: str, *, visibility: Visibility = MINIMAL
) -> Proposal:
    """Close the proposal without a 異動, with the clerk's reason (kept and audited)."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation([("reason", NO_REASON)])
    if len(reason) > REASON_MAX:
        raise RuleViolation([("reason", LONG_REASON)])
    with transaction.atomic(using=require_tenant().alias):
        row = _row(proposal_id, visibility, lock=True)
        _decided(row, ProposalStatus.DISMISSED)
        row.reason = reason
        row.save(update_fields=["status", "decided_at", "decided_by", "reason"])
        record(
            Action.UPDATE,
            RESOURCE,
            purpose=PURPOSE,
            subjects=list(row.atena_nos),
            detail={"proposal_id": str(row.proposal_id), "kind": row.kind, "dismissed": reason},
        )
        return Proposal.of(row)
