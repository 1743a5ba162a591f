"""Restricted event fields (個人番号) are encrypted at rest, like the registry's own copy.

An event's ``data`` lives in ``linkage_event`` for as long as the feed serves it; a 転入 with
個人番号 would otherwise leave the number in clear in the table and its backups (番号法 第12条
安全管理措置; the registry keeps it only encrypted). The outbox seals each restricted field
of the event's type (``EventType.restricted``) with the event's id as associated data, so a
ciphertext copied to another event does not decrypt; the feed unseals it only for a client
whose scope may see it, and leaves it out for everyone else.
"""

from __future__ import annotations

import json
import logging

from django.db import connections

from yakuba.platform import crypto
from yakuba.platform.linkage import catalogue
from yakuba.platform.tenancy.context import require_tenant

BATCH = 1000
logger = logging.getLogger("yakuba.linkage")


def _context(lg_code: str, event_id: object, key: str) -> str:
    return f"{lg_code}/linkage_event/{event_id}/{key}"


def _is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(f"{crypto.VERSION}:")


def seal(lg_code: str, event_id: object, restricted: tuple[str, ...], data: dict) -> dict:
    """``data`` with each restricted field that has a value encrypted."""
    if not restricted:
        return data
    return {
        k: crypto.encrypt(json.dumps(v, ensure_ascii=False), context=_context(lg_code, event_id, k))
        if k in restricted and v not in (None, "")
        else v
        for k, v in data.items()
    }


def _open(lg_code: str, event_id: object, key: str, value: str) -> object:
    return json.loads(crypto.decrypt(value, context=_context(lg_code, event_id, key)))


def unseal(lg_code: str, event_id: object, restricted: tuple[str, ...], data: dict) -> dict:
    """``data`` with its restricted fields decrypted (a value written before sealing, as is).

    A field that does not decrypt (its key retired too early, a row copied from elsewhere) is
    left out and logged: one bad value must not stop the feed for every consumer.
    """
    opened = {}
    for key, value in data.items():
        if key in restricted and _is_sealed(value):
            try:
                opened[key] = _open(lg_code, event_id, key, value)
            except crypto.CryptoError as exc:
                logger.error("イベント %s の %s を復号できません: %s", event_id, key, exc)
        else:
            opened[key] = value
    return opened


def _opened(lg_code: str, event_id: object, restricted: tuple[str, ...], data: dict) -> dict:
    """``data`` decrypted for re-sealing; a value that does not decrypt stops the rotation."""
    try:
        return {
            k: _open(lg_code, event_id, k, v) if k in restricted and _is_sealed(v) else v
            for k, v in data.items()
        }
    except crypto.CryptoError as exc:
        raise crypto.CryptoError(f"イベント {event_id} の個人番号を復号できません: {exc}") from None


def rotate() -> int:
    """Re-seal the current municipality's restricted fields not sealed with the current key —
    and seal those written in clear before events were sealed; returns how many events."""
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        return reseal(cursor, tenant.lg_code)


def reseal(cursor, lg_code: str, *, clear_only: bool = False) -> int:
    """``rotate`` on ``cursor`` (its transaction confined to ``lg_code``), in batches; with
    ``clear_only`` just the values written in clear — the upgrade migration, which must not
    depend on old keys still being configured."""
    types = {t.type: t.restricted for t in catalogue.all_types(include_test=True) if t.restricted}
    # Values already sealed with the current key (or, clear_only, with any key) start with:
    done = f"{crypto.VERSION}:" if clear_only else f"{crypto.VERSION}:{crypto.current_key_id()}:"
    total, last_seq = 0, 0
    while True:
        cursor.execute(
            "SELECT seq, event_id, type, data FROM linkage_event"
            " WHERE lg_code = %s AND seq > %s"
            "   AND EXISTS (SELECT FROM jsonb_array_elements_text(%s::jsonb -> type) AS k"
            "                WHERE COALESCE(data->>k, '') <> '' AND NOT starts_with(data->>k, %s))"
            " ORDER BY seq LIMIT %s",
            [lg_code, last_seq, json.dumps({t: list(keys) for t, keys in types.items()}), done, BATCH],
        )
        rows = cursor.fetchall()
        if not rows:
            return total
        fresh = []
        for seq, event_id, type_, data in rows:
            data = json.loads(data) if isinstance(data, str) else data
            sealed = seal(lg_code, event_id, types[type_], _opened(lg_code, event_id, types[type_], data))
            fresh.append((json.dumps(sealed, ensure_ascii=False), seq))
        cursor.executemany("UPDATE linkage_event SET data = %s::jsonb WHERE seq = %s", fresh)
        total += len(fresh)
        last_seq = rows[-1][0]
