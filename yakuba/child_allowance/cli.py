"""``yakuba child allowance …``: ``calculate`` the month's 児童手当 (contract §3, §9.5; no
database); ``follow`` the registry's events (work items, 消滅); ``age-review`` a month (the
amounts a child's age changes); ``claim``, ``revise`` and ``end`` — the 認定請求, 額改定認定請求
and 受給事由消滅届 from a JSON file (the API's bodies); ``show`` a 受給者. The ``child`` group is
shared with the 児童扶養手当 app."""

from __future__ import annotations

import json
import time
from dataclasses import asdict

POLL_SECONDS = 5


def _cmd_follow(args) -> int:
    """Follow the municipality's event feed with a progress bar; ``--until-caught-up`` stops
    when no event is left, otherwise it waits for new ones."""
    from tqdm import tqdm

    from yakuba.child_allowance.services import follow
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        pass  # a municipality that is not registered stops here with its message
    with bind_actor(SYSTEM), tqdm(unit="件", desc="児童手当（住民記録の異動）", disable=None) as bar:
        while True:
            done = follow.follow(args.lg_code, progress=bar.update)
            if args.until_caught_up:
                break
            time.sleep(POLL_SECONDS)
    print(f"処理したイベント: 累計 {done.total:,} 件（作業・受給の変更 {done.changes:,} 件）")
    return 0


def _cmd_age_review(args) -> int:
    from tqdm import tqdm

    from yakuba.child_allowance.services import Rejected, revision
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError

    with tenant_command(args.lg_code):
        pass
    try:
        with bind_actor(SYSTEM), tqdm(unit="件", desc="年齢による額改定", disable=None) as bar:
            done = revision.age_review(args.lg_code, args.month, progress=bar.update)
    except Rejected as exc:
        raise CliError(f"--month: {exc.errors[0]['message']}") from None
    print(
        f"{done.month.year}年{done.month.month}月分まで: 受給者 {done.entitlements:,} 人を確認し、"
        f"額改定 {done.revised:,} 件、消滅 {done.ended:,} 件"
    )
    return 0


def _filing(args, model_name: str, apply) -> int:
    """A filing from ``--input``: the 受給者's record as JSON (exit 0), or every reason as
    ``FILE: field: 理由`` on stderr (exit 2)."""
    import sys

    from pydantic import ValidationError

    from yakuba.child_allowance import services
    from yakuba.platform.cli_support import read_input, tenant_command
    from yakuba.platform.errors import EXIT_USAGE
    from yakuba.platform.schema_errors import message, path

    model = getattr(services, model_name)
    try:
        body = model.model_validate_json(read_input(args.input))
        with tenant_command(args.lg_code):
            atena_no = apply(body)
            shown = services.lookup.entitlements_of(atena_no, visibility=_see_all())[0]
    except ValidationError as exc:
        errors = [{"field": path(e["loc"]) or "(全体)", "message": message(e)} for e in exc.errors()]
    except services.CalculationRejected as exc:
        errors = exc.errors
    else:
        print(json.dumps(asdict(shown), ensure_ascii=False, indent=2, default=str))
        return 0
    for e in errors:
        print(f"{args.input}: {e['field']}: {e['message']}", file=sys.stderr)
    return EXIT_USAGE


def _see_all():
    """The CLI runs as the system for the operator, who sees persons under 支援措置 (as the
    registry's CLI)."""
    from yakuba.registry.services import Visibility

    return Visibility(protected=True)


def _cmd_claim(args) -> int:
    from yakuba.child_allowance.services import certification

    return _filing(
        args,
        "ClaimIn",
        lambda body: certification.certify(body, visibility=_see_all()).plan.claimant_atena_no,
    )


def _cmd_revise(args) -> int:
    from yakuba.child_allowance.services import revision

    def apply(body) -> str:
        revision.apply_revision(body, visibility=_see_all())
        return body.claimant_atena_no

    return _filing(args, "RevisionIn", apply)


def _cmd_end(args) -> int:
    from yakuba.child_allowance.services import revision

    def apply(body) -> str:
        revision.apply_end(body, visibility=_see_all())
        return body.claimant_atena_no

    return _filing(args, "EndIn", apply)


def _cmd_show(args) -> int:
    from yakuba.child_allowance.services import lookup
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.errors import CliError

    with tenant_command(args.lg_code):
        try:
            views = lookup.entitlements_of(args.atena_no, visibility=_see_all())
        except lookup.NotFound:
            raise CliError(f"宛名番号 {args.atena_no} の受給者は見つかりません") from None
    print(json.dumps([asdict(v) for v in views], ensure_ascii=False, indent=2, default=str))
    return 0


def register(sub, lg_code_type) -> None:
    from yakuba.platform import calculations
    from yakuba.platform.argtypes import year_month
    from yakuba.platform.cli_support import command, group

    child = group(sub, "child", "子ども（児童手当・児童扶養手当）", metavar="AREA")
    allowance = group(child, "allowance", "児童手当")
    calculations.add_command(
        allowance,
        "児童手当の月額",
        "§9.5",
        "yakuba.child_allowance.services",
        "AllowanceIn",
        "calculate_allowance",
    )
    p = command(
        allowance,
        "follow",
        "住民記録の異動から作業・消滅を登録（中断しても再実行で続きから）",
        _cmd_follow,
        lg_code_type,
    )
    p.add_argument("--until-caught-up", action="store_true", help="未処理のイベントがなくなったら終了する")
    p = command(
        allowance,
        "age-review",
        "子の年齢による額改定（3歳・18歳年度末・22歳年度末）をその月分まで",
        _cmd_age_review,
        lg_code_type,
    )
    p.add_argument(
        "--month", required=True, type=year_month, metavar="YYYY-MM", help="確認する最後の月（今月まで）"
    )
    for name, help_, handler in (
        ("claim", "認定請求を登録（JSON: API の POST child-allowance/claims と同じ）", _cmd_claim),
        ("revise", "額改定認定請求を登録（JSON: POST child-allowance/revisions と同じ）", _cmd_revise),
        ("end", "受給事由消滅届を登録（JSON: POST child-allowance/endings と同じ）", _cmd_end),
    ):
        p = command(allowance, name, help_, handler, lg_code_type)
        p.add_argument("--input", required=True, metavar="FILE.json", help="届出の JSON（- で標準入力）")
    p = command(allowance, "show", "受給者の認定と月額の履歴（JSON）", _cmd_show, lg_code_type)
    p.add_argument("--atena-no", required=True, metavar="宛名番号", help="受給者の宛名番号")
    # The 支払 commands (payments_cli.py) join the same ``child allowance`` group.
    from yakuba.child_allowance import payments_cli

    payments_cli.register(allowance, lg_code_type)
