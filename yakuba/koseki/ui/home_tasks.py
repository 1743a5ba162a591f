"""The 戸籍 line of the home screen's 「今日の業務」 (registered in ``apps.py``): today's 届出 in the
受付帳, the 不受理 among them. One count query."""

from __future__ import annotations

from django.urls import reverse

from yakuba.koseki.services import search
from yakuba.platform.ui.home import HomeTask, Urgency


def koseki_tasks(request) -> list[HomeTask]:
    received, refused = search.received_today()
    return [
        HomeTask(
            "戸籍 本日の届出",
            f"{received:,}件（うち不受理 {refused:,}件）",
            reverse("koseki:ledger"),
            Urgency.INFO,
            link_label="受付帳を開く",
        )
    ]
