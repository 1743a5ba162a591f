"""The staff UI shell: sign-in with mandatory second factor, home, municipality switcher.

住民記録システム標準仕様書 §10.3 asks for 二要素認証, lockout after repeated failures and
per-role visibility of 個人番号・住民票コード・本籍. Sign-in is therefore two steps (password,
then a TOTP code; the first visit enrols an authenticator app), django-axes locks a user name
after five failures, a client address with too many failures across user names is refused for
the same time, and the home screen states which restricted fields the user's roles show.
"""

from __future__ import annotations

import base64
import re

import django_otp
import segno
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from yakuba.platform.http import client_ip
from yakuba.platform.identity.roles import FIELD_LABELS, FIELD_VISIBILITY
from yakuba.platform.ui import home as home_tasks
from yakuba.platform.ui.context import municipality_name
from yakuba.platform.ui.staff import (
    SESSION_KEY,
    current_lg_code,
    forbidden,
    is_verified,
    otp_url,
    staff_view,
    user_municipalities,
)

LOGIN_FAILED = "ユーザー名またはパスワードが正しくありません。入力内容を確認してください。"
OTP_WRONG = "確認コードが正しくありません。認証アプリの6桁の数字を入力してください"
OTP_THROTTLED = "確認コードの誤りが続いたため、しばらく入力できません。30秒ほど待ってから入力してください。"
_CODE = re.compile(r"^\d{6}$")


def _safe_next(request, value: str | None) -> str:
    """``next`` only if it points into this site (no open redirect)."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _locked_out(request, *, by_address: bool = False):
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "by_address": by_address},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def _address_throttled(request) -> bool:
    """Whether the client address has failed ``LOGIN_ADDRESS_FAILURE_LIMIT`` times within the cool-off.

    The per-user lockout alone lets one address try a few passwords on every user name
    (password spraying). django-axes records each failure with the address (``client_ip``, so a
    forged ``X-Forwarded-For`` entry does not count as another address); its rows are summed
    over every user name and user agent. axes applies one limit to all its lockout parameters,
    hence this check beside it: the address limit must be higher than the user's (settings.py).
    """
    since = timezone.now() - get_cool_off(request)
    failures = AccessAttempt.objects.filter(ip_address=client_ip(request), attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return (failures or 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    """Step 1: user name and password.

    ``authenticate(request=...)`` goes through django-axes, which counts failures per user
    name and locks it after five (§10.3); an address over its own limit is refused before any
    password is checked. The error never says whether the user exists.
    """
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if is_verified(request.user):
        return redirect(next_url or "ui:home")
    error = ""
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()[:150]
        password = request.POST.get("password", "")
        if not username or not password:
            error = "ユーザー名とパスワードを入力してください。"
        elif _address_throttled(request):
            return _locked_out(request, by_address=True)
        else:
            user = authenticate(request=request, username=username, password=password)
            if user is None:
                if getattr(request, "axes_locked_out", False):
                    return _locked_out(request)
                error = LOGIN_FAILED
            else:
                login(request, user)
                return redirect(otp_url(next_url))
    return render(
        request,
        "ui/login.html",
        {"error": error, "username": username, "next": next_url},
        status=200,
    )


def _group(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def otp_view(request):
    """Step 2: the TOTP code; on first sign-in, enrol an authenticator app.

    Enrolment happens right after a correct password on the user's first sign-in; an
    administrator who resets a lost device deletes the user's TOTP devices, and the next
    sign-in enrols again. The device is confirmed only once the user has typed a correct
    code, so a half-finished enrolment never counts as a second factor.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect("ui:login")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if user.is_verified():
        return redirect(next_url or "ui:home")

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=False)

    error = ""
    if request.method == "POST":
        code = re.sub(r"[\s-]", "", request.POST.get("code", ""))
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            error = OTP_THROTTLED
        elif _CODE.match(code) and device.verify_token(code):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            # A new privilege level: new session key (session fixation).
            request.session.cycle_key()
            return redirect(next_url or "ui:home")
        else:
            error = OTP_WRONG

    context = {"error": error, "next": next_url, "enrolling": enrolling}
    if enrolling:
        secret = base64.b32encode(device.bin_key).decode("ascii")
        context["secret_grouped"] = _group(secret)
        # segno emits plain SVG paths with attributes, no style: allowed by the strict CSP.
        context["qr_svg"] = mark_safe(segno.make(device.config_url).svg_inline(scale=4))  # noqa: S308
    return render(request, "ui/otp.html", context)


def _visibility_rows(roles) -> list[dict]:
    rows = []
    for value, allowed in FIELD_VISIBILITY.items():
        rows.append({"field": value, "label": FIELD_LABELS[value], "visible": bool(allowed & set(roles))})
    return rows


@staff_view
def home(request):
    """Start screen: the day's work first (each domain's home tasks for the user's roles), then
    the municipality being worked on, the user's roles and field visibility.

    Role-based visibility of 個人番号・住民票コード・本籍 (§10.3) is shown up front so staff know
    why a field is blank on later screens.
    """
    return render(
        request,
        "ui/home.html",
        {"tasks": home_tasks.tasks_for(request), "visibility": _visibility_rows(request.roles)},
    )


def dead_letter_tasks(request) -> list[home_tasks.HomeTask]:
    """The platform's own home task (管理者): events a subscriber never accepted wait for a
    redelivery (docs/reference/contract.md#http-events); one count on the open dead-letter index."""
    from yakuba.platform.linkage.models import DeadLetter

    waiting = DeadLetter.objects.filter(redelivered_at__isnull=True).count()
    return [
        home_tasks.HomeTask(
            "配信できなかった連携イベント",
            f"{waiting:,}件",
            reverse("ui:webhooks"),
            home_tasks.Urgency.WARNING if waiting else home_tasks.Urgency.INFO,
            note="受け手のシステムの復旧後に再送してください。" if waiting else "",
            link_label="連携（Webhook）を開く",
        )
    ]


@login_required
@csrf_protect
@never_cache
def switch_tenant(request):
    """For shared-cloud operators: choose which member municipality to work on.

    Only municipalities the user holds a role in can be chosen; anything else is refused, so a
    forged form cannot open another municipality's residents.
    """
    if not request.user.is_verified():
        return redirect(otp_url(request.get_full_path()))
    codes = user_municipalities(request)
    if request.method == "POST":
        lg_code = request.POST.get("lg_code", "")
        if lg_code not in codes:
            return forbidden(
                request,
                "選択した団体を操作する権限がありません。担当の団体を選んでください。",
            )
        request.session[SESSION_KEY] = lg_code
        messages.success(request, f"作業する団体を{municipality_name(lg_code)}に切り替えました。")
        return redirect("ui:home")
    from yakuba.platform.tenancy.models import Municipality

    names = dict(
        Municipality.objects.using("default").filter(lg_code__in=codes).values_list("lg_code", "full_name")
    )
    current = current_lg_code(request)
    tenants = [{"lg_code": c, "name": names.get(c, c), "current": c == current} for c in codes]
    return render(request, "ui/switch.html", {"tenants": tenants})


@never_cache
def logout_view(request):
    """POST only, so a link or an image on another page cannot sign a user out."""
    if request.method != "POST":
        body = render_to_string("ui/method_not_allowed.html", request=request)
        return HttpResponseNotAllowed(["POST"], content=body)
    logout(request)
    messages.success(request, "ログアウトしました。")
    return redirect("ui:login")


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: usually a form left open past the session timeout."""
    return render(request, "ui/csrf_failure.html", {"login_url": reverse("ui:login")}, status=403)
