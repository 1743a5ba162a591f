"""Bearer-token authentication and the tenant guard of every ``/api/v1/{lg_code}/…`` endpoint."""

from __future__ import annotations

import functools
from collections.abc import Callable

from ninja.security import HttpBearer

from yakuba.platform.api.problems import ApiProblem
from yakuba.platform.audit.log import Action, bind_actor, refuse, request_actor
from yakuba.platform.audit.models import ActorType
from yakuba.platform.identity.models import ApiClient
from yakuba.platform.tenancy.context import UnknownTenant, alias_for, tenant_context


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer yk_…``; the token is looked up by key id, secret compared hashed."""

    openapi_description = "yakuba token create で発行したトークン"

    def authenticate(self, request, token: str) -> ApiClient | None:
        return ApiClient.authenticate(token)


# Path parameters that name a person or household: the subjects of a refused request's audit row.
_SUBJECT_PARAMS = ("atena_no", "setai_no")


def _alias(client: ApiClient, lg_code: str) -> str | None:
    """The database of ``lg_code`` if the client may use it at all (same municipality)."""
    if client.lg_code != lg_code:
        return None
    try:
        return alias_for(lg_code)
    except UnknownTenant:
        return None


def _refuse(request, params: dict, reason: str, *, lg_code: str, **detail) -> None:
    """Audit a request refused for its tenant or scope, in the municipality it was made for
    (the client's own when the URL names another), with the person or 世帯 it named."""
    refuse(
        Action.READ if request.method in ("GET", "HEAD") else Action.UPDATE,
        "api",
        subjects=[params[p] for p in _SUBJECT_PARAMS if params.get(p)],
        reason=reason,
        lg_code=lg_code,
        method=request.method,
        path=request.path[:300],
        **detail,
    )


def tenant_endpoint(scope: str | None = None) -> Callable:
    """Guard a tenant endpoint: same municipality as the token (else 404), scope (else 403).

    The endpoint then runs in one transaction confined to that municipality, with the client
    bound as the audit actor. A token of municipality A on B's URL gets 404, exactly as if B did
    not exist, so a client cannot even learn which municipalities a deployment hosts. Refusals
    are audited (``audit.refuse``): a client probing other municipalities or scopes leaves a
    trace in its own municipality's log.
    """

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            lg_code = kwargs["lg_code"]  # ninja passes every parameter by name
            client: ApiClient = request.auth
            actor = request_actor(request, ActorType.CLIENT, client.name, client.zone)
            with bind_actor(actor):
                alias = _alias(client, lg_code)
                if alias is None:
                    _refuse(request, kwargs, "tenant", lg_code=client.lg_code, requested_lg_code=lg_code)
                    raise ApiProblem(404, "この URL にはリソースがありません")
                if scope is not None and not client.has_scope(scope):
                    _refuse(request, kwargs, "scope", lg_code=lg_code, scope=scope)
                    raise ApiProblem(403, f"スコープ {scope} が必要です")
                with tenant_context(lg_code, alias=alias):
                    return func(request, *args, **kwargs)

        wrapper.required_scope = scope
        return wrapper

    return decorate
