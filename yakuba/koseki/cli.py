"""``yakuba koseki file LG_CODE FILE`` files a 届書 (JSON, docs/koseki.md "届書"; ``-`` reads
stdin) and prints its 受理 or 不受理; ``yakuba koseki show LG_CODE --koseki ID | --person ID |
--honseki 本籍`` prints a 戸籍 with its members in order, a person's 身分事項, or the 戸籍 of a
本籍 — JSON on stdout; ``record LG_CODE FILE`` records the 戸籍 a municipality already keeps (移行, all or
nothing); ``notified LG_CODE FILE`` keeps the readings the 通知 announced (CSV, all
or nothing, every bad line named, exit 1) and ``ex-officio LG_CODE [--on D]`` records them by
職権 from 2026-05-26; ``remake LG_CODE KOSEKI_ID [--on D]`` makes the 改製 (the old 戸籍 kept as the
改製原戸籍); ``certificate LG_CODE KOSEKI_ID --kind K --out FILE`` issues a 戸籍 certificate
(docs/koseki.md "Commands")."""

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


def _cmd_record(args) -> int:
    from yakuba.koseki.services import Invalid, record_existing
    from yakuba.platform.cli_support import read_input, tenant_command

    try:
        data = json.loads(read_input(args.file))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CliError(f"JSON として読めません: {args.file}（{exc}）") from None
    try:
        with tenant_command(args.lg_code):
            ids = record_existing(data)
    except Invalid as invalid:
        for field, message in invalid.errors:
            print(f"{args.file}: {field or '全体'}: {message}", file=sys.stderr)
        return 1
    print(f"戸籍 {len(ids)} 件を記録しました（戸籍ID {ids[0]}〜{ids[-1]}）" if ids else "戸籍はありません")
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


def _cmd_notified(args) -> int:
    from yakuba.koseki.services import Rejected, note_notified
    from yakuba.platform.cli_support import read_input, tenant_command

    try:
        text = read_input(args.file).decode("utf-8")
    except UnicodeDecodeError:
        raise CliError(f"{args.file}: UTF-8 の CSV ではありません") from None
    try:
        with tenant_command(args.lg_code):
            count = note_notified(text)
    except Rejected as rejected:
        for error in rejected.errors:
            print(f"{args.file}: {error}", file=sys.stderr)
        return 1
    print(f"通知した振り仮名 {count} 人分を取り込みました")
    return 0


def _cmd_ex_officio(args) -> int:
    from yakuba.koseki.services import record_ex_officio
    from yakuba.platform.cli_support import tenant_command

    try:
        with tenant_command(args.lg_code):
            done = record_ex_officio(args.on)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    print(f"職権で記載しました: 氏の振り仮名 {done.surnames} 戸籍、名の振り仮名 {done.given_names} 人")
    return 0


def _cmd_remake(args) -> int:
    from yakuba.koseki.services import Invalid, remake
    from yakuba.platform.cli_support import tenant_command

    try:
        with tenant_command(args.lg_code):
            new = remake(args.koseki_id, on=args.on)
    except Invalid as invalid:
        raise CliError("; ".join(m for _f, m in invalid.errors)) from None
    print(f"改製しました: 戸籍ID {args.koseki_id} は改製原戸籍、新しい戸籍は 戸籍ID {new}")
    return 0


def _cmd_certificate(args) -> int:
    """Issue a 戸籍 certificate from the shell (a 公用 batch, a test print): the same rules,
    交付履歴 and print audit as the counter and the API; the PDF written 0600 (a 戸籍's whole
    family). Every refusal named on one line, exit 1."""
    from yakuba.certificates import services as certificates
    from yakuba.certificates.interface.cli import refused, requester_from_args, write_issued
    from yakuba.koseki.services import NotFound, issue_certificate
    from yakuba.platform.cli_support import tenant_command
    from yakuba.registry.services import Visibility

    asked = args.requester_person_id or ""
    try:
        with tenant_command(args.lg_code):
            issued = issue_certificate(
                args.koseki_id,
                args.kind,
                person_ids=tuple(args.person or ()),
                requester=requester_from_args(args, person_id=asked),
                requester_person_id=asked,
                visibility=Visibility(),
                purpose_kind=args.purpose_kind,
                profession=args.profession or "",
                mandate=args.mandate,
            )
    except NotFound as exc:
        raise CliError(str(exc)) from None
    except certificates.RuleViolation as exc:
        raise refused(exc) from None
    return write_issued(issued, args.out)


def register(sub, lg_code_type) -> None:
    from yakuba.certificates.interface.cli import FAMILY_REQUESTERS, add_requester_arguments
    from yakuba.platform.cli_support import command, group

    actions = group(sub, "koseki", "戸籍")
    filing = command(actions, "file", "届書（JSON）を受け付ける（受理・不受理）", _cmd_file, lg_code_type)
    filing.add_argument("file", metavar="FILE", help="届書の JSON ファイル（- は標準入力）")
    show = command(actions, "show", "戸籍・身分事項を表示する", _cmd_show, lg_code_type)
    which = show.add_mutually_exclusive_group(required=True)
    which.add_argument("--koseki", metavar="KOSEKI_ID", help="戸籍ID（10桁）")
    which.add_argument("--person", metavar="PERSON_ID", help="個人ID（10桁）：その方の身分事項")
    which.add_argument("--honseki", metavar="本籍", help="本籍：その本籍の戸籍の一覧")
    recording = command(
        actions, "record", "既存の戸籍を記録する（移行。JSON の配列）", _cmd_record, lg_code_type
    )
    recording.add_argument("file", metavar="FILE", help="戸籍の JSON（docs/koseki.md の移行の形式）")
    notified = command(
        actions, "notified", "戸籍に記載する振り仮名の通知（CSV）を取り込む", _cmd_notified, lg_code_type
    )
    notified.add_argument(
        "file", metavar="FILE", help="person_id,surname_kana,given_name_kana の CSV（UTF-8）"
    )
    ex_officio = command(
        actions,
        "ex-officio",
        "通知した振り仮名を職権で記載する（2026年5月26日から）",
        _cmd_ex_officio,
        lg_code_type,
    )
    ex_officio.add_argument(
        "--on", type=date.fromisoformat, metavar="YYYY-MM-DD", help="記載日（既定: 今日）"
    )
    remaking = command(
        actions, "remake", "戸籍を改製する（元の戸籍は改製原戸籍として残す）", _cmd_remake, lg_code_type
    )
    remaking.add_argument("koseki_id", metavar="KOSEKI_ID", help="戸籍ID（10桁）")
    remaking.add_argument("--on", type=date.fromisoformat, metavar="YYYY-MM-DD", help="改製日（既定: 今日）")
    issuing = command(
        actions,
        "certificate",
        "戸籍の証明書を発行する（署名付き PDF、交付履歴に記録）",
        _cmd_certificate,
        lg_code_type,
    )
    issuing.add_argument("koseki_id", metavar="KOSEKI_ID", help="戸籍ID（10桁）")
    issuing.add_argument(
        "--kind",
        required=True,
        choices=["koseki_full", "koseki_individual", "joseki_full", "original_koseki"],
        help="全部事項・個人事項・除籍全部事項・改製原戸籍",
    )
    issuing.add_argument(
        "--person",
        action="append",
        metavar="PERSON_ID",
        help="記載する者の個人ID（個人事項証明書。繰り返し可）",
    )
    add_requester_arguments(issuing, choices=FAMILY_REQUESTERS)
    issuing.add_argument(
        "--requester-person-id", metavar="PERSON_ID", help="請求者（本人・配偶者・直系）の個人ID"
    )
    issuing.add_argument(
        "--purpose-kind",
        default="",
        choices=["rights", "submission", "other"],
        help="第三者請求の事由の区分（戸籍法10条の2第1項1号〜3号）",
    )
    issuing.add_argument("--profession", help="職務上請求の資格（弁護士・司法書士 …）")
    issuing.add_argument("--mandate", action="store_true", help="代理人の委任状を確認した")
    issuing.add_argument("--out", required=True, metavar="FILE", help="書き出す PDF（0600）")
