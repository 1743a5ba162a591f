"""``yakuba certificate …``: the signing key and verifying a certificate from the shell."""

from __future__ import annotations

import sys

from yakuba.certificates.codes import Kind, Layout
from yakuba.certificates.interface.cli import add_requester_arguments
from yakuba.platform.cli_support import read_input
from yakuba.platform.errors import EXIT_FAILURE, CliError

VERDICTS = {
    "genuine": "真正な証明書です",
    "altered": "改ざんされています（発行した証明書と一致しません）",
    "unknown": "該当する証明書はありません",
}


def _show(material) -> None:
    leaf = material.certificate
    not_after = leaf["tbs_certificate"]["validity"]["not_after"].native
    print(f"署名者: {leaf.subject.human_friendly}")
    print(f"有効期限: {not_after:%Y-%m-%d}")
    print(f"SHA-256 フィンガープリント: {material.fingerprint}")


def _cmd_generate(args) -> int:
    from yakuba.certificates.services import keys
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        material = keys.generate_key()
    print("署名鍵を生成しました（以後の証明書はこの鍵で署名します）")
    _show(material)
    return 0


def _cmd_import(args) -> int:
    from yakuba.certificates.services import keys
    from yakuba.platform.cli_support import tenant_command

    key_pem, chain_pem = read_input(args.key), read_input(args.chain)
    passphrase = sys.stdin.buffer.readline().rstrip(b"\r\n") if args.passphrase_stdin else None
    try:
        with tenant_command(args.lg_code):
            material = keys.import_key(key_pem, chain_pem, passphrase)
    except keys.KeyRejected as exc:
        raise CliError(str(exc)) from None
    print("署名鍵を取り込みました（以後の証明書はこの鍵で署名します）")
    _show(material)
    return 0


def _cmd_list(args) -> int:
    from yakuba.certificates.services import keys
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        found = keys.list_keys()
    for i, k in enumerate(found):
        mark = "使用中" if i == 0 else "検証用"
        source = "生成" if k.source == "generated" else "取込み"
        print(
            f"{k.created_at:%Y-%m-%d %H:%M}\t{mark}\t{source}\t{k.subject}\t"
            f"有効期限 {k.not_after:%Y-%m-%d}\t{k.fingerprint}"
        )
    print(f"{len(found)} 件", file=sys.stderr)
    return 0


def _cmd_verify(args) -> int:
    from yakuba.certificates.services import signing, verify
    from yakuba.platform.cli_support import tenant_command

    pdf = read_input(args.file)
    lg_code = args.lg or signing.read_marks(pdf)[0]
    if lg_code is None:
        raise CliError("PDF から団体コードを読み取れません（--lg で指定してください）")
    with tenant_command(lg_code):
        status, number = verify.verify_pdf(pdf)
    print(f"{args.file}: {VERDICTS[status]}" + (f"（証明書番号 {number}）" if number else ""))
    return 0 if status == verify.GENUINE else EXIT_FAILURE


def _cmd_issue(args) -> int:
    """Issue from the shell (a batch of 公用 requests, a test print): the system actor issues as
    the 公用 requester the options name; the same rules and ledger as the counter."""
    from yakuba.certificates.interface.cli import refused, requester_from_args, write_issued
    from yakuba.certificates.services import issuing
    from yakuba.certificates.services.content import CertificateRequest
    from yakuba.platform.cli_support import tenant_command
    from yakuba.registry.services import Visibility

    request = CertificateRequest(
        kind=args.kind,
        layout=args.layout,
        setai_no=args.setai_no or "",
        atena_nos=tuple(args.atena_no or ()),
        domicile=args.domicile,
        juminhyo_code=args.juminhyo_code,
        official_use=args.requester == "official",
    )
    requester = requester_from_args(args)
    try:
        with tenant_command(args.lg_code):
            issued = issuing.issue(request, requester=requester, visibility=Visibility())
    except issuing.NotFound as exc:
        raise CliError(f"住民または世帯が見つかりません: {exc}") from None
    except issuing.RuleViolation as exc:
        raise refused(exc) from None
    return write_issued(issued, args.out)


def register(sub, lg_code_type) -> None:
    from yakuba.platform.cli_support import command, group

    actions = group(sub, "certificate", "証明書（住民票の写し等）の発行・署名鍵・検証")
    key = group(actions, "key", "署名鍵（電子公印）の生成・取込み・一覧")
    command(
        key, "generate", "署名鍵と自己署名証明書（市区町村長名、10年）を生成する", _cmd_generate, lg_code_type
    )
    q = command(key, "import", "認証局が発行した秘密鍵と証明書チェーンを取り込む", _cmd_import, lg_code_type)
    q.add_argument("--key", required=True, metavar="FILE", help="秘密鍵（PEM または DER、PKCS#8）")
    q.add_argument(
        "--chain", required=True, metavar="FILE", help="証明書チェーン（PEM、署名者の証明書が先頭）"
    )
    q.add_argument(
        "--passphrase-stdin", action="store_true", help="秘密鍵のパスフレーズを標準入力の1行目から読む"
    )
    command(key, "list", "署名鍵の一覧（新しい順、先頭が使用中）", _cmd_list, lg_code_type)
    q = command(
        actions,
        "issue",
        "証明書を発行して署名付き PDF に書き出す（交付履歴に記録）",
        _cmd_issue,
        lg_code_type,
    )
    q.add_argument("--kind", required=True, choices=[k.value for k in Kind], help="証明書の種類")
    q.add_argument("--layout", default=Layout.HOUSEHOLD, choices=[v.value for v in Layout], help="様式")
    q.add_argument("--setai-no", help="世帯番号")
    q.add_argument("--atena-no", action="append", help="記載する人の宛名番号（繰り返し可。省略時は世帯全員）")
    q.add_argument("--domicile", action="store_true", help="本籍・筆頭者を記載する")
    q.add_argument("--juminhyo-code", action="store_true", help="住民票コードを記載する")
    add_requester_arguments(q)
    q.add_argument("--out", required=True, metavar="FILE", help="書き出す PDF")
    q = command(
        actions, "verify", "証明書の PDF が発行したとおりか確認する（真正なら終了コード 0）", _cmd_verify
    )
    q.add_argument("file", metavar="FILE")
    q.add_argument("--lg", type=lg_code_type, help="団体コード（既定は PDF に記録された団体コード）")
