"""The clerk's 児童手当 filings — 認定請求, 額改定認定請求, 受給事由消滅届 — each typed on a form
built from the door's own model (``platform/ui/model_form.py``: an error lands next to its
input), checked and shown on a 確認 screen with what would be recorded (the children, the
months and the amount with the engine's steps), then recorded in one transaction by the door.
Nothing is written before 「登録する」; a refusal is shown on the form, answered 422.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.shortcuts import redirect, render
from pydantic import ValidationError

from yakuba.child_allowance import access
from yakuba.child_allowance.services import ClaimIn, EndIn, RevisionIn, certification, revision
from yakuba.child_allowance.services.amounts import MonthAmount
from yakuba.child_allowance.ui.views import ACTIVE, VISIBILITY, lookup_url
from yakuba.platform.calculations import CalculationRejected
from yakuba.platform.schema_errors import message, path
from yakuba.platform.ui.model_form import ModelForm
from yakuba.platform.ui.staff import staff_view

LABELS = {"1": "普通", "2": "当座", "public_servant": "公務員になった", "notified": "受給事由消滅届"}
HINTS = {
    "event_on": "出生・転入が月末で、その翌日から15日以内の請求なら入力（転入は転出証明書の転出予定日）",
    "account_holder_kana": "カナで入力（全銀ファイルの半角カナに直して記録します）",
    "children_apart[0].atena_no": "市内に住む別居の子は宛名番号、市外の子は氏名と生年月日",
}
COSTS = "bears_costs"  # typed as one line of 宛名番号 (a list of numbers would lose the leading 0s)
_SPLIT = re.compile(r"[,、\s]+")


@dataclass
class Confirm:
    """What the 確認 screen lists: (項目, 内容) lines, and the month's amount when there is one."""

    lines: list[tuple[str, str]]
    amount: MonthAmount | None = None
    children: list[dict] = field(default_factory=list)


def _yen(n: int) -> str:
    return f"{n:,}円"


def _month(d) -> str:
    return f"{d.year}年{d.month}月分"


def _filing(
    request,
    *,
    title: str,
    form: ModelForm,
    check: Callable[[object], Confirm],
    apply: Callable[[object], tuple[str, str]],
    extra: dict | None = None,
):
    """The form (GET), its 確認 (POST ``_step=confirm``) and the filing recorded (``_step=apply``)."""
    step = request.POST.get("_step", "") if request.method == "POST" else ""
    context = {
        "title": title,
        "form": form,
        "action": request.get_full_path(),
        "active": ACTIVE,
        **(extra or {}),
    }
    if step not in ("confirm", "apply"):
        return render(request, "child_allowance/filing.html", context)
    parsed = _parsed(form, request.POST)
    if parsed is not None:
        try:
            if step == "apply":
                done, url = apply(parsed)
                messages.success(request, done)
                return redirect(url)
            context["confirm"] = check(parsed)
            context["posted"] = [
                (k, v) for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "_step")
            ]
            return render(request, "child_allowance/filing.html", context)
        except CalculationRejected as exc:
            form.set_errors([(e["field"], e["message"]) for e in exc.errors])
    return render(request, "child_allowance/filing.html", context, status=422)


def _parsed(form: ModelForm, data):
    """The model from the form, with the 確認書's 宛名番号 read from their one line and the rows
    of 別居の子 left empty dropped (the form always shows the first)."""
    if COSTS not in form.model.model_fields:
        return form.validate()
    body, errors = form.payload()
    body[COSTS] = [n for n in _SPLIT.split(data.get(COSTS, "").strip()) if n]
    body["children_apart"] = [
        c for c in body.get("children_apart", []) if any(c.get(k) for k in ("atena_no", "name", "birth_date"))
    ]
    try:
        parsed = form.model.model_validate(body)
    except ValidationError as exc:
        errors += [(path(e.get("loc", ())), message(e)) for e in exc.errors()]
        parsed = None
    if errors:
        form.set_errors(errors)
        return None
    return parsed


def _number(request, name: str) -> str:
    value = request.GET.get(name, "").strip()[:15]
    return value if value.isascii() and value.isdigit() else ""


@staff_view(roles=access.STAFF_ROLES)
def claim(request):
    """認定請求 (``?claimant=`` prefills the 請求者; ``?setai_no=`` from a work item)."""
    data = request.POST if request.method == "POST" else None
    form = ModelForm(
        ClaimIn,
        data,
        rows={"children_apart": 2},
        labels=LABELS,
        hints=HINTS,
        left_out=frozenset({COSTS}),
        values={"claimant_atena_no": _number(request, "claimant")},
    )

    def check(body: ClaimIn) -> Confirm:
        plan = certification.check_claim(body, visibility=VISIBILITY)
        return Confirm(
            [
                ("請求者", f"{plan.claimant_name}（宛名番号 {plan.claimant_atena_no}）"),
                ("受給者とした理由", plan.choice_label),
                (
                    "配偶者",
                    f"{plan.spouse_name}（宛名番号 {plan.spouse_atena_no}）" if plan.spouse_atena_no else "—",
                ),
                ("支給開始月", _month(plan.first_month)),
                ("月額", _yen(plan.amount.total)),
            ],
            plan.amount,
            plan.amount.children,
        )

    def apply(body: ClaimIn) -> tuple[str, str]:
        done = certification.certify(body, visibility=VISIBILITY)
        plan = done.plan
        return (
            f"{plan.claimant_name}さんの児童手当を認定しました（{_month(plan.first_month)}から月額{_yen(plan.amount.total)}）",
            lookup_url(plan.claimant_atena_no),
        )

    costs = request.POST.get(COSTS, "")[:200] if data is not None else ""
    return _filing(
        request,
        title="認定請求",
        form=form,
        check=check,
        apply=apply,
        extra={"costs": costs, "show_costs": True},
    )


@staff_view(roles=access.STAFF_ROLES)
def revise(request):
    """額改定認定請求 (``?claimant=``, or ``?child=`` from a work item: the child prefilled)."""
    data = request.POST if request.method == "POST" else None
    values = {"claimant_atena_no": _number(request, "claimant"), "child.atena_no": _number(request, "child")}
    form = ModelForm(RevisionIn, data, labels=LABELS, hints=HINTS, values=values)

    def check(body: RevisionIn) -> Confirm:
        period = revision.check_revision(body, visibility=VISIBILITY)
        amount = MonthAmount(period.from_month, period.monthly_total, period.children, period.steps)
        return Confirm(
            [
                ("受給者の宛名番号", body.claimant_atena_no),
                ("改定後の額の開始月", _month(period.from_month)),
                ("改定後の月額", _yen(period.monthly_total)),
            ],
            amount,
            period.children,
        )

    def apply(body: RevisionIn) -> tuple[str, str]:
        period = revision.apply_revision(body, visibility=VISIBILITY)
        return (
            f"額改定を登録しました（{_month(period.from_month)}から月額{_yen(period.monthly_total)}）",
            lookup_url(body.claimant_atena_no),
        )

    return _filing(request, title="額改定認定請求", form=form, check=check, apply=apply)


@staff_view(roles=access.STAFF_ROLES)
def end(request):
    """受給事由消滅届 (``?claimant=``)."""
    data = request.POST if request.method == "POST" else None
    form = ModelForm(EndIn, data, labels=LABELS, values={"claimant_atena_no": _number(request, "claimant")})

    def check(body: EndIn) -> Confirm:
        entitlement, last = revision.check_end(body, visibility=VISIBILITY)
        return Confirm(
            [
                ("受給者の宛名番号", entitlement.claimant_atena_no),
                ("消滅事由", LABELS[body.reason]),
                ("支給終了月", _month(last)),
            ]
        )

    def apply(body: EndIn) -> tuple[str, str]:
        entitlement = revision.apply_end(body, visibility=VISIBILITY)
        return f"児童手当の消滅を登録しました（{_month(entitlement.last_month)}まで支給）", lookup_url(
            entitlement.claimant_atena_no
        )

    return _filing(request, title="受給事由消滅届", form=form, check=check, apply=apply)
