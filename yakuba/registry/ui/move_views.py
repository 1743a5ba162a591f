"""異動入力 screens (住民記録システム標準仕様書 §4): the menu of kinds, one form per kind, the
htmx check of one input, the result.

A submitted form becomes the typed 異動 (``MoveForm.to_request``) and goes through
``services.apply_move`` — the door the API uses, so a rule is enforced once; the checks while
typing run ``services.check_move`` (no lock, no number, no write).
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from yakuba.platform.tenancy.context import require_tenant
from yakuba.platform.ui.staff import staff_view
from yakuba.registry import services
from yakuba.registry.codes import MoveKind
from yakuba.registry.ui import change_display, display
from yakuba.registry.ui.access import WRITE_ROLES, visibility
from yakuba.registry.ui.forms import ADD_PERSON, FAMILY, LEAVING, MAX_PERSONS, NEEDS_HOUSEHOLD, MoveForm
from yakuba.registry.ui.notifier_fields import notifier_lines
from yakuba.registry.ui.views import not_found, postal_towns, read_household, town_choices_page

SESSION_RESULTS = "registry_move_results"


def dry_run(move: services.MoveRequest, vis: services.Visibility) -> list[tuple[str, str]]:
    """The messages the clerk would get for this 異動, without locking or writing anything."""
    try:
        return services.check_move(move, visibility=vis)
    except services.NotFound:
        return []


def _source_household(request, data) -> tuple[object | None, list, list[str]]:
    """The 世帯 a 異動 starts from: ?setai_no= (世帯照会), ?atena= (個人照会) or the hidden field."""
    setai_no = (data.get("source_setai_no") or request.GET.get("setai_no") or "").strip()
    preselect = [a for a in request.GET.getlist("atena") if a.isdigit()]
    vis = visibility(request.roles)
    if not setai_no and preselect:
        try:
            setai_no = services.get_resident(preselect[0], visibility=vis).setai_no
        except services.NotFound:
            setai_no = ""
    if not setai_no or not setai_no.isdigit():
        return None, [], preselect
    try:
        household, members = read_household(setai_no, vis)
    except services.NotFound:
        return None, [], preselect
    return household, members, preselect


def _move_context(request, form: MoveForm, *, source_version=None) -> dict:
    towns, more = [], False
    if form.has_address:
        towns, more = town_choices_page()  # the 住所辞書's 町字, offered as the clerk types
        if visibility(request.roles).unlisted_address:
            form.offer_unlisted()
    return {
        "form": form,
        "kind": form.kind,
        "source_version": source_version or (form.household.version if form.household else ""),
        "max_persons": MAX_PERSONS,
        "next_row": form.person_rows,
        "town_choices": towns,
        "town_more": more,
        "active": "registry-move",
    }


@staff_view(roles=WRITE_ROLES)
def move_menu(request):
    """異動入力: the kinds of 異動 (§1.2.2), grouped as the counter thinks of them."""
    groups = [
        ("記載", [MoveKind.MOVE_IN, MoveKind.BIRTH, MoveKind.EX_OFFICIO_RECORD]),
        (
            "住所・世帯",
            [
                MoveKind.MOVE_WITHIN,
                MoveKind.HEAD_CHANGE,
                MoveKind.HOUSEHOLD_SPLIT,
                MoveKind.HOUSEHOLD_MERGE,
                MoveKind.HOUSEHOLD_CHANGE,
            ],
        ),
        ("消除", [MoveKind.MOVE_OUT, MoveKind.DEATH, MoveKind.EX_OFFICIO_REMOVE]),
        (
            "修正・取消し",
            [
                MoveKind.CORRECTION,
                MoveKind.EX_OFFICIO_MODIFY,
                MoveKind.FORMER_SURNAME,
                MoveKind.ALIAS,
                MoveKind.CANCEL,
            ],
        ),
    ]
    return render(
        request,
        "registry/move_menu.html",
        {
            "groups": [
                (title, [(k.value, k.label, FAMILY[k] in NEEDS_HOUSEHOLD) for k in kinds])
                for title, kinds in groups
            ],
            "active": "registry-move",
        },
    )


def _conflict(request, message: str, household=None):
    return render(
        request,
        "registry/conflict.html",
        {"message": message, "household": household, "active": "registry-move"},
        status=409,
    )


@staff_view(roles=WRITE_ROLES)
def move(request, kind: str):
    """異動入力 for one kind: the form, and on submit ``apply_move`` in this staff's tenant.

    Broken rules come back all at once, each next to its input and in a summary at the top;
    a stale 世帯 version or a concurrent edit answers 409 with 「他の職員が…」.
    """
    if kind not in MoveKind.values:
        raise Http404
    data = request.POST if request.method == "POST" else None
    household, members, preselect = _source_household(request, data or {})
    if request.method == "GET" and request.GET.get("person_rows"):
        data = {"person_rows": request.GET["person_rows"]}
    form = MoveForm(
        kind,
        data,
        household=household,
        members=members,
        preselect=preselect,
        today=timezone.localdate(),
    )
    if request.method == "GET" or form.needs_household:
        return render(request, "registry/move_form.html", _move_context(request, form))
    if request.method != "POST":
        return HttpResponse(status=405)
    seen = request.POST.get("source_version", "")
    if household is not None and seen.isdigit() and int(seen) != household.version:
        return _conflict(
            request,
            "他の職員が先にこの世帯を更新しました。世帯照会を開き直して内容を確認してください。",
            household,
        )
    req, input_errors = form.to_request()
    if input_errors or req is None:
        typed = {f for f, _m in input_errors}
        more = []
        if req is not None:
            # Every rule in one round: the rest of the 異動 is checked too (with a stand-in
            # date when the typed one was refused, so the trial gets past the date checks).
            trial = (
                req.model_copy(update={"move_date": timezone.localdate()}) if "move_date" in typed else req
            )
            more = [
                (f, m) for f, m in dry_run(trial, visibility(request.roles)) if form.form_name(f) not in typed
            ]
        form.set_errors(input_errors + more)
        return render(request, "registry/move_form.html", _move_context(request, form), status=422)
    step = request.POST.get("_step", "confirm")
    if step == "back":  # 入力に戻る: the form again, as typed
        return render(request, "registry/move_form.html", _move_context(request, form))
    if step != "commit":
        return _confirm(request, form, req)
    try:
        with transaction.atomic(using=require_tenant().alias):
            result = services.apply_move(req, visibility=visibility(request.roles))
    except services.RuleViolation as exc:
        form.set_errors(exc.errors)
        return render(request, "registry/move_form.html", _move_context(request, form), status=422)
    except services.Conflict as exc:
        return _conflict(request, str(exc), household)
    except services.NotFound:
        return not_found(request)
    results = request.session.get(SESSION_RESULTS, {})
    # Keep only the last few results: the page is for the clerk who just filed the 異動.
    results = dict(list(results.items())[-9:])
    results[str(result.move_id)] = {
        "move_no": result.move_no,
        "kind": result.kind,
        "setai_no": result.setai_no or (household.setai_no if household else None),
        "persons": [list(p) for p in result.persons],
        "warnings": result.warnings,
    }
    request.session[SESSION_RESULTS] = results
    return redirect("registry:move-done", move_id=result.move_id)


def _confirm(request, form: MoveForm, req: services.MoveRequest):
    """確認 (住民記録システム標準仕様書 §4: 入力 → 確認 → 更新): every rule checked and each
    person's items before and after shown, with the warnings known before writing — nothing is
    locked, numbered or written until the clerk presses 更新. What was typed travels on as hidden
    inputs, so 更新 files exactly what was confirmed (and checks it again)."""
    preview = services.preview_move(req, visibility=visibility(request.roles))
    if preview.errors:
        form.set_errors(preview.errors)
        return render(request, "registry/move_form.html", _move_context(request, form), status=422)
    carry = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "_step")
        for value in values
    ]
    persons = [
        {"atena_no": p.atena_no, "name": p.name, "rows": change_display.rows(p.changes, foreign=p.foreign)}
        for p in preview.persons
    ]
    return render(
        request,
        "registry/move_confirm.html",
        {
            "form": form,
            "kind": form.kind,
            "persons": persons,
            "warnings": preview.warnings,
            "carry": carry,
            "notifier": notifier_lines(req.notifier),
            "active": "registry-move",
        },
    )


@staff_view(roles=WRITE_ROLES)
def move_done(request, move_id: uuid.UUID):
    """The result of a 異動 (after a redirect, so a reload does not file it twice)."""
    result = request.session.get(SESSION_RESULTS, {}).get(str(move_id))
    if result is None:
        # The session copy can be lost to a concurrent request (an htmx check still in flight
        # saves the session it read earlier): the 異動 itself is in the database.
        try:
            result = services.move_summary(move_id)
        except services.NotFound:
            raise Http404 from None
    return render(
        request,
        "registry/move_done.html",
        {
            "move_id": move_id,
            "move_no": result.get("move_no") or "",
            "kind_label": display.move_kind(result["kind"]),
            "setai_no": result["setai_no"],
            "persons": result["persons"],
            "warnings": result["warnings"],
            "active": "registry-move",
        },
    )


@staff_view(roles=WRITE_ROLES)
@require_http_methods(["POST"])
def move_validate(request, kind: str):
    """Immediate check of one input (htmx, on change): the same validators and rules as submit.

    First the rules that need only this input; if it passes, the whole form is checked against
    every 異動 rule (``check_move``: no lock, no number, no write) and the messages about this
    input are shown next to it. Two inputs change more of the form: a postal code looks its
    町字 up in the 住所辞書 (filled in, or offered when several share the code), and choosing who
    leaves the 世帯 redraws the new 世帯主 choice without them.
    """
    if kind not in MoveKind.values:
        raise Http404
    household, members, _pre = _source_household(request, request.POST)
    form = MoveForm(kind, request.POST, household=household, members=members, today=timezone.localdate())
    name = request.headers.get("HX-Trigger-Name") or request.POST.get("_field", "")
    f = form.fields.get(name)
    if f is None:
        return HttpResponse(status=204)
    errors = own_errors = form.check_field(name)
    # Without its 世帯 (a stale or forged page) a household 異動 cannot be checked as a whole;
    # submitting it shows the 世帯 choice again.
    if not errors and f.value and not form.needs_household:
        req, _input_errors = form.to_request()
        found = dry_run(req, visibility(request.roles)) if req is not None else _input_errors
        errors = [m for fld, m in found if form.form_name(fld) == name]
    f.errors = errors
    context: dict = {"f": f, "towns": None, "head_fields": None}
    if name.endswith("address.postal_code"):
        town = form.fields.get(name.replace("postal_code", "town_area"))
        if town is not None:
            # Offered even when the 町字 typed so far does not match the code (that is the error).
            context["towns"] = postal_towns("" if own_errors else f.value, town.id)
    if form.family in LEAVING and name.endswith(".atena_no") and "household.new_head" in form.fields:
        context["head_fields"] = next(s.fields for s in form.sections if s.kind == "head")
    return render(request, "registry/_field_feedback.html", context)


@staff_view(roles=WRITE_ROLES)
def person_row(request, kind: str):
    """One more person row for 転入 (a family) or 出生 (twins, triplets): htmx ``beforeend``, up
    to six persons."""
    if kind not in MoveKind.values or FAMILY[kind] not in ADD_PERSON:
        raise Http404
    try:
        index = int(request.GET.get("person_rows", "1"))
    except ValueError:
        index = 1
    if index >= MAX_PERSONS:
        return HttpResponse(status=204)
    form = MoveForm(kind, None, today=timezone.localdate())
    row = form.person_row(index, autofocus=True)
    return render(
        request,
        "registry/_person_row.html",
        {
            "row": row,
            "kind": kind,
            "next_row": index + 1,
            "max_persons": MAX_PERSONS,
            "oob": True,
            "validate_url": reverse("registry:move-validate", args=[kind]),
        },
    )
