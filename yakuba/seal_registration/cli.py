"""``yakuba seal follow LG_CODE [--until-caught-up]``: the registry's events applied to the
印鑑登録 (転出 → 廃止, 死亡・消除 → 抹消, a new 氏 the seal no longer shows → 抹消; civil-facts §2.5).
Run it as a long-lived process beside the server, as the other consumers are."""

from __future__ import annotations


def _follow(lg_code: str, **kwargs):
    from yakuba.seal_registration.services import follow  # models: only once Django is set up

    return follow.follow(lg_code, **kwargs)


def register(sub, lg_code_type) -> None:
    from yakuba.platform.cli_support import group
    from yakuba.platform.linkage.consumer_cli import add_follow

    actions = group(sub, "seal", "印鑑登録", metavar="ACTION")
    add_follow(
        actions,
        lg_code_type,
        _follow,
        label="印鑑登録（住民記録の異動）",
        changes="廃止・抹消",
        help="住民記録の異動を印鑑登録に反映（転出→廃止、死亡→抹消。中断しても再実行で続きから）",
    )
