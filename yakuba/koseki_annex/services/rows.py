"""Appending 附票 rows, set-based: the one write path of the registry consumer and of a notice file.

A batch of candidate rows (each a person of a (本籍, 筆頭者) with an ``AddressLine``) costs a
fixed number of statements whatever its size: the 附票 it names (one SELECT, one INSERT of the
missing ones), each person's last row on them (one SELECT … DISTINCT ON), the new rows (one
INSERT). A candidate that repeats the person's last row is no row (rules/entries.py): the 附票
records a 住所 once, however many 異動 or notices repeat it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yakuba.koseki_annex.events import ENTRY_RECORDED
from yakuba.koseki_annex.models import Annex, Departure, Entry
from yakuba.koseki_annex.rules.domicile import koseki_key
from yakuba.koseki_annex.rules.entries import AddressLine
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.linkage.outbox import emit_many
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry

RESOURCE = "koseki_annex.entry"


@dataclass(frozen=True)
class Person:
    """A person of a 附票 as the 住所地 knows them (住民基本台帳法 第17条2号・5号〜7号)."""

    juminhyo_code: str
    name: str
    birth_date: date | None
    sex: int
    atena_no: str = ""  # only when the 住所地 is this town
    protected: bool = False  # under 支援措置: a copy is not given to the other party


@dataclass(frozen=True)
class Candidate:
    honseki: str
    hittosha: str
    person: Person
    line: AddressLine
    source: str
    source_ref: str


def _line(row) -> AddressLine:
    return AddressLine(row.address, row.address_set_on, overseas=row.overseas, country=row.country)


def append(candidates: Sequence[Candidate], *, purpose: str, detail: dict) -> int:
    """The new rows among ``candidates`` (in their order), written; the audit row names their
    persons by 住民票コード. Returns how many were written."""
    if not candidates:
        return 0
    opened: dict[tuple[str, str], date] = {}
    for c in candidates:
        key = koseki_key(c.honseki, c.hittosha)
        opened[key] = min(opened.get(key, c.line.address_set_on), c.line.address_set_on)
    annexes = _annexes(opened)
    codes = {c.person.juminhyo_code for c in candidates}
    last = _last_rows(annexes.values(), codes)
    # One who has left a 附票 (除籍) gets no row on it again, however their 住所 changes.
    gone = set(
        Departure.objects.filter(
            annex__in=[a.pk for a in annexes.values()], juminhyo_code__in=codes
        ).values_list("annex_id", "juminhyo_code")
    )
    now, actor, lg_code = timezone.now(), current_actor().name, require_tenant().lg_code
    new: list[Entry] = []
    for c in candidates:
        annex = annexes[koseki_key(c.honseki, c.hittosha)]
        key = (annex.pk, c.person.juminhyo_code)
        if key in gone or c.line.same_as(last.get(key)):
            continue
        last[key] = c.line
        p = c.person
        new.append(
            Entry(
                lg_code=lg_code, annex=annex, juminhyo_code=p.juminhyo_code, atena_no=p.atena_no, name=p.name,
                birth_date=p.birth_date, sex=p.sex, address=c.line.address, address_set_on=c.line.address_set_on,
                overseas=c.line.overseas, country=c.line.country, protected=p.protected, source=c.source,
                source_ref=c.source_ref, created_at=now, created_by=actor,
            )
        )  # fmt: skip
    if new:
        Entry.objects.bulk_create(new)
        emit_many([(ENTRY_RECORDED, e.juminhyo_code, _event_data(e)) for e in new])
        record(
            Action.CREATE,
            RESOURCE,
            purpose=purpose,
            subjects=sorted({e.juminhyo_code for e in new}),
            detail={**detail, "rows": len(new)},
        )
    return len(new)


def _event_data(e: Entry) -> dict:
    data = {
        "honseki": e.annex.honseki,
        "hittosha": e.annex.hittosha,
        "name": e.name,
        "birth_date": e.birth_date.isoformat() if e.birth_date else "",
        "sex": e.sex,
        "address": e.address,
        "address_set_on": e.address_set_on.isoformat(),
        "overseas": e.overseas,
        "country": e.country,
        "source": e.source,
    }
    return {**data, "protected": True} if e.protected else data


def protected_codes(codes: set[str]) -> set[str]:
    """The 住民票コード among ``codes`` of persons under 支援措置 now: marked on a 附票 row (a
    notice said so), or under a measure in this town's registry (the feed's guard asks it at
    delivery). Two queries whatever the number."""
    rows = list(
        Entry.objects.filter(juminhyo_code__in=codes).values_list("juminhyo_code", "atena_no", "protected")
    )
    marked = {code for code, _atena, flag in rows if flag}
    by_atena = {atena: code for code, atena, _flag in rows if atena}
    measured = registry.protected_among(set(by_atena)) if by_atena else set()
    return marked | {by_atena[a] for a in measured}


def _annexes(opened: dict[tuple[str, str], date]) -> dict[tuple[str, str], Annex]:
    """The 附票 of each (本籍, 筆頭者); one not kept yet is opened on its first row's date (a
    concurrent opener wins the unique key; its row is read back)."""

    def found() -> dict[tuple[str, str], Annex]:
        rows = Annex.objects.filter(honseki__in={h for h, _ in opened}, hittosha__in={f for _, f in opened})
        return {(a.honseki, a.hittosha): a for a in rows if (a.honseki, a.hittosha) in opened}

    annexes = found()
    missing = opened.keys() - annexes.keys()
    if missing:
        now, lg_code = timezone.now(), require_tenant().lg_code
        Annex.objects.bulk_create(
            [
                Annex(lg_code=lg_code, honseki=h, hittosha=f, opened_on=opened[h, f], created_at=now)
                for h, f in missing
            ],
            ignore_conflicts=True,
        )
        annexes = found()
    return annexes


def _last_rows(annexes, codes: set[str]) -> dict[tuple[int, str], AddressLine]:
    """Each person's last row on each of ``annexes``: {(附票, 住民票コード): its 住所 items}."""
    rows = (
        Entry.objects.filter(annex__in=[a.pk for a in annexes], juminhyo_code__in=codes)
        .order_by("annex_id", "juminhyo_code", "-id")
        .distinct("annex_id", "juminhyo_code")
        .only("annex_id", "juminhyo_code", "address", "address_set_on", "overseas", "country")
    )
    return {(r.annex_id, r.juminhyo_code): _line(r) for r in rows}
