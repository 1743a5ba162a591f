"""国民健康保険 staff screens: 照会 — a 国保世帯 found by 世帯番号, or by a member's 宛名番号, with
each member's whole 資格 history (訂正 rows and the rows they void shown as such) and every
stored version of its 本算定 — and 計算の内訳, a stored premium's calculation explained again.

For the 保険年金 staff only (access.py). Persons under 支援措置 are shown as the registry's
screens show them to this role: not at all (services/lookup.py); the attempt is audited.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from yakuba.health_insurance import access
from yakuba.health_insurance.codes import WorkKind
from yakuba.health_insurance.services import lookup
from yakuba.platform.ui.staff import staff_view
from yakuba.registry import services as registry

NUMBER = re.compile(r"^\d{2,15}$")
# The insurance role does not see persons under 支援措置 (registry/ui/access.py: only 窓口 and
# 管理者 do), nor 個人番号 on these screens.
VISIBILITY = registry.Visibility()


def lookup_url(setai_no: str) -> str:
    return reverse("health_insurance:lookup") + "?" + urlencode({"setai_no": setai_no})


@staff_view(roles=access.STAFF_ROLES)
def lookup_view(request):
    setai_no = request.GET.get("setai_no", "").strip()[:15]
    atena_no = request.GET.get("atena_no", "").strip()[:15]
    context = {"setai_no": setai_no, "atena_no": atena_no, "counts": _counts(), "active": "health_insurance"}
    status = 200
    if setai_no or atena_no:
        try:
            context["household"] = _household(setai_no, atena_no)
        except ValueError as exc:
            context["error"], status = str(exc), 404
    return render(request, "health_insurance/lookup.html", context, status=status)


def _household(setai_no: str, atena_no: str) -> lookup.HouseholdView:
    number = setai_no or atena_no
    label = "世帯番号" if setai_no else "宛名番号"
    if not NUMBER.match(number):
        raise ValueError(f"{label}は数字で入力してください")
    try:
        if not setai_no:
            setai_no = lookup.setai_of(atena_no, visibility=VISIBILITY)
        return lookup.household(setai_no, visibility=VISIBILITY)
    except lookup.NotFound:
        raise ValueError(f"{label} {number} の国保世帯は見つかりません") from None


def _counts() -> list[tuple[str, str, int]]:
    counts = lookup.open_counts()
    return [(kind, WorkKind(kind).label, counts[kind]) for kind in WorkKind.values]


@staff_view(roles=access.STAFF_ROLES)
def premium_view(request):
    """計算の内訳 of one stored version (``?setai_no=&fiscal_year=&version=``)."""
    setai_no = request.GET.get("setai_no", "").strip()[:15]
    year, version = request.GET.get("fiscal_year", ""), request.GET.get("version", "")
    context = {"setai_no": setai_no, "active": "health_insurance"}
    if not (
        NUMBER.match(setai_no)
        and year.isascii()
        and year.isdigit()
        and version.isascii()
        and version.isdigit()
    ):
        context["error"] = "世帯番号・年度・版を指定してください"
        return render(request, "health_insurance/premium.html", context, status=404)
    try:
        context["explained"] = lookup.explain(
            setai_no, int(year[:4]), int(version[:4]), visibility=VISIBILITY
        )
    except lookup.NotFound:
        context["error"] = f"世帯番号 {setai_no} の{year[:4]}年度 第{version[:4]}版の保険税はありません"
        return render(request, "health_insurance/premium.html", context, status=404)
    return render(request, "health_insurance/premium.html", context)
