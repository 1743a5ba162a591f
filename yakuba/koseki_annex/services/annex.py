"""Reading a 附票 (the clerk's view, or the items of a 附票の写し), and the 在外選挙人名簿 note
another domain writes on it.

A read hands out typed records, never rows: every item the caller may not see is None, decided
by ``rules/items`` (the law in force, the copy's default and requested items), and a person under
支援措置 is left out unless the caller may see them (to the caller they are not there). Each read
is one audit row naming the persons shown by 住民票コード.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yakuba.koseki_annex.codes import ElectorChange
from yakuba.koseki_annex.models import Annex, Departure, ElectorNote, Entry
from yakuba.koseki_annex.rules.domicile import koseki_key
from yakuba.koseki_annex.rules.items import CopyItems, Item, copy_items, items_of_person
from yakuba.koseki_annex.services.rows import protected_codes
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.tenancy.context import require_tenant

RESOURCE = "koseki_annex.annex"


class NotOnAnnex(LookupError):
    """No 附票 (or no person on one) matches: the message is the one line for the user."""


@dataclass(frozen=True)
class Row:
    """One 住所 of a person (a 国外転出者 entry: ``overseas``, no address, the country)."""

    address: str
    address_set_on: date
    overseas: bool
    country: str
    source: str


@dataclass(frozen=True)
class ElectorLine:
    change: str
    on: date
    municipality: str


@dataclass(frozen=True)
class PersonOnAnnex:
    name: str
    birth_date: date | None
    sex: int | None
    juminhyo_code: str | None
    rows: tuple[Row, ...]
    elector: tuple[ElectorLine, ...]
    protected: bool
    left_on: date | None  # 除籍: their rows end that day
    atena_no: str = ""  # their 宛名番号 when they live (or lived) in this town: the certificates' subject


@dataclass(frozen=True)
class AnnexRecord:
    """A 附票 as the caller may see it; ``honseki``/``hittosha`` None when the copy leaves out the
    戸籍の表示 (then ``full_names``: each person by full name)."""

    honseki: str | None
    hittosha: str | None
    opened_on: date
    persons: tuple[PersonOnAnnex, ...]
    full_names: bool

    @property
    def closed(self) -> bool:
        """A 除附票: everyone on it has left (registry-facts §17.1)."""
        return bool(self.persons) and all(p.left_on is not None for p in self.persons)


def annex_of(
    honseki: str,
    hittosha: str,
    *,
    requested: Iterable[Item] | None = None,
    protected: bool = False,
    only: Iterable[str] = (),
    purpose: str,
) -> AnnexRecord:
    """The 附票 of (本籍, 筆頭者). ``requested`` None: the clerk's view, every item each person's
    rows carry; otherwise a 附票の写し issued today with the optional items asked for
    (registry-facts §17.2–17.3). ``protected``: whether persons under 支援措置 are shown.
    ``only``: the 住民票コード of the persons to read (a copy of some of them, 一部の写し)."""
    key = koseki_key(honseki, hittosha)
    annex = Annex.objects.filter(honseki=key[0], hittosha=key[1]).first()
    if annex is None:
        raise NotOnAnnex(f"本籍「{honseki}」筆頭者「{hittosha}」の附票はありません")
    return _read(annex, requested, protected, purpose, frozenset(only))


def annex_of_person(
    juminhyo_code: str, *, requested: Iterable[Item] | None = None, protected: bool = False, purpose: str
) -> AnnexRecord:
    """The 附票 a person's latest row is on."""
    last = Entry.objects.filter(juminhyo_code=juminhyo_code).select_related("annex").order_by("-id").first()
    if last is None:
        raise NotOnAnnex(f"住民票コード {juminhyo_code} の人はこの団体の附票にありません")
    return _read(last.annex, requested, protected, purpose)


def _items(requested: Iterable[Item] | None, left_on: date | None, today: date) -> CopyItems:
    """The clerk's view (every item the person carries) or a copy issued today."""
    if requested is None:
        return CopyItems(items_of_person(left_on, today), full_names=False)
    return copy_items(issued_on=today, left_on=left_on, requested=requested)


def _read(
    annex: Annex,
    requested: Iterable[Item] | None,
    protected: bool,
    purpose: str,
    only: frozenset[str] = frozenset(),
) -> AnnexRecord:
    today = timezone.localdate()
    asked = None if requested is None else frozenset(requested)
    entries: dict[str, list[Entry]] = {}
    rows = Entry.objects.filter(annex=annex)
    for e in (rows.filter(juminhyo_code__in=only) if only else rows).order_by("id"):
        entries.setdefault(e.juminhyo_code, []).append(e)
    notes: dict[str, list[ElectorLine]] = {}
    for n in ElectorNote.objects.filter(annex=annex).order_by("id"):
        notes.setdefault(n.juminhyo_code, []).append(ElectorLine(n.change, n.on, n.municipality))
    left = dict(Departure.objects.filter(annex=annex).values_list("juminhyo_code", "left_on"))
    under_measure = protected_codes(set(entries)) if entries else set()
    persons: list[PersonOnAnnex] = []
    hidden = 0
    for code, rows in entries.items():
        last = rows[-1]
        is_protected = code in under_measure
        if is_protected and not protected:
            hidden += 1
            continue
        shown = _items(asked, left.get(code), today).shown
        persons.append(
            PersonOnAnnex(
                name=last.name,
                birth_date=last.birth_date if Item.BIRTH_DATE in shown else None,
                sex=last.sex if Item.SEX in shown else None,
                juminhyo_code=code if Item.JUMINHYO_CODE in shown else None,
                rows=tuple(Row(e.address, e.address_set_on, e.overseas, e.country, e.source) for e in rows),
                elector=tuple(notes.get(code, ())) if Item.OVERSEAS_ELECTOR in shown else (),
                protected=is_protected,
                left_on=left.get(code),
                atena_no=next((e.atena_no for e in reversed(rows) if e.atena_no), ""),
            )
        )
    # The 戸籍の表示 is an item of the 附票 itself, not of a person: shown by the copy's rule alone.
    header = _items(asked, None, today)
    record(
        Action.READ,
        RESOURCE,
        purpose=purpose,
        subjects=sorted(entries),
        detail={
            "annex": annex.pk,
            "copy": asked is not None,
            "items": sorted(header.shown),
            "hidden": hidden,
        },
    )
    return AnnexRecord(
        honseki=annex.honseki if Item.DOMICILE in header.shown else None,
        hittosha=annex.hittosha if Item.DOMICILE in header.shown else None,
        opened_on=annex.opened_on,
        persons=tuple(persons),
        full_names=header.full_names,
    )


def note_overseas_elector(juminhyo_code: str, change: str, on: date, municipality: str) -> ElectorLine:
    """Write a 在外選挙人名簿 note on the 附票 the person is on (住民基本台帳法 第17条の2: the
    registration or its transfer, with the registering municipality's name; or its 抹消). The door
    the 在外選挙人名簿 calls when its 選挙管理委員会 registers, transfers or strikes an entry.
    Raises NotOnAnnex when the person is on no 附票 of this town, ValueError for an unknown
    ``change``."""
    if change not in ElectorChange.values:
        raise ValueError(f"記載の内容は {', '.join(ElectorChange.values)} のいずれかです: {change!r}")
    last = Entry.objects.filter(juminhyo_code=juminhyo_code).order_by("-id").only("annex_id").first()
    if last is None:
        raise NotOnAnnex(f"住民票コード {juminhyo_code} の人はこの団体の附票にありません")
    ElectorNote.objects.create(
        lg_code=require_tenant().lg_code, annex_id=last.annex_id, juminhyo_code=juminhyo_code, change=change,
        on=on, municipality=municipality, created_at=timezone.now(), created_by=current_actor().name,
    )  # fmt: skip
    record(
        Action.UPDATE,
        RESOURCE,
        purpose="在外選挙人名簿の登録等の記載（住民基本台帳法第17条の2）",
        subjects=[juminhyo_code],
        detail={"annex": last.annex_id, "change": change, "on": on.isoformat(), "municipality": municipality},
    )
    return ElectorLine(change, on, municipality)
