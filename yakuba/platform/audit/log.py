"""Recording accesses to personal data, and verifying the chain.

Who is acting comes from an ``Actor`` bound for the request, API call, job or CLI command
(``bind_actor``); a feature only says *what* it did:

    @audited(Action.READ, "resident", subject="atena_no")
    def get_resident(request, lg_code, atena_no): ...

or, inside the work, ``record(Action.PRINT, "certificate", subjects=[...])``. Rows are written
in the same transaction as the work (the caller's ``tenant_context``), so a rolled-back change
leaves no trace and a committed one always has its row.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connections

from yakuba.platform.audit.models import Action, ActorType
from yakuba.platform.audit.schema import VERIFY_SQL
from yakuba.platform.prepared import prepared_cursor
from yakuba.platform.tenancy.context import require_tenant, tenant_context


@dataclass(frozen=True)
class Actor:
    type: str
    name: str
    terminal: str = ""
    ip: str = ""
    zone: str = ""
    request_id: str = ""


def request_actor(request, type_: str, name: str, zone: str) -> Actor:
    """The actor of an HTTP request: who, from which terminal and address, in which zone."""
    from yakuba.platform.http import client_ip, terminal_name

    return Actor(
        type=type_,
        name=name,
        terminal=terminal_name(request),
        ip=client_ip(request),
        zone=zone,
        request_id=getattr(request, "request_id", ""),
    )


SYSTEM = Actor(ActorType.SYSTEM, "system")

_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("yakuba_actor", default=None)


@dataclass
class _Pending:
    """Subjects and flags a view adds while it runs (see ``note``)."""

    subjects: list[str] = field(default_factory=list)
    my_number_shown: bool = False
    detail: dict = field(default_factory=dict)


_pending: contextvars.ContextVar[_Pending | None] = contextvars.ContextVar(
    "yakuba_audit_pending", default=None
)


@dataclass(frozen=True)
class _Refusal:
    lg_code: str
    action: str
    resource: str
    subjects: tuple[str, ...]
    detail: dict


# Refusals noted while an actor is bound, written when it is unbound (see ``refuse``).
_refusals: contextvars.ContextVar[list[_Refusal] | None] = contextvars.ContextVar(
    "yakuba_audit_refusals", default=None
)


@contextmanager
def bind_actor(actor: Actor) -> Iterator[Actor]:
    """Bind who is acting for a request, job or command; on the way out, write the refusals
    noted meanwhile (``refuse``), each in its own transaction."""
    token = _actor.set(actor)
    refusals_token = _refusals.set([])
    try:
        yield actor
    finally:
        pending = _refusals.get() or []
        _refusals.reset(refusals_token)
        try:
            _write_refusals(pending)
        finally:
            _actor.reset(token)


def refuse(
    action: str,
    resource: str,
    *,
    subjects: Iterable[str] = (),
    reason: str,
    lg_code: str | None = None,
    **detail,
) -> None:
    """Record that an access was refused (protection, scope, tenant): who, whom, why.

    Attempts on a protected person's record are exactly what must be logged, yet a refused
    request ends in an error and its transaction is rolled back with everything it wrote. The
    row is therefore kept aside and written when the actor is unbound — after the work's
    transaction has ended, in a transaction of its own (the municipality's chain as usual).
    ``lg_code``: the chain to write to when not the current tenant's (a request refused before
    any tenant was entered is logged in the calling client's own municipality).
    """
    pending = _refusals.get()
    refusal = _Refusal(
        lg_code or require_tenant().lg_code,
        action,
        resource,
        tuple(str(s) for s in subjects),
        {"refused": reason, **detail},
    )
    if pending is None:
        raise RuntimeError("audit.refuse() needs a bound actor (bind_actor)")
    pending.append(refusal)


def _write_refusals(pending: list[_Refusal]) -> None:
    for refusal in pending:
        with tenant_context(refusal.lg_code):
            record(refusal.action, refusal.resource, subjects=refusal.subjects, detail=refusal.detail)


def current_actor() -> Actor:
    actor = _actor.get()
    if actor is None:
        raise RuntimeError("no audit actor is bound: use bind_actor() for this request, job or command")
    return actor


# chain_no, recorded_at and hash are filled in by the chain trigger. Parameters are named
# ``audit_…`` so that a domain's write statement can carry this INSERT as one of its CTEs.
_COLUMNS = (
    "lg_code, actor_type, actor, terminal, ip, zone, action, resource, subject_ids, purpose,"
    " my_number_shown, request_id, detail"
)
_VALUES = (
    "%(audit_lg_code)s, %(audit_actor_type)s, %(audit_actor)s, %(audit_terminal)s, %(audit_ip)s,"
    " %(audit_zone)s, %(audit_action)s, %(audit_resource)s, %(audit_subject_ids)s::varchar[],"
    " %(audit_purpose)s, %(audit_my_number_shown)s, %(audit_request_id)s, %(audit_detail)s::jsonb"
)
INSERT_SQL = f"INSERT INTO audit_entry ({_COLUMNS}) VALUES ({_VALUES})"


def insert_after(ctes: Iterable[str]) -> str:
    """``INSERT_SQL`` as a CTE that runs only once the named CTEs (each with a RETURNING) of
    the same statement have run to completion.

    The row's trigger takes the municipality's audit-chain lock, held until COMMIT, and every
    audited access of the municipality waits for it. PostgreSQL runs a statement's CTEs in no
    promised order; counting each named CTE's rows first makes the lock the statement's last
    step, as when the audit row is its own final statement — taken earlier, a write waiting on
    another transaction (say a load's uncommitted 個人番号) would hold the lock that transaction
    needs for its own audit row, a deadlock.
    """
    waits = " CROSS JOIN ".join(f"(SELECT count(*) FROM {name}) AS {name}_done" for name in ctes)
    return f"INSERT INTO audit_entry ({_COLUMNS}) SELECT {_VALUES} FROM {waits}"


def entry(
    action: str,
    resource: str,
    *,
    subjects: Iterable[str] = (),
    purpose: str = "",
    my_number_shown: bool = False,
    detail: dict | None = None,
) -> dict:
    """Parameters of ``INSERT_SQL`` for one row by the bound actor in the current tenant.

    For a write that is one statement (a 異動): it embeds ``INSERT_SQL`` as a CTE with these
    parameters. Anything else calls ``record``.
    """
    tenant = require_tenant()
    actor = current_actor()
    return {
        "audit_lg_code": tenant.lg_code,
        "audit_actor_type": actor.type,
        "audit_actor": actor.name,
        "audit_terminal": actor.terminal,
        "audit_ip": actor.ip,
        "audit_zone": actor.zone,
        "audit_action": action,
        "audit_resource": resource,
        "audit_subject_ids": [str(s) for s in subjects],
        "audit_purpose": purpose,
        "audit_my_number_shown": my_number_shown,
        "audit_request_id": actor.request_id,
        "audit_detail": json.dumps(detail or {}, ensure_ascii=False),
    }


def record(action: str, resource: str, **fields) -> None:
    """Append one audit row in the current tenant transaction (``fields`` as for ``entry``).

    A plain INSERT rather than the ORM: every access to personal data pays for this call.
    """
    with prepared_cursor(require_tenant().alias) as cursor:
        cursor.execute(INSERT_SQL, entry(action, resource, **fields))


def note(*, subjects: Iterable[str] = (), my_number_shown: bool = False, **detail) -> None:
    """Inside an ``@audited`` function: add subjects, flag 個人番号 as shown, add detail."""
    pending = _pending.get()
    if pending is None:
        raise RuntimeError("audit.note() outside an @audited function")
    pending.subjects.extend(str(s) for s in subjects)
    pending.my_number_shown |= my_number_shown
    pending.detail.update(detail)


def audited(action: str, resource: str, *, subject: str | None = None, purpose: str = "") -> Callable:
    """Declare that a view, endpoint or service function accesses personal data.

    ``subject`` names the argument holding the subject id (e.g. ``"atena_no"``); the function
    may add more with ``note()``. The row is written after the function returns, in the same
    transaction; a function that raises records nothing because its work is rolled back.
    """

    def decorate(func: Callable) -> Callable:
        signature = inspect.signature(func)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            pending = _Pending()
            token = _pending.set(pending)
            try:
                result = func(*args, **kwargs)
            finally:
                _pending.reset(token)
            subjects = list(pending.subjects)
            if subject is not None:
                bound = signature.bind_partial(*args, **kwargs)
                value = bound.arguments.get(subject)
                if value is not None:
                    subjects.insert(0, str(value))
            record(
                action,
                resource,
                subjects=subjects,
                purpose=purpose,
                my_number_shown=pending.my_number_shown,
                detail=pending.detail,
            )
            return result

        wrapper.audit_declaration = (action, resource)  # introspected by tests
        return wrapper

    return decorate


@dataclass(frozen=True)
class ChainBreak:
    id: int
    chain_no: int
    recorded_at: object
    reason: str

    def describe(self) -> str:
        return f"連番 {self.chain_no}（id {self.id}, 記録日時 {self.recorded_at:%Y-%m-%d %H:%M:%S%z}）: {self.reason}"


def verify(lg_code: str) -> tuple[int, ChainBreak | None]:
    """Recompute the municipality's chain; return (row count, first broken row or None)."""
    with tenant_context(lg_code) as tenant, connections[tenant.alias].cursor() as cursor:
        cursor.execute(VERIFY_SQL, [lg_code])
        row = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM audit_entry WHERE lg_code = %s", [lg_code])
        count = cursor.fetchone()[0]
    if row is None:
        return count, None
    id_, chain_no, recorded_at, stored, expected, prev = row
    if chain_no != (prev or 0) + 1:
        reason = f"直前の連番 {prev or 0} との間に欠番があります（行の削除）"
    else:
        reason = "内容とハッシュが一致しません（改ざん）"
    return count, ChainBreak(id_, chain_no, recorded_at, reason)


__all__ = [
    "Action",
    "ActorType",
    "Actor",
    "SYSTEM",
    "request_actor",
    "bind_actor",
    "current_actor",
    "entry",
    "insert_after",
    "record",
    "refuse",
    "note",
    "audited",
    "verify",
]
