"""``yakuba insurance kaigo calculate --input FILE.json``: the 介護保険料 of a 第1号被保険者
(contract §3; no database). The ``insurance`` group is shared with the other insurance apps.
``follow`` and ``age-events``: 資格 from the registry (``linkage.consumer_cli``, shared with the other
app on the same machinery). ``special-address``: 住所地特例; ``certification``: 要介護認定 records;
``copay``: the annual 利用者負担割合 and the 負担割合証 (contract §3.10)."""

from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def _clerk(lg_code: str):
    """The command's work as the system actor in one transaction; a refusal is one line per
    field on stderr and exit 2 (never a traceback)."""
    from yakuba.long_term_care.services import Rejected
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError

    try:
        with tenant_command(lg_code):
            yield
    except Rejected as exc:
        raise CliError("\n".join(f"{e['field']}: {e['message']}" for e in exc.errors)) from None


def _print_special(line) -> None:
    end = f"　終了 {line.ended_on}（{line.end_reason}）" if line.ended_on else ""
    print(
        f"{line.atena_no}\t{line.name}\t{line.facility_kind}\t{line.facility_name}\t入所 {line.admitted_on}"
        f"\t{line.municipality_name}（{line.municipality}）{end}"
    )


def _cmd_special_apply(args) -> int:
    from yakuba.long_term_care.services import special_address

    with _clerk(args.lg_code):
        line = special_address.apply_special(
            args.atena_no,
            args.direction,
            args.facility_name,
            args.facility_kind,
            args.admitted_on,
            args.municipality,
        )
    _print_special(line)
    return 0


def _cmd_special_end(args) -> int:
    from yakuba.long_term_care.services import special_address

    with _clerk(args.lg_code):
        line = special_address.end_special(args.atena_no, args.direction, args.ended_on, args.reason)
    _print_special(line)
    return 0


def _cmd_special_list(args) -> int:
    from yakuba.long_term_care.services import special_address

    after, shown = "", 0
    while True:
        with _clerk(args.lg_code):
            lines, after = special_address.special_list(args.direction, after=after)
        for line in lines:
            _print_special(line)
        shown += len(lines)
        if not after:
            break
    print(f"{shown:,} 人")
    return 0


def _print_certification(line) -> None:
    d = line.decision
    result = (
        f"{d.level_label}　認定日 {d.decided_on}"
        + (f"　有効期間 {d.valid_from}〜{d.valid_until}" if d.valid_from else "")
        + (f"（訂正 {len(line.decisions) - 1} 件）" if len(line.decisions) > 1 else "")
        if d
        else "結果なし"
    )
    print(
        f"申請 {line.application_id}\t{line.atena_no}\t{line.kind_label}\t申請日 {line.applied_on}\t{result}"
    )


def _cmd_certification_add(args) -> int:
    from yakuba.long_term_care.services import certification

    with _clerk(args.lg_code):
        line = certification.add_certification(
            args.atena_no,
            args.applied_on,
            args.kind,
            level=args.level,
            decided_on=args.decided_on,
            valid_from=args.valid_from,
            valid_until=args.valid_until,
        )
    _print_certification(line)
    return 0


def _cmd_certification_decide(args) -> int:
    from yakuba.long_term_care.services import certification

    with _clerk(args.lg_code):
        line = certification.add_decision(
            args.application, args.level, args.decided_on, args.valid_from, args.valid_until
        )
    _print_certification(line)
    return 0


def _cmd_certification_list(args) -> int:
    from yakuba.long_term_care.services import certification

    with _clerk(args.lg_code):
        lines = certification.certifications(args.atena_no)
    for line in lines:
        _print_certification(line)
    if not lines:
        print("要介護認定の記録はありません")
    return 0


def _cmd_copay(args) -> int:
    """The annual decision with a progress bar (resumes after an interruption); ``--out`` writes
    every person's 負担割合証 too."""
    from tqdm import tqdm

    from yakuba.long_term_care.services import copay, documents
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.errors import CliError
    from yakuba.platform.tenancy.context import tenant_context

    with _clerk(args.lg_code):
        copay.refuse_year(args.year)
        documents.refuse_insurer_no(args.insurer_no)
        total = copay.certified_total(args.year)
    # Each page commits on its own (platform.batch): not inside the one transaction of _clerk.
    with (
        bind_actor(SYSTEM),
        tqdm(total=total, unit="人", desc=f"{args.year}年8月 利用者負担割合", disable=None) as bar,
    ):
        status = copay.run_copay(args.lg_code, args.year, progress=bar.update)
    with bind_actor(SYSTEM), tenant_context(args.lg_code):
        counts = copay.share_counts(args.year)
    print(f"{args.year}年8月1日からの利用者負担割合: {status.done:,} 人（" + "・".join(counts) + "）")
    if args.out:
        # One transaction a page of cards (write_copay_cards), not one for the whole run.
        with (
            bind_actor(SYSTEM),
            tqdm(total=status.done, unit="枚", desc=documents.TITLE, disable=None) as bar,
        ):
            try:
                written, withheld = documents.write_copay_cards(
                    args.lg_code,
                    args.year,
                    args.out,
                    insurer_no=args.insurer_no,
                    progress=bar.update,
                    workers=args.workers,
                )
            except OSError as exc:
                raise CliError(f"--out {args.out}: 出力先に書き込めません（{exc.strerror}）") from None
        print(f"{documents.TITLE}: {written:,} 枚を {args.out} に出力しました")
        if withheld:
            print(
                "支援措置の対象者を含むため一括作成から除きました（窓口で個別に作成してください）:"
                f" {len(withheld):,} 件 {' '.join(withheld)}"
            )
    return 0


def register(sub, lg_code_type) -> None:
    from pathlib import Path

    from yakuba.long_term_care.codes import CareLevel, CertificationKind, Direction, EndReason, FacilityKind
    from yakuba.platform import calculations
    from yakuba.platform.argtypes import iso_date
    from yakuba.platform.cli_support import command, group, workers_argument
    from yakuba.platform.linkage.consumer_cli import Words, add_commands

    insurance = group(sub, "insurance", "保険（国保・後期高齢者医療・介護保険）", metavar="AREA")
    kaigo = group(insurance, "kaigo", "介護保険（第1号被保険者）")
    calculations.add_command(
        kaigo,
        "介護保険料（保険料段階）と利用者負担割合",
        "§9.4.1",
        "yakuba.long_term_care.services",
        "KaigoIn",
        "calculate_kaigo",
    )
    add_commands(kaigo, lg_code_type, Words("yakuba.long_term_care.services", "介護保険", 65))
    date_arg = {"type": iso_date, "metavar": "YYYY-MM-DD"}

    special = group(kaigo, "special-address", "住所地特例（介護保険法第13条）")
    p = command(special, "apply", "住所地特例の適用を記録する", _cmd_special_apply, lg_code_type)
    p.add_argument("atena_no", metavar="ATENA_NO", help="宛名番号")
    p.add_argument(
        "--direction",
        required=True,
        choices=Direction.values,
        help="ours: 住所地特例者、theirs: 他市町村住所地特例者",
    )
    p.add_argument("--facility-name", required=True, help="施設名")
    p.add_argument("--facility-kind", required=True, choices=FacilityKind.values, help="施設の種類")
    p.add_argument("--admitted-on", required=True, help="入所日", **date_arg)
    p.add_argument(
        "--municipality",
        required=True,
        metavar="LG_CODE",
        help="施設所在地（ours）または保険者（theirs）の団体コード",
    )
    p = command(
        special, "end", "住所地特例の終了を記録する（退所・転居・死亡）", _cmd_special_end, lg_code_type
    )
    p.add_argument("atena_no", metavar="ATENA_NO", help="宛名番号")
    p.add_argument("--direction", required=True, choices=Direction.values)
    p.add_argument("--ended-on", required=True, help="終了日", **date_arg)
    p.add_argument("--reason", required=True, choices=EndReason.values, help="終了事由")
    p = command(special, "list", "住所地特例が適用中の方の一覧", _cmd_special_list, lg_code_type)
    p.add_argument(
        "--direction",
        default="theirs",
        choices=Direction.values,
        help="既定 theirs（当市町村の施設の他市町村住所地特例者）",
    )

    cert = group(kaigo, "certification", "要介護認定の記録（申請と結果）")
    p = command(cert, "add", "申請（と結果）を記録する", _cmd_certification_add, lg_code_type)
    p.add_argument("atena_no", metavar="ATENA_NO", help="宛名番号")
    p.add_argument("--applied-on", required=True, help="申請日", **date_arg)
    p.add_argument("--kind", required=True, choices=CertificationKind.values, help="申請区分")
    _result_arguments(p, CareLevel, date_arg, required=False)
    p = command(
        cert,
        "decide",
        "記録済みの申請の結果（または結果の訂正）を記録する",
        _cmd_certification_decide,
        lg_code_type,
    )
    p.add_argument("application", metavar="APPLICATION_ID", type=int, help="申請の番号")
    _result_arguments(p, CareLevel, date_arg, required=True)
    p = command(cert, "list", "申請と結果の履歴", _cmd_certification_list, lg_code_type)
    p.add_argument("atena_no", metavar="ATENA_NO", help="宛名番号")

    p = command(
        kaigo,
        "copay",
        "8月1日の利用者負担割合の判定（中断しても再実行で続きから）と負担割合証",
        _cmd_copay,
        lg_code_type,
    )
    p.add_argument(
        "--year",
        required=True,
        type=int,
        metavar="YYYY",
        help="判定する年（その年の8月1日から翌年7月31日まで）",
    )
    p.add_argument("--out", type=Path, metavar="DIR", help="負担割合証（PDF、1人1ファイル）の出力先")
    p.add_argument("--insurer-no", metavar="NNNNNN", help="保険者番号（既定: 団体コード）")
    workers_argument(p)


def _result_arguments(p, levels, date_arg: dict, *, required: bool) -> None:
    p.add_argument("--level", required=required, choices=levels.values, help="認定結果")
    p.add_argument("--decided-on", required=required, help="認定日", **date_arg)
    p.add_argument("--valid-from", help="有効期間の開始", **date_arg)
    p.add_argument("--valid-until", help="有効期間の終了", **date_arg)
