"""届出入力 (docs/koseki.md "画面"): the 届書 of a kind typed in, then a 確認 page showing what
the 受理 would write — the new 戸籍 or the entries in an existing one, exactly as the door would
write them — then 受理. A 届書 the law refuses shows every reason at its item and may be kept as a
不受理 (戸籍法施行規則: a 不受理 is recorded with its reasons); one the door cannot examine (an
item missing, a person not found) shows its errors and keeps nothing.

The 確認 is the door's own ``file_notification`` run in a savepoint that is rolled back: the
preview cannot differ from what 受理 writes. Nothing of it stays (no 受付番号, no event); one
audit row names the persons the page showed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from yakuba.koseki import access, services
from yakuba.koseki.codes import Kind, Outcome
from yakuba.koseki.services import search
from yakuba.koseki.services.search import RESOURCE
from yakuba.koseki.ui.forms import KINDS, MODELS, NotificationForm
from yakuba.koseki.ui.views import ACTIVE, shown
from yakuba.platform.audit.log import Action, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.platform.ui.staff import staff_view

PURPOSE = "届出の確認（受理前の戸籍の表示）"
REFUSED_NOTE = "このまま記録すると不受理として記録されます（理由は各項目に表示）"


class _Preview(Exception):
    """Raised to roll back the 確認's trial filing, carrying what it showed."""

    def __init__(self, filed: services.Filed, registers: list):
        super().__init__()
        self.filed, self.registers = filed, registers


def preview(data: dict) -> tuple[services.Filed, list]:
    """What filing ``data`` would do — the ``Filed`` and each 戸籍 it would write (the persons'
    former 戸籍 with their 除籍 too), read as after the 受理 — with nothing kept. Raises ``services.Invalid`` as filing would."""
    try:
        with transaction.atomic(using=require_tenant().alias):
            filed = services.file_notification(data)
            # The 戸籍 written to first, then those the persons leave (their 除籍 lines).
            left = [k for k, _h, _n in search.written_by(filed.notification_no)]
            ids = list(dict.fromkeys([*filed.koseki_ids, *left]))
            raise _Preview(filed, [services.koseki_of(k) for k in ids])
    except _Preview as done:
        filed, registers = done.filed, done.registers
    persons = sorted({m.person_id for r in registers for m in r.members} | {filed.person_id} - {""})
    record(Action.READ, RESOURCE, subjects=persons, purpose=PURPOSE, detail={"kind": str(filed.kind)})
    return filed, registers


def _page(request, form: NotificationForm, status: int = 200, **context):
    return render(
        request,
        "koseki/notify.html",
        {"form": form, "kind_label": Kind(form.kind).label, "kinds": KINDS, "active": ACTIVE, **context},
        status=status,
    )


def _live(request, form: NotificationForm, parsed):
    """The as-you-type check (htmx, on each change): every input error and 不受理 reason the door
    finds now (``check_notification``: no lock, nothing written), or that the 届書 may go on to
    the 確認."""
    if parsed is not None:
        form.set_errors(services.check_notification(parsed.model_dump(mode="json")))
    return render(request, "koseki/_live_check.html", {"summary": form.summary, "typed": parsed is not None})


@staff_view(roles=access.STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def notify_view(request):
    """GET: the kinds, or (``?kind=``) the empty 届書 of one; POST ``step=check``: the 確認 (or
    the errors at their items, 422); POST ``step=file``: 受理 (or 不受理 kept) and its page."""
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("kind", "")
    if kind not in MODELS:
        return render(request, "koseki/notify_kinds.html", {"kinds": KINDS, "active": ACTIVE})
    if request.method == "GET":
        return _page(request, NotificationForm(kind))
    form = NotificationForm(kind, request.POST)
    parsed = form.validate()
    if request.GET.get("live"):
        return _live(request, form, parsed)
    if parsed is None:
        return _page(request, form, 422)
    data = parsed.model_dump(mode="json")
    try:
        if request.POST.get("step") == "file":
            filed = services.file_notification(data)
            return redirect(reverse("koseki:notification") + "?" + urlencode({"no": filed.notification_no}))
        filed, registers = preview(data)
    except services.Invalid as invalid:
        form.set_errors(invalid.errors)
        return _page(request, form, 422)
    if filed.outcome == Outcome.REFUSED:
        form.set_errors(filed.reasons)
        return _page(request, form, 422, refused=True, refused_note=REFUSED_NOTE, filed=filed)
    return _page(
        request,
        form,
        confirm=True,
        filed=filed,
        registers=[shown(r, filed.notification_no) for r in registers],
    )
