"""Writing a 異動: numbers, then one statement with the 異動, its new 世帯, every person's rows,
its events and its audit row, then the 世帯 it touched (住民記録システム標準仕様書 §1.2.1: history
rows are written, never rewritten).
"""

from __future__ import annotations

import functools
import json
from datetime import date, datetime

from django.utils import timezone

from yakuba.platform import crypto
from yakuba.platform.audit import log as audit_log
from yakuba.platform.audit.log import Action, current_actor
from yakuba.platform.ids import uuid7
from yakuba.platform.linkage import outbox
from yakuba.platform.prepared import prepared_cursor
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import numbering
from yakuba.registry.codes import MoveKind, Status
from yakuba.registry.events import event_type_for
from yakuba.registry.models import Household, Move, Resident
from yakuba.registry.rules import HEAD
from yakuba.registry.services import idempotency, store
from yakuba.registry.services.move_work import MoveResult, Work
from yakuba.registry.services.records import my_number_context, my_number_lookup
from yakuba.registry.services.store import HOUSEHOLD_ADDRESS_FIELDS

# --- writing ---------------------------------------------------------------------------------


def _searchable(values: dict) -> dict:
    keys = store.search_keys(values["name"], values["name_kana"], values.get("alias_kana"))
    return dict(zip(store.SEARCH_KEY_COLUMNS, keys, strict=True))


def write(work: Work) -> MoveResult:
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
    named = set(atena_nos) | {p.atena_no for p in work.request.persons if getattr(p, "atena_no", None)}
    for atena_no, values in work.changes.items():
        values["setai_no"] = setai_for.get(values["setai_no"], values["setai_no"])
        my_number = _secure_my_number(tenant.lg_code, atena_no, values)
        if work.assigns_juminhyo_code:
            if not values.get("juminhyo_code"):
                values["juminhyo_code"] = _juminhyo_code(work, atena_no)
        current = work.residents.get(atena_no)
        row = {name: values.get(name) for name in store.ITEMS}
        row.update(
            move_kind=work.kind,
            move_date=work.move_date,
            processed_at=now,
            history_no=current.history_no + 1 if current else 1,
        )
        rows.append((row, current))
        results.append((atena_no, row["history_no"]))
        event = event_type_for(work.kind, named=atena_no in named, head=_became_head(current, row))
        events.append((event, atena_no, _event_data(row, my_number)))
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
        detail={"move_id": str(move_id), "kind": work.kind, **work.audit_detail},
    )
    setai = work.result_setai_no or (next(iter(setai_for.values())) if setai_for else None)
    result = MoveResult(move_id, work.kind, setai, results, [str(e) for e in event_ids], work.warnings)
    move_pk, result.move_no = _store(
        work, result, now, cancels, new_households, rows, {**event_params, **audit_params}
    )
    if cancels:
        Move.objects.filter(id=cancels).update(canceled_by_id=move_pk)
    touched = {v["setai_no"] for v in work.changes.values()} | {r.setai_no for r in work.residents.values()}
    _refresh_households(touched - set(setai_for.values()))
    return result


# The columns the store writes (``store``) but ``move_id``: the id of the Move row written by the
# same statement.
PAYLOAD_COLUMNS = [c for c in store.HISTORY_COLUMNS if c != "move_id"]


def _new_households(work: Work, setai_for: dict[str, str]) -> list[dict]:
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
    work: Work,
    result: MoveResult,
    now: datetime,
    cancels: int | None,
    households: list[dict],
    rows: list[tuple[dict, Resident | None]],
    trail: dict,
) -> int:
    """The Move row, the 世帯 it creates, history rows for everyone, new current rows for new
    persons and updated ones for the others, its events and its audit row (``trail``: their
    parameters) — in one statement (one round trip whatever the household size); returns the
    Move row's id and its 異動番号.

    The 異動番号 is the processing year and the next serial of the municipality's counter for
    that year, taken by the same statement; the counter stays locked until COMMIT, so numbers
    have no gaps (a rolled-back 異動 takes none).

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
    year = timezone.localdate(now).year
    key, digest = work.idempotency
    params = {
        "lg_code": tenant.lg_code,
        "move_id": result.move_id,
        "move_counter": f"move{year}",
        "move_year": str(year),
        "idempotency_key": key,
        "request_digest": digest,
        "response": _json(idempotency.answer(result)) if key else None,
        "kind": work.kind,
        "move_date": work.move_date,
        "notified_date": work.notified_date,
        "processed_at": now,
        "actor": actor.name,
        "terminal": actor.terminal,
        "request": _json(work.request.audit_json()),
        "ex_officio": work.ex_officio,
        "cancels": cancels,
        "households": _json(households),
        "persons": _json(persons),
        **trail,
    }
    with prepared_cursor(tenant.alias) as cursor:
        cursor.execute(_store_sql(), params)
        move_pk, move_no, txid = cursor.fetchone()
    outbox.inserted(txid)
    return move_pk, move_no


@functools.cache
def _store_sql() -> str:
    """The 異動's one statement; the rows of persons and 世帯 are written by ``store``'s statements."""
    payload = [*PAYLOAD_COLUMNS, *store.SEARCH_KEY_COLUMNS, "version"]
    households = store.record_type(Household, store.HOUSEHOLD_COLUMNS)
    return f"""
        WITH c AS (
            INSERT INTO registry_number_counter (lg_code, kind, last) VALUES (%(lg_code)s, %(move_counter)s, 1)
            ON CONFLICT (lg_code, kind) DO UPDATE SET last = registry_number_counter.last + 1
            RETURNING last),
        m AS (
            INSERT INTO registry_move (lg_code, move_id, move_no, kind, move_date, notified_date, processed_at,
                                       actor, terminal, request, ex_officio, cancels_id,
                                       idempotency_key, request_digest, response)
            SELECT %(lg_code)s, %(move_id)s, %(move_year)s || '-' || lpad(c.last::text, 6, '0'), %(kind)s,
                   %(move_date)s, %(notified_date)s, %(processed_at)s, %(actor)s, %(terminal)s,
                   %(request)s::jsonb, %(ex_officio)s, %(cancels)s,
                   %(idempotency_key)s, %(request_digest)s, %(response)s::jsonb
              FROM c
            RETURNING id, move_no),
        y AS (SELECT x.*, %(lg_code)s::varchar AS lg_code
                FROM jsonb_to_recordset(%(households)s::jsonb) AS x({households})),
        n AS ({store.insert_households("y")} RETURNING 1),
        v AS (SELECT x.*, m.id AS move_id, %(lg_code)s::varchar AS lg_code FROM m,
                jsonb_to_recordset(%(persons)s::jsonb) AS x({store.record_type(Resident, payload)}, is_new boolean)),
        h AS ({store.insert_history("v")} RETURNING 1),
        u AS ({store.update_current("v", "v", "NOT v.is_new", "%(lg_code)s")} RETURNING 1),
        i AS ({store.insert_current("v WHERE v.is_new")} RETURNING 1),
        e AS ({outbox.INSERT_SQL}),
        a AS ({audit_log.insert_after(["n", "h", "u", "i", "e"])})
        SELECT (SELECT id FROM m), (SELECT move_no FROM m), (SELECT txid FROM e LIMIT 1)
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


def _juminhyo_code(work: Work, atena_no: str) -> str:
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


def _became_head(current, row: dict) -> bool:
    return row["relationship"] == HEAD and (current is None or current.relationship != HEAD)


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
