"""Platform endpoints under ``/api/v1/{lg_code}/``: the municipality, the caller, the audit log."""

from __future__ import annotations

from datetime import datetime

from ninja import Query, Router, Schema
from pydantic import Field

from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.audit.log import Action, audited, note
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.models import Municipality

router = Router(tags=["platform"])


class MunicipalityOut(Schema):
    lg_code: str
    name: str
    name_kana: str
    prefecture: str
    full_name: str


class ClientOut(Schema):
    client: str
    lg_code: str
    scopes: list[str]
    zone: str


class AuditEntryOut(Schema):
    chain_no: int
    recorded_at: datetime
    actor_type: str
    actor: str
    terminal: str
    ip: str
    zone: str
    action: str
    resource: str
    subject_ids: list[str]
    purpose: str
    my_number_shown: bool
    request_id: str
    hash: str


class AuditPage(Schema):
    entries: list[AuditEntryOut]
    next: int | None = Field(None, description="次のページの after に渡す連番（最後のページでは null）")


@router.get("municipality", response={200: MunicipalityOut, **ERRORS}, summary="団体情報")
@tenant_endpoint()
def get_municipality(request, lg_code: str = LG_CODE):
    return Municipality.objects.using("default").get(lg_code=lg_code)


@router.get("whoami", response={200: ClientOut, **ERRORS}, summary="このトークンのクライアント")
@tenant_endpoint()
def whoami(request, lg_code: str = LG_CODE):
    client = request.auth
    return {"client": client.name, "lg_code": client.lg_code, "scopes": client.scopes, "zone": client.zone}


@router.get("audit/entries", response={200: AuditPage, **ERRORS}, summary="アクセスログ（連番順）")
@tenant_endpoint("audit:read")
@audited(Action.READ, "audit_log")
def audit_entries(
    request,
    lg_code: str = LG_CODE,
    after: int = Query(0, ge=0, description="この連番より後を返す"),
    limit: int = Query(100, ge=1, le=1000),
):
    rows = list(AuditEntry.objects.filter(chain_no__gt=after).order_by("chain_no")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    note(after=after, count=len(rows))
    return {"entries": rows, "next": rows[-1].chain_no if more else None}
