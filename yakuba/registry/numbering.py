"""Issuing 宛名番号, 世帯番号 and 住民票コード.

宛名番号 and 世帯番号 are sequential with a モジュラス11 (M11W2～7) check digit appended
(住民記録システム標準仕様書 §1.1.13): a counter row per municipality and kind, incremented in
the 異動's transaction, so a rolled-back 異動 consumes no number. 住民票コード are taken at random
from the pool of unused codes supplied by 住基ネット CS (§4.3).
"""

from __future__ import annotations

import logging
import secrets

from django.db import connections
from django.utils import timezone

from yakuba.platform.japanese.checkdigits import is_valid_juminhyo_code, with_m11
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.prepared import prepared_cursor
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.events import JUMINHYO_CODE_POOL_LOW
from yakuba.registry.models import JuminhyoCode

logger = logging.getLogger("yakuba.registry")

BASE_DIGITS = {"atena": 9, "setai": 9}  # 9-digit base + check digit = 10 digits
LOW_POOL_THRESHOLD = 100


class PoolExhausted(RuntimeError):
    pass


def issue(*, atena: int = 0, setai: int = 0) -> tuple[list[str], list[str]]:
    """``atena`` new 宛名番号 and ``setai`` new 世帯番号, in one statement.

    The counters are always locked in the same order (宛名番号, then 世帯番号), so two
    transactions that both need numbers never wait for each other in a cycle.
    """
    wanted = [(kind, count) for kind, count in (("atena", atena), ("setai", setai)) if count]
    if not wanted:
        return [], []
    tenant = require_tenant()
    with prepared_cursor(tenant.alias) as cursor:
        cursor.execute(
            "INSERT INTO registry_number_counter (lg_code, kind, last) VALUES "
            + ", ".join(["(%s, %s, %s)"] * len(wanted))
            + " ON CONFLICT (lg_code, kind) DO UPDATE SET last = registry_number_counter.last + EXCLUDED.last"
            " RETURNING kind, last",
            [value for kind, count in wanted for value in (tenant.lg_code, kind, count)],
        )
        last = dict(cursor.fetchall())
    numbers = {kind: _numbers(kind, last[kind], count) for kind, count in wanted}
    return numbers.get("atena", []), numbers.get("setai", [])


def _numbers(kind: str, last: int, count: int) -> list[str]:
    """The ``count`` numbers up to ``last``, with their check digits."""
    width = BASE_DIGITS[kind]
    return [with_m11(str(n).zfill(width)) for n in range(last - count + 1, last + 1)]


def issue_atena_nos(count: int) -> list[str]:
    return issue(atena=count)[0]


def issue_setai_no() -> str:
    return issue(setai=1)[1][0]


def lock_counters(cursor, lg_code: str) -> tuple[int, int]:
    """(宛名番号, 世帯番号) counters of a bulk load, locked until its commit.

    A clerk's 異動 that needs a number waits for the load instead of taking a number the load
    is about to use.
    """
    cursor.execute(
        "INSERT INTO registry_number_counter (lg_code, kind, last) VALUES (%s, 'atena', 0), (%s, 'setai', 0)"
        " ON CONFLICT (lg_code, kind) DO UPDATE SET last = registry_number_counter.last RETURNING kind, last",
        [lg_code, lg_code],
    )
    last = dict(cursor.fetchall())
    return last["atena"], last["setai"]


def raise_counters(cursor, lg_code: str, atena_last: int, setai_last: int) -> None:
    """After a bulk load: new numbers are issued after every loaded one (never lowered)."""
    cursor.execute(
        "INSERT INTO registry_number_counter (lg_code, kind, last) VALUES (%s, 'atena', %s), (%s, 'setai', %s)"
        " ON CONFLICT (lg_code, kind) DO UPDATE"
        " SET last = GREATEST(registry_number_counter.last, EXCLUDED.last)",
        [lg_code, atena_last, lg_code, setai_last],
    )


def load_juminhyo_codes(codes: list[str]) -> tuple[int, list[str]]:
    """Add codes to the pool; returns (added, rejected with reasons)."""
    tenant = require_tenant()
    rejected = [f"{c}: 検査数字が正しくありません" for c in codes if not is_valid_juminhyo_code(c)]
    good = [c for c in dict.fromkeys(codes) if is_valid_juminhyo_code(c)]
    existing = set(JuminhyoCode.objects.filter(code__in=good).values_list("code", flat=True))
    fresh = [JuminhyoCode(lg_code=tenant.lg_code, code=c) for c in good if c not in existing]
    JuminhyoCode.objects.bulk_create(fresh)
    rejected += [f"{c}: 登録済みです" for c in good if c in existing]
    return len(fresh), rejected


def pool_remaining() -> int:
    return JuminhyoCode.objects.filter(assigned_atena_no="").count()


def assign_juminhyo_code(atena_no: str) -> str:
    """A random unused code from the pool, marked as assigned to ``atena_no``.

    Random choice without scanning the pool: start at a random code and take the next free
    one (wrapping around), skipping codes another transaction is assigning right now.
    """
    tenant = require_tenant()
    start = f"{secrets.randbelow(10**11):011d}"
    sql = (
        "SELECT id FROM registry_juminhyo_code WHERE lg_code = %s AND assigned_atena_no = '' AND code {op} %s"
        " ORDER BY code {order} LIMIT 1 FOR UPDATE SKIP LOCKED"
    )
    with connections[tenant.alias].cursor() as cursor:
        row = None
        for op, order in ((">=", "ASC"), ("<", "DESC")):
            cursor.execute(sql.format(op=op, order=order), [tenant.lg_code, start])
            row = cursor.fetchone()
            if row:
                break
    if row is None:
        raise PoolExhausted(
            "住民票コードの未使用在庫がありません（住基ネット CS から取得して登録してください）"
        )
    code = JuminhyoCode.objects.get(id=row[0])
    code.assigned_atena_no = atena_no
    code.assigned_at = timezone.now()
    code.save(update_fields=["assigned_atena_no", "assigned_at"])
    remaining = pool_remaining()
    if remaining < LOW_POOL_THRESHOLD:
        logger.warning("住民票コードの在庫が少なくなっています: %s 残り %d", tenant.lg_code, remaining)
        if remaining == LOW_POOL_THRESHOLD - 1:  # once, when the pool crosses the threshold
            emit(JUMINHYO_CODE_POOL_LOW.type, data={"remaining": remaining, "threshold": LOW_POOL_THRESHOLD})
    return code.code
