"""Django settings for Yakuba.

Configuration comes from the environment only (12-factor), so the same code serves one town
on a laptop and a shared cloud of hundreds of municipalities:

- ``DATABASE_URL`` / ``YAKUBA_SHARDS`` — PostgreSQL servers (see ``yakuba.platform.database``).
- ``YAKUBA_APP_DB_PASSWORD`` — password of the runtime role ``yakuba_app``; derived from the
  secret key when unset.
- ``YAKUBA_SECRET_KEY`` — required with ``YAKUBA_HTTPS=1`` (every app server must share it);
  otherwise a per-checkout key is generated under ``./var``.
- ``YAKUBA_ALLOWED_HOSTS`` — comma separated; defaults to localhost.
- ``YAKUBA_HTTPS`` — ``1`` behind TLS: secure cookies and HSTS.
- ``YAKUBA_ZONE`` — network zone of this deployment (``mynumber`` = 個人番号利用事務系, ``lgwan``);
  個人番号 is only ever served by a ``mynumber`` deployment.
- ``YAKUBA_TRUSTED_PROXY`` — ``1`` to take the client address from ``X-Forwarded-For``.
- ``YAKUBA_VAR`` — directory for local state (embedded database, logs, static); ``./var``.
- ``YAKUBA_DATA_KEYS`` / ``YAKUBA_LOOKUP_KEY`` — encryption and lookup-hash keys (``crypto.py``).
- ``YAKUBA_DEBUG`` / ``YAKUBA_LOG_LEVEL`` — development switches.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from yakuba import domains
from yakuba.platform.database import databases_from_env, var_dir

BASE_DIR = Path(__file__).resolve().parent


def _secret_key() -> str:
    key = os.environ.get("YAKUBA_SECRET_KEY")
    if key:
        return key
    if os.environ.get("YAKUBA_HTTPS") == "1":
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "YAKUBA_HTTPS=1 では YAKUBA_SECRET_KEY を設定してください（全サーバーで同じ値）"
        )
    path = var_dir() / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        try:  # 0600 from creation; a process that started at the same moment wrote it first
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("YAKUBA_DEBUG") == "1"
ALLOWED_HOSTS = [
    h for h in os.environ.get("YAKUBA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h
]
HTTPS = os.environ.get("YAKUBA_HTTPS") == "1"
ZONE = os.environ.get("YAKUBA_ZONE", "mynumber")
TRUSTED_PROXY = os.environ.get("YAKUBA_TRUSTED_PROXY") == "1"
WEBHOOK_ALLOW_HOSTS = [h for h in os.environ.get("YAKUBA_WEBHOOK_ALLOW_HOSTS", "").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "yakuba.platform.tenancy",
    "yakuba.platform.identity",
    "yakuba.platform.audit",
    "yakuba.platform.linkage",
    "yakuba.platform.payments",
    "procrastinate.contrib.django",
    "yakuba.platform.ui",
    # Business domains, found rather than listed (yakuba/domains.py).
    *domains.apps(),
]

MIDDLEWARE = [
    "yakuba.platform.http.RequestIdMiddleware",
    "yakuba.platform.http.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session (keyed by a cookie) and CSRF (reads the form) touch the request.
    "yakuba.platform.hostile.HostileInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "yakuba.platform.identity.middleware.RequireSecondFactorMiddleware",
]

# Request bodies (hostile.py answers 413 above this, 400 above the field count). The largest
# legitimate body is a 異動 of 50 persons (MoveIn.persons): under 0.9 MB even with every text
# field at its maximum length in 4-byte characters sent as \u escapes. Django's default 2.5 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

ROOT_URLCONF = "yakuba.urls"
WSGI_APPLICATION = "yakuba.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yakuba.platform.ui.context.shell",
                "yakuba.platform.ui.nav.nav",
            ],
        },
    },
]

# Every entry logs in as the runtime role; migrations use the URL's user (database.py).
DATABASES = databases_from_env(SECRET_KEY)
DATABASE_ROUTERS = ["yakuba.platform.tenancy.router.TenantRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "identity.StaffUser"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "ui:login"
LOGIN_REDIRECT_URL = "ui:home"

# Lockout after repeated failures (住民記録システム標準仕様書 §10.3; 情報セキュリティポリシー
# ガイドライン). Five failures per user name lock it for 30 minutes; an administrator can
# unlock earlier with ``axes_reset``.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "ui/locked_out.html"
AXES_VERBOSE = False
# The address axes records is the one the audit log trusts (the proxy's own X-Forwarded-For
# entry only behind YAKUBA_TRUSTED_PROXY); without it axes would read REMOTE_ADDR, the proxy.
AXES_CLIENT_IP_CALLABLE = "yakuba.platform.http.client_ip"
# Per client address, across user names (password spraying), for the same 30 minutes
# (ui/views.py). Higher than the per-user limit: a counter office often reaches the server
# through one address (NAT, proxy), and a few clerks' typos must not lock out the whole office.
LOGIN_ADDRESS_FAILURE_LIMIT = 20

OTP_TOTP_ISSUER = "Yakuba"

# Sessions: short idle timeout for shared counter terminals, never readable from scripts,
# never sent cross-site.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = HTTPS
SESSION_COOKIE_NAME = "yakuba_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SECURE = HTTPS
CSRF_FAILURE_VIEW = "yakuba.platform.ui.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_SSL_REDIRECT = False  # TLS terminates at the load balancer in front of the app servers
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Strict CSP: only our own static files; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)

LANGUAGE_CODE = "ja"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = var_dir() / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves collected files from here
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YAKUBA_LOG_LEVEL", "WARNING")},
    "loggers": {"axes": {"level": "WARNING"}, "psycopg.pool": {"level": "ERROR"}},
}
