"""保育 staff screens (Role.WELFARE): the 認定 照会 of a child with every version, 申込, 利用調整
result and 利用者負担 決定; the 利用調整 result list with each applicant's 指数 and its steps (so
the clerk can explain a 保留); the 認定 and 申込 forms with a 確認 step before anything is
recorded; the 利用者負担 calculation of contract §9.10.

Forms are built from the API's own models (``platform.ui.model_form``), so each error lands on
its input. A child under 支援措置 is not found by the 照会 (the registry audits the attempt) and
is listed without a name in a result list — as the registry's screens show them to these roles.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from yakuba.childcare import access, services
from yakuba.childcare.rules.certification import REASONS
from yakuba.childcare.services import CalculationRejected, FeeIn, calculate_fee
from yakuba.platform import pdf
from yakuba.platform.ui.home import HomeTask
from yakuba.platform.ui.insured import ATENA, PAGE, asked_cursor, asked_month, next_cursor, this_month
from yakuba.platform.ui.model_form import ModelForm, calculation_page
from yakuba.platform.ui.staff import staff_view
from yakuba.registry.services import NotFound

ACTIVE = "childcare"
LABELS = {**REASONS, "standard": "保育標準時間", "short": "保育短時間", "1": "1号", "2": "2号", "3": "3号"}
HINTS = {"base_date": "例：R6.4.1（和暦・西暦どちらでも）", "birth_date": "例：R4.5.1"}


@staff_view(roles=access.STAFF_ROLES)
def lookup(request):
    """認定 照会: a child's 認定 (every version), 申込, 利用調整 results and 利用者負担 決定."""
    atena_no = request.GET.get("atena_no", "").strip()[:15]
    context, status = {"atena_no": atena_no, "active": ACTIVE, "lookup_url": request.path}, 200
    if atena_no and not ATENA.match(atena_no):
        context["error"], status = "宛名番号は数字で入力してください", 422
    elif atena_no:
        try:
            context["child"] = services.child_records(atena_no)
        except NotFound:
            context["error"], status = f"宛名番号 {atena_no} の方は見つかりません", 404
    return render(request, "childcare/lookup.html", context, status=status)


def _form_page(request, *, model, check, apply, present, title: str, action_label: str):
    """The form (GET), its 確認 (POST ``_step=confirm``: every rule checked and what would be
    recorded shown, nothing written) and the record (``_step=apply``), or the form again with
    each error on its input (422)."""
    options = {"rows": {"parents": 2}, "labels": LABELS, "hints": HINTS}
    context = {"active": ACTIVE, "action": request.path, "title": title, "action_label": action_label}
    if request.method != "POST":
        values = {key[len("v_") :]: value for key, value in request.GET.items() if key.startswith("v_")}
        return render(
            request, "childcare/form.html", {**context, "form": ModelForm(model, values=values, **options)}
        )
    form = ModelForm(model, request.POST, **options)
    step = request.POST.get("_step", "")
    body = form.validate() if step in ("confirm", "apply") else None
    if body is not None:
        try:
            preview = present(check(body))
            if step == "apply":
                return redirect(_child_url(apply(body).child_atena_no))
            return render(request, "childcare/form_confirm.html", {**context, "form": form, **preview})
        except CalculationRejected as exc:
            form.set_errors([(e["field"], e["message"]) for e in exc.errors])
    status = 200 if step == "edit" else 422
    return render(request, "childcare/form.html", {**context, "form": form}, status=status)


def _child_url(atena_no: str) -> str:
    return reverse("childcare:lookup") + f"?atena_no={atena_no}"


@staff_view(roles=access.STAFF_ROLES)
def certify(request):
    return _form_page(
        request,
        model=services.CertificationIn,
        check=services.check_certification,
        apply=services.apply_certification,
        present=lambda p: {
            "facts": [
                ("認定証番号", p["certificate_no"] or "新規"),
                ("認定区分", p["kind"]),
                ("保育必要量", p["need"]),
                ("有効期間", f"{p['valid_from']:%Y-%m-%d} 〜 {p['valid_until']:%Y-%m-%d}"),
            ],
            "steps": p["steps"],
        },
        title="支給認定",
        action_label="認定する",
    )


@staff_view(roles=access.STAFF_ROLES)
def apply(request):
    return _form_page(
        request,
        model=services.ApplicationIn,
        check=services.check_application,
        apply=services.apply_application,
        present=lambda p: {
            "facts": [("指数", p["score"]), ("クラス年齢", f"{p['class_age']}歳児")],
            "steps": p["steps"],
        },
        title="利用申込",
        action_label="申込を受け付ける",
    )


@staff_view(roles=access.STAFF_ROLES)
def decide(request):
    return _form_page(
        request,
        model=services.FeeDecisionIn,
        check=services.check_fee,
        apply=services.decide_fee,
        present=lambda p: {
            "facts": [("決定しない月", "、".join(p["left_out"]) or "なし")],
            "ranges": p["ranges"],
        },
        title="利用者負担額の決定",
        action_label="決定する",
    )


@staff_view(roles=access.STAFF_ROLES)
def runs(request):
    """The latest 利用調整 runs, and a new run of a 入所月 (POST)."""
    context = {"active": ACTIVE, "runs": services.latest_runs(), "month": request.POST.get("month", "")}
    if request.method == "POST":
        try:
            out = services.run_allocation(context["month"])
        except CalculationRejected as exc:
            context["errors"] = exc.errors
            return render(request, "childcare/runs.html", context, status=422)
        return redirect("childcare:run", run=out.run)
    return render(request, "childcare/runs.html", context)


@staff_view(roles=access.STAFF_ROLES)
def run(request, run: int):
    """A run's result list in 順位 order, each applicant's 指数 with its steps."""
    try:
        out = services.allocation_run(run)
    except LookupError:
        raise Http404 from None
    return render(request, "childcare/run.html", {"active": ACTIVE, "run": out})


@staff_view(roles=access.STAFF_ROLES)
def run_csv(request, run: int):
    """The result list as CSV (an audited export)."""
    try:
        body = services.allocation_csv(run)
    except LookupError:
        raise Http404 from None
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = pdf.content_disposition(f"利用調整_{run}.csv", inline=False)
    return response


@staff_view(roles=access.STAFF_ROLES)
def calculate(request):
    """利用者負担の計算: the contract's JSON with every step; nothing stored."""
    return calculation_page(
        request, "childcare/calculate.html", FeeIn, calculate_fee, labels=LABELS, hints=HINTS
    )


def _pdf(make, number: str, filename: str) -> HttpResponse:
    """A printed document inline; 404 for an unknown number or a person hidden from the caller."""
    try:
        body = make(number)
    except (LookupError, NotFound):
        raise Http404 from None
    response = HttpResponse(body, content_type=pdf.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = pdf.content_disposition(filename)
    return response


@staff_view(roles=access.STAFF_ROLES)
def certificate(request, number: str):
    """The 支給認定証 of a 認定 (its latest version)."""
    return _pdf(services.certificate_pdf, number, f"支給認定証_{number}.pdf")


@staff_view(roles=access.STAFF_ROLES)
def fee_notice(request, number: str):
    """The 利用者負担額決定通知書 of a 決定."""
    return _pdf(services.fee_notice_pdf, number, f"利用者負担額決定通知書_{number}.pdf")


@staff_view(roles=access.STAFF_ROLES)
def expiring(request):
    """The 認定 whose 有効期間 ends in the month asked (renew them: 求職活動's 90 days, 育休, 3号 to
    2号 at 満3歳, 小学校), a keyset page at a time."""
    month, error = asked_month(request.GET.get("month", ""))
    after = asked_cursor(request.GET.get("after", ""))
    page = services.expiring(month.first, month.last, after=after, limit=PAGE)
    context = {"active": ACTIVE, "month": month, "error": error, "page": page, "after": after}
    context |= {"list_url": request.path, "next": next_cursor(page, lambda e: e.valid_until)}
    return render(request, "childcare/expiring.html", context, status=422 if error else 200)


def _row_id(text: str) -> bool:
    """An id the database can hold (ASCII digits: "²" is a digit int() refuses; below bigint)."""
    return text.isascii() and text.isdigit() and len(text) <= 18


@staff_view(roles=access.STAFF_ROLES)
def work(request):
    """転出・死亡で終了した認定: the open items, a keyset page at a time; 「処理済にする」 closes one
    (POST, then back to the list)."""
    if request.method == "POST":
        item = request.POST.get("item", "")
        if _row_id(item):
            services.close_work(int(item))
        return redirect("childcare:work")
    after = request.GET.get("after", "")
    page = services.open_work(after=int(after) if _row_id(after) else 0, limit=PAGE)
    following = page[-1].id if len(page) == PAGE else None
    return render(request, "childcare/work.html", {"active": ACTIVE, "page": page, "following": following})


def home_tasks(request) -> list[HomeTask]:
    """This month's ending 認定 and the open work items (one count each), linking to the lists."""
    month = this_month()
    return [
        HomeTask(
            "保育：転出・死亡で終了した認定（未処理）",
            f"{services.count_open_work():,}件",
            reverse("childcare:work"),
            link_label="未処理の一覧を開く",
        ),
        HomeTask(
            "保育：今月で有効期間が終わる認定",
            f"{services.count_expiring(month.first, month.last):,}件",
            reverse("childcare:expiring") + f"?month={month.value}",
            link_label="認定の一覧を開く",
        ),
    ]
