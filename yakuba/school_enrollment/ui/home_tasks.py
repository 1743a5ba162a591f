"""The 学齢簿's line of the home screen's 「今日の業務」 (registered in ``apps.py``): the notices a
late 転入 left to send (健診後・就学通知後の転入), linking to the work list. One count query."""

from __future__ import annotations

from django.urls import reverse

from yakuba.platform.ui.home import HomeTask, Urgency
from yakuba.school_enrollment.services import lookup


def school_tasks(request) -> list[HomeTask]:
    count = lookup.open_work_count()
    return [
        HomeTask(
            "学齢簿 通知の作成待ち（健診後・通知後の転入）",
            f"{count:,}件",
            reverse("school_enrollment:work"),
            Urgency.WARNING if count else Urgency.INFO,
            link_label="一覧を開く",
        )
    ]
