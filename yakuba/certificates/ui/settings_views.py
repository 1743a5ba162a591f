"""証明書の設定 for the 管理者: the 認証者 (市区町村長) and 公印, the office, terminal and printer
of the 発行番号, the 手数料 — with the history of every change (住民記録システム標準仕様書 §1:
公印, 認証者; §5.5 発行番号). A change is a new row; certificates keep what they printed."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yakuba.certificates.access import ADMIN_ROLES
from yakuba.certificates.services import settings
from yakuba.platform.ui.staff import staff_view
from yakuba.registry.services import RuleViolation

TEXT = {
    "certifier_title": ("認証者の職名", 60),
    "certifier_name": ("認証者の氏名", 60),
    "office_name": ("発行場所", 20),
    "terminal_name": ("端末", 20),
    "printer_name": ("プリンタ", 20),
}
LABELS = {name: label for name, (label, _limit) in TEXT.items()} | {
    "fee": "手数料（円）",
    "seal_png": "公印の画像",
}


@staff_view(roles=ADMIN_ROLES)
@require_http_methods(["GET", "POST"])
def issuer_settings(request):
    current = settings.current()
    values = {name: getattr(current, name) for name in TEXT} | {"fee": str(current.fee)}
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        values = {name: request.POST.get(name, "")[: limit + 1] for name, (_label, limit) in TEXT.items()}
        values["fee"] = request.POST.get("fee", "").strip()[:6]
        changes: dict = {name: values[name] for name in TEXT}
        errors += [
            (n, f"{limit}文字以内で入力してください")
            for n, (_l, limit) in TEXT.items()
            if len(values[n]) > limit
        ]
        try:
            changes["fee"] = int(values["fee"].replace(",", ""))
        except ValueError:
            errors.append(("fee", "手数料は 0〜10,000 円で入力してください"))
        upload = request.FILES.get("seal")
        if upload is not None:
            if upload.size > settings.MAX_SEAL_BYTES:
                errors.append(("seal_png", "公印の画像は 512KB 以下の PNG にしてください"))
            else:
                changes["seal_png"] = upload.read()
        if not errors:  # the service checks the rest, every broken rule at once
            try:
                settings.update(**changes)
            except RuleViolation as refused:
                errors = list(refused.errors)
            else:
                messages.success(request, "証明書の設定を変更しました")
                return redirect("certificates:settings")
    field_errors: dict[str, list[str]] = {}
    for field, message in errors:
        field_errors.setdefault(field, []).append(message)
    return render(
        request,
        "certificates/settings.html",
        {
            "current": current,
            "values": values,
            "fields": [
                {"name": n, "label": label, "limit": limit, "value": values[n], "errors": field_errors.get(n)}
                for n, (label, limit) in TEXT.items()
            ],
            "errors": field_errors,
            "summary": [{"id": f"f-{f}", "label": LABELS.get(f, f), "message": m} for f, m in errors],
            "history": settings.history(),
            "active": "certificates-settings",
        },
        status=422 if errors else 200,
    )
