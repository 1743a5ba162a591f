"""Bearer-token authentication and the tenant guard of every ``/api/v1/{lg_code}/…`` endpoint."""

from __future__ import annotations

import functools
from collections.abc import Callable

from ninja.security import HttpBearer

from yakuba.platform.api.problems import ApiProblem
from yakuba.platform.audit.log import Actor, bind_actor
from yakuba.platform.audit.models import ActorType
from yakuba.platform.http import client_ip, terminal_name
from yakuba.platform.identity.models import ApiClient
from yakuba.platform.tenancy.context import UnknownTenant, alias_for, tenant_context


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer yk_…``; the token is looked up by key id, secret compared hashed."""

    openapi_description = "yakuba token create で発行したトークン"

    def authenticate(self, request, token: str) -> ApiClient | None:
        return ApiClient.authenticate(token)


def tenant_endpoint(scope: str | None = None) -> Callable:
    """Guard a tenant endpoint: same municipality as the token (else 404), scope (else 403).

    The endpoint then runs in one transaction confined to that municipality, with the client
    bound as the audit actor. A token of municipality A on B's URL gets 404, exactly as if B
    did not exist, so a client cannot even learn which municipalities a deployment hosts.
    """

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            lg_code = kwargs["lg_code"]  # ninja passes every parameter by name
            client: ApiClient = request.auth
            if client.lg_code != lg_code:
                raise ApiProblem(404, "この URL にはリソースがありません")
            try:
                alias = alias_for(lg_code)
            except UnknownTenant:
                raise ApiProblem(404, "この URL にはリソースがありません") from None
            if scope is not None and not client.has_scope(scope):
                raise ApiProblem(403, f"スコープ {scope} が必要です")
            actor = Actor(
                type=ActorType.CLIENT,
                name=client.name,
                terminal=terminal_name(request),
                ip=client_ip(request),
                zone=client.zone,
                request_id=getattr(request, "request_id", ""),
            )
            with bind_actor(actor), tenant_context(lg_code, alias=alias):
                return func(request, *args, **kwargs)

        wrapper.required_scope = scope
        return wrapper

    return decorate
