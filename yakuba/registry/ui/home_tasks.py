"""The registry's lines of the home screen's 「今日の業務」 (registered in ``apps.py``).

What a 窓口 clerk or 管理者 looks at first in the morning: 異動 already filed today, 転出予定
left past their date (to be 消除 or withdrawn), 支援措置 ending this month (支援措置期間終了通知,
extension requests: 住民記録システム標準仕様書 §3.4) and the 住民票コード pool, which must be
topped up from 住基ネット CS before it runs out (§4.3), or no one can be recorded.
"""

from __future__ import annotations

from django.urls import reverse

from yakuba.platform.ui.home import HomeTask, Urgency
from yakuba.registry.services.workload import workload
from yakuba.registry.ui.access import PROTECTION_ROLES


def registry_tasks(request) -> list[HomeTask]:
    """The figures for the clerk's roles (``WRITE_ROLES`` see these at all: ``apps.py``)."""
    day = workload()
    tasks = [
        HomeTask(
            "本日の異動",
            f"{day.moves_today:,}件",
            reverse("registry:move-menu"),
            link_label="異動入力を開く",
        )
    ]
    if day.overdue_move_outs:
        tasks.append(
            HomeTask(
                "転出予定日を過ぎた転出予定者",
                f"{day.overdue_move_outs:,}人",
                urgency=Urgency.WARNING,
                note="転入通知を確認し、転出の消除または取消しを入力してください。",
            )
        )
    if PROTECTION_ROLES & set(request.roles):
        ending = day.protections_ending
        tasks.append(
            HomeTask(
                "今月で期間が終了する支援措置",
                f"{ending:,}件",
                reverse("registry:protections-expiring"),
                Urgency.WARNING if ending else Urgency.INFO,
                note="期間終了の通知と延長の申出を確認してください。" if ending else "",
                link_label="期間終了の一覧を開く",
            )
        )
    free = day.juminhyo_codes_free
    if free == 0:
        urgency, note = (
            Urgency.ALERT,
            "未使用のコードがありません。住基ネットCSから取り込むまで記載できません。",
        )
    elif free < day.juminhyo_codes_low:
        urgency, note = Urgency.WARNING, "残りが少なくなっています。住基ネットCSから取り込んでください。"
    else:
        urgency, note = Urgency.INFO, ""
    tasks.append(HomeTask("住民票コードの残り", f"{free:,}件", urgency=urgency, note=note))
    return tasks
