"""住所辞書 staff screens: the 町字 list with search (every clerk who records addresses) and the
administrator's loads (the municipality's file, Japan Post's data). Through the door only."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yakuba.address import access, services
from yakuba.address.codes import Addressing
from yakuba.platform.tenancy.context import require_tenant
from yakuba.platform.ui.staff import staff_view

MAX_UPLOAD = 10 * 1024 * 1024  # a 町字 master is some hundred kilobytes; a 政令市's a few MB
ENCODINGS = (("utf-8", "UTF-8"), ("cp932", "Shift_JIS（cp932）"))


@staff_view(roles=access.READ_ROLES)
def town_areas(request):
    params = {
        "q": request.GET.get("q", "")[:60],
        "postal": request.GET.get("postal", "")[:8],
        "include_abolished": request.GET.get("include_abolished") == "1",
    }
    page = services.town_areas(**params, after=request.GET.get("after", "")[:80], limit=200)
    return render(
        request,
        "address/town_areas.html",
        {
            "params": params,
            "page": page,
            "labels": {a.value: a.label for a in Addressing},
            "can_write": bool(access.WRITE_ROLES & set(request.roles)),
            "columns": services.COLUMNS,
            "encodings": ENCODINGS,
            "active": "address",
        },
    )


def _summary(summary: services.LoadSummary) -> str:
    return (
        f"追加 {summary.added:,} 件、変更 {summary.changed:,} 件、廃止 {summary.abolished:,} 件、"
        f"変更なし {summary.unchanged:,} 件"
    )


@require_POST
@staff_view(roles=access.WRITE_ROLES)
def import_file(request):
    upload = request.FILES.get("file")
    encoding = request.POST.get("encoding", "utf-8")
    if upload is None or upload.size == 0:
        messages.error(request, "取り込むファイルを選んでください")
    elif upload.size > MAX_UPLOAD:
        messages.error(request, f"ファイルが大きすぎます（{MAX_UPLOAD // 1024 // 1024} MB まで）")
    elif encoding not in dict(ENCODINGS):
        messages.error(request, "文字コードを選んでください")
    else:
        try:
            entries = services.read_csv(upload.read(), encoding=encoding)
            summary = services.load(
                entries, source=services.Source.FILE, replace=request.POST.get("replace") == "1"
            )
        except services.MasterRejected as exc:
            messages.error(request, f"{upload.name}: {exc}")
            for issue in exc.issues[:50]:
                messages.error(request, str(issue))
        else:
            messages.success(request, f"{upload.name} を取り込みました（{_summary(summary)}）")
    return redirect("address:town-areas")


@require_POST
@staff_view(roles=access.WRITE_ROLES)
def load_postal(request):
    summary = services.load_postal(require_tenant().lg_code)
    messages.success(request, f"郵便番号データから町字を追加しました（{_summary(summary)}）")
    return redirect("address:town-areas")
