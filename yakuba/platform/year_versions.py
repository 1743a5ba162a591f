"""The next version of a municipality's figures for one 年度 — data a 管理者 registers and
corrects (a 条例's rates, a 告示's amounts), never rewritten: each change is a new row with who
and when, the latest one is used (architecture: "history is append-only"; "a calculation's
parameters are data keyed by 年度").

``append`` numbers the version under a transaction lock of the 年度 (the first version too: two
管理者 saving at once get 2 and 3, not a unique-key error), writes the row and its audit row in
one transaction. The model is the domain's: a ``TenantModel`` with ``fiscal_year``, ``version``,
``created_at``, ``created_by`` and its own fields.
"""

from __future__ import annotations

from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone

from yakuba.platform.audit.log import Action, Actor, bind_actor, record
from yakuba.platform.tenancy.context import require_tenant, tenant_context


def append(model, lg_code: str, fiscal_year: int, actor: Actor, *, resource: str, purpose: str, **fields):
    """Store ``fields`` as the next version of ``fiscal_year``; audited as ``resource`` with the
    年度, the version and the fields other than ``payload``. Returns the row."""
    with bind_actor(actor), tenant_context(lg_code), transaction.atomic(using=require_tenant().alias):
        with connections[require_tenant().alias].cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"{resource}:{lg_code}:{fiscal_year}"],
            )
        last = model.objects.filter(fiscal_year=fiscal_year).aggregate(v=Max("version"))["v"] or 0
        row = model.objects.create(
            lg_code=lg_code,
            fiscal_year=fiscal_year,
            version=last + 1,
            created_at=timezone.now(),
            created_by=actor.name,
            **fields,
        )
        told = {k: v for k, v in fields.items() if k != "payload"}
        record(
            Action.UPDATE,
            resource,
            purpose=purpose,
            detail={"fiscal_year": fiscal_year, "version": row.version, **told},
        )
    return row
