"""Who asked, as the ``… certificate`` / ``… copy`` commands take it: the same options in every
app that prints through the certificates machinery (a 公用 batch by default)."""

from __future__ import annotations

from yakuba.certificates.codes import Requester
from yakuba.platform.errors import CliError

# Who may ask for a 戸籍 or its 附票 (戸籍法 第10条〜第10条の3, 住民基本台帳法 第20条): no
# 同一世帯 ground, but 配偶者・直系 and 職務上請求.
FAMILY_REQUESTERS = ("self", "spouse", "lineal", "agent", "third_party", "official", "professional")


def add_requester_arguments(
    parser, *, choices=None, atena_help: str = "請求者（本人・同一世帯の者）の宛名番号"
):
    """``--requester`` (default 公用), ``--requester-name``, ``--requester-atena-no``,
    ``--purpose``; ``choices`` the requester types the app takes (default: every one)."""
    parser.add_argument(
        "--requester",
        default=Requester.OFFICIAL,
        choices=choices or [r.value for r in Requester],
        help="請求者の区分（既定: official 公用）",
    )
    parser.add_argument("--requester-name", help="請求者の氏名・機関名")
    parser.add_argument("--requester-atena-no", help=atena_help)
    parser.add_argument("--purpose", help="請求事由・利用目的（第三者・公用・職務上請求）")


def requester_from_args(args, **more):
    """The ``RequesterInfo`` of those options; ``more`` what the app adds (the requester's id in
    its own records)."""
    from yakuba.certificates.services import RequesterInfo  # models: only once Django is set up

    return RequesterInfo(
        type=args.requester,
        atena_no=args.requester_atena_no or "",
        name=args.requester_name or "",
        purpose=args.purpose or "",
        **more,
    )


def refused(violation) -> CliError:
    """A refused issue as one line: every broken rule at its field (exit 2)."""
    return CliError("発行できません: " + " / ".join(f"{f}: {m}" for f, m in violation.errors))


def write_issued(issued, out: str) -> int:
    """Write the signed PDF only its owner may read (0600: names, 住所, a family's 身分事項) and
    say its number."""
    from yakuba.platform.private_files import write_private_bytes

    try:
        write_private_bytes(out, issued.pdf)
    except OSError as exc:
        raise CliError(f"--out: ファイルに書けません: {out}（{exc.strerror}）") from None
    print(f"証明書番号 {issued.number}（{issued.pages}枚）を {out} に書きました")
    return 0
