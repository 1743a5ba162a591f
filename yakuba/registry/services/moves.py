"""異動: every registry change as one transaction — validation, history, household, events, audit.

A 異動 is computed in three steps: load and lock what it touches (persons and households, with
NOWAIT so that a second clerk gets a conflict instead of waiting or overwriting), let the
kind's handler produce the new state of each person, then check the household rules on the
result and write it. Every broken rule is reported at once (``RuleViolation``). This module
holds the entry points and the checks on the whole; the kinds are in ``move_kinds``, the writing
in ``move_store``, what they share in ``move_work``.

Sources: 住民記録システム標準仕様書 §4 (異動), §1.2.1 (history), §1.1.11 (続柄), §4.0.3 (dates),
§4.1.3.0.1 (14-day rule for 転出), 住民基本台帳法 第22条–第25条 (届出期間 14日).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, OperationalError
from django.utils import timezone

from yakuba.platform.audit import log as audit_log
from yakuba.platform.audit.log import Action
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import numbering
from yakuba.registry.codes import MoveKind, ResidentType, Status
from yakuba.registry.errors import Collector, Conflict, NotFound, RuleViolation
from yakuba.registry.models import Household, Resident
from yakuba.registry.rules import RelationshipError, check_single_head
from yakuba.registry.services import idempotency
from yakuba.registry.services.changes import Change, diff, values_of
from yakuba.registry.services.duplicates import check_duplicates
from yakuba.registry.services.move_kinds import HANDLERS
from yakuba.registry.services.move_request import MoveRequest, parse_move
from yakuba.registry.services.move_store import write
from yakuba.registry.services.move_work import (
    MoveResult,
    Work,
    current_members,
    for_update,
)
from yakuba.registry.services.notifier import check_notifier
from yakuba.registry.services.protection import protected_among
from yakuba.registry.services.records import MINIMAL, Visibility, my_number_lookup
from yakuba.registry.services.validation import parse_iso_date


def apply_move(
    request: MoveRequest | Mapping,
    *,
    today: date | None = None,
    visibility: Visibility = MINIMAL,
    idempotency_key: str | None = None,
) -> MoveResult:
    """Apply one 異動 inside the caller's ``tenant_context`` (one transaction).

    A caller who may not see persons under 支援措置 cannot change them either: a 異動 that names
    or touches one is NotFound, exactly as for a 宛名番号 that does not exist (
    docs/reference/contract.md#protected-persons), and the attempt is audited. ``request`` is
    the typed 異動 (``move_request``; a mapping is parsed once, as the API parses its body) and is
    only read. With ``idempotency_key`` a repeated request answers the first result again
    (``idempotency``).
    """
    if isinstance(request, Mapping):
        request = parse_move(request)
    if idempotency_key is not None:
        body, first = idempotency.replay(idempotency_key, request)
        if first is not None:
            return first
    work = _prepare(request, today, visibility, lock=True)
    if idempotency_key is not None:
        work.idempotency = (idempotency_key, body)
    try:
        return write(work)
    except IntegrityError:
        # Two transactions registered the same number at the same moment; the checks before
        # writing cannot see an uncommitted neighbour. As after a NOWAIT conflict in ``_lock``,
        # the transaction is now aborted: a caller that goes on after a Conflict wraps the 異動
        # in its own savepoint (the staff UI does). No savepoint here — its RELEASE would be
        # one more round trip while the number counters are locked.
        raise Conflict("同時に行われた別の異動と番号が重複しました。やり直してください") from None


def check_move(
    request: MoveRequest | Mapping, *, today: date | None = None, visibility: Visibility = MINIMAL
) -> list[tuple[str, str]]:
    """Every rule the 異動 would break, as (field, message) — without locks, numbers or writes.

    For the clerk's checks while typing (htmx): a check must never wait for a colleague's 異動
    nor make one wait, and it must not answer 「他の職員が…処理中です」 for a household that is
    merely being looked at. The rules are the same functions ``apply_move`` runs, so a form that
    checks clean is refused at submission only for what changed meanwhile (a concurrent 異動).
    A 世帯 changed since the form was opened is a message on ``household.version`` too: a check
    that arrives after its own form was submitted must not fail the screen.
    """
    try:
        _prepare(request, today, visibility, lock=False)
    except RuleViolation as exc:
        return exc.errors
    except Conflict as exc:
        return [("household.version", str(exc))]
    return []


NEW_HOUSEHOLD = "（新しい世帯）"


@dataclass(frozen=True)
class PersonPreview:
    atena_no: str  # "" for a person this 異動 records (numbered at 更新)
    name: str
    changes: list[Change]
    foreign: bool  # 外国人住民: dates shown in 西暦 (§1.1.9)


@dataclass(frozen=True)
class Preview:
    """What the 確認 screen shows before 更新: every message, every warning known before
    writing, and each person's items before and after."""

    errors: list[tuple[str, str]]
    warnings: list[str]
    persons: list[PersonPreview]


def preview_move(
    request: MoveRequest | Mapping, *, today: date | None = None, visibility: Visibility = MINIMAL
) -> Preview:
    """The 異動 as it would be written — without locks, numbers or writes (as ``check_move``).

    住民記録システム標準仕様書 §4 (入力 → 確認 → 更新): the clerk sees what will change, and the
    warnings that do not stop the 異動 (no 住民票コード left, a late 届出, a confirmed duplicate),
    before committing it."""
    try:
        work = _prepare(request, today, visibility, lock=False)
    except RuleViolation as exc:
        return Preview(exc.errors, [], [])
    except Conflict as exc:
        return Preview([("household.version", str(exc))], [], [])
    warnings = list(work.warnings)
    needs_code = sum(
        1
        for key, values in work.changes.items()
        if key.startswith("new:") and not values.get("juminhyo_code") and work.assigns_juminhyo_code
    )
    if needs_code and numbering.pool_remaining() < needs_code:
        warnings.append(
            "住民票コードの在庫が足りません。住民票コードなしで記載し、在庫の補充後に記載してください"
        )
    persons = []
    for key, values in work.changes.items():
        current = work.residents.get(key)
        after = dict(values)
        if str(after.get("setai_no", "")).startswith("new-"):
            after["setai_no"] = NEW_HOUSEHOLD  # numbered at 更新
        if after.get("my_number"):
            after["my_number_hash"] = my_number_lookup(work.lg_code, after["my_number"])
        before = values_of(current) if current is not None else None
        persons.append(
            PersonPreview(
                "" if current is None else key,
                after.get("name") or "",
                diff(before, after, visibility),
                after.get("resident_type") == ResidentType.FOREIGN,
            )
        )
    return Preview([], warnings, persons)


def _prepare(
    request: MoveRequest | Mapping, today: date | None, visibility: Visibility, *, lock: bool
) -> Work:
    """Load (and with ``lock``, lock) what the 異動 touches, compute every person's new state and
    check every rule; raises RuleViolation with all broken rules, Conflict, NotFound.

    Every rule is reported in one round (the clerk fixes everything at once): only a person or
    世帯 that does not exist stops the check early, since no rule can be computed on it."""
    if isinstance(request, Mapping):
        request = parse_move(request)
    tenant = require_tenant()
    errors = Collector()
    today = today or timezone.localdate()
    kind = request.kind
    work = Work(
        lg_code=tenant.lg_code,
        kind=kind,
        request=request,
        today=today,
        move_date=parse_iso_date(request.move_date, "move_date", errors, required=kind != MoveKind.CANCEL),
        notified_date=request.notified_date,
        errors=errors,
        lock=lock,
        may_record_unlisted=visibility.unlisted_address,
    )
    _check_dates(work)
    check_notifier(work)
    found = _lock(work)
    _check_protection(work, visibility)
    if not found:
        errors.raise_if_any()
    HANDLERS[kind](work)
    _check_protection(work, visibility)
    check_duplicates(work, visibility)
    _check_unique_numbers(work)
    _check_households(work)
    errors.raise_if_any()
    return work


def _check_protection(work: Work, visibility: Visibility) -> None:
    """Before any rule message could name them: the persons the 異動 has loaded so far and the
    heads of their 世帯, unless the caller may see protected persons (one query, none when the
    異動 only records new persons)."""
    if visibility.protected:
        return
    named = set(work.residents) | {h.head_atena_no for h in work.households.values()}
    hidden = protected_among(named - work.checked)
    work.checked |= named
    if hidden:
        audit_log.refuse(Action.UPDATE, "resident", subjects=sorted(hidden), reason="protected")
        raise NotFound(sorted(hidden)[0])


def _check_dates(work: Work) -> None:
    """§4.0.3: 異動日 not after 処理日 except 転出; 届出日 not in the future."""
    if work.move_date and work.move_date > work.today and work.kind != MoveKind.MOVE_OUT:
        work.errors.add("move_date", "異動日が処理日より後です（未来日の異動は転出のみ）")
    if work.notified_date and work.notified_date > work.today:
        work.errors.add("notified_date", "届出日が処理日より後です")


def _person_refs(work: Work) -> list[str]:
    return [p.atena_no for p in work.request.persons if p.atena_no]


def _lock(work: Work) -> bool:
    """Lock the persons and households the 異動 names; NOWAIT turns a concurrent edit into 409.
    False when one of them does not exist."""
    refs = _person_refs(work)
    household = work.request.household_or_empty
    found = True
    try:
        if refs:
            found = for_update(work, Resident.objects.filter(atena_no__in=refs))
            work.residents = {r.atena_no: r for r in found}
            for i, atena_no in enumerate(refs):
                if atena_no not in work.residents:
                    found = False
                    work.errors.add(f"persons[{i}].atena_no", f"宛名番号 {atena_no} の住民はいません")
        setai_nos = {r.setai_no for r in work.residents.values()}
        if household.setai_no:
            setai_nos.add(household.setai_no)
        if setai_nos:
            locked = for_update(work, Household.objects.filter(setai_no__in=setai_nos))
            work.households = {h.setai_no: h for h in locked}
    except OperationalError as exc:
        if "could not obtain lock" in str(exc) or "lock" in str(exc).lower():
            raise Conflict(
                "他の職員が同じ世帯または住民を処理中です。少し待ってからやり直してください"
            ) from None
        raise
    if household.setai_no and household.setai_no not in work.households:
        found = False
        work.errors.add("household.setai_no", f"世帯番号 {household.setai_no} の世帯はありません")
    expected = household.version
    target = work.households.get(household.setai_no or "")
    if expected is not None and target is not None and target.version != expected:
        raise Conflict("他の職員が先にこの世帯を更新しました。画面を開き直して内容を確認してください")
    return found


def _check_unique_numbers(work: Work) -> None:
    """個人番号 and 住民票コード belong to one person (checked before writing, so the clerk gets
    the rule, not a database error)."""
    for key, values in work.changes.items():
        index = key.removeprefix("new:") if key.startswith("new:") else _index_of(work, key)
        prefix = f"persons[{index}]"
        number = values.get("my_number")
        if (
            number
            and Resident.objects.exclude(atena_no=key)
            .exclude(status=Status.REMOVED)
            .filter(my_number_hash=my_number_lookup(work.lg_code, number))
            .exists()
        ):
            work.errors.add(f"{prefix}.my_number", "この個人番号は他の住民に記載されています")
        code = values.get("juminhyo_code")
        unchanged = key in work.residents and work.residents[key].juminhyo_code == code
        if (
            code
            and not unchanged
            and Resident.objects.exclude(atena_no=key).filter(juminhyo_code=code).exists()
        ):
            work.errors.add(f"{prefix}.juminhyo_code", "この住民票コードは他の住民に記載されています")


def _index_of(work: Work, atena_no: str) -> int:
    for i, p in enumerate(work.request.persons):
        if p.atena_no == atena_no:
            return i
    return 0


# --- household rules on the result -----------------------------------------------------------


def _check_households(work: Work) -> None:
    """Every 世帯 touched ends with exactly one 世帯主 and at most one spouse (§1.1.11).

    Checked with the other rules' errors (one round), but not over a 続柄 already refused: the
    result would only repeat that message as 「世帯主がいません」."""
    if any(f.startswith("household.") or f.endswith(".relationship") for f, _m in work.errors.errors):
        return
    touched = {v["setai_no"] for v in work.changes.values()} | {r.setai_no for r in work.residents.values()}
    for setai_no in sorted(touched):
        members: dict[str, dict] = {}
        if not setai_no.startswith("new-"):
            for atena_no in current_members(work, setai_no):
                members[atena_no] = work.changes.get(atena_no) or {
                    "relationship": work.residents[atena_no].relationship
                    if atena_no in work.residents
                    else Resident.objects.values_list("relationship", flat=True).get(atena_no=atena_no),
                    "setai_no": setai_no,
                    "status": Status.RESIDENT,
                }
        for key, values in work.changes.items():
            members[key] = values
        present = [
            v["relationship"]
            for v in members.values()
            if v.get("setai_no") == setai_no and v.get("status") != Status.REMOVED and v.get("relationship")
        ]
        if not present:
            continue
        try:
            check_single_head(present)
        except RelationshipError as exc:
            label = "新しい世帯" if setai_no.startswith("new-") else f"世帯 {setai_no}"
            work.errors.add("household", f"{label}: {exc}")


__all__ = ["apply_move", "check_move", "MoveResult", "Conflict", "RuleViolation"]
