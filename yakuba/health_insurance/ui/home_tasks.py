"""国保's lines of the home screen's 「今日の業務」 (registered in ``apps.py``): the open work items
of each kind — 加入届 pending, 75歳到達, 異動の取消し — each linking to its list. One grouped
query on the work items' (lg_code, kind, status) index, whatever their number."""

from __future__ import annotations

from yakuba.health_insurance.codes import WorkKind
from yakuba.health_insurance.services import lookup
from yakuba.health_insurance.ui.work_views import TITLES, work_url
from yakuba.platform.ui.home import HomeTask, Urgency


def insurance_tasks(request) -> list[HomeTask]:
    counts = lookup.open_counts()
    return [
        HomeTask(
            f"国保 {TITLES[kind]}",
            f"{counts[kind]:,}件",
            work_url(kind),
            Urgency.WARNING if counts[kind] and kind == WorkKind.ENROLMENT else Urgency.INFO,
            link_label="一覧を開く",
        )
        for kind in WorkKind.values
    ]
