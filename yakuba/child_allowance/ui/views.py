"""児童手当 staff screens: 受給者 照会 — a 受給者 by 宛名番号 with each 認定's children and the
history of its amount (every period, newest first, with the engine's steps) — and the list of
受給者 in 認定 order.

For the 福祉 staff only (access.py). Persons under 支援措置 are shown as the registry's screens
show them to this role: not at all (services/lookup.py); the attempt is audited.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from yakuba.child_allowance import access
from yakuba.child_allowance.codes import Status
from yakuba.child_allowance.services import lookup
from yakuba.platform.ui.staff import staff_view
from yakuba.registry import services as registry

ACTIVE = "child_allowance"
NUMBER = re.compile(r"^\d{1,15}$")
# The welfare role does not see persons under 支援措置 (registry/ui/access.py: only 窓口 and
# 管理者 do), nor 個人番号 on these screens.
VISIBILITY = registry.Visibility()


def lookup_url(atena_no: str) -> str:
    return reverse("child_allowance:lookup") + "?" + urlencode({"atena_no": atena_no})


@staff_view(roles=access.STAFF_ROLES)
def lookup_view(request):
    atena_no = request.GET.get("atena_no", "").strip()[:15]
    context = {"atena_no": atena_no, "counts": lookup.open_counts(), "active": ACTIVE}
    status = 200
    if atena_no and not NUMBER.match(atena_no):
        context["error"], status = "宛名番号は数字で入力してください", 422
    elif atena_no:
        try:
            context["entitlements"] = lookup.entitlements_of(atena_no, visibility=VISIBILITY)
        except lookup.NotFound:
            context["error"], status = f"宛名番号 {atena_no} の受給者は見つかりません", 404
    return render(request, "child_allowance/lookup.html", context, status=status)


@staff_view(roles=access.STAFF_ROLES)
def list_view(request):
    """受給者一覧 (``?status=active|ended``, keyset ``?after=id``)."""
    status = request.GET.get("status", Status.ACTIVE)
    status = status if status in Status.values else Status.ACTIVE
    after = request.GET.get("after", "")
    after_id = int(after) if after.isascii() and after.isdigit() and len(after) < 12 else 0
    rows, last = lookup.entitlement_page(status=status, after=after_id, visibility=VISIBILITY)
    base = reverse("child_allowance:list") + "?" + urlencode({"status": status})
    return render(
        request,
        "child_allowance/list.html",
        {
            "status": status,
            "statuses": [(s, Status(s).label) for s in Status.values],
            "rows": rows,
            "next_url": f"{base}&after={last}" if last else "",
            "first_url": base if after_id else "",
            "active": ACTIVE,
        },
    )
