"""The ``yakuba`` command: every bad input gets one line and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.conftest import AIZU
from yakuba.cli import main

BIN = Path(sys.executable).parent / "yakuba"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _assert_one_line_error(code: int, err: str, expected: str) -> None:
    assert code != 0
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert expected in lines[0], lines[0]


BAD_INPUT = [
    ((), "the following arguments are required: COMMAND"),
    (("frobnicate",), "invalid choice: 'frobnicate'"),
    (("municipality",), "the following arguments are required: ACTION"),
    (("municipality", "add", "07202"), "団体コードは6桁の数字です"),
    (("municipality", "add", "072020"), "検査数字が正しくありません（正しくは 072028）"),
    (("municipality", "add", "999997"), "地方公共団体はありません"),
    (("municipality", "add", "011011"), "指定都市の区です"),
    (("municipality", "add", "130001"), "都道府県"),
    (("municipality", "add", AIZU, "--database", "nosuch"), "データベース 'nosuch' は設定されていません"),
    (("token", "create", AIZU), "the following arguments are required: --client, --scopes"),
    (("token", "create", "131016", "--client", "x", "--scopes", "registry:read"), "登録されていません"),
    (
        ("token", "create", AIZU, "--client", "x", "--scopes", "registry:rread"),
        "不明なスコープです: registry:rread",
    ),
    (("token", "create", AIZU, "--client", "x", "--scopes", ","), "スコープを1つ以上指定してください"),
    (
        ("token", "create", AIZU, "--client", "x", "--scopes", "registry:read", "--zone", "internet"),
        "invalid choice",
    ),
    (("token", "create", AIZU, "--client", "x", "--scopes", "registry:mynumber"), "個人番号利用事務系"),
    (("audit", "verify", "12345"), "団体コードは6桁の数字です"),
    (("audit", "verify", "131016"), "登録されていません"),
    (("staff", "create", "alice", "--lg", AIZU, "--role", "mayor"), "invalid choice: 'mayor'"),
    (("serve", "--port", "abc"), "invalid int value"),
    (("serve", "--port", "70000"), "ポート番号が不正です"),
    (("serve", "--workers", "0"), "ワーカー数は1〜64です"),
    (("openapi", "--write", "--check"), "not allowed with argument"),
    (("staff", "unlock", "nobody"), "職員 nobody はいません"),
    (("staff", "reset-otp", "nobody"), "職員 nobody はいません"),
    (("token", "revoke", AIZU, "--client", "ghost"), "有効なクライアント ghost は 072028 にありません"),
    (("events", "--write", "--check"), "not allowed with argument"),
    (
        ("webhook", "subscribe", AIZU, "--client", "ghost", "--url", "http://x"),
        "クライアント ghost は 072028 に登録されていません",
    ),
    (("webhook", "list", "131016"), "登録されていません"),
    (("webhook", "redeliver", AIZU), "--dead-letter ID または --subscription ID を指定してください"),
    (("worker", "--concurrency", "0"), "同時実行数は1〜64です"),
    (
        ("webhook", "subscribe", AIZU, "--client", "c", "--url", "http://x", "--max-age", "5"),
        "--max-age は 60〜2592000 秒です",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("argv", "expected"), BAD_INPUT, ids=[" ".join(a) or "(none)" for a, _ in BAD_INPUT])
def test_bad_input_gets_one_line_and_nonzero_exit(capsys, aizu, argv, expected):
    code, _out, err = _run(capsys, *argv)
    _assert_one_line_error(code, err, expected)


@pytest.mark.django_db
def test_staff_create_refuses_weak_password_and_duplicates(capsys, aizu, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("password\n"))
    code, _, err = _run(
        capsys, "staff", "create", "alice", "--lg", AIZU, "--role", "counter", "--password-stdin"
    )
    _assert_one_line_error(code, err, "パスワードが弱すぎます")
    monkeypatch.setattr("sys.stdin", io.StringIO("correct-horse-battery-7\n"))
    code, out, _ = _run(
        capsys, "staff", "create", "alice", "--lg", AIZU, "--role", "counter", "--password-stdin"
    )
    assert code == 0 and "職員 alice を作成しました" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("correct-horse-battery-7\n"))
    code, _, err = _run(capsys, "staff", "create", "alice", "--lg", AIZU, "--role", "tax", "--password-stdin")
    _assert_one_line_error(code, err, "既に使われています")


@pytest.mark.django_db
def test_token_revoke_makes_the_token_useless(capsys, aizu, api):
    code, token, _ = _run(capsys, "token", "create", AIZU, "--client", "c", "--scopes", "municipality:read")
    assert api.get(f"/api/v1/{AIZU}/municipality", token.strip()).status_code == 200
    code, out, _ = _run(capsys, "token", "revoke", AIZU, "--client", "c")
    assert code == 0 and "失効させました" in out
    assert api.get(f"/api/v1/{AIZU}/municipality", token.strip()).status_code == 401


@pytest.mark.django_db
def test_staff_unlock_and_reset_otp(capsys, aizu, client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yakuba.platform.identity.services import create_staff

    user = create_staff("bob", password="correct-horse-battery-7", lg_code=AIZU, roles=["counter"])
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    for _ in range(5):
        client.post("/login/", {"username": "bob", "password": "wrong-password-123"})
    assert (
        client.post("/login/", {"username": "bob", "password": "correct-horse-battery-7"}).status_code == 429
    )
    code, out, _ = _run(capsys, "staff", "unlock", "bob")
    assert code == 0 and "ロックを解除しました" in out
    assert (
        client.post("/login/", {"username": "bob", "password": "correct-horse-battery-7"}).status_code == 302
    )
    code, out, _ = _run(capsys, "staff", "reset-otp", "bob")
    assert code == 0 and not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_municipality_add_is_idempotent_and_lists(capsys):
    code, out, _ = _run(capsys, "municipality", "add", AIZU)
    assert code == 0 and "福島県会津若松市（072028）を登録しました" in out
    code, out, _ = _run(capsys, "municipality", "add", AIZU)
    assert code == 0 and "登録済みです" in out
    code, out, _ = _run(capsys, "municipality", "list")
    assert out.strip() == "072028\t福島県会津若松市\tdefault"


@pytest.mark.django_db
def test_token_create_prints_the_token_once_on_stdout(capsys, aizu):
    code, out, err = _run(
        capsys, "token", "create", AIZU, "--client", "tax", "--scopes", "registry:read,events:read"
    )
    assert code == 0 and out.startswith("yk_") and len(out.strip().splitlines()) == 1
    assert "再表示できない" in err
    code, _, err = _run(capsys, "token", "create", AIZU, "--client", "tax", "--scopes", "registry:read")
    _assert_one_line_error(code, err, "既に登録されています")


# --- real processes -------------------------------------------------------------------------


@pytest.fixture
def scratch_database_url():
    """A fresh database on the test server for commands run as separate processes."""
    conf = settings.DATABASES["default"]
    params = {  # the owner's (a superuser's) URL, as DATABASE_URL is in production
        "host": conf["HOST"],
        "port": conf["PORT"] or None,
        "user": conf["OWNER"]["USER"],
        "password": conf["OWNER"]["PASSWORD"],
    }
    name = f"yakuba_cli_{os.getpid()}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    port = f"&port={params['port']}" if params["port"] else ""
    auth = f"{params['user']}:{params['password']}@" if params["password"] else f"{params['user']}@"
    yield f"postgresql://{auth}/{name}?host={params['host']}{port}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _process(tmp_path, *argv: str, database_url: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "YAKUBA_SHARDS")}
    env["YAKUBA_VAR"] = str(tmp_path / "var")
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [str(BIN), *argv], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )


def test_commands_as_real_processes(tmp_path, scratch_database_url):
    add = _process(tmp_path, "municipality", "add", AIZU, database_url=scratch_database_url)
    assert add.returncode == 0, add.stderr
    assert "福島県会津若松市（072028）を登録しました" in add.stdout
    token = _process(
        tmp_path,
        "token",
        "create",
        AIZU,
        "--client",
        "c",
        "--scopes",
        "audit:read",
        database_url=scratch_database_url,
    )
    assert token.returncode == 0 and token.stdout.startswith("yk_")
    verify = _process(tmp_path, "audit", "verify", AIZU, database_url=scratch_database_url)
    assert verify.returncode == 0 and "ハッシュ連鎖は正常です" in verify.stdout
    bad = _process(tmp_path, "municipality", "add", "072020", database_url=scratch_database_url)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_unreachable_database_is_one_line(tmp_path):
    result = _process(
        tmp_path, "municipality", "list", database_url="postgresql://nobody@/nodb?host=/nonexistent"
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "データベースに接続できません" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_database_url_is_one_line(tmp_path):
    result = _process(tmp_path, "municipality", "list", database_url="mysql://x/y")
    assert (
        result.returncode == 1
        and result.stderr.strip() == "エラー: PostgreSQL の URL ではありません: 'mysql'"
    )
