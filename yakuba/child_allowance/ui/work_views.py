"""The 児童手当 work list: births and 転入 whose 認定請求 (or 額改定認定請求) has not been received,
nearest 15日特例 deadline first. The item closes when the 請求 is recorded."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from yakuba.child_allowance import access
from yakuba.child_allowance.codes import WorkKind
from yakuba.child_allowance.services import lookup
from yakuba.child_allowance.ui.views import ACTIVE, VISIBILITY
from yakuba.platform.ui.insured import asked_cursor
from yakuba.platform.ui.staff import staff_view

NOTES = {
    WorkKind.CLAIM: "出生・転入のあった世帯です。認定請求を受け付けると一覧から外れます。"
    "期限は15日特例が使える最後の日です（転入は転入日から数えた目安。転出証明書の転出予定日の翌日から数えます）。",
    WorkKind.REVISION: "受給者の世帯に子が生まれました。額改定は自動ではありません。"
    "額改定認定請求を受け付けると一覧から外れます。",
}


def work_url(kind: str) -> str:
    return reverse("child_allowance:work") + "?" + urlencode({"kind": kind})


@staff_view(roles=access.STAFF_ROLES)
def work_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in WorkKind.values else WorkKind.CLAIM
    cursor = asked_cursor(request.GET.get("after", "")[:40])  # ``YYYY-MM-DD:id`` of the last row
    after = (cursor[0], int(cursor[1])) if cursor else None
    rows, last = lookup.work_page(kind, after=after, visibility=VISIBILITY)
    return render(
        request,
        "child_allowance/work_list.html",
        {
            "kind": kind,
            "title": WorkKind(kind).label,
            "note": NOTES[kind],
            "kinds": [(k, WorkKind(k).label, work_url(k)) for k in WorkKind.values],
            "count": lookup.open_counts()[kind],
            "rows": rows,
            "next_url": work_url(kind) + f"&after={last[0].isoformat()}:{last[1]}" if last else "",
            "first_url": work_url(kind) if after else "",
            "active": ACTIVE,
        },
    )
