"""児童手当's lines of the home screen's 「今日の業務」 (registered in ``apps.py``): the open work
items of each kind — 認定請求 and 額改定認定請求 not yet received — each linking to its list. One
grouped query whatever their number."""

from __future__ import annotations

from yakuba.child_allowance.codes import WorkKind
from yakuba.child_allowance.services import lookup
from yakuba.child_allowance.ui.work_views import work_url
from yakuba.platform.ui.home import HomeTask, Urgency


def allowance_tasks(request) -> list[HomeTask]:
    counts = lookup.open_counts()
    return [
        HomeTask(
            f"児童手当 {WorkKind(kind).label}",
            f"{counts[kind]:,}件",
            work_url(kind),
            Urgency.WARNING if counts[kind] else Urgency.INFO,
            note="出生・転入から15日以内の請求なら、事由の翌月分から支給されます（15日特例）。",
            link_label="一覧を開く",
        )
        for kind in WorkKind.values
    ]
