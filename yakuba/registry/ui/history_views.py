"""異動履歴 screens (住民記録システム標準仕様書 §1.2.1 履歴管理): a person's 異動, newest first, each with
its 異動番号, 処理者, 届出人 and what it changed; the record as it stood on a date; the 取消し of
the latest 異動; the printed 処理票 of a 異動.

History rows are never rewritten (§1.2.1): a correction or a 取消し is one more row, and a
canceled 異動 stays on the screen marked 「取消し済み」 so the clerk sees the whole story. Every
read is audited (§10.2); persons under 支援措置 do not exist for roles that do not handle the
measure (§3.4) — the services raise NotFound and the screen answers 404, as for anyone unknown.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from yakuba.platform import pdf
from yakuba.platform.audit.log import Action, audited, note
from yakuba.platform.japanese.wareki import WarekiError, format_wareki
from yakuba.platform.tenancy.context import require_tenant
from yakuba.platform.ui.context import municipality_name
from yakuba.platform.ui.staff import staff_view
from yakuba.registry import services
from yakuba.registry.codes import MoveKind, ResidentType
from yakuba.registry.ui import change_display, display
from yakuba.registry.ui.access import READ_ROLES, WRITE_ROLES, may_write, visibility
from yakuba.registry.ui.fields import DATE_HINT, parse_date_text
from yakuba.registry.ui.forms import MoveForm
from yakuba.registry.ui.move_views import SESSION_RESULTS, _move_context
from yakuba.registry.ui.notifier_fields import notifier_lines
from yakuba.registry.ui.views import _resident_context, not_found

MAX_REFERENCE = 40  # a 異動番号 (2026-000123) or a UUID


def move_facts(move: services.MoveInfo) -> dict:
    """What the history and the 処理票 show of one 異動, in the same words."""
    return {
        "reference": move.reference,
        "move_no": move.move_no or "移行データ",
        "kind": display.move_kind(move.kind),
        "is_cancel": move.kind == MoveKind.CANCEL,
        "move_date": display.wareki(move.move_date),
        "notified_date": display.wareki(move.notified_date),
        "processed": display.processed(move.processed_at),
        "actor": move.actor,
        "terminal": move.terminal,
        "notifier": notifier_lines(move.notifier or None),
        "ex_officio": move.ex_officio,
        "canceled_by": move.canceled_by,
        "cancels": move.cancels,
    }


@audited(Action.READ, "resident_history", subject="atena_no")
def _read_history(atena_no: str, vis: services.Visibility) -> list[services.HistoryEntry]:
    entries = services.person_history(atena_no, visibility=vis)
    if entries and entries[-1].record.protected:
        note(protected_override=True)
    return entries


@audited(Action.READ, "resident", subject="atena_no")
def _read_as_of(atena_no: str, as_of, vis: services.Visibility) -> services.ResidentRecord:
    row = services.get_resident(atena_no, as_of=as_of, visibility=vis)
    note(as_of=as_of.isoformat())
    return row


def _cancelable(entry: services.HistoryEntry) -> bool:
    """Only a person's latest 異動 can be canceled (the service enforces it for every person of
    the 異動 and says who is in the way); a 取消し itself is not canceled but re-entered."""
    move = entry.move
    return not move.canceled_by and move.kind in MoveKind.values and move.kind != MoveKind.CANCEL


def _entries(entries: list[services.HistoryEntry], *, can_write: bool) -> list[dict]:
    """The entries newest first, formatted; the 取消し button on the latest one only."""
    rows = []
    for entry in reversed(entries):
        record = entry.record
        rows.append(
            {
                **move_facts(entry.move),
                "history_no": record.history_no,
                "address": display.full_address(record),
                "setai_no": record.setai_no,
                "changes": change_display.rows(
                    entry.changes, foreign=entry.record.resident_type == ResidentType.FOREIGN
                ),
                "cancel": can_write and not rows and _cancelable(entry),
                "current": not rows,
            }
        )
    return rows


def _as_of(request, atena_no: str, vis: services.Visibility) -> dict:
    """基準日 (?as_of=): the 住民票 items valid on that date, for 「令和X年X月X日現在の記載」."""
    text = request.GET.get("as_of", "").strip()[:30]
    out: dict = {"text": text, "error": "", "invalid": False, "label": "", "basic": [], "address": []}
    if not text:
        return out
    try:
        day = parse_date_text(text)
        out["label"] = format_wareki(day)
    except (WarekiError, ValueError) as exc:
        out.update(error=str(exc) or "日付を読み取れません", invalid=True)
        return out
    try:
        row = _read_as_of(atena_no, day, vis)
    except services.NotFound:
        out["error"] = f"{out['label']}には、この住民の記載はありません（住民となる前の日付です）"
        return out
    context = _resident_context(request, row, tab="history")
    out.update(
        basic=context["basic"],
        address=context["address"],
        foreign_items=context["foreign_items"],
        removal=context["removal"],
        status=display.status(row.status),
        history_no=row.history_no,
    )
    return out


@staff_view(roles=READ_ROLES)
def resident_history(request, atena_no: str):
    """個人照会（異動履歴）: every 異動 of the person, newest first, with 異動番号, 処理者, 届出人
    and before → after of each item it changed; 「基準日」 shows the record on an earlier date."""
    vis = visibility(request.roles)
    try:
        row = services.get_resident(atena_no, visibility=vis)
        entries = _read_history(atena_no, vis)
    except services.NotFound:
        return not_found(request)
    context = _resident_context(request, row, tab="history")
    context["history"] = _entries(entries, can_write=may_write(request.roles))
    context["as_of"] = _as_of(request, atena_no, vis)
    context["date_hint"] = DATE_HINT
    status = 422 if context["as_of"]["invalid"] else 200
    return render(request, "registry/resident_history.html", context, status=status)


@staff_view(roles=WRITE_ROLES)
def cancel_move(request, reference: str):
    """The 取消し form (異動入力「異動の取消し」) with the 異動番号 filled in, opened from the
    history; it posts to the ordinary 取消し, which checks everything (latest 異動 of each person,
    not canceled twice) and asks for confirmation as any 異動 does."""
    if len(reference) > MAX_REFERENCE:
        raise Http404
    form = MoveForm(
        MoveKind.CANCEL,
        None,
        initial={"cancel_move_id": reference},
        today=timezone.localdate(),
    )
    return render(request, "registry/move_form.html", _move_context(request, form))


@audited(Action.PRINT, "move_slip")
def _read_move(reference: str, vis: services.Visibility) -> services.MoveRecord:
    record = services.move_record(reference, visibility=vis)
    note(subjects=[p.atena_no for p in record.persons], move=record.move.reference)
    return record


def _slip_person(person) -> dict:
    return {
        "atena_no": person.atena_no,
        "name": person.name,
        "history_no": person.history_no,
        "changes": change_display.rows(person.changes, foreign=person.foreign),
    }


@staff_view(roles=WRITE_ROLES)
def move_slip(request, reference: str):
    """住民異動処理票 (PDF): the 異動 as filed — 異動番号, dates, 処理者・端末, 届出人 and 本人確認,
    each person's items before and after — kept with the 届書 (§1.2.1: what each 異動 changed,
    on paper for the 決裁 and the file). Audited as a print."""
    if len(reference) > MAX_REFERENCE:
        raise Http404
    try:
        record = _read_move(reference, visibility(request.roles))
    except services.NotFound:
        return not_found(request, "指定された異動は見つかりません。異動番号を確認してください。")
    if not record.persons and record.hidden:
        return not_found(request, "指定された異動は見つかりません。異動番号を確認してください。")
    move = record.move
    warnings = list(request.session.get(SESSION_RESULTS, {}).get(str(move.move_id), {}).get("warnings", []))
    if record.hidden:
        warnings.append(f"このほかに表示できない住民が{record.hidden}人います。")
    now = timezone.localtime()
    context = {
        "municipality": municipality_name(require_tenant().lg_code),
        "move": move_facts(move),
        "persons": [_slip_person(p) for p in record.persons],
        "warnings": warnings,
        "printed": f"{display.wareki(now.date())} {now:%H:%M}",
        "printed_by": getattr(request.user, "display_name", "") or request.user.get_username(),
    }
    body = pdf.render("registry/move_slip.html", context)
    response = HttpResponse(body, content_type=pdf.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = pdf.content_disposition(f"処理票-{move.reference}.pdf")
    response["Cache-Control"] = "no-store"  # personal data: never kept by a browser or proxy
    return response
