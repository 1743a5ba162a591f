"""``yakuba insurance kokuho notices|cards …``: the 国保 documents printed in bulk for a print shop.

One PDF per 世帯 (納税通知書) or per person (資格確認書), named so that the files sort in 世帯番号
(宛名番号) order: a print shop's 封入 line takes one file per envelope, and a notice printed again
after a 更正 — or a card lost and issued again — replaces one file, not a thousand-page volume.
Pages of ``PAGE`` are read in a transaction each (one audit row per page naming its range);
rendering happens outside it (``platform.print_batch``). A 世帯 or person under 支援措置 is never
written for the print shop: the command names them for a clerk with the right to print one by one.
"""

from __future__ import annotations


def _cmd_notices(args) -> int:
    """納税通知書（納入通知書） of every 世帯 with a stored 本算定 of the 年度 (or one ``--setai``)."""
    from tqdm import tqdm

    from yakuba.health_insurance.services import notices
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError
    from yakuba.platform.print_batch import out_dir, print_pages, write
    from yakuba.registry import services as registry

    out = out_dir(args.out)
    if args.setai:
        with tenant_command(args.lg_code):
            try:
                body, name = notices.notice_pdf(
                    args.setai, args.year, visibility=registry.Visibility(protected=True)
                )
            except notices.PremiumMissing as exc:
                raise CliError(str(exc)) from None
        write(out, name, body)
        print(f"{args.year}年度の通知書: 世帯番号 {args.setai} → {out / name}")
        return 0
    with tenant_command(args.lg_code):
        total = notices.households_to_notify(args.year)
    if not total:
        raise CliError(
            f"{args.year}年度の本算定がありません（yakuba insurance kokuho annual の後に実行してください）"
        )
    with tqdm(total=total, unit="世帯", desc=f"{args.year}年度 国保 納税通知書", disable=None) as bar:
        written = print_pages(
            args.lg_code,
            out,
            bar,
            lambda after: notices.notices_page(args.year, after=after),
            notices.render,
            args.workers,
        )
    print(f"{args.year}年度の国民健康保険税（料）の通知書: {written:,} 世帯 → {out}")
    return 0


def _cmd_cards(args) -> int:
    """資格確認書 of every 被保険者 on ``--date`` (or one ``--atena``)."""
    from tqdm import tqdm

    from yakuba.health_insurance.services import card
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError
    from yakuba.platform.print_batch import out_dir, print_pages, write
    from yakuba.registry import services as registry

    try:
        terms = card.Terms.of(args.date, args.insurer, args.valid_until, args.issued)
    except card.CardRejected as exc:
        raise CliError(str(exc)) from None
    out = out_dir(args.out)
    if args.atena:
        with tenant_command(args.lg_code):
            try:
                body, name = card.card_pdf(
                    args.atena,
                    on=terms.on,
                    insurer_no=terms.insurer_no,
                    valid_until=terms.valid_until,
                    issued_on=terms.issued_on,
                    visibility=registry.Visibility(protected=True),
                )
            except card.CardRejected as exc:
                raise CliError(str(exc)) from None
            except registry.NotFound:
                raise CliError(f"宛名番号 {args.atena} の住民はいません") from None
        write(out, name, body)
        print(f"資格確認書: 宛名番号 {args.atena} → {out / name}")
        return 0
    with tenant_command(args.lg_code):
        total = card.insured_count(terms.on)
    if not total:
        raise CliError(f"{args.date.isoformat()} の国民健康保険の被保険者はいません")
    with tqdm(total=total, unit="人", desc=f"資格確認書（{args.date.isoformat()}）", disable=None) as bar:
        written = print_pages(
            args.lg_code,
            out,
            bar,
            lambda after: card.cards_page(terms, after=after),
            card.render,
            args.workers,
        )
    print(f"国民健康保険 資格確認書: {written:,} 人 → {out}")
    return 0


def register(sub, lg_code_type) -> None:
    from yakuba.platform.argtypes import iso_date
    from yakuba.platform.cli_support import command, group, workers_argument

    insurance = group(sub, "insurance", "保険（国保・後期高齢者医療・介護保険）", metavar="AREA")
    kokuho = group(insurance, "kokuho", "国民健康保険税（料）")
    p = command(
        kokuho,
        "notices",
        "納税通知書（納入通知書）: 本算定の世帯ごとに1つのPDF（支援措置の対象者を含む世帯は除く）",
        _cmd_notices,
        lg_code_type,
    )
    p.add_argument("--year", required=True, type=int, metavar="YYYY", help="年度（西暦）")
    p.add_argument("--out", required=True, metavar="DIR", help="PDFを書き出すディレクトリ")
    p.add_argument("--setai", metavar="SETAI_NO", help="この世帯だけ（支援措置の対象者も作成する）")
    workers_argument(p)
    p = command(
        kokuho,
        "cards",
        "資格確認書: 基準日の被保険者ごとに1つのPDF（支援措置の対象者は除く）",
        _cmd_cards,
        lg_code_type,
    )
    p.add_argument(
        "--date", required=True, type=iso_date, metavar="YYYY-MM-DD", help="基準日（この日の被保険者）"
    )
    p.add_argument("--out", required=True, metavar="DIR", help="PDFを書き出すディレクトリ")
    p.add_argument("--insurer", required=True, metavar="NNNNNN", help="保険者番号（6桁）")
    p.add_argument("--valid-until", required=True, type=iso_date, metavar="YYYY-MM-DD", help="有効期限")
    p.add_argument("--issued", type=iso_date, metavar="YYYY-MM-DD", help="交付年月日（省略時は今日）")
    p.add_argument("--atena", metavar="ATENA_NO", help="この人だけ（支援措置の対象者も作成する）")
    workers_argument(p)
