"""申告の入力・修正: the 住民税申告書 (地方税法 §317の2) of a person registered on 1月1日, typed at the
counter, with a 確認 screen showing the tax it leads to before anything is written.

入力 → 確認 → 登録, as the registry's 異動 (住民記録システム標準仕様書 §4): the 確認 screen checks the
申告 with the API's own model and the engine, merges it with the person's other 課税資料 exactly as
the assessment does and shows the resulting tax beside the current version; what was typed
travels on as hidden inputs, so 登録 stores exactly what was confirmed (and checks it again).
When the person is already assessed for the year, 登録 adds the 更正 in the same transaction,
with the clerk's reason. Persons under 支援措置 do not exist here (the registry's door hides them
and audits the attempt).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from yakuba.platform.ui.staff import staff_view
from yakuba.registry import services as registry
from yakuba.tax import access
from yakuba.tax.services import declarations
from yakuba.tax.ui.forms import MAX_DEPENDENTS, DeclarationForm
from yakuba.tax.ui.views import ATENA, _refused, _year, lookup_url

# Inputs of the form that are not the 申告's items: they are not carried to the 確認 screen twice.
_OWN = ("csrfmiddlewaretoken", "_step", "state", "note")


@staff_view(roles=access.WRITE_ROLES)
def declaration(request):
    """The form (GET: the person's 申告 of the year as stored, or empty), 確認 and 登録 (POST)."""
    source = request.POST if request.method == "POST" else request.GET
    fiscal_year = _year(source.get("fiscal_year", ""))
    atena_no = source.get("atena_no", "").strip()[:15]
    if not ATENA.match(atena_no):
        return _refused(request, fiscal_year, atena_no, "宛名番号は数字で入力してください")
    try:
        person = declarations.taxpayer_on(atena_no, fiscal_year, visibility=registry.Visibility())
    except registry.NotFound:
        return _refused(request, fiscal_year, atena_no, f"宛名番号 {atena_no} の人は見つかりません")
    except declarations.NotTaxpayer as exc:
        return _refused(request, fiscal_year, atena_no, str(exc))
    if request.method != "POST":
        rows = request.GET.get("dependent_rows", "")
        facts = declarations.declared_facts(atena_no, fiscal_year)
        form = DeclarationForm(facts=facts, rows=int(rows) if rows.isdigit() else None)
        return _form(request, form, person, fiscal_year, replaces=facts is not None)
    form = DeclarationForm(request.POST)
    step = request.POST.get("_step", "confirm")
    facts, errors = form.facts()
    try:
        preview = declarations.preview(person, fiscal_year, facts)
    except declarations.DeclarationRejected as exc:
        errors += [(e["field"], e["message"]) for e in exc.errors]
        preview = None
    if errors or preview is None:
        form.set_errors(errors)
        return _form(request, form, person, fiscal_year, status=422)
    if step == "back":
        return _form(request, form, person, fiscal_year, replaces=preview.replaces)
    if step != "commit":
        return _confirm(request, form, person, fiscal_year, preview)
    note = request.POST.get("note", "")[:200]
    try:
        saved = declarations.save_declaration(
            person, fiscal_year, facts, state=request.POST.get("state", ""), note=note
        )
    except declarations.DeclarationRejected as exc:  # the 更正's reason left empty
        message = "　".join(e["message"] for e in exc.errors)
        return _confirm(request, form, person, fiscal_year, preview, note_error=message, status=422)
    except declarations.Stale as exc:
        return _form(request, form, person, fiscal_year, error=str(exc), status=409)
    done = "申告を修正しました" if saved.replaced else "申告を登録しました"
    if saved.version is not None:
        done += f"。再計算して第{saved.version.version}版になりました（年税額 {saved.version.total:,}円）"
    else:
        done += "。当初課税のときにこの申告で課税します"
    messages.success(request, done)
    return redirect(lookup_url(atena_no, fiscal_year))


def _form(request, form, person, fiscal_year: int, *, replaces=False, error="", status=200):
    return render(
        request,
        "tax/declaration_form.html",
        {
            "form": form,
            "person": person,
            "fiscal_year": fiscal_year,
            "replaces": replaces,
            "error": error,
            "max_dependents": MAX_DEPENDENTS,
            "active": "tax",
        },
        status=status,
    )


def _confirm(request, form, person, fiscal_year: int, preview, *, note_error="", status=200):
    carry = [(name, value) for name, values in request.POST.lists() if name not in _OWN for value in values]
    result = preview.result
    figures = [
        ("合計所得金額", "total_income", result["total_income"]),
        ("課税総所得金額", "taxable_income", result["taxable_income"]),
        ("市民税", "municipal", result["municipal"]["total"]),
        ("県民税", "prefectural", result["prefectural"]["total"]),
        ("森林環境税", "forest_environment_tax", result["forest_environment_tax"]),
        ("年税額", "total", result["total"]),
    ]
    current = preview.current
    rows = [(label, getattr(current, key) if current else None, value) for label, key, value in figures]
    return render(
        request,
        "tax/declaration_confirm.html",
        {
            "person": person,
            "fiscal_year": fiscal_year,
            "lines": form.lines(),
            "rows": rows,
            "current": current,
            "preview": preview,
            "steps": result["steps"],
            "carry": carry,
            "note": request.POST.get("note", ""),
            "note_error": note_error,
            "active": "tax",
        },
        status=status,
    )


@staff_view(roles=access.WRITE_ROLES)
def dependent_row(request):
    """One more 扶養親族 row (htmx ``beforeend``), its 生年月日 focused; up to ``MAX_DEPENDENTS``."""
    rows = request.GET.get("dependent_rows", "")
    index = int(rows) if rows.isdigit() else 1
    if index >= MAX_DEPENDENTS:
        return HttpResponse(status=204)
    return render(
        request,
        "tax/_dependent_row.html",
        {
            "index": index,
            "row": DeclarationForm.dependent_row(index, autofocus=True),
            "next_row": index + 1,
            "max_dependents": MAX_DEPENDENTS,
            "oob": True,
        },
    )
