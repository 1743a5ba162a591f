"""``yakuba serve``: the WSGI server (gunicorn) and the ``--demo`` set-up."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from yakuba.platform.errors import CliError

DEMO_LG_CODE = "072028"  # 会津若松市 (docs/reference/contract.md#cli-built: serve --demo)
DEMO_USER = "demo"

# Domains add demo data here (``AppConfig.ready``): each hook gets the demo 団体コード and
# returns a line for the console, or "" — the platform never imports a domain. Each entry is
# (hook, the app it belongs to, the apps whose hooks must run first).
DEMO_HOOKS: list[tuple] = []


def register_demo_hook(hook, *, after: tuple[str, ...] = ()) -> None:
    """Add ``hook``; ``after`` names the apps (labels: "registry", "tax") whose demo data it
    needs, since hooks are registered in INSTALLED_APPS order — alphabetical, so
    health_insurance's would otherwise run before the registry has a town to enrol."""
    app = hook.__module__.split(".")[1]
    if all(entry[0] is not hook for entry in DEMO_HOOKS):
        DEMO_HOOKS.append((hook, app, tuple(after)))


def demo_hooks() -> list:
    """The hooks in the order they run: registration order, each after the apps it names (an
    app without a hook is no dependency; a cycle is a programming error)."""
    pending, ordered = list(DEMO_HOOKS), []
    while pending:
        waiting = {app for _hook, app, _after in pending}
        ready = next((e for e in pending if not waiting.intersection(e[2])), None)
        if ready is None:
            raise RuntimeError(f"demo hooks wait on each other: {sorted(waiting)}")
        pending.remove(ready)
        ordered.append(ready[0])
    return ordered


def demo_fiscal_year() -> int:
    """The 年度 (April – March) of today, which the demo's 課税 and 保険 hooks fill."""
    from django.utils import timezone

    today = timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def demo_enrol(lg_code: str, members, seed) -> tuple[int, bool]:
    """An insurance app's demo 被保険者, once: ``seed(lg_code, day)`` (its ``seed_insured``) on
    the first start's day — so the 資格 agree with the registry feed it follows from then on —
    unless ``members`` (its model of persons) has anyone; a second seed would move the feed's
    cursor past events not followed yet. (how many the app holds, whether this start seeded)."""
    from django.utils import timezone

    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context

    with bind_actor(SYSTEM):
        with tenant_context(lg_code):
            known = members.objects.count()
        if known:
            return known, False
        return seed(lg_code, timezone.localdate()), True


def prepare_demo() -> dict:
    """Register 会津若松市, a demo staff login with every role, and an API token.

    Idempotent: a second ``serve --demo`` resets the demo password and issues a fresh token.
    """
    from yakuba.platform.identity.models import ApiClient, Membership, StaffUser
    from yakuba.platform.identity.roles import Role
    from yakuba.platform.identity.scopes import SCOPES, Zone
    from yakuba.platform.identity.services import issue_token
    from yakuba.platform.tenancy.services import register_municipality

    municipality, _ = register_municipality(DEMO_LG_CODE)
    password = "demo-" + secrets.token_urlsafe(9)
    user, _ = StaffUser.objects.get_or_create(username=DEMO_USER, defaults={"display_name": "デモ職員"})
    user.set_password(password)
    user.save()
    for role in Role.values:
        Membership.objects.get_or_create(user=user, lg_code=DEMO_LG_CODE, role=role)
    ApiClient.objects.filter(lg_code=DEMO_LG_CODE, name="demo-client").delete()
    _client, token = issue_token(DEMO_LG_CODE, "demo-client", list(SCOPES), Zone.MYNUMBER)
    notes = [line for hook in demo_hooks() if (line := hook(DEMO_LG_CODE))]
    return {
        "municipality": municipality,
        "username": DEMO_USER,
        "password": password,
        "token": token,
        "notes": notes,
    }


def _default_workers() -> int:
    return min(8, (os.cpu_count() or 1) * 2 + 1)


def _start_job_worker() -> subprocess.Popen:
    """``yakuba worker`` beside the server, so that webhooks deliver and nightly files are
    written without a second terminal (the demo; a production host runs it as its own service,
    docs/operations.md)."""
    command = Path(sys.executable).parent / "yakuba"
    argv = [str(command)] if command.exists() else [sys.executable, "-m", "yakuba.cli"]
    return subprocess.Popen([*argv, "worker", "--concurrency", "2"])  # noqa: S603 - our own command


def serve(*, host: str, port: int, demo: bool, workers: int | None, with_worker: bool = False) -> int:
    from gunicorn.app.base import BaseApplication

    if not 0 < port < 65536:
        raise CliError(f"ポート番号が不正です: {port}")
    if workers is not None and not 1 <= workers <= 64:
        raise CliError(f"ワーカー数は1〜64です: {workers}")
    if demo:
        info = prepare_demo()
        m = info["municipality"]
        print(f"デモ: {m.full_name}（{m.lg_code}）", flush=True)
        print(f"  職員ログイン  ユーザー名 {info['username']}  パスワード {info['password']}", flush=True)
        print(f"  API トークン  {info['token']}", flush=True)
        for line in info["notes"]:
            print(f"  {line}", flush=True)
        print("  初回ログインで二要素認証（TOTP）を登録します", flush=True)
    job_worker = _start_job_worker() if with_worker or demo else None
    if job_worker is not None:
        print("  ジョブワーカー（Webhook 配信・差分ファイル）も起動しました", flush=True)
    print(f"Yakuba を http://{host}:{port}/ で起動します（Ctrl+C で停止）", flush=True)

    from yakuba.platform.gunicorn_worker import REQUEST_LINE_LIMIT
    from yakuba.wsgi import application

    options = {
        "bind": f"{host}:{port}",
        "workers": workers or _default_workers(),
        # gthread, answering gunicorn's own errors (bad request line, URL too long) as problem+json
        "worker_class": "yakuba.platform.gunicorn_worker.ProblemJsonWorker",
        "limit_request_line": REQUEST_LINE_LIMIT,
        "threads": 4,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 120,
        "graceful_timeout": 10,
        "proc_name": "yakuba",
        "preload_app": True,
    }

    class _App(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    # Connections and pools opened by the master (migrations, demo) must not be shared with the
    # forked workers: close them; each worker opens its own pool on first use.
    from django.db import connections

    for conn in connections.all():
        conn.close()
        if hasattr(conn, "close_pool"):
            conn.close_pool()
    try:
        _App().run()
    finally:
        if job_worker is not None:
            job_worker.terminate()  # SIGTERM: the worker finishes its running jobs first
            try:
                job_worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                job_worker.kill()
    return 0


__all__ = ["serve", "prepare_demo"]
