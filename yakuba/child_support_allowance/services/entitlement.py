"""認定請求 and the yearly determination of each 支給年度 of the 児童扶養手当.

- ``check_claim`` (every rule, no writes) and ``apply_claim`` (one transaction: the 認定, the
  determination of the 支給年度 of its 支給開始月, the event, the audit row). A 請求 made in
  August–September, when the next 支給年度's 所得 is already assessed, also stands for that year's
  現況届 (the 受給者 files both at once) and determines it too.
- ``determine``: one 支給年度's next version — the 所得 from the tax app's door
  (``tax.assessment.figures_of``: the latest 住民税 of the 年度 named like the 支給年度, i.e. the
  previous calendar year's 所得, facts §7), the 扶養親族等 from the same assessment unless the
  clerk gives them, the 養育費 and 諸控除 as declared; the amounts month by month through the
  engine (``services.calculation``; the figures change each April, rules/parameters.py).
- 消滅 is ``services/ending.py``; the 照会 (``person``) is ``services/lookup.py``.

The 受給者 and the children are read through the registry's door with the 福祉 staff's
visibility: a person under 支援措置 is not found (the registry audits the attempt), as on the
other domains' screens for roles that do not see them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Literal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yakuba.child_support_allowance.codes import (
    CATEGORY_OF_ENGINE,
    Category,
    DeterminationReason,
    Ground,
    Status,
)
from yakuba.child_support_allowance.events import CERTIFIED, REVISED, SUSPENDED
from yakuba.child_support_allowance.models import AmountPeriod, Determination, Entitlement, StatusReport
from yakuba.child_support_allowance.rules import months as rules
from yakuba.child_support_allowance.rules.income import Dependants, dependants_of, split_income
from yakuba.child_support_allowance.rules.parameters import UnknownMonth
from yakuba.child_support_allowance.services import amounts
from yakuba.child_support_allowance.services.calculation import (
    SupportAllowanceIn,
    calculate_support_allowance,
)
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.calculations import CalculationRejected
from yakuba.platform.linkage import outbox
from yakuba.platform.payments import zengin
from yakuba.platform.tenancy.context import require_tenant, tenant_context
from yakuba.registry import services as registry
from yakuba.tax import services as tax

RESOURCE = "child_support_allowance.entitlement"
PURPOSE = "児童扶養手当の認定・支給の決定"
# The 福祉 role does not see persons under 支援措置 (registry/ui/access.py: only 窓口 and 管理者).
VISIBILITY = registry.Visibility()
LIVING = (1, 2)  # registry Status: 住民, 転出予定
HIDDEN_MEMBERS = (
    "この世帯には表示が制限された方（支援措置）がいるため、この役割では認定請求を受けられません。"
    "支援措置の対象者を扱える職員が処理してください"
)

AtenaNo = Annotated[str, StringConstraints(pattern=r"^\d{1,15}$")]
Yen = Annotated[int, Field(ge=0, le=100_000_000_000)]
Count = Annotated[int, Field(ge=0, le=30)]


class Rejected(CalculationRejected):
    """Input that cannot be recorded: ``errors`` as ``[{"field", "message"}]`` in Japanese."""

    @classmethod
    def of(cls, pairs: list[tuple[str, str]]) -> Rejected:
        return cls([{"field": f, "message": m} for f, m in pairs])


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FactsIn(Strict):
    """What the 受給者 declares on the 請求書 or the 現況届 (the tax app does not know it)."""

    child_support_received_annual: Yen = Field(0, title="受け取った養育費（年額）")
    other_deductions: Yen = Field(0, title="諸控除（障害者・勤労学生・医療費控除など）")
    dependants: Count | None = Field(None, title="扶養親族等の数（空欄: 住民税の扶養親族の数）")
    elderly_dependants: Count | None = Field(None, title="うち老人扶養親族等の数")
    specific_dependants: Count | None = Field(None, title="うち特定扶養親族等の数")


class ClaimIn(FactsIn):
    """An 認定請求 as the clerk records it."""

    claimant_atena_no: AtenaNo = Field(title="請求者（受給者）の宛名番号")
    claimant_kind: Literal["mother", "father", "caretaker"] = Field(title="請求者の区分（母・父・養育者）")
    ground: Ground = Field(title="受給資格の事由")
    children: list[AtenaNo] = Field(title="対象児童の宛名番号（年長の子から）", min_length=1, max_length=30)
    claimed_on: date = Field(title="請求日")
    certified_on: date | None = Field(None, title="認定日（空欄: 今日）")
    bank_code: str = Field(title="金融機関コード（4桁）", pattern=r"^\d{4}$")
    branch_code: str = Field(title="支店コード（3桁）", pattern=r"^\d{3}$")
    account_type: Literal["1", "2"] = Field(title="預金種目（1: 普通、2: 当座）")
    account_number: str = Field(title="口座番号（7桁）", pattern=r"^\d{7}$")
    account_holder_kana: str = Field(title="口座名義（カナ）", min_length=1, max_length=60)


@dataclass(frozen=True)
class Decision:
    """One 支給年度's figures as the engine gives them, before they are stored."""

    benefit_year: int
    from_month: date
    until_month: date
    category: str
    income_for_test: int
    income: dict
    dependants: int
    elderly: int
    specific: int
    children: int
    steps: list[str]
    periods: list[tuple[date, date, int, list[int]]]  # (from, until, total, per child)
    note: str = ""
    amount_sources: list[dict] = field(default_factory=list)


def living(
    atena_no: str, field_name: str, label: str, errors: list, visibility: registry.Visibility
) -> registry.ResidentRecord | None:
    try:
        person = registry.get_resident(atena_no, visibility=visibility)
    except registry.NotFound:
        errors.append((field_name, f"{label}（宛名番号 {atena_no}）は見つかりません"))
        return None
    if person.status not in LIVING:
        errors.append(
            (
                field_name,
                f"{label}（宛名番号 {atena_no}）は住民ではありません（{person.removal_reason or '消除'}）",
            )
        )
        return None
    return person


def check_facts(facts: FactsIn) -> list[tuple[str, str]]:
    given = [facts.dependants, facts.elderly_dependants, facts.specific_dependants]
    if facts.dependants is None and any(v is not None for v in given):
        return [("dependants", "老人・特定扶養親族等の数を入力するときは扶養親族等の数も入力してください")]
    if facts.dependants is not None and (facts.elderly_dependants or 0) + (facts.specific_dependants or 0) > (
        facts.dependants
    ):
        return [("dependants", "老人・特定扶養親族等の数の合計より少なくできません")]
    return []


def check_claim(body: ClaimIn, *, visibility: registry.Visibility = VISIBILITY) -> list[tuple[str, str]]:
    """Every broken rule of an 認定請求 at once (reads only). A person under 支援措置 is not found
    unless ``visibility`` shows them (a client with the registry's protected-person scope)."""
    today = timezone.localdate()
    errors = check_facts(body)
    if body.claimed_on > today:
        errors.append(("claimed_on", "請求日に未来の日付は入力できません"))
    certified = body.certified_on or today
    if certified < body.claimed_on or certified > today:
        errors.append(("certified_on", "認定日は請求日から今日までの日付を入力してください"))
    try:
        # The name must go into the 全銀 file as it is (受取人名: 半角30文字).
        if len(zengin.kana(body.account_holder_kana, field="口座名義", who="請求者")) > 30:
            errors.append(("account_holder_kana", "口座名義は半角30文字以内で入力してください"))
    except zengin.ZenginError as exc:
        errors.append(("account_holder_kana", str(exc)))
    first = rules.month_after(body.claimed_on)
    claimant = living(body.claimant_atena_no, "claimant_atena_no", "請求者", errors, visibility)
    if claimant is not None and _hides_members(claimant, visibility):
        errors.append(("claimant_atena_no", HIDDEN_MEMBERS))
    if Entitlement.objects.filter(claimant_atena_no=body.claimant_atena_no, status=Status.ACTIVE).exists():
        errors.append(("claimant_atena_no", "この方はすでに児童扶養手当の認定を受けています"))
    if len(set(body.children)) != len(body.children) or body.claimant_atena_no in body.children:
        errors.append(("children", "対象児童が重複しているか、請求者と同じです"))
    for i, atena_no in enumerate(body.children):
        child = living(atena_no, f"children[{i}]", "対象児童", errors, visibility)
        if child is None:
            continue
        if child.birth_date is None or child.birth_date > body.claimed_on:
            errors.append(
                (f"children[{i}]", f"対象児童（宛名番号 {atena_no}）の生年月日が請求日の後か不詳です")
            )
        elif rules.last_child_month(child.birth_date) < first:
            errors.append(
                (f"children[{i}]", f"対象児童（宛名番号 {atena_no}）は18歳到達後の年度末を過ぎています")
            )
    try:
        amounts.Resolver()(first)
    except UnknownMonth as exc:
        errors.append(("claimed_on", str(exc)))
    else:
        year = rules.benefit_year_of(first)
        if not errors and not tax.assessment.figures_of([body.claimant_atena_no], year):
            errors.append(("claimant_atena_no", _no_income(year)))
    return errors


def _hides_members(claimant: registry.ResidentRecord, visibility: registry.Visibility) -> bool:
    """Whether the 請求者's 世帯 has a member the caller may not see (支援措置): the clerk could
    not list a hidden child, so the children counted — and the amount — would silently be wrong
    (the same guard as 児童手当's 認定請求). Compared as ids only; nobody is named."""
    if visibility.protected:
        return False
    try:
        shown = {m.atena_no for m in registry.household(claimant.setai_no, visibility=visibility).members}
    except registry.NotFound:  # the 世帯主 is hidden from the caller
        return True
    return bool(registry.household_members(claimant.setai_no) - shown)


def _no_income(year: int) -> str:
    return f"請求者の{year - 1}年の所得（{year}年度の住民税）が登録されていません。所得の申告を受けてください"


def children_until(children: list[str], last: date) -> dict[str, date]:
    """{宛名番号: the last month the child counts}: the 年度末 after its 18th birthday, or the month
    it left (転出, 死亡 — 手当額改定届: 「対象児童が減った日の属する月の翌月から減額」 下野市
    http://www.city.shimotsuke.lg.jp/viewer/print.html?idSubTop=3&id=1296), whichever is first;
    ``last`` when neither applies (a 生年月日 不詳). Read through the registry's door in bulk, every
    child counted (a decision discloses nothing, 支援措置 or not)."""
    records = registry.residents_of(children, visibility=registry.Visibility(protected=True))
    found = {}
    for atena_no in children:
        person = records.get(atena_no)
        ends = [last]
        if person is not None and person.birth_date is not None:
            ends.append(rules.last_child_month(person.birth_date))
        left = person and (person.removed_on if person.status not in LIVING else person.planned_move_out_on)
        if left:
            ends.append(rules.first_of(left))
        found[atena_no] = min(ends)
    return found


def decide(
    entitlement: Entitlement, benefit_year: int, facts: FactsIn, *, from_month: date | None = None
) -> Decision:
    """The figures of one 支給年度 (reads the tax app's door; writes nothing). The months run from
    ``from_month`` (or the 支給年度's November, not before the 支給開始月) to October (or the
    支給終了月); months whose amounts are not yet in the data are left to a later 額改定."""
    start, end = rules.benefit_year_span(benefit_year)
    first = max(from_month or start, start, entitlement.first_month)
    last = min(end, entitlement.last_month) if entitlement.last_month else end
    figures = tax.assessment.figures_of([entitlement.claimant_atena_no], benefit_year).get(
        entitlement.claimant_atena_no
    )
    if figures is None:
        raise Rejected.of([("income", _no_income(benefit_year))])
    if facts.dependants is None:
        versions = tax.assessment.versions(entitlement.claimant_atena_no, benefit_year)
        counted = dependants_of(
            (versions[-1].calculation_result or {}).get("dependants") if versions else None
        )
    else:
        counted = Dependants(facts.dependants, facts.elderly_dependants or 0, facts.specific_dependants or 0)
    income = {
        **split_income(figures.total_income, figures.salary_income, figures.pension_income),
        "child_support_received_annual": facts.child_support_received_annual,
        "other_deductions": facts.other_deductions,
    }
    since = {a: date.fromisoformat(m) for a, m in entitlement.children_from.items()}
    spans = [(since.get(a, first), u) for a, u in children_until(entitlement.children, last).items()]
    periods: list[list] = []
    steps: list[str] = []
    result = None
    note = missing = ""
    resolve = amounts.Resolver()
    sources: list[dict] = []
    for month in rules.each_month(first, last):
        children = sum(1 for s, u in spans if s <= month <= u)
        if not children:
            note = f"{month.year}年{month.month}月分から対象児童がいません（18歳到達後の年度末）"
            break
        try:
            figures = resolve(month)
        except UnknownMonth as exc:
            note, missing = (
                f"{month.year}年{month.month}月分以降の手当額は未登録です（登録後に額改定）",
                str(exc),
            )
            break
        if not sources or sources[-1]["origin"] != figures.origin:
            sources.append(
                {"from_month": month_text(month), "origin": figures.origin, "label": figures.label()}
            )
        result = calculate_support_allowance(
            SupportAllowanceIn(
                month=f"{month.year}-{month.month:02d}",
                children=children,
                dependants=counted.total,
                elderly_dependants=counted.elderly,
                specific_dependants=counted.specific,
                income=income,
                claimant=entitlement.claimant_kind,
            ),
            figures,
        )
        if periods and periods[-1][3] == result["per_child"]:
            periods[-1][1] = month
            continue
        periods.append([month, month, result["monthly_total"], result["per_child"]])
        steps += [
            f"【{month.year}年{month.month}月分から（対象児童 {children}人）】",
            f"手当額: {figures.label()}",
            *result["steps"],
        ]
    if result is None:
        raise Rejected.of(
            [("month", missing or note or f"{first.year}年{first.month}月分の手当額が登録されていません")]
        )
    return Decision(
        benefit_year,
        first,
        periods[-1][1],
        CATEGORY_OF_ENGINE[result["category"]],
        result["income_for_test"],
        {**income, "tax_year": benefit_year},
        counted.total,
        counted.elderly,
        counted.specific,
        len(entitlement.children),
        steps,
        [tuple(p) for p in periods],
        note,
        [{"from_month": s["from_month"], **s["origin"]} for s in sources],
    )


def month_text(month: date) -> str:
    return f"{month.year}-{month.month:02d}"


def decision_data(row: Determination, periods: list[tuple]) -> dict:
    return {
        "entitlement_id": row.entitlement_id,
        "benefit_year": row.benefit_year,
        "version": row.version,
        "reason": str(row.reason),
        "category": str(row.category),
        "from_month": month_text(row.from_month),
        "until_month": month_text(row.until_month),
        "monthly": [[month_text(f), month_text(u), total] for f, u, total, _c in periods],
    }


def store(entitlement: Entitlement, decision: Decision, reason: str) -> Determination:
    """The decision as the 支給年度's next version with its periods, its event (an 認定 emits
    its own) and the audit row — in the caller's transaction."""
    latest = Determination.objects.filter(
        entitlement=entitlement, benefit_year=decision.benefit_year
    ).aggregate(v=Max("version"))["v"]
    now, actor = timezone.now(), current_actor().name
    row = Determination.objects.create(
        lg_code=entitlement.lg_code,
        entitlement=entitlement,
        benefit_year=decision.benefit_year,
        version=(latest or 0) + 1,
        reason=reason,
        from_month=decision.from_month,
        until_month=decision.until_month,
        category=decision.category,
        income_for_test=decision.income_for_test,
        income=decision.income,
        dependants=decision.dependants,
        elderly_dependants=decision.elderly,
        specific_dependants=decision.specific,
        children=decision.children,
        steps=decision.steps,
        note=decision.note,
        amount_sources=decision.amount_sources,
        created_at=now,
        created_by=actor,
    )
    AmountPeriod.objects.bulk_create(
        AmountPeriod(
            lg_code=entitlement.lg_code,
            determination=row,
            from_month=f,
            until_month=u,
            monthly_total=total,
            per_child=per_child,
        )
        for f, u, total, per_child in decision.periods
    )
    if reason != DeterminationReason.CERTIFIED:
        type_ = SUSPENDED if decision.category == Category.STOPPED else REVISED
        outbox.emit(type_, subject=entitlement.claimant_atena_no, data=decision_data(row, decision.periods))
    record(
        Action.CREATE,
        RESOURCE,
        subjects=[entitlement.claimant_atena_no],
        purpose=PURPOSE,
        detail={
            "entitlement": entitlement.id,
            "benefit_year": row.benefit_year,
            "version": row.version,
            "reason": reason,
            "category": row.category,
            "tax_year": decision.benefit_year,
            "amount_sources": decision.amount_sources,
        },
    )
    return row


def determine(entitlement: Entitlement, benefit_year: int, facts: FactsIn, reason: str) -> Determination:
    """``decide`` and ``store`` in the caller's transaction."""
    return store(entitlement, decide(entitlement, benefit_year, facts), reason)


def _unsaved(body: ClaimIn) -> Entitlement:
    return Entitlement(
        lg_code=require_tenant().lg_code,
        claimant_atena_no=body.claimant_atena_no,
        claimant_kind=body.claimant_kind,
        ground=body.ground,
        children=body.children,
        claimed_on=body.claimed_on,
        first_month=rules.month_after(body.claimed_on),
    )


def preview_claim(body: ClaimIn, *, visibility: registry.Visibility = VISIBILITY) -> Decision:
    """What ``apply_claim`` would decide for the first 支給年度 (the 確認 screen): every broken rule
    at once (``Rejected``) or the decision — nothing written."""
    errors = check_claim(body, visibility=visibility)
    if errors:
        raise Rejected.of(errors)
    first = rules.month_after(body.claimed_on)
    return decide(_unsaved(body), rules.benefit_year_of(first), body)


def facts_of(row: Determination) -> FactsIn:
    """What a stored version was decided with (the declared 養育費 and 諸控除, the 扶養親族等)."""
    return FactsIn(
        child_support_received_annual=row.income.get("child_support_received_annual", 0),
        other_deductions=row.income.get("other_deductions", 0),
        dependants=row.dependants,
        elderly_dependants=row.elderly_dependants,
        specific_dependants=row.specific_dependants,
    )


def revise_for_children(entitlement: Entitlement) -> int:
    """額改定 after a 対象児童 left (転出, 死亡) or was added (額改定請求), or a 年度's 手当額 were
    registered (``revise_for_amounts``): each 支給年度 whose amounts change is decided again with
    the same declared facts (the next version, event 額改定); the others are left as they are.
    Returns the versions written (caller's transaction)."""
    latest = (
        Determination.objects.filter(entitlement=entitlement)
        .order_by("benefit_year", "-version")
        .distinct("benefit_year")
        .prefetch_related("periods")
    )
    written = 0
    for row in latest:
        decision = decide(entitlement, row.benefit_year, facts_of(row), from_month=row.from_month)
        stored = [(p.from_month, p.until_month, p.monthly_total, p.per_child) for p in row.periods.all()]
        if sorted(stored) != sorted(decision.periods):
            store(entitlement, decision, DeterminationReason.REVISED)
            written += 1
    return written


def revise_for_amounts(lg_code: str, fiscal_year: int) -> int:
    """額改定 once a 年度's 手当額 are registered or corrected (services/amounts.py): every active
    認定 with a 支給年度 touching the 年度 (the one ending in its October, the one from its
    November) is decided again — the months a determination left for later (「未登録です（登録後に
    額改定）」) now get their amounts, a corrected figure a new version. One transaction per 認定: a
    killed run loses nothing, and running it again writes nothing twice (unchanged amounts write
    no version). Returns the versions written."""
    with tenant_context(lg_code):
        ids = list(
            Entitlement.objects.filter(
                status=Status.ACTIVE, determinations__benefit_year__in=(fiscal_year - 1, fiscal_year)
            )
            .order_by("id")
            .distinct()
            .values_list("id", flat=True)
        )
    written = 0
    for entitlement_id in ids:
        with tenant_context(lg_code), transaction.atomic(using=require_tenant().alias):
            found = Entitlement.objects.select_for_update().get(id=entitlement_id)
            if found.status == Status.ACTIVE:
                written += revise_for_children(found)
    return written


def active_of(atena_no: str, visibility: registry.Visibility, errors: list) -> Entitlement | None:
    """The 受給者's active 認定 — none (and the error naming ``atena_no``) when there is none or the
    caller may not see the person (支援措置: the registry audits the attempt)."""
    found = Entitlement.objects.filter(claimant_atena_no=atena_no, status=Status.ACTIVE).first()
    try:
        registry.get_resident(atena_no, visibility=visibility)
    except registry.NotFound:
        found = None
    if found is None:
        errors.append(("atena_no", f"宛名番号 {atena_no} の方に認定中の児童扶養手当はありません"))
    return found


def apply_claim(body: ClaimIn, *, visibility: registry.Visibility = VISIBILITY) -> Entitlement:
    """Record an 認定請求 and determine its first 支給年度 — one transaction, every broken rule at
    once (``Rejected``)."""
    with transaction.atomic(using=require_tenant().alias):
        errors = check_claim(body, visibility=visibility)
        if errors:
            raise Rejected.of(errors)
        entitlement = _unsaved(body)
        first = entitlement.first_month
        entitlement.certified_on = body.certified_on or timezone.localdate()
        entitlement.bank_code, entitlement.branch_code = body.bank_code, body.branch_code
        entitlement.account_type, entitlement.account_number = body.account_type, body.account_number
        entitlement.account_holder_kana = body.account_holder_kana
        entitlement.created_at, entitlement.created_by = timezone.now(), current_actor().name
        entitlement.save(force_insert=True)
        year = rules.benefit_year_of(first)
        decision = decide(entitlement, year, body)
        row = store(entitlement, decision, DeterminationReason.CERTIFIED)
        outbox.emit(
            CERTIFIED,
            subject=entitlement.claimant_atena_no,
            data={
                **decision_data(row, decision.periods),
                "ground": body.ground,
                "children": len(body.children),
                "first_month": month_text(first),
            },
        )
        _status_report_with_claim(entitlement, year + 1, body)
    return entitlement


def _status_report_with_claim(entitlement: Entitlement, next_year: int, facts: FactsIn) -> None:
    """A 請求 from August on, paying from before November: it is also the next 支給年度's 現況届
    when that year's 所得 is assessed (otherwise the August run opens one)."""
    claimed = entitlement.claimed_on
    # August–September of the year whose November starts ``next_year`` (an October claim pays
    # from November: its own 支給年度 is already the new one).
    if claimed.month < 8 or next_year != claimed.year:
        return
    if not tax.assessment.figures_of([entitlement.claimant_atena_no], next_year):
        return
    StatusReport.objects.create(
        lg_code=entitlement.lg_code,
        entitlement=entitlement,
        benefit_year=next_year,
        opened_at=timezone.now(),
        received_on=claimed,
        received_by=current_actor().name,
    )
    determine(entitlement, next_year, facts, DeterminationReason.STATUS_REPORT)
