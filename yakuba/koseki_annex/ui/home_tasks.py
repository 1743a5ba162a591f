"""The 附票 line of the home screen's 「今日の業務」 (registered in ``apps.py``): the
附票記載事項通知 waiting to be sent to other 本籍地 (住民基本台帳法 第19条1項: "promptly"),
linking to the page that writes them. One count query."""

from __future__ import annotations

from django.urls import reverse

from yakuba.koseki_annex.services import unsent_count
from yakuba.platform.ui.home import HomeTask, Urgency


def annex_tasks(request) -> list[HomeTask]:
    count = unsent_count()
    return [
        HomeTask(
            "附票記載事項通知 未送信",
            f"{count:,}件",
            reverse("koseki_annex:notices"),
            Urgency.INFO,
            link_label="送信する",
        )
    ]
