"""学齢簿 staff screens (docs/school_enrollment.md, "Screens"): the list (50 a page, keyset on
宛名番号, filtered by 指定学校 and 学年), a child's record with its history and designations, the
指定校変更・区域外就学 form, the CSV/XLSX export and the work items a late 転入 left.

Role: 福祉 (``welfare``, access.STAFF_ROLES) — the platform has no 教育委員会 role and the 就学 work
sits with the 子ども・福祉 staff of the other child apps in a small town. A child under 支援措置 is
listed without the address and has no record page for this role, as on the registry's screens
(only 窓口 and 管理者 see protected persons).
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from yakuba.platform import pdf
from yakuba.platform.ui.staff import staff_view
from yakuba.registry import services as registry
from yakuba.school_enrollment import access
from yakuba.school_enrollment.codes import DesignationKind, Level
from yakuba.school_enrollment.services import designations, districts, lookup, notices

ACTIVE = "school_enrollment"
VISIBILITY = registry.Visibility()
NUMBER = re.compile(r"^\d{1,15}$")
GRADES = [(0, "就学予定"), *((g, f"小{g}") for g in range(1, 7)), *((g, f"中{g - 6}") for g in range(7, 10))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request) -> tuple[str | None, int | None, dict]:
    school = request.GET.get("school", "").strip()[:10] or None
    grade_text = request.GET.get("grade", "").strip()
    grade = int(grade_text) if grade_text.isdigit() and int(grade_text) <= 9 else None
    query = {k: v for k, v in (("school", school), ("grade", grade)) if v is not None}
    return school, grade, query


@staff_view(roles=access.STAFF_ROLES)
def list_view(request):
    school, grade, query = _filters(request)
    after = request.GET.get("after", "").strip()[:15]
    after = after if NUMBER.match(after) else ""
    lines, last = lookup.page(after=after, school=school, grade=grade, visibility=VISIBILITY)
    base = reverse("school_enrollment:list") + "?" + urlencode(query)
    return render(
        request,
        "school_enrollment/list.html",
        {
            "lines": lines,
            "schools": districts.schools(),
            "grades": GRADES,
            "school": school or "",
            "grade": grade,
            "next_url": f"{base}&after={last}" if last else "",
            "first_url": base if after else "",
            "export_query": urlencode(query),
            "open_work": lookup.open_work_count(),
            "active": ACTIVE,
        },
    )


@staff_view(roles=access.STAFF_ROLES)
def child_view(request):
    return _child_page(request, request.GET.get("atena_no", "").strip()[:15])


def _child_page(request, atena_no: str, errors=None, given=None, status=200):
    record = lookup.child(atena_no, visibility=VISIBILITY) if NUMBER.match(atena_no) else None
    if record is None:
        return render(
            request,
            "school_enrollment/child.html",
            {"error": f"宛名番号 {atena_no} の子どもは学齢簿に見つかりません", "active": ACTIVE},
            status=404,
        )
    return render(
        request,
        "school_enrollment/child.html",
        {
            "record": record,
            "atena_no": atena_no,
            "schools": districts.schools(),
            "kinds": DesignationKind.choices,
            "levels": Level.choices,
            "errors": dict(errors or []),
            "given": given or {},
            "active": ACTIVE,
        },
        status=status,
    )


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


@staff_view(roles=access.STAFF_ROLES)
def designate_view(request):
    if request.method != "POST":
        return redirect(reverse("school_enrollment:list"))
    post = request.POST
    atena_no = post.get("atena_no", "").strip()[:15]
    given = {k: post.get(k, "").strip()[:200] for k in ("kind", "level", "school_code", "school_name", "reason",
                                                         "approved_on", "starts_on", "ends_on")}  # fmt: skip
    form = designations.DesignationIn(
        atena_no=atena_no,
        kind=given["kind"],
        level=given["level"],
        school_code=given["school_code"],
        school_name=given["school_name"],
        reason=given["reason"],
        approved_on=_date(given["approved_on"]),
        starts_on=_date(given["starts_on"]),
        ends_on=_date(given["ends_on"]) if given["ends_on"] else None,
    )
    errors = [
        (f, "日付は YYYY-MM-DD で入力してください")
        for f in ("approved_on", "starts_on", "ends_on")
        if given[f] and _date(given[f]) is None
    ]
    try:
        if errors:
            raise designations.Refused(errors)
        designations.apply_designation(form)
    except designations.Refused as refused:
        return _child_page(request, atena_no, refused.errors, given, 422)
    return redirect(reverse("school_enrollment:child") + "?" + urlencode({"atena_no": atena_no}))


@staff_view(roles=access.STAFF_ROLES)
def guardian_view(request):
    """The 保護者 confirmed by the 教育委員会 (services/designations.apply_guardian); POST only."""
    if request.method != "POST":
        return redirect(reverse("school_enrollment:list"))
    atena_no = request.POST.get("atena_no", "").strip()[:15]
    given = {k: request.POST.get(k, "").strip()[:200] for k in ("guardian_atena_no", "guardian_reason")}
    try:
        designations.apply_guardian(atena_no, given["guardian_atena_no"][:15], given["guardian_reason"])
    except designations.Refused as refused:
        return _child_page(request, atena_no, refused.errors, given, 422)
    return redirect(reverse("school_enrollment:child") + "?" + urlencode({"atena_no": atena_no}))


@staff_view(roles=access.STAFF_ROLES)
def export_view(request):
    school, grade, _query = _filters(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    body = lookup.export(fmt=fmt, school=school, grade=grade, visibility=VISIBILITY)
    response = HttpResponse(body, content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gakureibo.{fmt}"'
    return response


@staff_view(roles=access.STAFF_ROLES)
def notice_view(request):
    """One child's notice (a late 転入's work item), printed and audited; POST only."""
    if request.method != "POST":
        return redirect(reverse("school_enrollment:work"))
    kind, atena_no = request.POST.get("kind", "")[:20], request.POST.get("atena_no", "").strip()[:15]
    try:
        body, name = notices.notice_of(kind, atena_no, visibility=VISIBILITY)
    except notices.NoticeRefused as exc:
        return render(
            request, "school_enrollment/child.html", {"error": str(exc), "active": ACTIVE}, status=422
        )
    response = HttpResponse(body, content_type=pdf.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@staff_view(roles=access.STAFF_ROLES)
def work_view(request):
    return render(request, "school_enrollment/work.html", {"items": lookup.open_work(), "active": ACTIVE})


MAX_UPLOAD = 5 * 1024 * 1024


@staff_view(roles=access.DISTRICT_ROLES)
def districts_view(request):
    """The 通学区域 now (its lines as loaded) and, for the 管理者, the CSV upload: all or nothing,
    every bad line named (services/districts.py)."""
    errors, loaded, status = [], None, 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size == 0:
            errors, status = ["取り込むファイルを選んでください"], 422
        elif upload.size > MAX_UPLOAD:
            errors, status = [f"ファイルが大きすぎます（{MAX_UPLOAD // 1024 // 1024} MB まで）"], 422
        else:
            try:
                loaded = districts.load(upload.read())
            except districts.DistrictFileRejected as exc:
                errors, status = exc.errors[:100], 422
    return render(
        request,
        "school_enrollment/districts.html",
        {"lines": districts.lines(), "errors": errors, "loaded": loaded, "active": ACTIVE},
        status=status,
    )
