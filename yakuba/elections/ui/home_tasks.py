"""The 選挙人名簿's lines of the home screen's 「今日の業務」 (registered in ``apps.py``): the 閲覧の
申出 waiting for their 審査, and the approved ones whose 閲覧日 is today. One query."""

from __future__ import annotations

from django.urls import reverse

from yakuba.elections.services import viewing
from yakuba.platform.ui.home import HomeTask, Urgency


def election_tasks(request) -> list[HomeTask]:
    pending, today = viewing.open_counts()
    url = reverse("elections:viewings")
    return [
        HomeTask("選挙人名簿抄本 閲覧の申出（審査待ち）", f"{pending:,}件", url,
                 Urgency.WARNING if pending else Urgency.INFO, link_label="一覧を開く"),
        HomeTask("選挙人名簿抄本 本日の閲覧", f"{today:,}件", url, Urgency.INFO, link_label="一覧を開く"),
    ]  # fmt: skip
