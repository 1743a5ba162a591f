"""Reads of an individual 資格 ``Book`` (後期, 介護 第1号) for the staff screens: a person's 資格
history, and the persons whose 取得 of one 事由 (年齢到達) falls in a period — the list a clerk
sends the 被保険者証 from (the 資格確認書 or 被保険者証: insurance-welfare-facts §3.1, §4.1).

Each is one query, keyset-paged where it lists (never OFFSET), and audited as a read of the
book's resource with the caller's purpose. Persons are 宛名番号 only: names are the registry's,
read through its door, which the domain hands in, the platform knowing no domain.
A person under 支援措置 is, to these screens' staff, as the registry shows them: the 照会 does not
find them (the registry refuses and audits), a list keeps their 宛名番号 — the 被保険者証 is still
theirs to receive, through the 窓口 — with nothing else of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import ModuleType

from django.db.models import Q

from yakuba.platform.audit.log import Action, record
from yakuba.platform.linkage.qualification import Book, Change


@dataclass(frozen=True)
class HistoryRow:
    """One 資格 row as a screen shows it; ``voided``: a later 訂正 row cancels it."""

    id: int
    change: str
    effective_on: date
    reason: str
    notified_on: date | None
    created_at: datetime
    created_by: str
    voided: bool


@dataclass(frozen=True)
class Reached:
    atena_no: str
    acquired_on: date


def history(book: Book, atena_no: str, *, purpose: str) -> list[HistoryRow]:
    """The person's 資格 rows in the order they took effect (one query; audited)."""
    rows = list(book.record.objects.filter(atena_no=atena_no).order_by("effective_on", "id"))
    # A book whose rows can be voided says so by a ``corrects`` column (国保's shape).
    voided = {getattr(r, "corrects", None) for r in rows} - {None}
    record(Action.READ, book.resource, subjects=[atena_no], purpose=purpose, detail={"rows": len(rows)})
    return [
        HistoryRow(
            r.id,
            r.change,
            r.effective_on,
            r.reason,
            r.notified_on,
            r.created_at,
            r.created_by,
            r.id in voided,
        )
        for r in rows
    ]


def _acquired(book: Book, reason: str, first: date, last: date):
    return book.record.objects.filter(
        change=Change.ACQUIRED, reason=reason, effective_on__gte=first, effective_on__lte=last
    )


def reached_page(
    book: Book,
    reason: str,
    first: date,
    last: date,
    *,
    after: tuple[date, str] | None,
    limit: int,
    purpose: str,
) -> list[Reached]:
    """Up to ``limit`` 取得 of ``reason`` from ``first`` to ``last`` after the key ``after``
    (取得日, 宛名番号), in that order: one query, audited with the persons listed."""
    rows = _acquired(book, reason, first, last)
    if after is not None:
        day, atena_no = after
        rows = rows.filter(Q(effective_on__gt=day) | Q(effective_on=day, atena_no__gt=atena_no))
    page = [
        Reached(a, d)
        for a, d in rows.order_by("effective_on", "atena_no").values_list("atena_no", "effective_on")[:limit]
    ]
    if page:
        record(
            Action.READ,
            book.resource,
            subjects=[p.atena_no for p in page],
            purpose=purpose,
            detail={"from": first.isoformat(), "to": last.isoformat(), "reason": reason},
        )
    return page


def reached_count(book: Book, reason: str, first: date, last: date) -> int:
    """How many 取得 of ``reason`` from ``first`` to ``last`` (one count, no persons read)."""
    return _acquired(book, reason, first, last).count()


@dataclass(frozen=True)
class InsuredPerson:
    atena_no: str
    name: str
    name_kana: str
    birth_date: date | None
    address: str
    rows: list[HistoryRow]

    @property
    def insured(self) -> bool:
        """Whether the last row still in force is a 取得."""
        live = [r for r in self.rows if not r.voided]
        return bool(live) and live[-1].change == Change.ACQUIRED


@dataclass(frozen=True)
class ReachedPerson:
    atena_no: str
    acquired_on: date
    name: str  # "" for a person under 支援措置
    birth_date: date | None
    protected: bool


@dataclass(frozen=True)
class InsuredReads:
    """A domain's 照会 and 年齢到達 list: its book, its 取得事由 of age and the purpose of the reads."""

    book: Book
    age_reason: str
    purpose: str
    registry: ModuleType  # the registry's door (``yakuba.registry.services``)

    def person(self, atena_no: str) -> InsuredPerson:
        """The resident and their 資格 history; the registry's ``NotFound`` for an unknown person
        or one hidden by 支援措置 (the attempt audited by the registry)."""
        # The screens' staff (保険年金) see no 住民票コード, 本籍 or protected person (the registry's
        # role matrix, 住民記録システム標準仕様書 §10.3).
        shown = self.registry.Visibility(juminhyo_code=False, domicile=False)
        resident = self.registry.get_resident(atena_no, visibility=shown)
        rows = history(self.book, atena_no, purpose=self.purpose)
        return InsuredPerson(
            atena_no, resident.name, resident.name_kana, resident.birth_date, resident.address, rows
        )

    def reached(
        self, first: date, last: date, *, after: tuple[date, str] | None, limit: int
    ) -> list[ReachedPerson]:
        """A page of the persons who reached the age from ``first`` to ``last`` with their names
        (a few queries whatever the page's size)."""
        page = reached_page(
            self.book, self.age_reason, first, last, after=after, limit=limit, purpose=self.purpose
        )
        ids = [p.atena_no for p in page]
        protected = self.registry.protected_among(ids)
        names = self.registry.names_of(ids)
        births = self.registry.birth_dates_of([a for a in ids if a not in protected])
        return [
            ReachedPerson(
                p.atena_no,
                p.acquired_on,
                names.get(p.atena_no, ""),
                births.get(p.atena_no),
                p.atena_no in protected,
            )
            for p in page
        ]

    def count(self, first: date, last: date) -> int:
        return reached_count(self.book, self.age_reason, first, last)
