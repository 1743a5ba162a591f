"""Guarding staff screens: who may open them, for which municipality, and as which actor.

Every domain screen is wrapped in ``@staff_view(...)`` so the checks are in one place:

- a password alone opens nothing: the user must also have passed the second factor
  (住民記録システム標準仕様書 §10.3 二要素認証);
- the user must hold a role in the municipality being worked on, and, if the screen says so,
  one of the screen's roles (§10.3 権限管理: 利用者ごとの機能制限);
- the view runs with the audit actor bound and inside ``tenant_context`` so every query is
  confined to that municipality by row-level security and every access is logged with the
  user, terminal and address (§10.2 操作ログ).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.template.response import SimpleTemplateResponse
from django.urls import reverse

from yakuba.platform.audit.log import Action, Actor, bind_actor, refuse, request_actor
from yakuba.platform.audit.models import ActorType
from yakuba.platform.tenancy.context import UnknownTenant, tenant_context
from yakuba.platform.ui.context import shell_data

SESSION_KEY = "lg_code"


def user_municipalities(request) -> list[str]:
    """The user's municipalities (sorted codes), computed once per request."""
    cached = getattr(request, "_yakuba_municipalities", None)
    if cached is None:
        user = getattr(request, "user", None)
        cached = user.municipalities() if user is not None and user.is_authenticated else []
        request._yakuba_municipalities = cached
    return cached


def current_lg_code(request) -> str | None:
    """The municipality being worked on: the session's choice if still a membership, else the first."""
    codes = user_municipalities(request)
    if not codes:
        return None
    chosen = request.session.get(SESSION_KEY)
    return chosen if chosen in codes else codes[0]


def is_verified(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_verified())


def otp_url(next_path: str = "") -> str:
    url = reverse("ui:otp")
    return f"{url}?{urlencode({'next': next_path})}" if next_path else url


def forbidden(request, message: str, *, title: str = "権限がありません", status: int = 403):
    return render(request, "ui/forbidden.html", {"title": title, "message": message}, status=status)


def _refuse_role(request, actor: Actor, lg_code: str, params: dict) -> None:
    """Audit a screen refused for the user's roles (§10.3 権限管理), with whom it named."""
    try:
        with bind_actor(actor):
            refuse(
                Action.READ if request.method in ("GET", "HEAD") else Action.UPDATE,
                "screen",
                subjects=[str(v) for k, v in params.items() if k in ("atena_no", "setai_no")],
                reason="role",
                lg_code=lg_code,
                path=request.path[:300],
            )
    except UnknownTenant:
        pass  # a municipality no longer registered: nothing to log into


def staff_view(view: Callable | None = None, *, roles: Iterable[str] | None = None) -> Callable:
    """Decorate a staff screen; use as ``@staff_view()``, ``@staff_view`` or ``@staff_view(roles=[...])``.

    Sets ``request.lg_code`` (current municipality) and ``request.roles`` (the user's roles
    there) for the view. A ``TemplateResponse`` is rendered inside the tenant context so lazy
    querysets in templates are confined too.
    """
    required = frozenset(roles) if roles else None

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not user.is_verified():
                return redirect(otp_url(request.get_full_path()))
            lg_code = current_lg_code(request)
            if lg_code is None:
                return render(request, "ui/no_municipality.html", status=403)
            user_roles = user.roles_in(lg_code)
            actor = request_actor(request, ActorType.STAFF, user.username, settings.ZONE)
            if not user_roles or (required is not None and not (required & user_roles)):
                _refuse_role(request, actor, lg_code, kwargs)
                return forbidden(
                    request, "この画面を利用する権限がありません。必要な場合は管理者に連絡してください。"
                )
            request.lg_code = lg_code
            request.roles = user_roles
            # Header data needs the directory database: collect it before the tenant
            # transaction (which runs under the restricted application role).
            shell_data(request)
            try:
                with bind_actor(actor), tenant_context(lg_code):
                    response = func(request, *args, **kwargs)
                    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                        response.render()
            except UnknownTenant:
                return forbidden(
                    request,
                    "この団体はこのシステムに登録されていません。管理者に連絡してください。",
                    title="団体が登録されていません",
                )
            return response

        return wrapper

    if view is not None:
        return decorate(view)
    return decorate
