"""The ``yakuba`` command (docs/reference/contract.md#cli).

Every command that needs the database starts the embedded PostgreSQL under ``./var/`` unless
``DATABASE_URL`` is set, applies pending migrations, and runs. A user error ends with one line
on stderr and a non-zero exit status, never a traceback; an unexpected failure prints one line
and writes the traceback to ``var/log/yakuba-cli.log``.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable

from yakuba.platform.errors import EXIT_FAILURE, CliError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump
        raise CliError(f"{self.prog}: {message}（--help で使い方を表示）")


COMMANDS: dict[str, Callable] = {}


def _setup_django(*, migrate: bool = True, quiet: bool = True) -> None:
    """Database up (embedded unless DATABASE_URL), Django loaded, migrations applied.

    When ``main`` runs inside a process that has already configured Django (the test suite,
    an embedding application), that process owns the database set-up and nothing is redone.
    """
    from django.apps import apps

    if apps.ready:
        return
    from yakuba.platform.database import check_reachable, ensure_database_url

    check_reachable(ensure_database_url())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yakuba.settings")
    import django

    django.setup()
    if migrate:
        from yakuba.platform.migrate import migrate_all

        migrate_all(verbose=not quiet)


def _generated_document(sub, name: str, help_: str, path: Callable, render: Callable) -> None:
    """A document generated from code and committed (OpenAPI, event catalogue): print, --write
    to refresh the committed file, --check to fail when it is stale (used by CI)."""

    def handler(args) -> int:
        text, target = render(), path()
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                print(
                    f"{target.name} がコードと一致しません（yakuba {name} --write で更新）", file=sys.stderr
                )
                return EXIT_FAILURE
            print(f"{target.name} はコードと一致しています")
        elif args.write:
            target.write_text(text, encoding="utf-8")
            print(f"{target} を更新しました")
        else:
            sys.stdout.write(text)
        return 0

    p = sub.add_parser(name, help=help_)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help="コミットされたファイルを更新する")
    group.add_argument(
        "--check", action="store_true", help="コミットされたファイルがコードと一致するか確認する"
    )
    p.set_defaults(handler=handler, needs_db=False)


def _openapi_path():
    from yakuba.api import COMMITTED_OPENAPI

    return COMMITTED_OPENAPI


def _openapi_text() -> str:
    from yakuba.api import openapi_text

    return openapi_text()


def _catalogue_path():
    from yakuba.platform.linkage.catalogue import COMMITTED_CATALOGUE

    return COMMITTED_CATALOGUE


def _catalogue_text() -> str:
    from yakuba.platform.linkage.catalogue import render_markdown

    return render_markdown()


def build_parser() -> argparse.ArgumentParser:
    from yakuba.platform.commands import register_all

    parser = _Parser(prog="yakuba", description="Yakuba — 標準準拠の市区町村基幹業務システム")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    register_all(sub)
    from yakuba import domains
    from yakuba.platform.cli_support import group
    from yakuba.platform.commands import lg_code_argument

    # Groups several domains add to (``yakuba import residents``, ``yakuba export residents`` …).
    group(
        sub,
        "import",
        "データを取り込む（データ移行。誤りが1つでもあれば何も取り込まない）",
        dest="what",
        metavar="WHAT",
    )
    group(sub, "export", "データをファイルに出力する", dest="what", metavar="WHAT")
    for _name, module in domains.interfaces("cli"):  # each domain's command group
        module.register(sub, lg_code_argument)
    _generated_document(sub, "openapi", "OpenAPI 文書（docs/openapi.json）", _openapi_path, _openapi_text)
    _generated_document(
        sub, "events", "イベント種別カタログ（docs/events.md）", _catalogue_path, _catalogue_text
    )
    return parser


def _log_unexpected() -> str:
    from yakuba.platform.database import var_dir

    log_dir = var_dir() / "log"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "yakuba-cli.log"
        # A traceback may quote personal data: the log is the owner's only (0600 from creation).
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc())
        return str(path)
    except OSError:
        return "(ログを書けませんでした)"


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if getattr(args, "needs_db", True):
            _setup_django(migrate=True)
        else:
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yakuba.settings")
            import django

            django.setup()
        return args.handler(args) or 0
    except CliError as exc:
        print(f"エラー: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("中断しました", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, traceback to the log
        from yakuba.platform.commands import explain_exception

        message = explain_exception(exc)
        if message is None:
            message = f"予期しないエラー（{type(exc).__name__}）。詳細: {_log_unexpected()}"
        print(f"エラー: {message}", file=sys.stderr)
        return EXIT_FAILURE


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
