"""Idempotent 異動 over the API: a client that retries after a timeout must not file twice.

The client sends an ``Idempotency-Key`` header (any text up to 100 characters, unique per 異動
it means: a UUID is usual). The first request with a key files the 異動 and keeps the key, a
digest of the body and the answer on the 異動's row; a retry with the same key and the same body
gets that answer again (nothing is written), the same key with another body is refused. Keys
are per municipality and kept with the 異動 (no expiry: a 異動 is kept for good anyway).
"""

from __future__ import annotations

import hashlib
import uuid

from django.db import connections

from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.errors import RuleViolation
from yakuba.registry.models import Move
from yakuba.registry.services.move_request import MoveRequest
from yakuba.registry.services.move_work import MoveResult

MAX_KEY_LENGTH = 100
FIELD = "Idempotency-Key"


def digest(request: MoveRequest) -> str:
    """The body as parsed (so key order and spacing do not matter), hashed."""
    return hashlib.sha256(request.model_dump_json().encode()).hexdigest()


def replay(key: str, request: MoveRequest) -> tuple[str, MoveResult | None]:
    """(digest, the first answer) for a key already used with this body; (digest, None) for a
    new key. Waits for a concurrent request with the same key to finish first (a transaction
    lock on the key), so a retry racing its original never files a second 異動."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise RuleViolation([(FIELD, f"Idempotency-Key は{MAX_KEY_LENGTH}文字以内の印字可能な文字列です")])
    tenant = require_tenant()
    body = digest(request)
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"{tenant.lg_code}:{key}"])
    first = Move.objects.filter(idempotency_key=key).values("move_no", "request_digest", "response").first()
    if first is None:
        return body, None
    if first["request_digest"] != body:
        raise RuleViolation(
            [(FIELD, f"この Idempotency-Key は別の内容の異動（異動番号 {first['move_no']}）に使われています")]
        )
    answer = first["response"]
    return body, MoveResult(
        move_id=uuid.UUID(answer["move_id"]),
        kind=answer["kind"],
        setai_no=answer["setai_no"],
        persons=[tuple(p) for p in answer["persons"]],
        event_ids=answer["event_ids"],
        warnings=answer["warnings"],
        move_no=first["move_no"],
        replayed=True,
    )


def answer(result: MoveResult) -> dict:
    """What ``replay`` gives back, kept on the 異動's row (its 異動番号 is a column already)."""
    return {
        "move_id": str(result.move_id),
        "kind": result.kind,
        "setai_no": result.setai_no,
        "persons": [list(p) for p in result.persons],
        "event_ids": result.event_ids,
        "warnings": result.warnings,
    }
