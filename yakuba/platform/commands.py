"""Platform subcommands of ``yakuba``: serve, municipality, staff, token, audit, openapi.

Each ``_cmd_*`` handler gets parsed arguments, raises ``CliError`` for user errors and returns
an exit status. Domains add their own subcommands through ``register_all``.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from yakuba.platform import cli_support
from yakuba.platform.errors import EXIT_FAILURE, CliError

LG_CODE_HELP = cli_support.LG_CODE_HELP


def _registered(lg_code: str):
    from yakuba.platform.municipalities import UnknownMunicipality, lookup
    from yakuba.platform.tenancy.models import Municipality

    try:
        lookup(lg_code)
    except UnknownMunicipality as exc:
        raise CliError(str(exc)) from None
    municipality = Municipality.objects.using("default").filter(lg_code=lg_code).first()
    if municipality is None:
        raise CliError(
            f"団体コード {lg_code} はこのシステムに登録されていません（yakuba municipality add {lg_code}）"
        )
    return municipality


# --- serve ----------------------------------------------------------------------------------


def _cmd_serve(args) -> int:
    from yakuba.platform.server import serve

    return serve(
        host=args.host, port=args.port, demo=args.demo, workers=args.workers, with_worker=args.with_worker
    )


# --- worker -------------------------------------------------------------------------------


def _cmd_worker(args) -> int:
    from yakuba.platform.worker import run

    if not 1 <= args.concurrency <= 64:
        raise CliError(f"同時実行数は1〜64です: {args.concurrency}")
    run(concurrency=args.concurrency)
    return 0


# --- municipality ---------------------------------------------------------------------------


def _cmd_municipality_add(args) -> int:
    from yakuba.platform.tenancy.services import MunicipalityError, register_municipality

    try:
        municipality, created = register_municipality(args.lg_code, db_alias=args.database)
    except MunicipalityError as exc:
        raise CliError(str(exc)) from None
    state = "登録しました" if created else "登録済みです"
    print(
        f"{municipality.full_name}（{municipality.lg_code}）を{state}（データベース: {municipality.db_alias}）"
    )
    return 0


def _cmd_municipality_list(args) -> int:
    from yakuba.platform.tenancy.models import Municipality

    for m in Municipality.objects.using("default").order_by("lg_code"):
        print(f"{m.lg_code}\t{m.full_name}\t{m.db_alias}")
    return 0


# --- staff ----------------------------------------------------------------------------------


def _cmd_staff_create(args) -> int:
    from yakuba.platform.identity.services import StaffError, create_staff

    municipality = _registered(args.lg)
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    if password is None:
        if not sys.stdin.isatty():
            raise CliError("パスワードは --password-stdin で標準入力から渡してください")
        password = getpass.getpass("パスワード: ")
    try:
        user = create_staff(
            args.username,
            password=password,
            lg_code=municipality.lg_code,
            roles=args.role,
            display_name=args.name,
        )
    except StaffError as exc:
        raise CliError(str(exc)) from None
    print(
        f"職員 {user.username} を作成しました（{municipality.name}: {', '.join(args.role)}）。初回ログイン時に二要素認証を登録します"
    )
    return 0


def _staff_user(username: str):
    from yakuba.platform.identity.models import StaffUser

    user = StaffUser.objects.filter(username=username).first()
    if user is None:
        raise CliError(f"職員 {username} はいません")
    return user


def _cmd_staff_unlock(args) -> int:
    from axes.utils import reset

    user = _staff_user(args.username)
    reset(username=user.username)
    print(f"職員 {user.username} のロックを解除しました")
    return 0


def _cmd_staff_reset_otp(args) -> int:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = _staff_user(args.username)
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    print(f"職員 {user.username} の二要素認証を初期化しました（{deleted} 台）。次回ログイン時に再登録します")
    return 0


def _cmd_token_revoke(args) -> int:
    from django.utils import timezone

    from yakuba.platform.identity.models import ApiClient

    municipality = _registered(args.lg_code)
    updated = ApiClient.objects.filter(
        lg_code=municipality.lg_code, name=args.client, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not updated:
        raise CliError(f"有効なクライアント {args.client} は {municipality.lg_code} にありません")
    print(f"クライアント {args.client} のトークンを失効させました")
    return 0


# --- token ----------------------------------------------------------------------------------


def _cmd_token_create(args) -> int:
    from yakuba.platform.identity.scopes import ScopeError
    from yakuba.platform.identity.services import issue_token

    municipality = _registered(args.lg_code)
    try:
        _client, token = issue_token(municipality.lg_code, args.client, args.scopes.split(","), args.zone)
    except ScopeError as exc:
        raise CliError(str(exc)) from None
    print(token)
    print(f"（{args.client} 用のトークンです。再表示できないので安全に保管してください）", file=sys.stderr)
    return 0


# --- audit ----------------------------------------------------------------------------------


def _cmd_audit_verify(args) -> int:
    from yakuba.platform.audit.log import verify

    municipality = _registered(args.lg_code)
    count, broken = verify(municipality.lg_code)
    if broken is None:
        print(f"{municipality.full_name}: アクセスログ {count} 件のハッシュ連鎖は正常です")
        return 0
    print(f"{municipality.full_name}: 改ざんを検出しました — {broken.describe()}", file=sys.stderr)
    return EXIT_FAILURE


# --- registration ---------------------------------------------------------------------------


def lg_code_argument(value: str) -> str:
    """argparse type for a 団体コード: well-formed, right check digit, in the master."""
    from yakuba.platform.municipalities import UnknownMunicipality, lookup

    try:
        lookup(value)
    except UnknownMunicipality as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def register_all(sub) -> None:
    from yakuba.platform.cli_support import command, group
    from yakuba.platform.identity.roles import Role
    from yakuba.platform.identity.scopes import Zone

    p = sub.add_parser("serve", help="マイグレーションを適用して職員画面と API を起動する")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=None, help="ワーカー数（既定: CPU数×2+1、最大8）")
    p.add_argument(
        "--demo", action="store_true", help="会津若松市（072028）のデモ環境を用意する（ワーカーも起動）"
    )
    p.add_argument(
        "--with-worker", action="store_true", help="ジョブワーカー（Webhook 配信など）も同じ端末で起動する"
    )
    p.set_defaults(handler=_cmd_serve)

    p = sub.add_parser("worker", help="バックグラウンドジョブ（Webhook 配信など）を実行する")
    p.add_argument("--concurrency", type=int, default=4, help="同時に実行するジョブ数")
    p.set_defaults(handler=_cmd_worker)

    msub = group(sub, "municipality", "市区町村（テナント）の管理")
    q = command(
        msub,
        "add",
        "市区町村を登録する（名称は組み込みの全国マスタから）",
        _cmd_municipality_add,
        lg_code_argument,
    )
    q.add_argument("--database", default="default", help="データを置くデータベース（YAKUBA_SHARDS の別名）")
    command(msub, "list", "登録済みの市区町村", _cmd_municipality_list)

    ssub = group(sub, "staff", "職員アカウントの管理")
    q = command(ssub, "create", "職員を作成する", _cmd_staff_create)
    q.add_argument("username", metavar="USERNAME")
    q.add_argument("--lg", required=True, type=lg_code_argument, metavar="LG_CODE", help=LG_CODE_HELP)
    q.add_argument("--role", required=True, action="append", choices=Role.values, help="役割（複数指定可）")
    q.add_argument("--name", default="", help="表示名")
    q.add_argument("--password-stdin", action="store_true", help="パスワードを標準入力の1行目から読む")
    q = command(ssub, "unlock", "ログイン失敗によるロックを解除する", _cmd_staff_unlock)
    q.add_argument("username", metavar="USERNAME")
    q = command(ssub, "reset-otp", "二要素認証の登録を初期化する（端末紛失時）", _cmd_staff_reset_otp)
    q.add_argument("username", metavar="USERNAME")

    tsub = group(sub, "token", "API クライアントのトークン")
    q = command(tsub, "create", "トークンを発行して1度だけ表示する", _cmd_token_create, lg_code_argument)
    q.add_argument("--client", required=True, help="クライアントアプリ名")
    q.add_argument(
        "--scopes",
        required=True,
        help="カンマ区切りのスコープ（例: events:read,audit:read。一覧は不明なスコープを指定すると表示）",
    )
    q.add_argument("--zone", default=Zone.LGWAN, choices=Zone.values, help="ネットワークゾーン")
    q = command(tsub, "revoke", "クライアントのトークンを失効させる", _cmd_token_revoke, lg_code_argument)
    q.add_argument("--client", required=True, help="クライアントアプリ名")

    asub = group(sub, "audit", "アクセスログ")
    command(
        asub,
        "verify",
        "ハッシュ連鎖を検証する（改ざんがあれば終了コード1）",
        _cmd_audit_verify,
        lg_code_argument,
    )

    from yakuba.platform.linkage import cli as linkage_cli

    linkage_cli.register(sub, lg_code_argument)

    from yakuba.platform.payments import cli as payments_cli

    payments_cli.register(sub, lg_code_argument)


def explain_exception(exc: BaseException) -> str | None:
    """One-line explanation for failures that are the environment's, not a bug's."""
    import psycopg
    from django.core.exceptions import ImproperlyConfigured

    from yakuba.platform.database import DatabaseConfigError
    from yakuba.platform.errors import RunConflict

    if isinstance(exc, DatabaseConfigError | ImproperlyConfigured | RunConflict):
        return str(exc)
    cause = exc
    while cause is not None:
        if isinstance(cause, psycopg.OperationalError):
            first = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
            return f"データベースに接続できません（DATABASE_URL を確認してください）: {first}"
        cause = cause.__cause__ or cause.__context__
    return None


__all__ = ["register_all", "explain_exception"]
