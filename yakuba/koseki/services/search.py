"""Finding a 戸籍 and reading the 受付帳, for the 戸籍係's screens (docs/koseki.md "画面").

A 戸籍 is found by its 本籍 and 筆頭者 (戸籍法9条: the 戸籍 is named by them), or through a person
written in it — their 氏名, its 振り仮名, their 生年月日 — since a clerk often knows only who
came to the counter. Every search is one query, in keyset pages, and one audit row naming the
persons shown; the 受付帳 (the 届出 of a day, 戸籍法施行規則21条) and the 振り仮名 list the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from yakuba.koseki.codes import Kind, Outcome
from yakuba.koseki.models import Entry, Koseki, Member, Notification
from yakuba.koseki.rules.furigana import Source, normalise
from yakuba.koseki.services.ledger import SPACE, full_kana, full_name
from yakuba.platform.audit.log import Action, audited, note

RESOURCE = "koseki"
PAGE = 50


@dataclass(frozen=True)
class Hit:
    """A 戸籍 found, with the person who matched (a person search) — "" when searched by 本籍."""

    koseki_id: str
    honseki: str
    hittosha: str
    closed: bool
    original: bool
    person_id: str = ""
    name: str = ""
    name_kana: str = ""
    birth_date: date | None = None
    removed: bool = False


def _hit(koseki: Koseki, member: Member | None = None) -> Hit:
    found = (koseki.koseki_id, koseki.honseki, koseki.hittosha, koseki.closed_on is not None, koseki.original)
    if member is None:
        return Hit(*found)
    return Hit(
        *found,
        member.person_id,
        full_name(koseki, member),
        full_kana(koseki, member),
        member.birth_date,
        member.removed_on is not None,
    )


def _words(text: str) -> list[str]:
    return text.replace(SPACE, " ").split()


def _name_filter(name: str, kana: str) -> Q:
    """A person by 氏名 (「山田 花子」, or the 氏 or 名 alone) and by reading, prefix-matched."""
    found = Q()
    for words, surname, given in (
        (_words(name), "koseki__surname", "given_name"),
        ([normalise(w) for w in _words(kana)], "koseki__surname_kana", "given_name_kana"),
    ):
        if len(words) >= 2:
            found &= Q(**{surname: words[0], f"{given}__startswith": words[1]})
        elif words:
            found &= Q(**{f"{surname}__startswith": words[0]}) | Q(**{f"{given}__startswith": words[0]})
    return found


@audited(Action.SEARCH, RESOURCE, purpose="戸籍の検索")
def find(
    *,
    honseki: str = "",
    hittosha: str = "",
    name: str = "",
    kana: str = "",
    birth_date: date | None = None,
    after: str = "",
) -> tuple[list[Hit], str]:
    """One page of what matches and the key to continue after ("" on the last page). By 本籍 and
    筆頭者: the 戸籍 (除籍 and 改製原 too); with a person's 氏名, reading or 生年月日: each member
    row that matches (a person is found in every 戸籍 they were in, their 除籍 rows marked)."""
    honseki, hittosha = honseki.strip(), SPACE.join(_words(hittosha))
    persons = bool(name.strip() or kana.strip() or birth_date)
    if persons:
        query, at, key = (
            Member.objects.select_related("koseki").filter(_name_filter(name, kana)),
            "koseki__",
            "pk",
        )
        if birth_date:
            query = query.filter(birth_date=birth_date)
    else:
        query, at, key = Koseki.objects.all(), "", "koseki_id"
    for column, value in (("honseki", honseki), ("hittosha", hittosha)):
        if value:
            query = query.filter(**{f"{at}{column}__startswith": value})
    if after:
        query = query.filter(**{f"{key}__gt": int(after) if persons else after})
    rows = list(query.order_by(key)[: PAGE + 1])
    hits = [_hit(r.koseki, r) if persons else _hit(r) for r in rows]
    keys = [str(getattr(r, key)) for r in rows]
    more = len(hits) > PAGE
    hits = hits[:PAGE]
    note(subjects=[h.person_id for h in hits if h.person_id], koseki_ids=[h.koseki_id for h in hits])
    return hits, keys[PAGE - 1] if more else ""


@dataclass(frozen=True)
class Received:
    """A 届出 as the 受付帳 lists it, and (``data``, on its own page) the 届書 as filed."""

    notification_no: str
    kind: Kind
    filed_on: date
    event_on: date | None
    deadline: date | None
    late: bool
    outcome: Outcome
    reasons: list[tuple[str, str]]
    person_id: str
    created_by: str
    data: dict
    name: str = ""  # the 事件本人's 氏名 as the 戸籍 writes it now (the 受付帳)

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label


def _received(row: Notification, data: dict | None = None) -> Received:
    """``data``: the 届書, when the caller read it (the 受付帳 leaves it out)."""
    return Received(
        row.notification_no,
        Kind(row.kind),
        row.filed_on,
        row.event_on,
        row.deadline,
        row.late,
        Outcome(row.outcome),
        [tuple(r) for r in row.reasons],
        row.person_id,
        row.created_by,
        data or {},
    )


@audited(Action.SEARCH, RESOURCE, purpose="受付帳の閲覧")
def received_on(day: date, *, after: str = "") -> tuple[list[Received], str]:
    """The 受付帳 of one day (受理 and 不受理, in 受付番号 order): one page and the 受付番号 to
    continue after ("" on the last page)."""
    query = Notification.objects.filter(filed_on=day).defer("data")
    if after:
        query = query.filter(notification_no__gt=after)
    rows = list(query.order_by("notification_no")[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    names = names_of({r.person_id for r in rows} - {""})
    found = [replace(_received(r), name=names.get(r.person_id, "")) for r in rows]
    note(subjects=[r.person_id for r in found if r.person_id], day=day.isoformat())
    return found, rows[-1].notification_no if more else ""


def names_of(person_ids: set[str]) -> dict[str, str]:
    """{person_id: 氏名} from each person's latest row (one query); the caller's read is the
    audited one (the 受付帳, a person's 身分事項)."""
    rows = Member.objects.select_related("koseki").filter(person_id__in=person_ids).order_by("pk")
    return {m.person_id: full_name(m.koseki, m) for m in rows}


@audited(Action.READ, RESOURCE, subject="notification_no", purpose="届書の閲覧")
def received(notification_no: str) -> Received | None:
    """One 届出 with its 届書 and 不受理の理由, or None."""
    row = Notification.objects.filter(notification_no=notification_no).first()
    if row is None:
        return None
    note(subjects=[row.person_id] if row.person_id else [])
    return _received(row, row.data)


def written_by(notification_no: str) -> list[tuple[str, str, str]]:
    """(koseki_id, 本籍, 筆頭者) of each 戸籍 a 届出 wrote to (its entries name it), for the 届出's
    page to link them; one query (the page's ``received`` is the audited read)."""
    return list(
        Entry.objects.filter(notification__notification_no=notification_no)
        .order_by("koseki__koseki_id")
        .values_list("koseki__koseki_id", "koseki__honseki", "koseki__hittosha")
        .distinct()
    )


@dataclass(frozen=True)
class Reading:
    """A person's 振り仮名 (名 and, through the 戸籍, 氏): what the 本籍地 notified and what is recorded."""

    koseki_id: str
    person_id: str
    name: str
    notified: str  # 「氏　名」 as notified ("" parts not notified)
    recorded: str
    surname_source: Source
    given_name_source: Source


@dataclass(frozen=True)
class ReadingStatus:
    """How many persons still in a 戸籍 have their 名 reading from a 届, by 職権, or none yet —
    and how many were notified (the 通知 of the planned readings)."""

    notified: int
    filed: int
    ex_officio: int
    missing: int


STATUS_FILTERS = {
    "missing": "未記載",
    "notified": "通知済み・未届",
    "filed": "届出で記載",
    "ex_officio": "職権で記載",
}


def _status_query(status: str):
    present = Member.objects.filter(removed_on=None, koseki__closed_on=None)
    filed = (Source.FILED.value, Source.CHANGED.value)
    return {
        "missing": present.filter(given_name_kana_source=Source.NONE.value),
        "notified": present.filter(given_name_kana_source=Source.NONE.value).exclude(
            notified_given_name_kana=""
        ),
        "filed": present.filter(given_name_kana_source__in=filed),
        "ex_officio": present.filter(given_name_kana_source=Source.EX_OFFICIO.value),
    }[status]


def reading_status() -> ReadingStatus:
    """The counts for the 振り仮名 page (one aggregate query; counts only, no personal data)."""
    none = Q(given_name_kana_source=Source.NONE.value)
    counts = Member.objects.filter(removed_on=None, koseki__closed_on=None).aggregate(
        notified=Count("pk", filter=~Q(notified_given_name_kana="") | ~Q(notified_surname_kana="")),
        filed=Count("pk", filter=Q(given_name_kana_source__in=(Source.FILED.value, Source.CHANGED.value))),
        ex_officio=Count("pk", filter=Q(given_name_kana_source=Source.EX_OFFICIO.value)),
        missing=Count("pk", filter=none),
    )
    return ReadingStatus(**counts)


@audited(Action.SEARCH, RESOURCE, purpose="振り仮名の記載状況")
def readings(status: str, *, after: str = "") -> tuple[list[Reading], str]:
    """One page of the persons in a 戸籍 with the given 振り仮名 status (``STATUS_FILTERS``), in 戸籍
    order, and the key to continue after."""
    query = _status_query(status).select_related("koseki")
    if after:
        query = query.filter(pk__gt=int(after))
    rows = list(query.order_by("pk")[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    found = [
        Reading(
            m.koseki.koseki_id,
            m.person_id,
            full_name(m.koseki, m),
            SPACE.join([m.notified_surname_kana or "－", m.notified_given_name_kana or "－"])
            if m.notified_surname_kana or m.notified_given_name_kana
            else "",
            full_kana(m.koseki, m),
            Source(m.koseki.surname_kana_source),
            Source(m.given_name_kana_source),
        )
        for m in rows
    ]
    note(subjects=[r.person_id for r in found])
    return found, str(rows[-1].pk) if more else ""


def received_today() -> tuple[int, int]:
    """(届出 filed today, 不受理 among them) for the home screen: counts only, one query."""
    counts = Notification.objects.filter(filed_on=timezone.localdate()).aggregate(
        received=Count("pk"), refused=Count("pk", filter=Q(outcome=Outcome.REFUSED))
    )
    return counts["received"], counts["refused"]
