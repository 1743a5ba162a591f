"""The commands of a 資格 consumer by residence and age (``yakuba insurance kouki|kaigo follow``
and ``age-events``): one definition for the domains on ``linkage.qualification``; each names its
door module (with ``follow`` and ``age_events``) and its words."""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass

POLL_SECONDS = 5


@dataclass(frozen=True)
class Words:
    services: str  # the domain's door module
    insurance: str  # 後期高齢者医療, 介護保険 …
    age: int


def add_commands(actions, lg_code_type, words: Words) -> None:
    from yakuba.platform.argtypes import iso_date
    from yakuba.platform.cli_support import command

    p = command(
        actions,
        "follow",
        "住民記録の異動から資格を更新（中断しても再実行で続きから）",
        lambda args: _follow(args, words),
        lg_code_type,
    )
    p.add_argument("--until-caught-up", action="store_true", help="未処理のイベントがなくなったら終了する")
    p = command(
        actions,
        "age-events",
        f"{words.age}歳到達（その日に資格取得。follow の後に実行）",
        lambda args: _age_events(args, words),
        lg_code_type,
    )
    p.add_argument("--date", required=True, type=iso_date, metavar="YYYY-MM-DD", help="基準日")


def _follow(args, words: Words) -> int:
    services = importlib.import_module(words.services)
    return follow_loop(args, services.follow, f"{words.insurance} 資格（住民記録の異動）", "資格の変更")


def follow_loop(args, follow, label: str, changes: str) -> int:
    """Run ``follow(lg_code, progress=…)`` (a domain's ``Consumer.follow``) with a progress bar
    until caught up (``--until-caught-up``) or for ever, polling; then the totals."""
    from tqdm import tqdm

    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command

    with tenant_command(args.lg_code):
        pass  # a municipality that is not registered stops here with its message
    with bind_actor(SYSTEM), tqdm(unit="件", desc=label, disable=None) as bar:
        while True:
            done = follow(args.lg_code, progress=bar.update)
            if args.until_caught_up:
                break
            time.sleep(POLL_SECONDS)
    print(f"処理したイベント: 累計 {done.total:,} 件（{changes} {done.changes:,} 件）")
    return 0


def add_follow(actions, lg_code_type, follow, *, label: str, changes: str, help: str) -> None:
    """A ``follow`` command for any consumer of the registry's events (``follow_loop``)."""
    from yakuba.platform.cli_support import command

    p = command(actions, "follow", help, lambda args: follow_loop(args, follow, label, changes), lg_code_type)
    p.add_argument("--until-caught-up", action="store_true", help="未処理のイベントがなくなったら終了する")


def _age_events(args, words: Words) -> int:
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.cli_support import tenant_command

    services = importlib.import_module(words.services)
    with tenant_command(args.lg_code):
        pass
    with bind_actor(SYSTEM):
        acquired = services.age_events(args.lg_code, args.date)
    print(
        f"{args.date.isoformat()} の{words.age}歳到達: {acquired:,} 人が{words.insurance}の資格を取得しました"
    )
    return 0
