"""戸籍からの異動候補 screens for the 窓口: the list (by kind, keyset pages), one proposal with
its apply and dismissal, and the home screen's count (services/koseki_proposals.py).

A proposal is applied as the registry's own 異動 — its rules answer at the proposal's inputs
(世帯番号, 続柄, フリガナ of a birth) or in the summary — or dismissed with a reason.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from yakuba.platform.ui.home import HomeTask, Urgency
from yakuba.platform.ui.staff import staff_view
from yakuba.registry import services
from yakuba.registry.codes import ProposalKind, ProposalStatus
from yakuba.registry.services.koseki_proposals import (
    Inputs,
    apply_proposal,
    count_open,
    dismiss_proposal,
    proposal,
    proposals_page,
)
from yakuba.registry.ui.access import WRITE_ROLES, visibility
from yakuba.registry.ui.views import not_found

ITEMS = {
    "name": "氏名",
    "name_kana": "フリガナ",
    "domicile": "本籍",
    "domicile_head": "筆頭者",
    "relationship": "続柄",
}
DOMICILE_ITEMS = {"domicile", "domicile_head"}
# The 戸籍's 届出 kinds as the clerk reads them (the 戸籍 app's catalogue names the codes).
NOTIFICATIONS = {
    "birth": "出生届",
    "marriage": "婚姻届",
    "divorce": "離婚届",
    "death": "死亡届",
    "transfer": "転籍届",
    "entry": "入籍届",
    "furigana": "氏名の振り仮名の届",
    "adoption": "養子縁組届",
    "dissolve": "養子離縁届",
    "acknowledge": "認知届",
    "division": "分籍届",
    "surname": "氏の変更届",
    "given_name": "名の変更届",
}
# The 異動's fields → the proposal page's inputs; any other goes to the summary.
FIELDS = ("setai_no", "relationship", "name_kana", "new_head")
INPUTS = {
    "household.new_head": "new_head",
    "household.setai_no": "setai_no",
    "persons[0].relationship": "relationship",
    "persons[0].name_kana": "name_kana",
}
HIDDEN = "（表示する権限がありません）"


def koseki_tasks(request) -> list[HomeTask]:
    """「戸籍からの異動候補」 on the 窓口's home screen: one count."""
    waiting = count_open()
    return [
        HomeTask(
            "戸籍からの異動候補",
            f"{waiting:,}件",
            reverse("registry:koseki-proposals"),
            Urgency.WARNING if waiting else Urgency.INFO,
            note="戸籍の届出による記載・修正・消除を確認し、反映してください。" if waiting else "",
            link_label="異動候補を開く",
        )
    ]


@staff_view(roles=WRITE_ROLES)
def proposals(request):
    """The proposals of one status (未処理 by default) and kind, in the order they came."""
    status = request.GET.get("status", ProposalStatus.OPEN)
    kind = request.GET.get("kind", "")
    errors: dict[str, str] = {}
    page = None
    try:
        page = proposals_page(
            status=status,
            kind=kind,
            after=request.GET.get("after", "")[:40],
            visibility=visibility(request.roles),
        )
    except services.RuleViolation as exc:
        errors = dict(exc.errors)
    query = {"status": status, "kind": kind}
    return render(
        request,
        "registry/koseki_proposals.html",
        {
            "rows": [_line(p) for p in page.proposals] if page else [],
            "errors": errors,
            "status": status,
            "kind": kind,
            "statuses": ProposalStatus.choices,
            "kinds": ProposalKind.choices,
            "next_url": "?" + urlencode({**query, "after": page.next}) if page and page.next else "",
            "first_url": "?" + urlencode(query) if request.GET.get("after") else "",
            "active": "registry-koseki",
        },
        status=422 if errors else 200,
    )


def _line(p) -> dict:
    return {
        "p": p,
        "notification": NOTIFICATIONS.get(p.notification_kind, p.notification_kind),
        "items": "・".join(label for k, label in ITEMS.items() if k in p.proposed)
        if p.kind != ProposalKind.BIRTH
        else "",
    }


def _changes(p, vis: services.Visibility) -> list[dict]:
    if p.kind in (ProposalKind.BIRTH, ProposalKind.DEATH):
        return []
    return [
        {
            "label": label,
            "before": p.before.get(key, "") if vis.domicile or key not in DOMICILE_ITEMS else HIDDEN,
            "after": p.proposed[key] if vis.domicile or key not in DOMICILE_ITEMS else HIDDEN,
        }
        for key, label in ITEMS.items()
        if key in p.proposed
    ]


RELATIONSHIP = "household.relationships."


def _input_of(field: str) -> str:
    """The proposal page's input for a field of the 異動 ("" for the summary)."""
    if field.startswith(RELATIONSHIP):
        return "rel_" + field.removeprefix(RELATIONSHIP)
    return INPUTS.get(field, field if field == "reason" else "")


@staff_view(roles=WRITE_ROLES)
def proposal_page(request, proposal_id: uuid.UUID):
    """One proposal: what the 戸籍 says and what the 住民票 says; 反映する or 反映しない."""
    vis = visibility(request.roles)
    errors: dict[str, str] = {}
    summary: list[str] = []
    values = {k: request.POST.get(k, "").strip() for k in (*FIELDS, "reason")}
    relationships = {
        k.removeprefix("rel_"): v.strip()
        for k, v in request.POST.items()
        if k.startswith("rel_") and v.strip()
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "apply":
                inputs = Inputs(**{k: values[k] for k in FIELDS}, relationships=relationships)
                result = apply_proposal(proposal_id, visibility=vis, inputs=inputs)
                messages.success(request, f"異動（{result.move_no or '職権'}）として反映しました。")
                return redirect("registry:koseki-proposal", proposal_id=proposal_id)
            if action == "dismiss":
                dismiss_proposal(proposal_id, values["reason"], visibility=vis)
                messages.success(request, "反映しないこととしました。")
                return redirect("registry:koseki-proposals")
            summary.append("操作を選んでください")
        except services.RuleViolation as exc:
            for field, message in exc.errors:
                key = _input_of(field)
                if key:
                    errors.setdefault(key, message)
                else:
                    summary.append(message)
        except services.Conflict as exc:
            summary.append(str(exc))
            status = 409
        except services.NotFound:
            return not_found(request)
        status = status if status != 200 else 422
    try:
        view = proposal(proposal_id, visibility=vis)
    except services.NotFound:
        return not_found(request)
    p = view.proposal
    if request.method != "POST" and view.households:
        first = view.households[0]
        values |= {
            "setai_no": first.setai_no,
            "relationship": first.relationship,
            "name_kana": p.proposed.get("name_kana", ""),
        }
    members = [
        {
            "m": m,
            "name": f"rel_{m.atena_no}",
            "value": relationships.get(m.atena_no, ""),
            "error": errors.get(f"rel_{m.atena_no}", ""),
        }
        for m in view.remaining
    ]
    return render(
        request,
        "registry/koseki_proposal.html",
        {
            "p": p,
            "notification": NOTIFICATIONS.get(p.notification_kind, p.notification_kind),
            "changes": _changes(p, vis),
            "households": view.households,
            "members": members,
            "values": values,
            "errors": errors,
            "summary": summary,
            "show_domicile": vis.domicile,
            "is_open": p.status == ProposalStatus.OPEN,
            "active": "registry-koseki",
        },
        status=status,
    )
