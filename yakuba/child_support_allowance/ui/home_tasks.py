"""The 児童扶養手当's line of the home screen's 「今日の業務」 (registered in ``apps.py``): the 現況届
not yet filed for the 支給年度 in hand (one count on the open-report index), linking to the list;
a warning once November has come (the 手当 is withheld until they are filed)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from yakuba.child_support_allowance.services import status_report
from yakuba.platform.ui.home import HomeTask, Urgency


def support_allowance_tasks(request) -> list[HomeTask]:
    year = status_report.current_benefit_year()
    count = status_report.outstanding_count(year)
    withheld = timezone.localdate().month not in (8, 9, 10) and count  # November has come
    return [
        HomeTask(
            f"児童扶養手当 {year}年度の現況届 未提出",
            f"{count:,}件",
            reverse("child_support_allowance:work") + f"?year={year}",
            Urgency.WARNING if withheld else Urgency.INFO,
            note="11月分から差止め中です" if withheld else "",
            link_label="一覧を開く",
        )
    ]
