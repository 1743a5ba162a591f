"""``yakuba serve --demo`` as a real process: migrates, serves /healthz, the login page and the API."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.platform.test_cli import BIN, scratch_database_url  # noqa: F401 - fixture re-export


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


@pytest.mark.slow
def _session_commands(session: int):
    """Command lines of the processes in a session (the server started its own)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[3]) == session:
            yield command.replace(b"\0", b" ").decode(errors="replace")


def test_serve_demo_answers_health_login_and_api(tmp_path, scratch_database_url):  # noqa: F811
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "YAKUBA_SHARDS")}
    env.update(DATABASE_URL=scratch_database_url, YAKUBA_VAR=str(tmp_path / "var"))
    out = (tmp_path / "serve.out").open("w+")
    proc = subprocess.Popen(
        [str(BIN), "serve", "--demo", "--port", str(port), "--workers", "2"],
        stdout=out,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _, body = _get(base + "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, (tmp_path / "serve.out").read_text()
            assert time.monotonic() < deadline, "server did not come up"
            time.sleep(0.3)
        assert json.loads(body) == {"status": "ok"}

        status, headers, body = _get(base + "/login/")
        assert status == 200 and "ログイン" in body
        assert "unsafe-inline" not in headers["Content-Security-Policy"]

        printed = (tmp_path / "serve.out").read_text()
        token = next(line.split()[-1] for line in printed.splitlines() if "API トークン" in line)
        status, _, body = _get(base + "/api/v1/072028/municipality", {"Authorization": f"Bearer {token}"})
        assert status == 200 and json.loads(body)["full_name"] == "福島県会津若松市"
        assert "ユーザー名 demo" in printed and "合成住民 1,000 人" in printed
        # The demo town can record a 転入 without the pool warning, and webhooks deliver: the
        # job worker runs beside the server (issue 12, demo).
        assert "住民票コード 2,000 件" in printed and "ジョブワーカー" in printed
        # The tax and insurance apps have their demo data too (their hooks after the registry's).
        for app in ("個人住民税", "国民健康保険", "後期高齢者医療", "介護保険"):
            assert any(line.strip().startswith(app) for line in printed.splitlines()), printed
        assert any(" worker " in command for command in _session_commands(proc.pid))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
