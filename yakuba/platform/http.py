"""Request-wide HTTP concerns: request ids, security headers, client address."""

from __future__ import annotations

import re
import uuid

from django.conf import settings

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(request) -> str:
    """The caller's address; ``X-Forwarded-For`` only behind a trusted proxy.

    The proxy appends the address it saw to whatever the client sent, so only the rightmost
    entry is trustworthy; the ones before it may be forged.
    """
    if settings.TRUSTED_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


def terminal_name(request) -> str:
    """The counter terminal's name sent by the thin client (``X-Yakuba-Terminal``), if any."""
    return request.META.get("HTTP_X_YAKUBA_TERMINAL", "")[:100]


class RequestIdMiddleware:
    """Give every request an id (or keep a well-formed ``X-Request-ID``), echo it back.

    The id ties an audit row, a log line and a problem+json answer to one request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class SecurityHeadersMiddleware:
    """Strict Content-Security-Policy and related headers on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if not request.path.startswith("/static/"):
            response.setdefault("Cache-Control", "no-store")
        return response
