"""What every domain's command needs around its work on one municipality."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from yakuba.platform.errors import CliError


@contextmanager
def tenant_command(lg_code: str) -> Iterator[None]:
    """Run the body as the system actor, confined to ``lg_code``, in one transaction.

    An unregistered municipality is one line for the operator (exit status 2), with the command
    that registers it — never a traceback.
    """
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import UnknownTenant, tenant_context

    try:
        with bind_actor(SYSTEM), tenant_context(lg_code):
            yield
    except UnknownTenant:
        raise CliError(
            f"団体コード {lg_code} はこのシステムに登録されていません（yakuba municipality add {lg_code}）"
        ) from None
