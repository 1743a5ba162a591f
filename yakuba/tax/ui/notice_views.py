"""The 特別徴収義務者's notice on the staff screens: 特別徴収税額の決定通知書（特別徴収義務者用） of one
employer and 年度 as a PDF (linked from 課税照会 for a person withheld by that employer).

For 税務 staff only (地方税法 §22); names through the registry's door as it allows (persons under
支援措置 are listed without their name); the print is audited (services/notices.py).
"""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.shortcuts import render

from yakuba.platform import pdf
from yakuba.platform.ui.staff import staff_view
from yakuba.registry import services as registry
from yakuba.tax import access
from yakuba.tax.rules.parameters import supported_years
from yakuba.tax.services import notices

PAYER_NO = re.compile(r"^[0-9A-Za-z-]{1,20}$")


@staff_view(roles=access.STAFF_ROLES)
def employer_notice(request):
    payer_no = request.GET.get("payer_no", "").strip()
    year = request.GET.get("fiscal_year", "")
    if not PAYER_NO.match(payer_no):
        return _refused(request, "特別徴収義務者の指定番号（英数字）を指定してください")
    if not (year.isascii() and year.isdigit() and int(year) in supported_years()):
        return _refused(request, "年度を指定してください")
    try:
        body, filename, _count = notices.employer_notice_pdf(
            payer_no, int(year), visibility=registry.Visibility()
        )
    except notices.NoNotice as exc:
        return _refused(request, str(exc))
    response = HttpResponse(body, content_type=pdf.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = pdf.content_disposition(filename)
    return response


def _refused(request, message: str):
    return render(request, "tax/notice_refused.html", {"error": message, "active": "tax"}, status=404)
