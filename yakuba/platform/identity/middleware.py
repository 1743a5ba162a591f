"""Mandatory second factor for every staff page.

住民記録システム標準仕様書 §10.3 and the 三層の対策 require 二要素認証 for the 個人番号利用事務系.
A password alone opens nothing but the second-factor page: a user without a confirmed TOTP
device is sent to enrol one, a user with one is sent to enter a code.
"""

from __future__ import annotations

from django.shortcuts import redirect

# Paths reachable before the second factor: the login flow itself, static files, the API
# (token-authenticated) and the health check.
EXEMPT_PREFIXES = ("/login", "/logout", "/otp/", "/static/", "/api/", "/healthz")


class RequireSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            return redirect("ui:otp")
        return self.get_response(request)
