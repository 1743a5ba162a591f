"""The one way to work on a municipality's data: ``with tenant_context(lg_code): …``.

It opens a transaction on the municipality's database and sets ``yakuba.lg_code`` for that
transaction only (``SET LOCAL``), so row-level security confines every query — ORM or raw SQL —
to that municipality, and a pooled connection carries nothing over to the next request. Next to
it goes ``yakuba.lg_token``, an HMAC of the code and the session's backend pid under a key the
runtime role cannot read: the policies trust the code only with it (``rls.py``), so SQL inside
the block cannot switch to another municipality with ``set_config``.

Request, job and CLI connections already log in as the non-owner role (``database.py``), which
no statement can leave. The block sets that role for the transaction all the same: on an
owner's connection (a data migration, a test that works as the owner) it confines the work
just as well, and on the role's own connection it changes nothing.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction

from yakuba.platform.prepared import prepared_cursor
from yakuba.platform.tenancy.rls import APP_ROLE, SETTING, TOKEN_SETTING, tenant_token


class UnknownTenant(LookupError):
    """The municipality is not registered in this deployment."""


@dataclass(frozen=True)
class Tenant:
    lg_code: str
    alias: str


_current: contextvars.ContextVar[Tenant | None] = contextvars.ContextVar("yakuba_tenant", default=None)
_alias_cache: dict[str, tuple[float, str]] = {}
_CACHE_SECONDS = 60.0


def current_tenant() -> Tenant | None:
    return _current.get()


def require_tenant() -> Tenant:
    tenant = _current.get()
    if tenant is None:
        raise RuntimeError("no tenant_context is active")
    return tenant


def alias_for(lg_code: str) -> str:
    """Database alias holding ``lg_code``; raises ``UnknownTenant`` if not registered."""
    hit = _alias_cache.get(lg_code)
    now = time.monotonic()
    if hit and hit[0] > now:
        return hit[1]
    from yakuba.platform.tenancy.models import Municipality

    alias = (
        Municipality.objects.using("default")
        .filter(lg_code=lg_code)
        .values_list("db_alias", flat=True)
        .first()
    )
    if alias is None:
        _alias_cache.pop(lg_code, None)
        raise UnknownTenant(lg_code)
    _alias_cache[lg_code] = (now + _CACHE_SECONDS, alias)
    return alias


def forget_alias(lg_code: str | None = None) -> None:
    """Drop the cached database alias of ``lg_code`` (of every municipality when None)."""
    if lg_code is None:
        _alias_cache.clear()
    else:
        _alias_cache.pop(lg_code, None)


@contextmanager
def tenant_context(lg_code: str, *, alias: str | None = None) -> Iterator[Tenant]:
    """Run the block in one transaction confined to ``lg_code``."""
    outer = _current.get()
    if outer is not None and outer.lg_code != lg_code:
        # SET LOCAL of the inner block would leak into the outer transaction.
        raise RuntimeError(f"tenant_context({lg_code}) nested inside tenant_context({outer.lg_code})")
    tenant = Tenant(lg_code, alias or alias_for(lg_code))
    connection = connections[tenant.alias]
    token = _current.set(tenant)
    try:
        nested = connection.in_atomic_block
        with transaction.atomic(using=tenant.alias):
            with prepared_cursor(tenant.alias) as cursor:
                if nested:
                    # Inside an outer transaction SET LOCAL outlives our savepoint: remember
                    # what to restore so nothing leaks past this block.
                    cursor.execute(
                        "SELECT current_setting('role'), current_setting(%s, true), current_setting(%s, true)",
                        [SETTING, TOKEN_SETTING],
                    )
                    previous = cursor.fetchone()
                # The runtime role's password keys the token (also on an owner's connection, whose
                # own session the policies trust anyway); libpq knows the pid: no round trip.
                token_value = tenant_token(
                    settings.DATABASES[tenant.alias]["PASSWORD"],
                    lg_code,
                    connection.connection.info.backend_pid,
                )
                cursor.execute(
                    "SELECT set_config('role', %s, true), set_config(%s, %s, true), set_config(%s, %s, true)",
                    [APP_ROLE, SETTING, lg_code, TOKEN_SETTING, token_value],
                )
            yield tenant
            if nested:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('role', %s, true), set_config(%s, %s, true), set_config(%s, %s, true)",
                        [previous[0], SETTING, previous[1] or "", TOKEN_SETTING, previous[2] or ""],
                    )
    finally:
        _current.reset(token)
