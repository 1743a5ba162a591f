"""The kinds of 異動 (§1.2.2): each handler computes every person's new state from the request,
adding every broken rule to ``work.errors``; nothing is written here.

Sources: 住民記録システム標準仕様書 §4 (異動), §1.1.11 (続柄), §1.1.5 (消除), §4.1.3 (転出),
住民基本台帳法 第22条–第25条 (届出期間 14日), 第24条 (転出).
"""

from __future__ import annotations

from django.db import OperationalError

from yakuba.address import services as address_master
from yakuba.registry import addresses
from yakuba.registry.codes import MoveKind, Origin, RemovalReason, ResidentType, Status
from yakuba.registry.errors import Conflict, NotFound
from yakuba.registry.models import Resident, ResidentHistory
from yakuba.registry.rules import HEAD, RelationshipError, is_head, validate_relationship
from yakuba.registry.services.move_history import find_move
from yakuba.registry.services.move_request import PersonIn
from yakuba.registry.services.move_work import (
    CORRECTABLE,
    NOTIFICATION_PERIOD,
    Work,
    current_members,
    for_update,
)
from yakuba.registry.services.store import HOUSEHOLD_ADDRESS_FIELDS, ITEMS
from yakuba.registry.services.validation import check_resident_type_items, validate_person

# --- helpers shared by the handlers ------------------------------------------------------------


def _persons(work: Work) -> list[PersonIn]:
    persons = work.request.persons
    if not persons and work.kind not in (MoveKind.HEAD_CHANGE, MoveKind.CANCEL):
        work.errors.add("persons", "対象者を1人以上指定してください")
    return persons


def _existing(work: Work, allowed=(Status.RESIDENT,)) -> list[tuple[int, PersonIn, Resident]]:
    """Persons named by 宛名番号 that exist and are in an allowed state."""
    out = []
    for i, p in enumerate(_persons(work)):
        if not p.atena_no:
            work.errors.add(f"persons[{i}].atena_no", "この異動では登録済みの住民を宛名番号で指定します")
            continue
        resident = work.residents.get(p.atena_no)
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


def _new_persons(work: Work) -> list[tuple[int, PersonIn]]:
    out = []
    for i, p in enumerate(_persons(work)):
        if p.atena_no:
            work.errors.add(
                f"persons[{i}].atena_no", "新たに記載する人には宛名番号を指定しません（自動で付番します）"
            )
            continue
        out.append((i, p))
    return out


def _household_address(work: Work, setai_no: str | None) -> dict | None:
    address = work.request.household_or_empty.address
    if address is not None:
        before = len(work.errors.errors)
        out = addresses.compose(work.lg_code, address.model_dump(), work.errors, "household.address")
        if len(work.errors.errors) == before:
            _check_master(work, address.unlisted, out)
        return out
    if setai_no and setai_no in work.households:
        h = work.households[setai_no]
        return {f: getattr(h, f) for f in HOUSEHOLD_ADDRESS_FIELDS}
    return None


def _check_master(work: Work, unlisted: bool, out: dict) -> None:
    """The address must be in the municipality's 住所辞書 on the 異動日 (docs/address.md); an
    address it lacks is recorded only 職権 by a caller allowed to, and the audit row says so."""
    problems = address_master.check_address(
        out["town_area"], out["block"], out["postal_code"], on=work.move_date
    )
    if not problems:
        return
    if unlisted and work.may_record_unlisted:
        work.warnings.append("住所辞書にない住所を職権で記載しました（アクセスログに記録）")
        work.audit_detail["unlisted_address"] = out["address"]
        return
    if unlisted:
        work.errors.add("household.address.unlisted", "住所辞書にない住所の職権記載は管理者だけができます")
    for field_name, message in problems:
        work.errors.add(f"household.address.{field_name}", message)


def _new_household(work: Work, address: dict) -> str:
    key = f"new-household:{len(work.new_households)}"
    work.new_households[key] = address
    return key


def _place(values: dict, setai_no: str, address: dict) -> None:
    values["setai_no"] = setai_no
    values.update(address)


def _record_new_person(work: Work, index: int, person: PersonIn, setai_no: str, address: dict) -> dict:
    prefix = f"persons[{index}]"
    values = validate_person(person.items(), work.errors, prefix, today=work.today, new=True)
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


def _apply_fields(work: Work, key: str, data: dict, index: int, allowed: tuple[str, ...]) -> dict:
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


def _lock_members(work: Work, setai_no: str) -> list[str]:
    """Lock and load every member of a household (for head changes and whole-household moves)."""
    members = current_members(work, setai_no)
    missing = [m for m in members if m not in work.residents]
    if missing:
        try:
            for r in for_update(work, Resident.objects.filter(atena_no__in=missing)):
                work.residents[r.atena_no] = r
        except OperationalError:
            raise Conflict("他の職員が同じ世帯を処理中です。少し待ってからやり直してください") from None
    return members


def _apply_new_relationships(work: Work, setai_no: str, leaving: set[str]) -> None:
    """When the 世帯主 leaves or changes: ``household.new_head`` and everyone's new 続柄.

    The 続柄 of the remaining members is relative to the head, so it must be given again for each
    of them (it cannot be derived: 妻 of the old head may be 母 of the new one).
    """
    household = work.request.household_or_empty
    remaining = [m for m in _lock_members(work, setai_no) if m not in leaving]
    new_head = household.new_head
    relationships = household.relationships or {}
    head_leaves = any(is_head(work.residents[m].relationship) for m in leaving if m in work.residents)
    if not new_head and not (head_leaves and remaining):
        if relationships:
            work.errors.add("household.relationships", "続柄の変更は世帯主を変更するときに指定します")
        return
    if not remaining:
        return
    if new_head in leaving:
        # The new 世帯主 heads the 世帯 left behind, so is one of those who remain: the deceased
        # (or whoever moves out with this 異動) cannot be chosen, and is named in the message.
        who = work.residents[new_head].name if new_head in work.residents else new_head
        verb = "死亡した" if work.kind == MoveKind.DEATH else "この異動で世帯を離れる"
        work.errors.add(
            "household.new_head",
            f"{verb}人（{who}）は新しい世帯主にできません。残る世帯員から選んでください",
        )
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


def _leave(work: Work, leaving: dict[str, Resident]) -> None:
    """Persons leave their households: the households they leave keep a valid head."""
    by_household: dict[str, set[str]] = {}
    for atena_no, resident in leaving.items():
        by_household.setdefault(resident.setai_no, set()).add(atena_no)
    for setai_no, gone in by_household.items():
        _apply_new_relationships(work, setai_no, gone)


# --- handlers ------------------------------------------------------------------------------


def _move_in(work: Work, *, ex_officio: bool = False) -> None:
    """転入 (国内: 転出証明書の記載, 国外) and 職権記載: new persons into a new or existing 世帯."""
    origin = work.request.origin or ("" if ex_officio else None)
    if not ex_officio and origin not in Origin.values:
        work.errors.add("origin", "転入元は domestic（国内）または abroad（国外）です")
    household = work.request.household_or_empty
    setai_no = household.setai_no
    address = _household_address(work, setai_no)
    if address is None:
        work.errors.add("household.address", "新しい世帯の住所を入力してください")
        return
    if setai_no and household.address:
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


def _ex_officio_record(work: Work) -> None:
    _move_in(work, ex_officio=True)


def _birth(work: Work) -> None:
    """出生: the child is recorded in an existing 世帯; 異動日 = 生年月日."""
    setai_no = work.request.household_or_empty.setai_no
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


def _remove(work: Work, reason: str, *, allowed=(Status.RESIDENT, Status.MOVING_OUT)) -> dict[str, Resident]:
    leaving = {}
    for _i, _p, resident in _existing(work, allowed=allowed):
        values = work.state(resident.atena_no)
        values.update(status=Status.REMOVED, removal_reason=reason, removed_on=work.move_date)
        leaving[resident.atena_no] = resident
    return leaving


def _death(work: Work) -> None:
    """死亡: 消除; when the 世帯主 dies, the remaining members need a new head in the same 異動."""
    _leave(work, _remove(work, RemovalReason.DEATH))


def _ex_officio_remove(work: Work) -> None:
    _leave(work, _remove(work, RemovalReason.EX_OFFICIO))
    work.ex_officio = True


def _move_out(work: Work) -> None:
    """転出: 転出予定日 and 転出先; future date → 転出予定, else 消除 (§1.1.5, §4.1.3)."""
    destination = work.request.destination
    if destination not in Origin.values:
        work.errors.add("destination", "転出先は domestic（国内）または abroad（国外）です")
    planned = work.request.planned_date or work.move_date
    if planned and work.move_date and planned != work.move_date:
        work.errors.add("planned_date", "転出予定日と異動日は同じ日です")
    target = (work.request.destination_address or "").strip()
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


def _regroup(work: Work, *, same_address: bool, address_change: bool) -> None:
    """転居, 世帯分離, 世帯合併, 世帯変更: persons move to another (new or existing) 世帯.

    Whole-household 転居 keeps the 世帯番号 and changes the address of all members.
    """
    household = work.request.household_or_empty
    existing = _existing(work, allowed=(Status.RESIDENT,))
    if not existing:
        return
    sources = {r.setai_no for _i, _p, r in existing}
    target = household.setai_no
    moving = {r.atena_no: r for _i, _p, r in existing}
    whole = len(sources) == 1 and set(_lock_members(work, next(iter(sources)))) <= set(moving)
    if work.kind == MoveKind.HOUSEHOLD_MERGE and not whole:
        work.errors.add("persons", "世帯合併では合併する世帯の全員を指定してください")
    if target and target in sources and not whole:
        work.errors.add("household.setai_no", "移る先の世帯が、いまの世帯と同じです")
    if address_change:
        new_address = _household_address(work, None) if household.address else None
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
            work, resident.atena_no, {"relationship": p.relationship}, i, ("relationship",)
        )
        _place(values, setai_no, new_address)
        if address_change:
            values["address_set_on"] = work.move_date
        if p.relationship is None and setai_no != resident.setai_no:
            work.errors.add(
                f"persons[{i}].relationship", f"{resident.name} の新しい世帯での続柄を入力してください"
            )
    if not (whole and setai_no in sources):
        _leave(work, moving)


def _move_within(work: Work) -> None:
    _regroup(work, same_address=False, address_change=True)


def _household_split(work: Work) -> None:
    _regroup(work, same_address=True, address_change=False)


def _household_merge(work: Work) -> None:
    _regroup(work, same_address=True, address_change=False)


def _household_change(work: Work) -> None:
    _regroup(work, same_address=True, address_change=False)


def _head_change(work: Work) -> None:
    """世帯主変更: ``household.new_head`` and every other member's new 続柄."""
    household = work.request.household_or_empty
    setai_no = household.setai_no
    if not setai_no:
        work.errors.add("household.setai_no", "世帯番号を指定してください")
        return
    if not household.new_head:
        work.errors.add("household.new_head", "新しい世帯主の宛名番号を指定してください")
        return
    work.result_setai_no = setai_no
    _apply_new_relationships(work, setai_no, set())


def _modify(work: Work, allowed: tuple[str, ...], *, ex_officio: bool) -> None:
    for i, p, resident in _existing(work, allowed=(Status.RESIDENT, Status.MOVING_OUT)):
        values = _apply_fields(work, resident.atena_no, p.items(), i, allowed)
        check_resident_type_items(values, work.errors, f"persons[{i}]")
    work.ex_officio = ex_officio


def _correction(work: Work) -> None:
    """誤記修正: a new history row with the corrected items; history itself is never rewritten."""
    _modify(work, CORRECTABLE, ex_officio=True)


def _ex_officio_modify(work: Work) -> None:
    _modify(work, CORRECTABLE, ex_officio=True)


def _set_or_clear(work: Work, field: str, label: str, resident_type: int, type_label: str) -> None:
    """Record ``field`` with its フリガナ for each person, or delete it when given empty."""
    kana = f"{field}_kana"
    for i, p, resident in _existing(work, allowed=(Status.RESIDENT, Status.MOVING_OUT)):
        if resident.resident_type != resident_type:
            work.errors.add(f"persons[{i}].{field}", f"{label}は{type_label}にのみ記載します")
            continue
        values = work.state(resident.atena_no)
        values[field] = (getattr(p, field) or "").strip()
        values[kana] = ""
        if values[field]:
            _apply_fields(work, resident.atena_no, {kana: getattr(p, kana)}, i, (kana,))
            if not values[kana]:
                work.errors.add(f"persons[{i}].{kana}", f"{label}のフリガナを入力してください")


def _former_surname(work: Work) -> None:
    """旧氏の記載・削除 (日本人, 住民基本台帳法施行令30条の13): an empty value deletes it."""
    _set_or_clear(work, "former_surname", "旧氏", ResidentType.JAPANESE, "日本人住民")


def _alias(work: Work) -> None:
    """通称の記載・削除 (外国人住民のみ, 施行令30条の16): an empty value deletes it."""
    _set_or_clear(work, "alias", "通称", ResidentType.FOREIGN, "外国人住民")


def _cancel(work: Work) -> None:
    """異動の取消し: restore each affected person's state before the canceled 異動.

    Only the latest change of each person can be canceled; a canceled 記載 (転入, 出生 …)
    removes the person again. The standard forbids a separate 「転居取消」 category: every
    cancellation is this one kind (§1.2.2).
    """
    move_id = (work.request.cancel_move_id or "").strip()
    try:
        target = find_move(move_id)  # its 異動番号 (2026-000123) or its UUID
    except NotFound:
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
        for r in for_update(work, Resident.objects.filter(atena_no__in=[r.atena_no for r in rows])):
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
            values.update({name: getattr(previous, name) for name in ITEMS})
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
