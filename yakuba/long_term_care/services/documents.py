"""The 介護保険負担割合証 (insurance-welfare-facts §4.1: valid 8/1–7/31, for a new 認定 from its start;
延岡市's card): 被保険者番号, 住所, 氏名, 生年月日, 利用者負担の割合, 適用期間, 交付年月日, 保険者番号
and 名称, printed from the year's decision in force (``copay``) with the registry's 氏名 and 住所
through its door.

- One person (``copay_card_pdf``) with the caller's visibility: a person under 支援措置 is not
  printed for staff who may not see him (the registry's ``NotFound``).
- Every person of the year (``write_copay_cards``: the cards to mail): pages of decisions in
  宛名番号 order, each page's persons read at once (``registry.residents_of``: three queries
  whatever the page's size), a 住所地特例者 (he lives in a 施設 elsewhere) addressed at his 施設,
  rendered on forked workers; a person under 支援措置 withheld (his card made at the counter). One
  audit row per page of cards. Files are written 0600 (``private_files``).
The 被保険者番号 is the 宛名番号 until 介護's own numbering (spec 0230275) is built; the 保険者番号
defaults to the 団体コード (docs/long_term_care.md, known limits).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils import timezone

from yakuba.long_term_care.codes import Direction, SpecialChange
from yakuba.long_term_care.models import CopayDecision, SpecialAddress
from yakuba.long_term_care.services import copay
from yakuba.long_term_care.services.common import Rejected, refuse_if
from yakuba.platform import pdf
from yakuba.platform.audit.log import Action, record
from yakuba.platform.forked import ordered_map
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.municipalities import lookup
from yakuba.platform.private_files import private_directories, write_private_bytes
from yakuba.platform.tenancy.context import require_tenant, tenant_context
from yakuba.registry import services as registry

TITLE = "介護保険負担割合証"
TEMPLATE = "long_term_care/documents/copay_card.html"
PAGE = 200


@dataclass(frozen=True)
class _Addressee:
    name: str
    name_kana: str
    birth: date | None
    address: str


def check_insurer_no(insurer_no: str | None) -> list[tuple[str, str]]:
    if insurer_no is not None and not (len(insurer_no) == 6 and insurer_no.isdigit()):
        return [("insurer_no", "保険者番号は6桁の数字です")]
    return []


def refuse_insurer_no(insurer_no: str | None) -> None:
    refuse_if(check_insurer_no(insurer_no))


def _context(line: copay.CopayLine, person: _Addressee, insurer_no: str | None) -> dict:
    lg_code = require_tenant().lg_code
    return {
        "title": TITLE,
        "issued_on": format_wareki(timezone.localdate()),
        "insured_no": line.atena_no,
        "address": person.address,
        "name": person.name,
        "name_kana": person.name_kana,
        "birth": format_wareki(person.birth) if person.birth else "",
        "share": line.share_label,
        "valid_from": format_wareki(line.valid_from),
        "valid_until": format_wareki(line.valid_until),
        "insurer_no": insurer_no or lg_code,
        "insurer": lookup(lg_code).full_name,
    }


def _facilities(atena_nos: list[str]) -> dict[str, str]:
    """{宛名番号: 施設所在地と施設名} of the 住所地特例者 among ``atena_nos`` (one query)."""
    rows = (
        SpecialAddress.objects.filter(atena_no__in=atena_nos, direction=Direction.OURS)
        .order_by("atena_no", "-id")
        .distinct("atena_no")
    )
    return {
        r.atena_no: f"{lookup(r.municipality).full_name} {r.facility_name}"
        for r in rows
        if r.change == SpecialChange.APPLIED
    }


def _addressee(person, facility: str | None) -> _Addressee:
    """From a ``ResidentRecord``; a 住所地特例者 at his 施設."""
    address = facility or " ".join(x for x in (person.address, person.address_extra) if x)
    return _Addressee(person.name, person.name_kana, person.birth_date, address)


def copay_card_pdf(
    atena_no: str, year: int, *, visibility: registry.Visibility, insurer_no: str | None = None
) -> tuple[bytes, str]:
    """(the PDF, its file name) of the person's card for the year; ``Rejected`` when there is no
    decision, ``registry.NotFound`` when the person is hidden from the caller."""
    errors = check_insurer_no(insurer_no)
    line = copay.copay_of(atena_no, year)
    if line is None:
        errors.append(("atena_no", f"{year}年8月からの利用者負担割合が判定されていません"))
    if errors:
        raise Rejected.of(errors)
    person = _addressee(
        registry.get_resident(atena_no, visibility=visibility), _facilities([atena_no]).get(atena_no)
    )
    body = pdf.render(TEMPLATE, _context(line, person, insurer_no))
    record(Action.PRINT, copay.RESOURCE, subjects=[atena_no], purpose=TITLE, detail={"year": year})
    return body, f"{TITLE}-{year}-{atena_no}.pdf"


def _latest_page(year: int, after: str, limit: int) -> list[copay.CopayLine]:
    rows = (
        CopayDecision.objects.filter(year=year, atena_no__gt=after)
        .order_by("atena_no", "-id")
        .distinct("atena_no")[:limit]
    )
    return [copay.line_of(r) for r in rows]


def _render_to_file(job: tuple[Path, dict]) -> None:
    """One card to its file (0600) — on a forked worker (module level: sent by reference)."""
    path, context = job
    body = pdf.render(TEMPLATE, context)
    write_private_bytes(path, body)


def write_copay_cards(
    lg_code: str,
    year: int,
    out: Path,
    *,
    insurer_no: str | None = None,
    progress: Callable[[int], None] | None = None,
    page: int = PAGE,
    workers: int = 0,
) -> tuple[int, list[str]]:
    """One PDF per person with a decision for the year into ``out`` (created 0700): (how many
    were written, the 宛名番号 withheld). Call with an actor bound (a batch: the system's).

    Each page is read in a transaction of its own — its decisions (one query), the 施設 of the
    住所地特例者 (one), the registry's records (three) and one audit row (印刷) — and rendered
    outside it on ``workers`` forked processes (WeasyPrint: about 0.35 s a card). A person under
    支援措置 is withheld from the batch, as the 国保 documents are: his card is made at the counter
    (``copay_card_pdf``)."""
    refuse_insurer_no(insurer_no)
    directory = private_directories(out.parent, out.name)
    written, withheld, after = 0, [], ""
    while True:
        with tenant_context(lg_code):
            lines = _latest_page(year, after, page)
            if not lines:
                return written, withheld
            atena_nos = [line.atena_no for line in lines]
            facilities = _facilities(atena_nos)
            people = registry.residents_of(atena_nos, visibility=copay.SYSTEM_READ)
            jobs, printed = [], []
            for line in lines:
                person = people[line.atena_no]
                if person.protected:
                    withheld.append(line.atena_no)
                    continue
                context = _context(line, _addressee(person, facilities.get(line.atena_no)), insurer_no)
                jobs.append((directory / f"{TITLE}-{year}-{line.atena_no}.pdf", context))
                printed.append(line.atena_no)
            record(
                Action.PRINT,
                copay.RESOURCE,
                subjects=printed,
                purpose=TITLE,
                detail={"year": year, "count": len(jobs), "after": after, "through": atena_nos[-1]},
            )
        for _done in ordered_map(_render_to_file, jobs, workers=workers):
            if progress is not None:
                progress(1)
        if progress is not None:
            progress(len(lines) - len(jobs))
        written += len(jobs)
        after = atena_nos[-1]
