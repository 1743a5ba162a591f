"""国民健康保険税 納税通知書 (保険料: 納入通知書) of a 国保世帯 for a 年度, from its stored 本算定.

What the notice states (地方税法 §703条の4 ㊾ with §319の2 for the 税: the 課税標準, the tax, the
納期 and each 納期's amount; 国保法 §76 and the 条例 for the 料): the 納税義務者 — the 世帯主, also
when not insured (擬制世帯主, insurance-welfare-facts §2.1) — the 被保険者 with their months, each
part (医療分, 後期高齢者支援金等分, 介護納付金分, from 令和8年度 子ども・子育て支援納付金分: §2.3) with
its 所得割・均等割・平等割, the 軽減 applied (7/5/2割 of 均等割・平等割, 未就学児's 均等割 halved:
§2.5), a part held to its 賦課限度額 (§2.4), the year's total and every 納期 with its 納期限. Every
figure is the stored version's (``PremiumAssessment``: the engine's input and output as decided),
never calculated again; a version after the first is a 更正 and says so.

Names and addresses come through the registry's door: for a caller who may not see a protected
person, a 世帯 whose 納税義務者 is protected does not exist (as the tax app's notice) and a
protected 被保険者 is listed without the name. The batch leaves out every 世帯 with a protected
person — its notices go to a print shop — and names them to the operator, for a clerk with the
right to print one by one. Every print is an audit row: per 世帯, or per page of the batch naming
its range of 世帯番号.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from yakuba.health_insurance.codes import CorrectionCause, PremiumReason
from yakuba.health_insurance.models import Member, PremiumAssessment, Qualification
from yakuba.health_insurance.rules.due_dates import due_on
from yakuba.health_insurance.rules.inputs import HEAD
from yakuba.health_insurance.services.annual import RESOURCE
from yakuba.health_insurance.services.lookup import PARTS
from yakuba.health_insurance.services.rates import rates_of
from yakuba.platform import pdf
from yakuba.platform.audit.log import Action, record
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.municipalities import lookup
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry

TITLES = {"tax": "国民健康保険税 納税通知書", "premium": "国民健康保険料 納入通知書"}
PROVISIONAL_TITLES = {
    "tax": "国民健康保険税 仮算定 納税通知書",
    "premium": "国民健康保険料 仮算定 納入通知書",
}
LEVIES = {"tax": "国民健康保険税", "premium": "国民健康保険料"}
HIDDEN_NAME = "（氏名は表示できません）"
BATCH_PURPOSE = "国民健康保険税（料）の納税通知書（一括作成）"
PAGE = 1000
STYLESHEET = "health_insurance/documents/documents.css"


class PremiumMissing(ValueError):
    """No stored 本算定 for the 世帯 and 年度 (the message is for the clerk or the operator)."""


@dataclass(frozen=True)
class Insured:
    atena_no: str
    name: str
    birth: str  # 和暦
    months: int
    care_months: int
    preschool: bool


@dataclass(frozen=True)
class PartLine:
    label: str
    income_levy: int
    per_capita_levy: int
    per_household_levy: int
    limit: int
    total: int
    capped: bool  # 所得割 + 均等割 + 平等割 above the 賦課限度額: the part is the limit


@dataclass(frozen=True)
class Installment:
    label: str  # 第1期
    month: str  # 令和8年7月
    amount: int
    due: str  # 納期限, 和暦


@dataclass(frozen=True)
class Notice:
    setai_no: str
    fiscal_year: int
    version: int
    reason: str  # PremiumReason: 仮算定, 本算定, 更正
    cause: str  # the 更正's (CorrectionCause label), else ""
    levy_type: str
    head_atena_no: str
    head: registry.ResidentRecord | None  # None: hidden from the caller
    pseudo_head: bool
    insured: tuple[Insured, ...]
    parts: tuple[PartLine, ...]
    reduction: str  # none, 7割, 5割, 2割
    total: int
    previous_total: int | None  # the version before (a 更正)
    installments: tuple[Installment, ...]
    provisional: dict | None  # a 仮算定's basis: the previous 年度's total, 納期 in the year
    overpaid: int  # the 仮算定's 納期 exceeded the 本算定's total

    @property
    def title(self) -> str:
        return (PROVISIONAL_TITLES if self.reason == PremiumReason.PROVISIONAL else TITLES)[self.levy_type]

    @property
    def filename(self) -> str:
        return f"{self.title}-{self.fiscal_year}-{self.setai_no}.pdf"

    @property
    def subjects(self) -> list[str]:
        return sorted({self.head_atena_no, *(i.atena_no for i in self.insured)} - {""})


def _latest(fiscal_year: int):
    """The latest version of each 世帯's assessment of the 年度, with the previous version's total."""
    previous = PremiumAssessment.objects.filter(
        fiscal_year=fiscal_year, setai_no=OuterRef("setai_no"), version=OuterRef("version") - 1
    ).values("total")
    return (
        PremiumAssessment.objects.filter(fiscal_year=fiscal_year)
        .order_by("setai_no", "-version")
        .distinct("setai_no")
        .annotate(previous_total=Subquery(previous))
    )


def _candidates(setai_nos: list[str]) -> dict[str, list[str]]:
    """{世帯番号: 宛名番号 of everyone 国保 knew in it, in order} — one query: the members now and
    whoever has a 資格 row in it (a member who moved on since the 本算定)."""
    found: dict[str, set[str]] = {}
    members = Member.objects.filter(setai_no__in=setai_nos).values_list("setai_no", "atena_no")
    history = Qualification.objects.filter(setai_no__in=setai_nos).values_list("setai_no", "atena_no")
    for setai_no, atena_no in members.union(history):
        found.setdefault(setai_no, set()).add(atena_no)
    return {s: sorted(a) for s, a in found.items()}


def _persons(row, candidates: list[str], births: dict[str, date | None]) -> list[str]:
    """The 宛名番号 of each person of the stored input, in its order: stored beside it
    (``calculation["atena_nos"]``) by every version written since. A version stored before names
    no one (contract §9.3 is the engine's); its 本算定 wrote the 世帯主 as 「世帯主」 and the others
    in 宛名番号 order, so each is the next person of the 世帯 born on the day the input says
    (不詳 matches any day) — which may swap two members born the same day."""
    if row.calculation.get("atena_nos") is not None:
        return row.calculation["atena_nos"]
    left = [a for a in candidates if a != row.head_atena_no]
    found = []
    for given in (row.calculation["input"] or {}).get("household", []):
        if given["role"] == HEAD:
            found.append(row.head_atena_no)
            continue
        match = next(
            (a for a in left if births.get(a) is None or births[a].isoformat() == given["birth_date"]),
            left[0] if left else "",
        )
        if match:
            left.remove(match)
        found.append(match)
    return found


def _month(month: str) -> str:
    """「2026-07」 → 「令和8年7月」."""
    return format_wareki(date(int(month[:4]), int(month[5:]), 1)).removesuffix("1日")


def _notice(row, atena_nos: list[str], records: dict, births: dict, levy_type: str) -> Notice:
    """A 仮算定 has no calculation (its 納期 are a share of the previous 年度's tax): no 被保険者
    nor parts, its basis instead; its levy type is the 年度's rates' (``levy_type``)."""
    result = row.calculation["result"] or {"members": [], "reduction": "none", "levy_type": levy_type}
    insured, pseudo_head = [], False
    for atena_no, member in zip(atena_nos, result["members"], strict=True):
        if not member["member"]:
            pseudo_head = pseudo_head or member["role"] == HEAD
            continue
        person = records.get(atena_no)
        born = births.get(atena_no)
        insured.append(
            Insured(
                atena_no,
                person.name if person else HIDDEN_NAME,
                format_wareki(born) if born else "不詳",
                member["months"],
                member["care_months"],
                member["preschool"],
            )
        )
    parts = []
    for key, label in PARTS:
        part = result.get(key)
        if not part or (key == "care" and not part["total"] and not part["income_levy"]):
            continue
        levied = part["income_levy"] + part["per_capita_levy"] + part["per_household_levy"]
        parts.append(
            PartLine(
                label,
                part["income_levy"],
                part["per_capita_levy"],
                part["per_household_levy"],
                part["limit"],
                part["total"],
                levied > part["limit"],
            )
        )
    return Notice(
        setai_no=row.setai_no,
        fiscal_year=row.fiscal_year,
        version=row.version,
        reason=row.reason,
        cause=CorrectionCause(row.cause).label if row.cause else "",
        levy_type=result["levy_type"],
        head_atena_no=row.head_atena_no,
        head=records.get(row.head_atena_no),
        pseudo_head=pseudo_head,
        insured=tuple(insured),
        parts=tuple(parts),
        reduction=result["reduction"],
        total=row.total,
        previous_total=row.previous_total,
        installments=tuple(
            Installment(f"第{n}期", _month(m), amount, format_wareki(due_on(m)))
            for n, (m, amount) in enumerate(row.installments, 1)
        ),
        provisional=row.calculation.get("provisional"),
        overpaid=row.calculation.get("overpaid", 0),
    )


def _notices(rows: list, visibility) -> list[Notice]:
    """The notices of stored assessments — four queries whatever their number (five with a
    仮算定: the 年度's rates): their 生年月日, their records (支援措置 and the 住民・除票) and, for
    versions stored before they named their persons, who was in each 世帯."""
    unnamed = [
        r.setai_no for r in rows if r.calculation.get("input") and r.calculation.get("atena_nos") is None
    ]
    candidates = _candidates(unnamed) if unnamed else {}
    named = {a for r in rows for a in r.calculation.get("atena_nos") or ()}
    everyone = {a for people in candidates.values() for a in people} | named | {r.head_atena_no for r in rows}
    births = registry.birth_dates_of(everyone)
    persons = {r.setai_no: _persons(r, candidates.get(r.setai_no, []), births) for r in rows}
    records = registry.residents_of(
        {a for p in persons.values() for a in p if a} | {r.head_atena_no for r in rows}, visibility=visibility
    )
    levy_type = "tax"
    if any(r.reason == PremiumReason.PROVISIONAL for r in rows):
        current = rates_of(rows[0].fiscal_year)
        levy_type = (current.payload if current else {}).get("levy_type", "tax")
    return [_notice(r, persons[r.setai_no], records, births, levy_type) for r in rows]


def notice_of(setai_no: str, fiscal_year: int, *, visibility) -> Notice:
    """The notice of the latest stored version; ``PremiumMissing`` without one, the registry's
    ``NotFound`` when the 納税義務者 is hidden from the caller (the refusal audited)."""
    row = _latest(fiscal_year).filter(setai_no=setai_no).first()
    if row is None:
        raise PremiumMissing(
            f"世帯番号 {setai_no} の{fiscal_year}年度の国民健康保険税（料）は算定されていません"
            "（本算定の後に作成できます）"
        )
    registry.get_resident(row.head_atena_no, visibility=visibility)  # NotFound when hidden
    return _notices([row], visibility)[0]


def heading(fiscal_year: int | None = None) -> dict:
    """What every 国保 document prints at its head: the municipality (the 保険者), its 長, the day."""
    municipality = lookup(require_tenant().lg_code)
    return {
        "municipality": municipality.full_name,
        "mayor": f"{municipality.name}長",
        "prefecture": municipality.prefecture,
        "fiscal_year": f"{format_wareki(date(fiscal_year, 4, 1)).split('年')[0]}年度" if fiscal_year else "",
        "issued_on": format_wareki(timezone.localdate()),
    }


def render(notice: Notice, head: dict) -> bytes:
    """The PDF of one notice with the ``heading`` of its 年度 (no database: the batch renders
    outside its transaction)."""
    context = {**head, "notice": notice, "levy": LEVIES[notice.levy_type]}
    return pdf.render_counted(
        "health_insurance/documents/notice.html", context, stylesheets=(pdf.NOTICE_CSS, STYLESHEET)
    )[0]


def notice_pdf(setai_no: str, fiscal_year: int, *, visibility) -> tuple[bytes, str]:
    """(the PDF, its file name) of the 世帯's notice for the 年度 — the screen's; one audit row."""
    notice = notice_of(setai_no, fiscal_year, visibility=visibility)
    body = render(notice, heading(fiscal_year))
    record(
        Action.PRINT,
        RESOURCE,
        subjects=notice.subjects,
        purpose=notice.title,
        detail={"fiscal_year": fiscal_year, "setai_no": setai_no, "version": notice.version},
    )
    return body, notice.filename


@dataclass(frozen=True)
class Page:
    """One page of a batch of documents (notices, cards): its documents, the 世帯 or persons left
    out (a protected person), its heading and the key the next page starts after ("" at the end)."""

    documents: list
    withheld: list[str]
    heading: dict
    last: str


def households_to_notify(fiscal_year: int) -> int:
    """How many 世帯 have a stored 本算定 of the 年度 (the batch's progress bar)."""
    return PremiumAssessment.objects.filter(fiscal_year=fiscal_year).values("setai_no").distinct().count()


def notices_page(fiscal_year: int, *, after: str, limit: int = PAGE) -> Page:
    """The notices of the next ``limit`` 世帯 after ``after`` (keyset on 世帯番号) for a print shop:
    a fixed number of queries whatever ``limit``, one audit row naming the range. A 世帯 with a
    person under 支援措置 is withheld: printed one by one by a clerk with the right."""
    rows = list(_latest(fiscal_year).filter(setai_no__gt=after)[:limit])
    if not rows:
        return Page([], [], {}, "")
    notices = _notices(rows, registry.Visibility())
    protected = registry.protected_among({a for n in notices for a in n.subjects})
    withheld = [n.setai_no for n in notices if protected.intersection(n.subjects)]
    kept = [n for n in notices if n.setai_no not in withheld]
    last = rows[-1].setai_no
    record(
        Action.PRINT,
        RESOURCE,
        purpose=BATCH_PURPOSE,
        detail={
            "fiscal_year": fiscal_year,
            "after": after,
            "through": last,
            "count": len(kept),
            "withheld": withheld,
        },
    )
    return Page(kept, withheld, heading(fiscal_year), last)
