"""``yakuba koseki file LG_CODE FILE`` files a 届書 (JSON, docs/koseki.md "届書"; ``-`` reads
stdin) and prints its 受理 or 不受理; ``yakuba koseki show LG_CODE --koseki ID | --person ID |
--honseki 本籍`` prints a 戸籍 with its members in order, a person's 身分事項, or the 戸籍 of a
本籍 — JSON on stdout (contract "戸籍 CLI")."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date

from yakuba.platform.errors import CliError


def _json(value) -> str:
    def default(item):
        if isinstance(item, date):
            return item.isoformat()
        raise TypeError(type(item).__name__)

    return json.dumps(value, ensure_ascii=False, indent=2, default=default)


def _cmd_file(args) -> int:
    from yakuba.koseki.services import Invalid, file_notification
    from yakuba.platform.cli_support import read_input, tenant_command

    raw = sys.stdin.buffer.read() if args.file == "-" else read_input(args.file)
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CliError(f"届書を JSON として読めません: {args.file}（{exc}）") from None
    if not isinstance(data, dict):
        raise CliError("届書は JSON のオブジェクトで指定してください")
    try:
        with tenant_command(args.lg_code):
            filed = file_notification(data)
    except Invalid as invalid:
        raise CliError("届書の誤り: " + "; ".join(f"{f or '届書'}: {m}" for f, m in invalid.errors)) from None
    body = dataclasses.asdict(filed)
    body["reasons"] = [{"field": f, "message": m} for f, m in filed.reasons]
    print(_json(body))
    return 0


def _cmd_show(args) -> int:
    from yakuba.koseki.services import NotFound, entries_of, koseki_ids, koseki_of
    from yakuba.platform.cli_support import tenant_command

    try:
        with tenant_command(args.lg_code):
            if args.koseki:
                shown = dataclasses.asdict(koseki_of(args.koseki))
            elif args.person:
                shown = [dataclasses.asdict(e) for e in entries_of(args.person)]
            else:
                shown = [
                    {"koseki_id": k, "hittosha": h, "closed": closed}
                    for k, h, closed in koseki_ids(args.honseki)
                ]
    except NotFound as exc:
        raise CliError(str(exc)) from None
    print(_json(shown))
    return 0


def register(sub, lg_code_type) -> None:
    from yakuba.platform.cli_support import command, group

    actions = group(sub, "koseki", "戸籍")
    filing = command(actions, "file", "届書（JSON）を受け付ける（受理・不受理）", _cmd_file, lg_code_type)
    filing.add_argument("file", metavar="FILE", help="届書の JSON ファイル（- は標準入力）")
    show = command(actions, "show", "戸籍・身分事項を表示する", _cmd_show, lg_code_type)
    which = show.add_mutually_exclusive_group(required=True)
    which.add_argument("--koseki", metavar="KOSEKI_ID", help="戸籍ID（10桁）")
    which.add_argument("--person", metavar="PERSON_ID", help="個人ID（10桁）：その方の身分事項")
    which.add_argument("--honseki", metavar="本籍", help="本籍：その本籍の戸籍の一覧")
