"""国民年金 staff screens: 照会 (a resident's 20歳到達・60歳到達 by 宛名番号), the month's 20歳到達 (the
資格取得 届出 data for the 年金事務所: insurance-welfare-facts §5) and the 免除・納付猶予 judgement of
contract §9.4.2 with every step.

The judgement form is built from the API's own model (``ExemptionIn``), so each error lands on its
input. Persons under 支援措置 are as the registry's screens show them to 保険年金 staff: not found
by the 照会 (the attempt audited); in the 20歳到達 list, a 宛名番号 without name or address (the
door's own flag, as in its file).
"""

from __future__ import annotations

from django.shortcuts import render

from yakuba.national_pension import access
from yakuba.national_pension.services import ExemptionIn, judge_exemption
from yakuba.national_pension.services.lookup import entrants_between, person
from yakuba.platform.ui.home import HomeTask
from yakuba.platform.ui.insured import ATENA, PAGE, asked_cursor, asked_month, month_task, next_cursor
from yakuba.platform.ui.model_form import calculation_page
from yakuba.platform.ui.staff import staff_view
from yakuba.registry.services import NotFound

ACTIVE = "national_pension"
HINTS = {"applicant.birth_date": "例：H17.5.1（和暦・西暦どちらでも）"}
# The 免除年度 runs from July (insurance-welfare-facts §5).
FORM = {"hints": HINTS, "year_starts": 7}


@staff_view(roles=access.STAFF_ROLES)
def lookup(request):
    atena_no = request.GET.get("atena_no", "").strip()[:15]
    context, status = {"atena_no": atena_no, "active": ACTIVE, "lookup_url": request.path}, 200
    if atena_no and not ATENA.match(atena_no):
        context["error"], status = "宛名番号は数字で入力してください", 422
    elif atena_no:
        try:
            context["person"] = person(atena_no)
        except NotFound:
            context["error"], status = f"宛名番号 {atena_no} の方は見つかりません", 404
    return render(request, "national_pension/lookup.html", context, status=status)


@staff_view(roles=access.STAFF_ROLES)
def entrants(request):
    """The month's 20歳到達, a page at a time (the month is one registry read)."""
    month, error = asked_month(request.GET.get("month", ""))
    after = asked_cursor(request.GET.get("after", ""))
    month_rows = entrants_between(month.first, month.last)
    page = [e for e in month_rows if after is None or (e.acquired_on, e.atena_no) > after][:PAGE]
    context = {"month": month, "error": error, "page": page, "after": after, "total": len(month_rows)}
    context |= {"active": ACTIVE, "list_url": request.path}
    context["next"] = next_cursor(page, lambda e: e.acquired_on)
    return render(request, "national_pension/entrants.html", context, status=422 if error else 200)


def home_tasks(request) -> list[HomeTask]:
    """This month's 20歳到達 (one registry read), linking to the list."""
    return [
        month_task(
            "国民年金", 20, "national_pension:reached", lambda m: len(entrants_between(m.first, m.last))
        )
    ]


@staff_view(roles=access.STAFF_ROLES)
def calculate(request):
    """免除・納付猶予の判定: the applicant (and the 配偶者, the 世帯主) and their 前年の収入 →
    the contract's JSON with its steps."""
    return calculation_page(request, "national_pension/calculate.html", ExemptionIn, judge_exemption, **FORM)
