"""異動: every registry change as one transaction — validation, history, household, events, audit.

A 異動 is computed in three steps: load and lock what it touches (persons and households, with
NOWAIT so that a second clerk gets a conflict instead of waiting or overwriting), let the
kind's handler produce the new state of each person, then check the household rules on the
result and write it. Every broken rule is reported at once (``RuleViolation``).

Sources: 住民記録システム標準仕様書 §4 (異動), §1.2.1 (history), §1.1.11 (続柄), §4.0.3 (dates),
§4.1.3.0.1 (14-day rule for 転出), 住民基本台帳法 第22条–第25条 (届出期間 14日).
"""

from __future__ import annotations

import functools
import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import IntegrityError, OperationalError, connections
from django.utils import timezone

from yakuba.platform import crypto
from yakuba.platform.audit import log as audit_log
from yakuba.platform.audit.log import Action, current_actor
from yakuba.platform.ids import uuid7
from yakuba.platform.japanese.kana import kana_search_key, name_search_key
from yakuba.platform.linkage import outbox
from yakuba.platform.prepared import prepared_cursor
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import addresses, numbering
from yakuba.registry.codes import MoveKind, Origin, RemovalReason, ResidentType, Status
from yakuba.registry.errors import Collector, Conflict, NotFound, RuleViolation
from yakuba.registry.events import event_type_for
from yakuba.registry.models import Household, Move, PersonRecord, Resident, ResidentHistory
from yakuba.registry.rules import HEAD, RelationshipError, check_single_head, is_head, validate_relationship
from yakuba.registry.services.protection import protected_among
from yakuba.registry.services.records import MINIMAL, Visibility, my_number_context, my_number_lookup
from yakuba.registry.services.validation import check_resident_type_items, parse_iso_date, validate_person

NOTIFICATION_PERIOD = timedelta(days=14)  # 住民基本台帳法 第22条〜第25条

# The 住民票 items of PersonRecord, in model order (excluding tenant and provenance columns).
PERSON_FIELDS = [
    f.attname
    for f in PersonRecord._meta.concrete_fields
    if f.attname not in ("id", "lg_code", "move_id", "move_kind", "move_date", "processed_at")
]
HOUSEHOLD_ADDRESS_FIELDS = ("postal_code", "address", "town_area", "block", "address_extra")
# Items a correction (誤記修正・職権修正) may change; the address changes only by 転居.
CORRECTABLE = (
    "name",
    "name_kana",
    "birth_date",
    "birth_date_text",
    "birth_sort_date",
    "sex",
    "relationship",
    "domicile",
    "domicile_head",
    "nationality",
    "residence_status",
    "residence_expiry",
    "residence_card_no",
    "previous_address",
    "my_number",
    "juminhyo_code",
    "resident_type",
)


@dataclass
class MoveResult:
    move_id: uuid.UUID
    kind: str
    setai_no: str | None
    persons: list[tuple[str, int]]
    event_ids: list[str]
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Work:
    """Everything one 異動 reads and what it will write."""

    lg_code: str
    kind: str
    request: dict
    today: date
    move_date: date | None
    notified_date: date | None
    errors: Collector
    residents: dict[str, Resident] = field(default_factory=dict)
    households: dict[str, Household] = field(default_factory=dict)
    # New state per person: key = 宛名番号, or "new:<index>" for persons not yet numbered.
    changes: dict[str, dict] = field(default_factory=dict)
    new_households: dict[str, dict] = field(default_factory=dict)  # placeholder -> address
    warnings: list[str] = field(default_factory=list)
    ex_officio: bool = False
    result_setai_no: str | None = None
    checked: set[str] = field(default_factory=set)  # persons already checked for 支援措置
    lock: bool = True  # False: only checking (``check_move``), nothing is locked or written
    cancels: int | None = None  # the Move a 取消し cancels

    def state(self, key: str) -> dict:
        """The person's values after this 異動 so far (current row + changes)."""
        if key in self.changes:
            return self.changes[key]
        resident = self.residents[key]
        values = {name: getattr(resident, name) for name in PERSON_FIELDS}
        self.changes[key] = values
        return values


# --- entry point -----------------------------------------------------------------------------


def apply_move(request: dict, *, today: date | None = None, visibility: Visibility = MINIMAL) -> MoveResult:
    """Apply one 異動 inside the caller's ``tenant_context`` (one transaction).

    A caller who may not see persons under 支援措置 cannot change them either: a 異動 that names
    or touches one is NotFound, exactly as for a 宛名番号 that does not exist (
    docs/reference/contract.md#protected-persons), and the attempt is audited. ``request`` is only read.
    """
    work = _prepare(request, today, visibility, lock=True)
    try:
        return _write(work)
    except IntegrityError:
        # Two transactions registered the same number at the same moment; the checks before
        # writing cannot see an uncommitted neighbour. As after a NOWAIT conflict in ``_lock``,
        # the transaction is now aborted: a caller that goes on after a Conflict wraps the 異動
        # in its own savepoint (the staff UI does). No savepoint here — its RELEASE would be
        # one more round trip while the number counters are locked.
        raise Conflict("同時に行われた別の異動と番号が重複しました。やり直してください") from None


def check_move(
    request: dict, *, today: date | None = None, visibility: Visibility = MINIMAL
) -> list[tuple[str, str]]:
    """Every rule the 異動 would break, as (field, message) — without locks, numbers or writes.

    For the clerk's checks while typing (htmx): a check must never wait for a colleague's 異動
    nor make one wait, and it must not answer 「他の職員が…処理中です」 for a household that is
    merely being looked at. The rules are the same functions ``apply_move`` runs, so a form that
    checks clean is refused at submission only for what changed meanwhile (a concurrent 異動).
    """
    try:
        _prepare(request, today, visibility, lock=False)
    except RuleViolation as exc:
        return exc.errors
    return []


def _prepare(request: dict, today: date | None, visibility: Visibility, *, lock: bool) -> _Work:
    """Load (and with ``lock``, lock) what the 異動 touches, compute every person's new state and
    check every rule; raises RuleViolation with all broken rules, Conflict, NotFound."""
    tenant = require_tenant()
    errors = Collector()
    today = today or timezone.localdate()
    kind = request.get("kind")
    if kind not in MoveKind.values:
        raise RuleViolation([("kind", f"異動の種類が正しくありません: {kind!r}")])
    work = _Work(
        lg_code=tenant.lg_code,
        kind=kind,
        request=request,
        today=today,
        move_date=parse_iso_date(
            request.get("move_date"), "move_date", errors, required=kind != MoveKind.CANCEL
        ),
        notified_date=parse_iso_date(request.get("notified_date"), "notified_date", errors),
        errors=errors,
        lock=lock,
    )
    _check_dates(work)
    _lock(work)
    _check_protection(work, visibility)
    errors.raise_if_any()
    HANDLERS[kind](work)
    _check_protection(work, visibility)
    errors.raise_if_any()
    _check_unique_numbers(work)
    _check_households(work)
    errors.raise_if_any()
    return work


def _for_update(work: _Work, queryset):
    """Rows the 異動 will change: locked with NOWAIT when writing (a second clerk gets a
    conflict instead of waiting or overwriting), read plainly when only checking."""
    return queryset.select_for_update(nowait=True) if work.lock else queryset


def _check_protection(work: _Work, visibility: Visibility) -> None:
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


def _check_dates(work: _Work) -> None:
    """§4.0.3: 異動日 not after 処理日 except 転出; 届出日 not in the future."""
    if work.move_date and work.move_date > work.today and work.kind != MoveKind.MOVE_OUT:
        work.errors.add("move_date", "異動日が処理日より後です（未来日の異動は転出のみ）")
    if work.notified_date and work.notified_date > work.today:
        work.errors.add("notified_date", "届出日が処理日より後です")


def _person_refs(work: _Work) -> list[str]:
    return [p["atena_no"] for p in work.request.get("persons") or [] if p.get("atena_no")]


def _lock(work: _Work) -> None:
    """Lock the persons and households the 異動 names; NOWAIT turns a concurrent edit into 409."""
    refs = _person_refs(work)
    household = work.request.get("household") or {}
    try:
        if refs:
            found = _for_update(work, Resident.objects.filter(atena_no__in=refs))
            work.residents = {r.atena_no: r for r in found}
            for i, atena_no in enumerate(refs):
                if atena_no not in work.residents:
                    work.errors.add(f"persons[{i}].atena_no", f"宛名番号 {atena_no} の住民はいません")
        setai_nos = {r.setai_no for r in work.residents.values()}
        if household.get("setai_no"):
            setai_nos.add(household["setai_no"])
        if setai_nos:
            locked = _for_update(work, Household.objects.filter(setai_no__in=setai_nos))
            work.households = {h.setai_no: h for h in locked}
    except OperationalError as exc:
        if "could not obtain lock" in str(exc) or "lock" in str(exc).lower():
            raise Conflict(
                "他の職員が同じ世帯または住民を処理中です。少し待ってからやり直してください"
            ) from None
        raise
    if household.get("setai_no") and household["setai_no"] not in work.households:
        work.errors.add("household.setai_no", f"世帯番号 {household['setai_no']} の世帯はありません")
    expected = household.get("version")
    target = work.households.get(household.get("setai_no") or "")
    if expected is not None and target is not None and target.version != expected:
        raise Conflict("他の職員が先にこの世帯を更新しました。画面を開き直して内容を確認してください")


# --- helpers shared by the handlers ------------------------------------------------------------


def _persons(work: _Work) -> list[dict]:
    persons = work.request.get("persons") or []
    if not persons and work.kind not in (MoveKind.HEAD_CHANGE, MoveKind.CANCEL):
        work.errors.add("persons", "対象者を1人以上指定してください")
    return persons


def _existing(work: _Work, allowed=(Status.RESIDENT,)) -> list[tuple[int, dict, Resident]]:
    """Persons named by 宛名番号 that exist and are in an allowed state."""
    out = []
    for i, p in enumerate(_persons(work)):
        if not p.get("atena_no"):
            work.errors.add(f"persons[{i}].atena_no", "この異動では登録済みの住民を宛名番号で指定します")
            continue
        resident = work.residents.get(p["atena_no"])
        if resident is None:
            continue
        if resident.status not in allowed:
            label = Status(resident.status).label
            work.errors.add(
                f"persons[{i}].atena_no",
                f"{resident.name}（{resident.atena_no}）は{label}のため、この異動はできません",
            )
            continue
        out.append((i, p, resident))
    return out


def _new_persons(work: _Work) -> list[tuple[int, dict]]:
    out = []
    for i, p in enumerate(_persons(work)):
        if p.get("atena_no"):
            work.errors.add(
                f"persons[{i}].atena_no", "新たに記載する人には宛名番号を指定しません（自動で付番します）"
            )
            continue
        out.append((i, p))
    return out


def _household_address(work: _Work, setai_no: str | None) -> dict | None:
    household = work.request.get("household") or {}
    if household.get("address"):
        return addresses.compose(work.lg_code, household["address"], work.errors, "household.address")
    if setai_no and setai_no in work.households:
        h = work.households[setai_no]
        return {f: getattr(h, f) for f in HOUSEHOLD_ADDRESS_FIELDS}
    return None


def _new_household(work: _Work, address: dict) -> str:
    key = f"new-household:{len(work.new_households)}"
    work.new_households[key] = address
    return key


def _place(values: dict, setai_no: str, address: dict) -> None:
    values["setai_no"] = setai_no
    values.update(address)


def _record_new_person(work: _Work, index: int, data: dict, setai_no: str, address: dict) -> dict:
    prefix = f"persons[{index}]"
    values = validate_person(data, work.errors, prefix, today=work.today, new=True)
    for key in (
        "former_surname",
        "former_surname_kana",
        "alias",
        "alias_kana",
        "domicile",
        "domicile_head",
        "previous_address",
        "nationality",
        "residence_status",
        "residence_card_no",
        "juminhyo_code",
    ):
        values.setdefault(key, "")
    values.setdefault("residence_expiry", None)
    check_resident_type_items(values, work.errors, prefix)
    values.update(
        atena_no=None,
        status=Status.RESIDENT,
        became_resident_on=work.move_date,
        address_set_on=work.move_date,
        notified_on=work.notified_date,
        planned_move_out_on=None,
        destination_address="",
        removal_reason="",
        removed_on=None,
    )
    _place(values, setai_no, address)
    work.changes[f"new:{index}"] = values
    return values


def _apply_fields(work: _Work, key: str, data: dict, index: int, allowed: tuple[str, ...]) -> dict:
    """Validate the fields ``data`` gives for an existing person and merge them into the state."""
    values = work.state(key)
    given = {k: v for k, v in data.items() if k != "atena_no" and v is not None}
    given.setdefault("resident_type", values["resident_type"])
    cleaned = validate_person(given, work.errors, f"persons[{index}]", today=work.today, new=False)
    cleaned.pop(
        "resident_type", None
    ) if "resident_type" not in allowed or "resident_type" not in data else None
    for name in list(cleaned):
        if name not in allowed:
            work.errors.add(f"persons[{index}].{name}", "この異動では変更できない項目です")
            cleaned.pop(name)
    values.update(cleaned)
    return values


def _members(work: _Work, setai_no: str) -> list[str]:
    """Current members (住民 and 転出予定) of a household, by 宛名番号."""
    return list(
        Resident.objects.filter(setai_no=setai_no, status__in=(Status.RESIDENT, Status.MOVING_OUT))
        .order_by("atena_no")
        .values_list("atena_no", flat=True)
    )


def _lock_members(work: _Work, setai_no: str) -> list[str]:
    """Lock and load every member of a household (for head changes and whole-household moves)."""
    members = _members(work, setai_no)
    missing = [m for m in members if m not in work.residents]
    if missing:
        try:
            for r in _for_update(work, Resident.objects.filter(atena_no__in=missing)):
                work.residents[r.atena_no] = r
        except OperationalError:
            raise Conflict("他の職員が同じ世帯を処理中です。少し待ってからやり直してください") from None
    return members


def _apply_new_relationships(work: _Work, setai_no: str, leaving: set[str]) -> None:
    """When the 世帯主 leaves or changes: ``household.new_head`` and everyone's new 続柄.

    The 続柄 of the remaining members is relative to the head, so it must be given again for each
    of them (it cannot be derived: 妻 of the old head may be 母 of the new one).
    """
    household = work.request.get("household") or {}
    remaining = [m for m in _lock_members(work, setai_no) if m not in leaving]
    new_head = household.get("new_head")
    relationships = household.get("relationships") or {}
    head_leaves = any(is_head(work.residents[m].relationship) for m in leaving if m in work.residents)
    if not new_head and not (head_leaves and remaining):
        if relationships:
            work.errors.add("household.relationships", "続柄の変更は世帯主を変更するときに指定します")
        return
    if not remaining:
        return
    if new_head not in remaining:
        work.errors.add(
            "household.new_head",
            "世帯主が世帯を離れるため、残る世帯員から新しい世帯主を指定してください"
            if not new_head
            else f"宛名番号 {new_head} はこの世帯の世帯員ではありません",
        )
        return
    for atena_no in remaining:
        values = work.state(atena_no)
        if atena_no == new_head:
            values["relationship"] = HEAD
            continue
        rel = relationships.get(atena_no)
        if not rel:
            work.errors.add(
                f"household.relationships.{atena_no}",
                f"{values['name']} の新しい世帯主との続柄を入力してください",
            )
            continue
        try:
            values["relationship"] = validate_relationship(
                rel, foreign=values["resident_type"] == ResidentType.FOREIGN
            )
        except RelationshipError as exc:
            work.errors.add(f"household.relationships.{atena_no}", str(exc))


def _leave(work: _Work, leaving: dict[str, Resident]) -> None:
    """Persons leave their households: the households they leave keep a valid head."""
    by_household: dict[str, set[str]] = {}
    for atena_no, resident in leaving.items():
        by_household.setdefault(resident.setai_no, set()).add(atena_no)
    for setai_no, gone in by_household.items():
        _apply_new_relationships(work, setai_no, gone)


# --- handlers ------------------------------------------------------------------------------


def _move_in(work: _Work, *, ex_officio: bool = False) -> None:
    """転入 (国内: 転出証明書の記載, 国外) and 職権記載: new persons into a new or existing 世帯."""
    origin = work.request.get("origin") or ("" if ex_officio else None)
    if not ex_officio and origin not in Origin.values:
        work.errors.add("origin", "転入元は domestic（国内）または abroad（国外）です")
    household = work.request.get("household") or {}
    setai_no = household.get("setai_no")
    address = _household_address(work, setai_no)
    if address is None:
        work.errors.add("household.address", "新しい世帯の住所を入力してください")
        return
    if setai_no and household.get("address"):
        current = work.households.get(setai_no)
        if current and address["address"] != current.address:
            work.errors.add("household.address", "既存の世帯に入る場合、住所はその世帯の住所です")
    target = setai_no or _new_household(work, address)
    work.result_setai_no = setai_no
    for i, p in _new_persons(work):
        values = _record_new_person(work, i, p, target, address)
        if origin == Origin.DOMESTIC and not values.get("previous_address"):
            work.errors.add(
                f"persons[{i}].previous_address",
                "国内からの転入では転入前住所（転出証明書の住所）を入力してください",
            )
        if origin == Origin.DOMESTIC and not values.get("juminhyo_code"):
            work.warnings.append(f"{values.get('name')}: 住民票コードは転出証明書の記載を入力してください")
    if work.notified_date and work.move_date and work.notified_date - work.move_date > NOTIFICATION_PERIOD:
        work.warnings.append("届出期間（14日）を過ぎた届出です（住民基本台帳法第22条）")
    work.ex_officio = ex_officio


def _ex_officio_record(work: _Work) -> None:
    _move_in(work, ex_officio=True)


def _birth(work: _Work) -> None:
    """出生: the child is recorded in an existing 世帯; 異動日 = 生年月日."""
    household = work.request.get("household") or {}
    setai_no = household.get("setai_no")
    if not setai_no:
        work.errors.add("household.setai_no", "出生した子が入る世帯の世帯番号を指定してください")
        return
    address = _household_address(work, setai_no)
    if address is None:
        return
    work.result_setai_no = setai_no
    for i, p in _new_persons(work):
        values = _record_new_person(work, i, p, setai_no, address)
        if values.get("birth_date") and work.move_date and values["birth_date"] != work.move_date:
            work.errors.add(f"persons[{i}].birth_date", "出生の異動日は生年月日と同じ日です")
        values["previous_address"] = ""


def _remove(work: _Work, reason: str, *, allowed=(Status.RESIDENT, Status.MOVING_OUT)) -> dict[str, Resident]:
    leaving = {}
    for _i, _p, resident in _existing(work, allowed=allowed):
        values = work.state(resident.atena_no)
        values.update(status=Status.REMOVED, removal_reason=reason, removed_on=work.move_date)
        leaving[resident.atena_no] = resident
    return leaving


def _death(work: _Work) -> None:
    """死亡: 消除; when the 世帯主 dies, the remaining members need a new head in the same 異動."""
    _leave(work, _remove(work, RemovalReason.DEATH))


def _ex_officio_remove(work: _Work) -> None:
    _leave(work, _remove(work, RemovalReason.EX_OFFICIO))
    work.ex_officio = True


def _move_out(work: _Work) -> None:
    """転出: 転出予定日 and 転出先; future date → 転出予定, else 消除 (§1.1.5, §4.1.3)."""
    destination = work.request.get("destination")
    if destination not in Origin.values:
        work.errors.add("destination", "転出先は domestic（国内）または abroad（国外）です")
    planned = parse_iso_date(work.request.get("planned_date"), "planned_date", work.errors) or work.move_date
    if planned and work.move_date and planned != work.move_date:
        work.errors.add("planned_date", "転出予定日と異動日は同じ日です")
    target = (work.request.get("destination_address") or "").strip()
    if not target:
        work.errors.add("destination_address", "転出先住所を入力してください")
    notified = work.notified_date or work.today
    if work.move_date and work.move_date > work.today + NOTIFICATION_PERIOD:
        work.errors.add("move_date", "転出届は転出予定日の14日前から受け付けます")
    if work.move_date and notified - work.move_date > NOTIFICATION_PERIOD:
        # §4.1.3.0.1: moved more than 14 days ago — the removal is done 職権.
        work.ex_officio = True
        work.warnings.append("転出後14日を過ぎた届出のため、職権で消除しました（住民基本台帳法第24条）")
    reason = (
        RemovalReason.MOVE_OUT_ABROAD if destination == Origin.ABROAD else RemovalReason.MOVE_OUT_DOMESTIC
    )
    leaving = _remove(work, reason, allowed=(Status.RESIDENT,))
    for atena_no in leaving:
        values = work.state(atena_no)
        values.update(planned_move_out_on=work.move_date, destination_address=target)
        if work.move_date and work.move_date > work.today:
            values["status"] = Status.MOVING_OUT
    _leave(work, leaving)


def _regroup(work: _Work, *, same_address: bool, address_change: bool) -> None:
    """転居, 世帯分離, 世帯合併, 世帯変更: persons move to another (new or existing) 世帯.

    Whole-household 転居 keeps the 世帯番号 and changes the address of all members.
    """
    household = work.request.get("household") or {}
    existing = _existing(work, allowed=(Status.RESIDENT,))
    if not existing:
        return
    sources = {r.setai_no for _i, _p, r in existing}
    target = household.get("setai_no")
    moving = {r.atena_no: r for _i, _p, r in existing}
    whole = len(sources) == 1 and set(_lock_members(work, next(iter(sources)))) <= set(moving)
    if work.kind == MoveKind.HOUSEHOLD_MERGE and not whole:
        work.errors.add("persons", "世帯合併では合併する世帯の全員を指定してください")
    if target and target in sources and not whole:
        work.errors.add("household.setai_no", "移る先の世帯が、いまの世帯と同じです")
    if address_change:
        new_address = _household_address(work, None) if household.get("address") else None
        if target:
            new_address = _household_address(work, target) if new_address is None else new_address
        if new_address is None:
            work.errors.add("household.address", "転居先の住所を入力してください")
            return
        if target and target not in sources and new_address["address"] != work.households[target].address:
            work.errors.add("household.address", "既存の世帯に入る場合、住所はその世帯の住所です")
    else:
        source = work.households.get(next(iter(sources)))
        new_address = {f: getattr(source, f) for f in HOUSEHOLD_ADDRESS_FIELDS} if source else None
        if target and source and work.households[target].address != source.address and same_address:
            work.errors.add(
                "household.setai_no", "住所が異なる世帯には移れません（転居として処理してください）"
            )
    if new_address is None:
        return
    if whole and (not target or target in sources):
        setai_no = next(iter(sources))  # the whole 世帯 moves: same 世帯番号
    elif target:
        setai_no = target
    else:
        if work.kind in (MoveKind.HOUSEHOLD_MERGE, MoveKind.HOUSEHOLD_CHANGE):
            work.errors.add("household.setai_no", "移る先の世帯の世帯番号を指定してください")
            return
        setai_no = _new_household(work, new_address)
    work.result_setai_no = None if setai_no.startswith("new-") else setai_no
    for i, p, resident in existing:
        values = _apply_fields(
            work, resident.atena_no, {"relationship": p.get("relationship")}, i, ("relationship",)
        )
        _place(values, setai_no, new_address)
        if address_change:
            values["address_set_on"] = work.move_date
        if p.get("relationship") is None and setai_no != resident.setai_no:
            work.errors.add(
                f"persons[{i}].relationship", f"{resident.name} の新しい世帯での続柄を入力してください"
            )
    if not (whole and setai_no in sources):
        _leave(work, moving)


def _move_within(work: _Work) -> None:
    _regroup(work, same_address=False, address_change=True)


def _household_split(work: _Work) -> None:
    _regroup(work, same_address=True, address_change=False)


def _household_merge(work: _Work) -> None:
    _regroup(work, same_address=True, address_change=False)


def _household_change(work: _Work) -> None:
    _regroup(work, same_address=True, address_change=False)


def _head_change(work: _Work) -> None:
    """世帯主変更: ``household.new_head`` and every other member's new 続柄."""
    household = work.request.get("household") or {}
    setai_no = household.get("setai_no")
    if not setai_no:
        work.errors.add("household.setai_no", "世帯番号を指定してください")
        return
    if not household.get("new_head"):
        work.errors.add("household.new_head", "新しい世帯主の宛名番号を指定してください")
        return
    work.result_setai_no = setai_no
    _apply_new_relationships(work, setai_no, set())


def _modify(work: _Work, allowed: tuple[str, ...], *, ex_officio: bool) -> None:
    for i, p, resident in _existing(work, allowed=(Status.RESIDENT, Status.MOVING_OUT)):
        values = _apply_fields(work, resident.atena_no, p, i, allowed)
        check_resident_type_items(values, work.errors, f"persons[{i}]")
    work.ex_officio = ex_officio


def _correction(work: _Work) -> None:
    """誤記修正: a new history row with the corrected items; history itself is never rewritten."""
    _modify(work, CORRECTABLE, ex_officio=True)


def _ex_officio_modify(work: _Work) -> None:
    _modify(work, CORRECTABLE, ex_officio=True)


def _set_or_clear(work: _Work, field: str, label: str, resident_type: int, type_label: str) -> None:
    """Record ``field`` with its フリガナ for each person, or delete it when given empty."""
    kana = f"{field}_kana"
    for i, p, resident in _existing(work, allowed=(Status.RESIDENT, Status.MOVING_OUT)):
        if resident.resident_type != resident_type:
            work.errors.add(f"persons[{i}].{field}", f"{label}は{type_label}にのみ記載します")
            continue
        values = work.state(resident.atena_no)
        values[field] = (p.get(field) or "").strip()
        values[kana] = ""
        if values[field]:
            _apply_fields(work, resident.atena_no, {kana: p.get(kana)}, i, (kana,))
            if not values[kana]:
                work.errors.add(f"persons[{i}].{kana}", f"{label}のフリガナを入力してください")


def _former_surname(work: _Work) -> None:
    """旧氏の記載・削除 (日本人, 住民基本台帳法施行令30条の13): an empty value deletes it."""
    _set_or_clear(work, "former_surname", "旧氏", ResidentType.JAPANESE, "日本人住民")


def _alias(work: _Work) -> None:
    """通称の記載・削除 (外国人住民のみ, 施行令30条の16): an empty value deletes it."""
    _set_or_clear(work, "alias", "通称", ResidentType.FOREIGN, "外国人住民")


def _cancel(work: _Work) -> None:
    """異動の取消し: restore each affected person's state before the canceled 異動.

    Only the latest change of each person can be canceled; a canceled 記載 (転入, 出生 …)
    removes the person again. The standard forbids a separate 「転居取消」 category: every
    cancellation is this one kind (§1.2.2).
    """
    move_id = work.request.get("cancel_move_id")
    try:
        target = Move.objects.get(move_id=uuid.UUID(str(move_id)))
    except (ValueError, Move.DoesNotExist):
        work.errors.add("cancel_move_id", f"取り消す異動 {move_id} はありません")
        return
    if target.canceled_by_id:
        work.errors.add("cancel_move_id", "この異動はすでに取り消されています")
        return
    if target.kind == MoveKind.CANCEL:
        work.errors.add("cancel_move_id", "取消しの取消しはできません（改めて異動を入力してください）")
        return
    rows = list(ResidentHistory.objects.filter(move=target).order_by("atena_no"))
    try:
        for r in _for_update(work, Resident.objects.filter(atena_no__in=[r.atena_no for r in rows])):
            work.residents[r.atena_no] = r
    except OperationalError:
        raise Conflict("他の職員が同じ住民を処理中です。少し待ってからやり直してください") from None
    for row in rows:
        current = work.residents[row.atena_no]
        if current.history_no != row.history_no:
            work.errors.add(
                "cancel_move_id",
                f"{current.name}（{current.atena_no}）にはこの後の異動があるため取り消せません",
            )
            continue
        previous = ResidentHistory.objects.filter(
            atena_no=row.atena_no, history_no=row.history_no - 1
        ).first()
        values = work.state(row.atena_no)
        if previous is None:
            values.update(status=Status.REMOVED, removal_reason="canceled", removed_on=work.today)
        else:
            values.update({name: getattr(previous, name) for name in PERSON_FIELDS})
    work.cancels = target.id
    work.move_date = work.move_date or target.move_date


HANDLERS = {
    MoveKind.MOVE_IN: _move_in,
    MoveKind.MOVE_OUT: _move_out,
    MoveKind.MOVE_WITHIN: _move_within,
    MoveKind.BIRTH: _birth,
    MoveKind.DEATH: _death,
    MoveKind.HOUSEHOLD_SPLIT: _household_split,
    MoveKind.HOUSEHOLD_MERGE: _household_merge,
    MoveKind.HEAD_CHANGE: _head_change,
    MoveKind.HOUSEHOLD_CHANGE: _household_change,
    MoveKind.EX_OFFICIO_RECORD: _ex_officio_record,
    MoveKind.EX_OFFICIO_MODIFY: _ex_officio_modify,
    MoveKind.EX_OFFICIO_REMOVE: _ex_officio_remove,
    MoveKind.CORRECTION: _correction,
    MoveKind.FORMER_SURNAME: _former_surname,
    MoveKind.ALIAS: _alias,
    MoveKind.CANCEL: _cancel,
}


def _check_unique_numbers(work: _Work) -> None:
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
    work.errors.raise_if_any()


def _index_of(work: _Work, atena_no: str) -> int:
    for i, p in enumerate(work.request.get("persons") or []):
        if p.get("atena_no") == atena_no:
            return i
    return 0


# --- household rules on the result -----------------------------------------------------------


def _check_households(work: _Work) -> None:
    """Every 世帯 touched ends with exactly one 世帯主 and at most one spouse (§1.1.11)."""
    touched = {v["setai_no"] for v in work.changes.values()} | {r.setai_no for r in work.residents.values()}
    for setai_no in sorted(touched):
        members: dict[str, dict] = {}
        if not setai_no.startswith("new-"):
            for atena_no in _members(work, setai_no):
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


# --- writing ---------------------------------------------------------------------------------


def _searchable(values: dict) -> dict:
    return {
        "name_key": name_search_key(values["name"]),
        "kana_key": kana_search_key(values["name_kana"]),
        "alias_kana_key": kana_search_key(values.get("alias_kana") or ""),
    }


def _write(work: _Work) -> MoveResult:
    """Write the 異動 in a handful of statements whatever its size: numbers, then one statement
    with the 異動, its new 世帯, every person's rows, its events and its audit row, then the
    head and address of the 世帯 it touched."""
    tenant = require_tenant()
    now = timezone.now()
    cancels = work.cancels
    new_keys = [k for k in work.changes if k.startswith("new:")]
    atena_nos, setai_nos = numbering.issue(atena=len(new_keys), setai=len(work.new_households))
    setai_for = dict(zip(work.new_households, setai_nos, strict=True))
    for key, atena_no in zip(new_keys, atena_nos, strict=True):
        work.changes[atena_no] = work.changes.pop(key)
        work.changes[atena_no]["atena_no"] = atena_no
    rows, results, events = [], [], []
    for atena_no, values in work.changes.items():
        values["setai_no"] = setai_for.get(values["setai_no"], values["setai_no"])
        my_number = _secure_my_number(tenant.lg_code, atena_no, values)
        if work.kind in (MoveKind.BIRTH,) or (
            work.kind == MoveKind.MOVE_IN and work.request.get("origin") == Origin.ABROAD
        ):
            if not values.get("juminhyo_code"):
                values["juminhyo_code"] = _juminhyo_code(work, atena_no)
        current = work.residents.get(atena_no)
        row = {name: values.get(name) for name in PERSON_FIELDS}
        row.update(
            move_kind=work.kind,
            move_date=work.move_date,
            processed_at=now,
            history_no=current.history_no + 1 if current else 1,
        )
        rows.append((row, current))
        results.append((atena_no, row["history_no"]))
        events.append((event_type_for(work.kind), atena_no, _event_data(row, my_number)))
    move_id = uuid7()
    new_households = _new_households(work, setai_for)
    action = (
        Action.CREATE
        if work.kind in (MoveKind.MOVE_IN, MoveKind.BIRTH, MoveKind.EX_OFFICIO_RECORD)
        else Action.UPDATE
    )
    event_ids, event_params = outbox.prepare(events)
    audit_params = audit_log.entry(
        action,
        "resident",
        subjects=[a for a, _ in results],
        detail={"move_id": str(move_id), "kind": work.kind},
    )
    move_pk = _store(work, move_id, now, cancels, new_households, rows, {**event_params, **audit_params})
    if cancels:
        Move.objects.filter(id=cancels).update(canceled_by_id=move_pk)
    touched = {v["setai_no"] for v in work.changes.values()} | {r.setai_no for r in work.residents.values()}
    _refresh_households(touched - set(setai_for.values()))
    setai = work.result_setai_no or (next(iter(setai_for.values())) if setai_for else None)
    return MoveResult(move_id, work.kind, setai, results, [str(e) for e in event_ids], work.warnings)


# The 住民票 items a 異動 writes to the history and the current row; ``move_id`` is the id of the
# Move row written by the same statement.
STORED_COLUMNS = [*PERSON_FIELDS, "move_id", "move_kind", "move_date", "processed_at", "history_no"]
SEARCH_COLUMNS = ["name_key", "kana_key", "alias_kana_key"]
PAYLOAD_COLUMNS = [c for c in STORED_COLUMNS if c != "move_id"]
HOUSEHOLD_COLUMNS = ["setai_no", *HOUSEHOLD_ADDRESS_FIELDS, "head_atena_no", "active", "version"]


def _new_households(work: _Work, setai_for: dict[str, str]) -> list[dict]:
    """The 世帯 this 異動 creates, complete with head: all their members are in hand.

    They start at version 2, as when they were written in two steps (created, then given their
    members), so that a version still counts the same writes.
    """
    households = []
    for key, address in work.new_households.items():
        setai_no = setai_for[key]
        members = [
            v
            for v in work.changes.values()
            if v["setai_no"] == setai_no and v["status"] in (Status.RESIDENT, Status.MOVING_OUT)
        ]
        head = next((m["atena_no"] for m in members if m["relationship"] == HEAD), "")
        households.append(
            {"setai_no": setai_no, **address, "head_atena_no": head, "active": bool(members), "version": 2}
        )
    return households


def _store(
    work: _Work,
    move_id: uuid.UUID,
    now: datetime,
    cancels: int | None,
    households: list[dict],
    rows: list[tuple[dict, Resident | None]],
    trail: dict,
) -> int:
    """The Move row, the 世帯 it creates, history rows for everyone, new current rows for new
    persons and updated ones for the others, its events and its audit row (``trail``: their
    parameters) — in one statement (one round trip whatever the household size); returns the
    Move row's id.

    One statement because the 宛名番号/世帯番号 counters stay locked from numbering until
    COMMIT, and every 異動 of the municipality that needs a number waits for them: each round
    trip here would lengthen that wait.

    Households and persons travel as JSON parameters unpacked by ``jsonb_to_recordset``: the
    statement text never changes, so it is parsed once and cached, however many persons a 異動
    has. The current row is a copy of the newest history row plus search keys and a version.
    """
    tenant = require_tenant()
    actor = current_actor()
    persons = []
    for row, current in rows:
        item = {c: row[c] for c in PAYLOAD_COLUMNS}
        item.update(_searchable(row), version=current.version + 1 if current else 1, is_new=current is None)
        persons.append(item)
    params = {
        "lg_code": tenant.lg_code,
        "move_id": move_id,
        "kind": work.kind,
        "move_date": work.move_date,
        "notified_date": work.notified_date,
        "processed_at": now,
        "actor": actor.name,
        "terminal": actor.terminal,
        "request": _json(_redacted(work.request)),
        "ex_officio": work.ex_officio,
        "cancels": cancels,
        "households": _json(households),
        "persons": _json(persons),
        **trail,
    }
    with prepared_cursor(tenant.alias) as cursor:
        cursor.execute(_store_sql(), params)
        move_pk, txid = cursor.fetchone()
    outbox.inserted(txid)
    return move_pk


def _record_type(model, names: list[str]) -> str:
    """Column definitions of ``jsonb_to_recordset`` for ``names``, typed as the model's columns."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return ", ".join(f'"{n}" {fields[n].db_type(connections["default"])}' for n in names)


@functools.cache
def _store_sql() -> str:
    current = [*STORED_COLUMNS, *SEARCH_COLUMNS, "version"]
    payload = [*PAYLOAD_COLUMNS, *SEARCH_COLUMNS, "version"]
    stored = ", ".join(f'"{c}"' for c in STORED_COLUMNS)
    current_columns = ", ".join(f'"{c}"' for c in current)
    from_v = ", ".join(f'v."{c}"' for c in current)
    household = ", ".join(HOUSEHOLD_COLUMNS)
    return f"""
        WITH m AS (
            INSERT INTO registry_move (lg_code, move_id, kind, move_date, notified_date, processed_at,
                                       actor, terminal, request, ex_officio, cancels_id)
            VALUES (%(lg_code)s, %(move_id)s, %(kind)s, %(move_date)s, %(notified_date)s, %(processed_at)s,
                    %(actor)s, %(terminal)s, %(request)s::jsonb, %(ex_officio)s, %(cancels)s)
            RETURNING id),
        n AS (INSERT INTO registry_household (lg_code, {household})
                SELECT %(lg_code)s, {household} FROM jsonb_to_recordset(%(households)s::jsonb)
                AS x({_record_type(Household, HOUSEHOLD_COLUMNS)}) RETURNING 1),
        v AS (SELECT x.*, m.id AS move_id FROM m, jsonb_to_recordset(%(persons)s::jsonb)
                AS x({_record_type(Resident, payload)}, is_new boolean)),
        h AS (INSERT INTO registry_resident_history (lg_code, {stored})
                SELECT %(lg_code)s, {stored} FROM v RETURNING 1),
        u AS (UPDATE registry_resident r SET ({current_columns}) = ({from_v})
                FROM v WHERE NOT v.is_new AND r.lg_code = %(lg_code)s AND r.atena_no = v.atena_no
                RETURNING 1),
        i AS (INSERT INTO registry_resident (lg_code, {current_columns})
                SELECT %(lg_code)s, {current_columns} FROM v WHERE v.is_new RETURNING 1),
        e AS ({outbox.INSERT_SQL}),
        a AS ({audit_log.insert_after(["n", "h", "u", "i", "e"])})
        SELECT (SELECT id FROM m), (SELECT txid FROM e LIMIT 1)
    """


def _secure_my_number(lg_code: str, atena_no: str, values: dict) -> str | None:
    """個人番号 is stored only encrypted (and as a keyed hash for exact lookup); returns the
    number this 異動 files, for its event (sealed again there), or None."""
    number = values.pop("my_number", None)
    if number:
        values["my_number_encrypted"] = crypto.encrypt(number, context=my_number_context(lg_code, atena_no))
        values["my_number_hash"] = my_number_lookup(lg_code, number)
    values.setdefault("my_number_encrypted", "")
    values.setdefault("my_number_hash", "")
    return number


def _juminhyo_code(work: _Work, atena_no: str) -> str:
    try:
        return numbering.assign_juminhyo_code(atena_no)
    except numbering.PoolExhausted as exc:
        work.warnings.append(str(exc))
        return ""


# A 世帯's head and address follow its members (the head's address, else the first member's);
# a 世帯 with no members is closed. One statement for every 世帯 the 異動 touched.
REFRESH_HOUSEHOLDS_SQL = f"""
    UPDATE registry_household h
       SET (version, active, head_atena_no, {", ".join(HOUSEHOLD_ADDRESS_FIELDS)}) = (
           SELECT h.version + 1, m.atena_no IS NOT NULL,
                  CASE WHEN m.relationship = %(head)s THEN m.atena_no ELSE '' END,
                  {", ".join(f"COALESCE(m.{f}, h.{f})" for f in HOUSEHOLD_ADDRESS_FIELDS)}
             FROM (SELECT) AS one LEFT JOIN LATERAL (
                  SELECT r.atena_no, r.relationship, {", ".join(f"r.{f}" for f in HOUSEHOLD_ADDRESS_FIELDS)}
                    FROM registry_resident r
                   WHERE r.setai_no = h.setai_no AND r.status IN (%(resident)s, %(moving_out)s)
                   ORDER BY r.relationship = %(head)s DESC, r.atena_no
                   LIMIT 1) AS m ON true)
     WHERE h.setai_no = ANY(%(setai_nos)s::varchar[])
"""


def _refresh_households(setai_nos: set[str]) -> None:
    """A 世帯's head and address follow its members; a 世帯 with no members is closed."""
    if not setai_nos:
        return
    with prepared_cursor(require_tenant().alias) as cursor:
        cursor.execute(
            REFRESH_HOUSEHOLDS_SQL,
            {
                "setai_nos": sorted(setai_nos),
                "head": HEAD,
                "resident": Status.RESIDENT.value,
                "moving_out": Status.MOVING_OUT.value,
            },
        )


def _redacted(request: dict) -> dict:
    """The request as filed, without 個人番号 (kept only encrypted on the person)."""
    clean = {k: v for k, v in request.items() if k != "persons"}
    clean["persons"] = [
        {k: ("********" if k == "my_number" and v else v) for k, v in p.items()}
        for p in request.get("persons") or []
    ]
    return clean


def _json(value) -> str:
    """JSON text of ``value``; dates as ISO strings, converted only where the encoder meets them."""
    return json.dumps(value, ensure_ascii=False, default=_isoformat)


def _isoformat(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _event_data(row: dict, my_number: str | None) -> dict:
    """The event's data: the 住民票 items after the 異動, with the 個人番号 this 異動 files or
    the one on record; the outbox seals it (``linkage.restricted``)."""
    from yakuba.registry.events import RESIDENT_DATA

    data = {}
    for key in RESIDENT_DATA:
        if key == "birth_date":
            data[key] = (
                row["birth_date"].isoformat() if row.get("birth_date") else row.get("birth_date_text", "")
            )
        elif key not in ("my_number", "protected"):  # protected: set at delivery (feed.Guard)
            data[key] = _jsonable(row.get(key))
    data["move_date"] = _jsonable(row.get("move_date"))
    if not my_number and row.get("my_number_encrypted"):
        my_number = crypto.decrypt(
            row["my_number_encrypted"], context=my_number_context(require_tenant().lg_code, row["atena_no"])
        )
    if my_number:
        data["my_number"] = my_number
    return data


__all__ = ["apply_move", "check_move", "MoveResult", "Conflict", "RuleViolation"]
