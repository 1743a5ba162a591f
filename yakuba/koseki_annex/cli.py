"""``yakuba koseki-annex follow|notices-in|notices-out|show|copy`` (docs/koseki_annex.md): keep the
附票 current from the registry's events, take in and send the 附票記載事項通知 files, show a 附票."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from yakuba.platform.errors import EXIT_FAILURE, CliError

SEX = {1: "男", 2: "女"}


def _follow(lg_code: str, **kwargs):
    from yakuba.koseki_annex import services  # models: only once Django is set up

    return services.follow(lg_code, **kwargs)


def _follow_koseki(lg_code: str, **kwargs):
    from yakuba.koseki_annex import services

    return services.follow_koseki(lg_code, **kwargs)


def _cmd_notices_in(args) -> int:
    from yakuba.koseki_annex import services
    from yakuba.platform.cli_support import read_input, tenant_command
    from yakuba.platform.file_issues import FileRejected

    data = read_input(args.file)
    try:
        with tenant_command(args.lg_code):
            taken = services.take_in(data, file_name=Path(args.file).name)
    except FileRejected as exc:
        for issue in exc.issues:
            print(f"{args.file}: {issue}", file=sys.stderr)
        print(f"{args.file}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"{args.file} を取り込みました: 通知 {taken.lines:,} 件、附票に記載 {taken.rows:,} 件")
    return 0


def _cmd_notices_out(args) -> int:
    from yakuba.koseki_annex import services
    from yakuba.platform.cli_support import tenant_command

    directory = Path(args.out)
    if not directory.is_dir():
        raise CliError(f"--out: ディレクトリがありません: {args.out}")
    try:
        with tenant_command(args.lg_code):
            sent = services.send_out(directory)
    except OSError as exc:
        raise CliError(f"--out: ファイルに書けません: {args.out}（{exc.strerror}）") from None
    for s in sent:
        print(f"{s.path}: 本籍地 {s.receiver} あて {s.notices:,} 件")
    print(f"附票記載事項通知: {len(sent):,} ファイル、{sum(s.notices for s in sent):,} 件")
    return 0


def _cmd_show(args) -> int:
    from yakuba.koseki_annex import services
    from yakuba.platform.cli_support import tenant_command

    if bool(args.juminhyo_code) == bool(args.honseki or args.hittosha):
        raise CliError("--juminhyo-code か、--honseki と --hittosha の組のどちらかを指定してください")
    if not args.juminhyo_code and not (args.honseki and args.hittosha):
        raise CliError("--honseki と --hittosha は両方指定してください")
    requested = None if args.copy is None else [services.Item(i) for i in args.copy]
    try:
        with tenant_command(args.lg_code):
            if args.juminhyo_code:
                annex = services.annex_of_person(
                    args.juminhyo_code, requested=requested, protected=args.protected, purpose=args.purpose
                )
            else:
                annex = services.annex_of(
                    args.honseki,
                    args.hittosha,
                    requested=requested,
                    protected=args.protected,
                    purpose=args.purpose,
                )
    except services.NotOnAnnex as exc:
        raise CliError(str(exc)) from None
    for line in _lines(annex):
        print(line)
    return 0


def _cmd_copy(args) -> int:
    """Issue a 附票の写し from the shell (a 公用 batch, a test print): the same rules, 交付履歴
    and print audit as the counter; the PDF written 0600 (names and 住所)."""
    from yakuba.certificates import services as certificates
    from yakuba.certificates.interface.cli import refused, requester_from_args, write_issued
    from yakuba.koseki_annex import services
    from yakuba.platform.cli_support import tenant_command
    from yakuba.registry.services import Visibility

    request = services.CopyRequest(
        args.honseki,
        args.hittosha,
        tuple(args.items or ()),
        mandate=args.mandate,
        persons=tuple(args.persons or ()),
    )
    requester = requester_from_args(args, person_id=args.requester_juminhyo_code or "")
    try:
        with tenant_command(args.lg_code):
            issued = services.issue_copy(request, requester=requester, visibility=Visibility())
    except certificates.RuleViolation as exc:
        raise refused(exc) from None
    return write_issued(issued, args.out)


def _cmd_furigana_notices(args) -> int:
    """The 振り仮名 notices of every 戸籍 (one PDF per notice, services/furigana_notices.py), and
    the persons no notice could be addressed to as ``unaddressed.csv`` for the clerk; both 0600.
    A run again writes the same files; ``--after`` resumes after a 戸籍ID."""
    import csv
    import io

    from tqdm import tqdm

    from yakuba.koseki_annex.services import furigana_notices
    from yakuba.platform.print_batch import out_dir, print_pages, write

    out = out_dir(args.out)
    unaddressed: list = []

    def read(after):
        page = furigana_notices.notices_page(args.as_of, after=after)
        unaddressed.extend(page.unaddressed)
        return page

    with tqdm(unit="通", desc=f"振り仮名の通知（{args.as_of}の住所）", disable=None) as bar:
        written = print_pages(
            args.lg_code, out, bar, read, furigana_notices.render, args.workers, start=args.after
        )
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(furigana_notices.unaddressed_rows(unaddressed))
    write(out, "unaddressed.csv", ("\ufeff" + text.getvalue()).encode())
    print(
        f"振り仮名の通知: {written:,} 通 → {out}（住所が附票にない方 {len(unaddressed):,} 人: unaddressed.csv）"
    )
    return 0


def _lines(annex) -> list[str]:
    lines = ["除附票（全員が除籍）"] if annex.closed else []
    if annex.honseki is not None:
        lines.append(f"本籍: {annex.honseki}　筆頭者: {annex.hittosha}")
    for p in annex.persons:
        items = [p.name]
        if p.birth_date is not None:
            items.append(f"生年月日 {p.birth_date}")
        if p.sex is not None:
            items.append(SEX.get(p.sex, str(p.sex)))
        if p.juminhyo_code is not None:
            items.append(f"住民票コード {p.juminhyo_code}")
        marks = ("　（支援措置）" if p.protected else "") + (f"　除籍 {p.left_on}" if p.left_on else "")
        lines.append("　".join(items) + marks)
        for r in p.rows:
            place = f"国外転出者（{r.country}）" if r.overseas else r.address
            lines.append(f"  {r.address_set_on}　{place}")
        for e in p.elector:
            lines.append(f"  在外選挙人名簿: {e.change} {e.on}（{e.municipality}）")
    return lines


def register(sub, lg_code_type) -> None:
    from yakuba.certificates.interface.cli import FAMILY_REQUESTERS, add_requester_arguments
    from yakuba.koseki_annex.rules.items import Item
    from yakuba.platform.argtypes import iso_date
    from yakuba.platform.cli_support import command, group, workers_argument
    from yakuba.platform.linkage.consumer_cli import add_follow, follow_loop

    actions = group(sub, "koseki-annex", "戸籍の附票", metavar="ACTION")
    add_follow(
        actions,
        lg_code_type,
        _follow,
        label="戸籍の附票（住民記録の異動）",
        changes="附票の記載・通知",
        help="住民記録の異動を附票に反映（管内本籍人は記載、管外本籍人は附票記載事項通知を作成。中断しても再実行で続きから）",
    )
    p = command(
        actions,
        "follow-koseki",
        "戸籍の届出（死亡・婚姻・転籍 …）による除籍と、戸籍の編製・消除・管内転籍を附票に反映（中断しても再実行で続きから）",
        lambda args: follow_loop(args, _follow_koseki, "戸籍の附票（戸籍の除籍・編製・消除）", "除籍・記載"),
        lg_code_type,
    )
    p.add_argument("--until-caught-up", action="store_true", help="未処理のイベントがなくなったら終了する")
    p = command(
        actions,
        "notices-in",
        "他団体からの附票記載事項通知ファイルを取り込む（全件か無か）",
        _cmd_notices_in,
        lg_code_type,
    )
    p.add_argument("file", metavar="FILE", help="附票記載事項通知ファイル（CSV、UTF-8）")
    p = command(
        actions,
        "notices-out",
        "本籍地あての附票記載事項通知ファイルを出力（本籍地ごとに1ファイル）",
        _cmd_notices_out,
        lg_code_type,
    )
    p.add_argument("--out", required=True, metavar="DIR", help="出力先のディレクトリ")
    p = command(actions, "show", "附票を表示（--copy で附票の写しの項目）", _cmd_show, lg_code_type)
    p.add_argument("--honseki", help="本籍")
    p.add_argument("--hittosha", help="筆頭者")
    p.add_argument("--juminhyo-code", help="住民票コード（その人の附票）")
    p.add_argument(
        "--copy",
        nargs="*",
        choices=[Item.DOMICILE, Item.JUMINHYO_CODE, Item.OVERSEAS_ELECTOR],
        help="附票の写しの項目で表示（請求のあった任意項目: domicile 本籍・筆頭者、juminhyo_code、overseas_elector）",
    )
    p.add_argument("--protected", action="store_true", help="支援措置の対象者も表示する")
    p.add_argument("--purpose", default="附票の照会", help="照会の目的（監査ログに記録）")
    p = command(
        actions, "copy", "戸籍の附票の写しを発行（署名付き PDF、交付履歴に記録）", _cmd_copy, lg_code_type
    )
    p.add_argument("--honseki", required=True, help="本籍")
    p.add_argument("--hittosha", required=True, help="筆頭者")
    p.add_argument(
        "--items",
        nargs="*",
        choices=[Item.DOMICILE, Item.JUMINHYO_CODE, Item.OVERSEAS_ELECTOR],
        help="請求により記載する事項（domicile 本籍・筆頭者、juminhyo_code、overseas_elector）",
    )
    add_requester_arguments(
        p, choices=FAMILY_REQUESTERS, atena_help="請求者（本人: 附票に記録されている者）の宛名番号"
    )
    p.add_argument(
        "--requester-juminhyo-code",
        help="請求者（本人）の住民票コード（附票に記録されている、他の市区町村の住民）",
    )
    p.add_argument(
        "--persons", nargs="*", metavar="CODE", help="記載する者の住民票コード（一部の写し。省略時は全員）"
    )
    p.add_argument("--mandate", action="store_true", help="代理人の委任状を確認した")
    p.add_argument("--out", required=True, metavar="FILE", help="書き出す PDF")
    p = command(
        actions,
        "furigana-notices",
        "振り仮名の通知: 戸籍ごと、基準日の附票の住所ごとに4人までで1通の PDF（支援措置の対象者は1人で1通）",
        _cmd_furigana_notices,
        lg_code_type,
    )
    p.add_argument(
        "--as-of",
        type=iso_date,
        default=date(2025, 5, 26),
        metavar="YYYY-MM-DD",
        help="住所の基準日（既定: 2025-05-26）",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="PDF を書き出すディレクトリ")
    p.add_argument(
        "--after", default="", metavar="KOSEKI_ID", help="この戸籍IDの次から（中断した作成の続き）"
    )
    workers_argument(p)
