"""The 在外選挙人名簿's line of the home screen's 「今日の業務」: 国外転出 whose 出国時申請 window is
still open, and 戸籍の附票 notices to send (two count queries)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from yakuba.overseas_electors.services import queries
from yakuba.platform.ui.home import HomeTask, Urgency


def overseas_tasks(request) -> list[HomeTask]:
    leads = queries.open_lead_count(timezone.localdate())
    notices = queries.notices_to_send_count()
    return [
        HomeTask(
            "在外選挙 出国時申請の案内（国外転出）・附票の通知",
            f"{leads:,}件・{notices:,}件",
            reverse("overseas_electors:work"),
            Urgency.WARNING if leads or notices else Urgency.INFO,
            link_label="一覧を開く",
        )
    ]
