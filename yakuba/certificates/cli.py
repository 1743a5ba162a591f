"""``yakuba certificate …``: the signing key and verifying a certificate from the shell."""

from __future__ import annotations

import sys

from yakuba.platform.errors import EXIT_FAILURE, CliError

VERDICTS = {
    "genuine": "真正な証明書です",
    "altered": "改ざんされています（発行した証明書と一致しません）",
    "unknown": "該当する証明書はありません",
}


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise CliError(f"ファイルを読めません: {path}（{exc.strerror}）") from None


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

    key_pem, chain_pem = _read(args.key), _read(args.chain)
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

    pdf = _read(args.file)
    lg_code = args.lg or signing.read_marks(pdf)[0]
    if lg_code is None:
        raise CliError("PDF から団体コードを読み取れません（--lg で指定してください）")
    with tenant_command(lg_code):
        status, number = verify.verify_pdf(pdf)
    print(f"{args.file}: {VERDICTS[status]}" + (f"（証明書番号 {number}）" if number else ""))
    return 0 if status == verify.GENUINE else EXIT_FAILURE


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
        actions, "verify", "証明書の PDF が発行したとおりか確認する（真正なら終了コード 0）", _cmd_verify
    )
    q.add_argument("file", metavar="FILE")
    q.add_argument("--lg", type=lg_code_type, help="団体コード（既定は PDF に記録された団体コード）")
