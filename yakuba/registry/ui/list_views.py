"""世帯一覧: the 世帯 of a 町字 (or any address prefix) on screen and on paper.

A page of ``services.household_list`` at a time, keyset-paginated (the next page starts after
the last 世帯 shown, however far in); the printed page is the screen without its navigation
(print CSS: A4, never a page break inside a 世帯). Every page shown is an audited read of every
person on it (住民記録システム標準仕様書 §10.2 操作ログ); 支援措置 as on 世帯照会 (§3.4).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone

from yakuba.platform.audit.log import Action, audited, note
from yakuba.platform.ui.staff import staff_view
from yakuba.registry import services
from yakuba.registry.ui import display
from yakuba.registry.ui.access import READ_ROLES, visibility


@audited(Action.READ, "household")
def _read_page(address: str, after: tuple[str, str] | None, vis: services.Visibility):
    page = services.household_list(address, after=after, visibility=vis)
    note(
        subjects=[m.atena_no for h in page.households for m in h.members],
        list="households",
        address=address,
        setai_nos=[h.setai_no for h in page.households],
    )
    return page


def _line(household: services.HouseholdLine) -> dict:
    return {
        "setai_no": household.setai_no,
        "address": display.full_address(household),
        "head_name": household.head_name,
        "count": len(household.members),
        "members": [display.summary(m) for m in household.members],
    }


@staff_view(roles=READ_ROLES)
def household_list(request):
    """世帯一覧（印刷用）: 世帯番号, 世帯主, 住所, 人数 and the members with their 続柄 in the
    standard order (§5.2), for the address typed (from the 町字 on, or from the prefecture)."""
    address = request.GET.get("address", "").strip()[:100]
    after_address = request.GET.get("after_address", "")[:200]
    after_setai = request.GET.get("after_setai", "")[:15]
    after = (after_address, after_setai) if after_address and after_setai else None
    errors: dict[str, str] = {}
    page = None
    if "address" in request.GET:
        try:
            page = _read_page(address, after, visibility(request.roles))
        except services.RuleViolation as exc:
            errors = dict(exc.errors)
    next_url = ""
    if page and page.next:
        after_key = {"after_address": page.next[0], "after_setai": page.next[1]}
        next_url = "?" + urlencode({"address": address, **after_key})
    return render(
        request,
        "registry/household_list.html",
        {
            "address": address,
            "errors": errors,
            "households": [_line(h) for h in page.households] if page else [],
            "listed": page is not None,
            "continued": after is not None,
            "next_url": next_url,
            "first_url": "?" + urlencode({"address": address}),
            "today": display.wareki(timezone.localdate()),
            "active": "registry-search",
        },
        status=422 if errors else 200,
    )
