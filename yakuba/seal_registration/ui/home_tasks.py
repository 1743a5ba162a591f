"""The 印鑑登録 line of the home screen's 「今日の業務」 (registered in ``apps.py``): the 照会書
waiting for their 回答書 within the deadline, linking to their list. One count query."""

from __future__ import annotations

from django.urls import reverse

from yakuba.platform.ui.home import HomeTask, Urgency
from yakuba.seal_registration.services import queries


def seal_tasks(request) -> list[HomeTask]:
    count = queries.pending_count()
    return [
        HomeTask(
            "印鑑登録 回答書待ちの照会書",
            f"{count:,}件",
            reverse("seal_registration:inquiries"),
            Urgency.INFO,
            link_label="一覧を開く",
        )
    ]
