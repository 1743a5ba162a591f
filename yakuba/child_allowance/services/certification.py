"""認定請求: who is the 受給者, which children are counted, from which month it pays.

The rules (insurance-welfare-facts §6):

- **受給者** is the parent with the higher 生計維持の程度 — in principle the higher 所得. The 所得
  of both parents is read through the tax app's door (the latest assessment of the 年度 whose
  所得 is known at the 請求: from June the 年度's, before June the previous one's); the spouse with
  the higher 合計所得金額 is the one to claim. When the tax app knows neither or only one of them
  (no 申告, moved in after 1月1日), the office asks the household: the clerk records the
  household's choice (``household_choice``; ``ChoiceBasis.DECLARED``).
  https://www.town.misaki.okayama.jp/site/kosodatesienplan/28186.html
- **公務員** are paid by their employer: their 請求 is refused here.
- **Children** come from the registry's door: the claimant's (and spouse's) children in the
  claimant's 世帯 by 続柄 — paid to the 18歳年度末, counted to the 22歳年度末 only with the
  監護相当・生計費の負担についての確認書 (``bears_costs``) — and children living apart that the
  clerk adds (別居監護申立書). A child counted in another open 認定 is refused.
- **支給開始月** is the month after the 請求, or the month after the event under the 15日特例
  (``services/timing.py``). At least one child must be paid that month.

Persons under 支援措置 are read with the caller's visibility: a claimant hidden from the caller
is not found. A 世帯 with members hidden from the caller is refused rather than certified
without them — the children counted, and so the amount, would silently be wrong; the message
names no one and sends the 請求 to staff who may see protected persons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yakuba.child_allowance.codes import ChoiceBasis, Cohabitation, PeriodReason, Status, WorkKind, WorkStatus
from yakuba.child_allowance.events import CERTIFIED
from yakuba.child_allowance.models import CountedChild, Entitlement, WorkItem
from yakuba.child_allowance.rules.amounts import year_end_after
from yakuba.child_allowance.rules.parameters import UnknownYear, scheme_for
from yakuba.child_allowance.services.amounts import Counted, MonthAmount, month_amount
from yakuba.child_allowance.services.ledger import PURPOSE, RESOURCE, amount_data, announce, open_period, ym
from yakuba.child_allowance.services.timing import first_month
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.calculations import CalculationRejected
from yakuba.platform.payments.zengin import ZenginError, kana
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.tax import services as tax

HEAD = "世帯主"
SPOUSES = frozenset({"夫", "妻", "夫（未届）", "妻（未届）"})
# The claimant's 続柄 to the 世帯主 → the 続柄 of the couple's children and of the spouse.
_PARENT_GENERATION = (("子", "妻の子", "夫の子"), SPOUSES)
_CHILD_GENERATION = (("子の子",), frozenset({"子の妻", "子の夫"}))

RESIDENT = 1  # 住民状態: 1 住民, 2 転出予定, 3 消除 (contract §6)
Digits = Annotated[str, StringConstraints(pattern=r"^\d{1,15}$")]

HIDDEN_MEMBERS = (
    "この世帯には表示が制限された方（支援措置）がいるため、この役割では認定できません。"
    "支援措置の対象者を扱える職員が処理してください"
)


class ClaimRejected(CalculationRejected):
    """A 請求 that cannot be certified: every reason at once as ``[{"field", "message"}]``."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChildIn(_Strict):
    """A child named by the clerk — one living apart (別居監護申立書), or the child of a
    額改定認定請求: a resident of this municipality by 宛名番号, or one living in another by name
    and birth date."""

    atena_no: Digits | None = Field(None, title="宛名番号（この市区町村の住民のとき）")
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = Field(
        "", title="氏名（他の市区町村に住むとき）"
    )
    birth_date: date | None = Field(None, title="生年月日（他の市区町村に住むとき）")
    relationship: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)] = (
        Field("子", title="請求者との続柄")
    )
    bears_costs: bool = Field(False, title="監護相当・生計費の負担についての確認書（19〜22歳年度末の子）")


class ClaimIn(_Strict):
    claimant_atena_no: Digits = Field(title="請求者の宛名番号")
    claimed_on: date = Field(title="請求日")
    event_on: date | None = Field(None, title="15日特例の事由の日（出生日、転入は前住所地の転出予定日）")
    public_servant: bool = Field(False, title="請求者が公務員である")
    household_choice: bool = Field(False, title="所得が分からないため、世帯の申立てにより請求者を決めた")
    bears_costs: list[Digits] = Field(
        default_factory=list, max_length=20, title="確認書のある19〜22歳年度末の子の宛名番号（同じ世帯）"
    )
    children_apart: list[ChildIn] = Field(default_factory=list, max_length=20, title="別居の子")
    bank_code: Annotated[str, StringConstraints(pattern=r"^\d{4}$")] = Field(title="金融機関コード（4桁）")
    branch_code: Annotated[str, StringConstraints(pattern=r"^\d{3}$")] = Field(title="支店コード（3桁）")
    account_type: Literal["1", "2"] = Field(title="預金種目（1 普通／2 当座）")
    account_number: Annotated[str, StringConstraints(pattern=r"^\d{1,7}$")] = Field(
        title="口座番号（7桁以内）"
    )
    account_holder_kana: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)
    ] = Field(title="口座名義（カナ）")


@dataclass(frozen=True)
class ChildPlan:
    counted: Counted
    relationship: str
    cohabitation: str

    def row(self, entitlement: Entitlement, from_month: date) -> CountedChild:
        """The child's row in ``entitlement``, counted from ``from_month``."""
        return CountedChild(
            lg_code=entitlement.lg_code,
            entitlement=entitlement,
            atena_no=self.counted.atena_no,
            name=self.counted.name,
            birth_date=self.counted.birth_date,
            relationship=self.relationship,
            cohabitation=self.cohabitation,
            bears_costs=self.counted.bears_costs,
            from_month=from_month,
        )


@dataclass(frozen=True)
class ClaimPlan:
    """What a 請求 would certify, as the 確認 screen shows it."""

    claimant_atena_no: str
    claimant_name: str
    setai_no: str
    spouse_atena_no: str
    spouse_name: str
    choice_basis: str
    first_month: date
    children: tuple[ChildPlan, ...]
    amount: MonthAmount
    holder_kana: str

    @property
    def choice_label(self) -> str:
        return ChoiceBasis(self.choice_basis).label


def income_year(claimed_on: date) -> int:
    """The 年度 whose assessment holds the 所得 known at the 請求 (the 住民税 of a 年度 is decided
    in June on the previous year's 所得)."""
    return claimed_on.year if claimed_on.month >= 6 else claimed_on.year - 1


def _incomes(atena_nos: list[str], claimed_on: date) -> dict[str, int]:
    """{宛名番号: 合計所得金額} from the latest 年度 the tax app assessed both in (or each alone)."""
    year = income_year(claimed_on)
    found = {a: f.total_income for a, f in tax.assessment.figures_of(atena_nos, year).items()}
    if len(found) < len(atena_nos):
        earlier = tax.assessment.figures_of(atena_nos, year - 1)
        if len(earlier) > len(found):
            found = {a: f.total_income for a, f in earlier.items()}
    return found


def _generation(relationship: str):
    if relationship == HEAD or relationship in SPOUSES:
        return _PARENT_GENERATION
    if relationship == "子":
        return _CHILD_GENERATION
    return None


def _spouse_of(claimant, members) -> object | None:
    if claimant.relationship in SPOUSES:
        return next((m for m in members if m.relationship == HEAD), None)
    generation = _generation(claimant.relationship)
    if generation is None:
        return None
    return next(
        (m for m in members if m.relationship in generation[1] and m.atena_no != claimant.atena_no), None
    )


def _counts_at(birth: date, month: date, bears_costs: bool) -> bool:
    """Counted in the month: to the 18歳年度末, to the 22歳年度末 with the 確認書 (the scheme's ages)."""
    scheme = scheme_for(month.year, month.month)
    last = scheme.counted_if_costs_borne_until if bears_costs else scheme.counted_until
    return (month.year, month.month) <= year_end_after(birth, last)


def check_claim(body: ClaimIn, *, visibility: registry.Visibility) -> ClaimPlan:
    """Every rule of the 請求 at once (no writes): the plan, or ``ClaimRejected``."""
    errors: list[tuple[str, str]] = []
    today = timezone.localdate()
    if body.claimed_on > today:
        errors.append(("claimed_on", "請求日に未来の日付は入力できません"))
    if body.event_on is not None and body.event_on > body.claimed_on:
        errors.append(("event_on", "15日特例の事由の日は請求日以前の日付を入力してください"))
    if body.public_servant:
        errors.append(
            ("public_servant", "公務員の方の児童手当は勤務先から支給されます（市区町村では認定できません）")
        )
    try:
        holder = kana(body.account_holder_kana, field="口座名義", who="請求者")
    except ZenginError as exc:
        errors.append(("account_holder_kana", str(exc)))
        holder = ""
    start = first_month(body.claimed_on, body.event_on)
    try:
        scheme_for(start.year, start.month)
    except UnknownYear as exc:
        _refuse(errors + [("claimed_on", str(exc))])
    try:
        claimant = registry.get_resident(body.claimant_atena_no, visibility=visibility)
    except registry.NotFound:
        _refuse(errors + [("claimant_atena_no", f"宛名番号 {body.claimant_atena_no} の住民は見つかりません")])
    if claimant.status != RESIDENT:
        _refuse(
            errors + [("claimant_atena_no", "請求者は住民（転出予定・消除でない方）でなければなりません")]
        )
    if Entitlement.objects.filter(claimant_atena_no=claimant.atena_no, status=Status.ACTIVE).exists():
        errors.append(
            ("claimant_atena_no", "この方はすでに児童手当を受給しています（額改定認定請求をしてください）")
        )
    try:
        members = registry.household(claimant.setai_no, visibility=visibility).members
    except registry.NotFound:  # a 世帯 whose 世帯主 the caller may not see (支援措置): not there
        _refuse(errors + [("claimant_atena_no", f"宛名番号 {body.claimant_atena_no} の住民は見つかりません")])
    if not visibility.protected and registry.household_members(claimant.setai_no) - {
        m.atena_no for m in members
    }:
        _refuse(errors + [("claimant_atena_no", HIDDEN_MEMBERS)])
    spouse = _spouse_of(claimant, members)
    basis = _basis(body, claimant, spouse, errors)
    children = _children(body, claimant, members, start, visibility, errors)
    taken = set(
        CountedChild.objects.filter(
            atena_no__in=[c.counted.atena_no for c in children if c.counted.atena_no],
            until_month__isnull=True,
        ).values_list("atena_no", flat=True)
    )
    for atena_no in sorted(taken):
        errors.append(("children", f"宛名番号 {atena_no} の子は他の受給者の児童手当で算定されています"))
    amount = month_amount([c.counted for c in children], start)
    if not any(c["eligible"] for c in amount.children):
        errors.append(("children", f"{ym(start)}分に支給対象となる児童（18歳年度末まで）がいません"))
    _refuse(errors)
    return ClaimPlan(
        claimant.atena_no,
        claimant.name,
        claimant.setai_no,
        spouse.atena_no if spouse else "",
        spouse.name if spouse else "",
        basis,
        start,
        tuple(children),
        amount,
        holder,
    )


def _refuse(errors: list[tuple[str, str]]) -> None:
    if errors:
        raise ClaimRejected([{"field": f, "message": m} for f, m in errors])


def _basis(body: ClaimIn, claimant, spouse, errors: list) -> str:
    """The 受給者 is the parent with the higher 所得 (facts §6); the household's choice when the
    tax app cannot tell."""
    if spouse is None:
        return ChoiceBasis.ONLY_PARENT
    incomes = _incomes([claimant.atena_no, spouse.atena_no], body.claimed_on)
    if len(incomes) == 2:
        if incomes[spouse.atena_no] > incomes[claimant.atena_no]:
            errors.append(
                (
                    "claimant_atena_no",
                    f"配偶者（宛名番号 {spouse.atena_no}）の所得の方が高いため、配偶者が請求者になります",
                )
            )
        return ChoiceBasis.INCOME
    if not body.household_choice:
        errors.append(
            (
                "household_choice",
                "父母の所得が分からないため、どちらが請求者か世帯に確認し、世帯の申立てとして記録してください",
            )
        )
    return ChoiceBasis.DECLARED


def _children(body: ClaimIn, claimant, members, start: date, visibility, errors: list) -> list[ChildPlan]:
    generation = _generation(claimant.relationship)
    terms = generation[0] if generation else ()
    costs = set(body.bears_costs)
    found: list[ChildPlan] = []
    seen: set[str] = set()
    for member in members:
        if member.relationship not in terms or member.birth_date is None:
            continue
        bears = member.atena_no in costs
        if _counts_at(member.birth_date, start, bears):
            found.append(
                ChildPlan(
                    Counted(member.atena_no, member.name, member.birth_date, bears, start),
                    member.relationship,
                    Cohabitation.TOGETHER,
                )
            )
            seen.add(member.atena_no)
    for atena_no in sorted(costs - seen):
        errors.append(
            ("bears_costs", f"宛名番号 {atena_no} は請求者の世帯の22歳年度末までの子ではありません")
        )
    for i, apart in enumerate(body.children_apart):
        plan = resolve_child(apart, f"children_apart[{i}]", start, visibility, errors)
        if plan is not None and plan.counted.atena_no not in seen:
            found.append(plan)
            seen.add(plan.counted.atena_no)
    return found


def resolve_child(
    apart: ChildIn, field: str, start: date, visibility, errors: list, *, setai_no: str = ""
) -> ChildPlan | None:
    """The child the clerk named, counted from ``start`` (同居 when in ``setai_no``), or None with
    the reason added to ``errors``."""
    if apart.atena_no:
        try:
            person = registry.get_resident(apart.atena_no, visibility=visibility)
        except registry.NotFound:
            errors.append((f"{field}.atena_no", f"宛名番号 {apart.atena_no} の住民は見つかりません"))
            return None
        name, birth = person.name, person.birth_date
        together = person.setai_no == setai_no
    else:
        name, birth, together = apart.name, apart.birth_date, False
        if not name or birth is None:
            errors.append((field, "他の市区町村に住む子は氏名と生年月日を入力してください"))
            return None
    if birth is None or not _counts_at(birth, start, apart.bears_costs):
        errors.append(
            (
                field,
                f"{name}さんは{ym(start)}分の算定対象（18歳年度末、確認書があれば22歳年度末まで）ではありません",
            )
        )
        return None
    return ChildPlan(
        Counted(apart.atena_no or "", name, birth, apart.bears_costs, start),
        apart.relationship,
        Cohabitation.TOGETHER if together else Cohabitation.APART,
    )


@dataclass(frozen=True)
class Certified:
    entitlement_id: int
    plan: ClaimPlan


def certify(body: ClaimIn, *, visibility: registry.Visibility) -> Certified:
    """Record the 認定 (one transaction): the entitlement, its children, the first amount period,
    the 認定請求 work items of the 世帯 closed, the ``certified`` event and the audit row."""
    with transaction.atomic():
        plan = check_claim(body, visibility=visibility)
        now = timezone.now()
        try:
            with transaction.atomic():
                entitlement = Entitlement.objects.create(
                    lg_code=require_tenant().lg_code,
                    claimant_atena_no=plan.claimant_atena_no,
                    setai_no=plan.setai_no,
                    spouse_atena_no=plan.spouse_atena_no,
                    choice_basis=plan.choice_basis,
                    claimed_on=body.claimed_on,
                    certified_on=timezone.localdate(),
                    first_month=plan.first_month,
                    bank_code=body.bank_code,
                    branch_code=body.branch_code,
                    account_type=body.account_type,
                    account_number=body.account_number.rjust(7, "0"),
                    account_holder_kana=plan.holder_kana,
                    created_at=now,
                    created_by=current_actor().name,
                )
                CountedChild.objects.bulk_create(c.row(entitlement, plan.first_month) for c in plan.children)
        except IntegrityError:
            # A second clerk certified the same claimant or child a moment earlier.
            raise ClaimRejected(
                [
                    {
                        "field": "claimant_atena_no",
                        "message": "同じ請求者か子の認定が先に登録されました。照会し直してください",
                    }
                ]
            ) from None
        open_period(entitlement, plan.amount, PeriodReason.CERTIFIED, claimed_on=body.claimed_on)
        children = [c.counted.atena_no for c in plan.children if c.counted.atena_no]
        WorkItem.objects.filter(kind=WorkKind.CLAIM, status=WorkStatus.OPEN, setai_no=plan.setai_no).update(
            status=WorkStatus.DONE, closed_at=now, entitlement=entitlement
        )
        WorkItem.objects.filter(kind=WorkKind.CLAIM, status=WorkStatus.OPEN, atena_no__in=children).update(
            status=WorkStatus.DONE, closed_at=now, entitlement=entitlement
        )
        announce(CERTIFIED, entitlement, first_month=ym(plan.first_month), **amount_data(plan.amount))
        record(
            Action.CREATE,
            RESOURCE,
            subjects=sorted({plan.claimant_atena_no, plan.spouse_atena_no, *children} - {""}),
            purpose=PURPOSE,
            detail={
                "entitlement": entitlement.id,
                "first_month": ym(plan.first_month),
                "monthly_total": plan.amount.total,
                "choice_basis": plan.choice_basis,
                "incomes_read": plan.choice_basis == ChoiceBasis.INCOME,
            },
        )
    return Certified(entitlement.id, plan)
