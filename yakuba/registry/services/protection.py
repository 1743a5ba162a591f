"""支援措置 (DV・ストーカー・児童虐待等の被害者保護): set, extend, end; who is protected.

住民記録システム標準仕様書 §3.4: a measure blocks 閲覧 and 写しの交付 for the applicant and, as
municipalities apply the 総務省 scheme, for those at the same address covered with them
(併せて支援を求める者; e.g. https://www.city.koriyama.lg.jp/soshiki/37/5000.html);
its period is one year (start 2020-04-01 → end 2021-03-31), extendable from one month before
the end; 仮支援措置 covers the time until the police/consultation opinion arrives. Here it also
hides those persons from every caller without the right — search, reads, households, 異動,
events and exports (docs/reference/contract.md#protected-persons) — and every change emits an event that only
clients holding ``registry:protected`` receive, so that downstream apps protect them too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connections
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.linkage import outbox
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.codes import ConsultedBody, ProtectionKind
from yakuba.registry.errors import Collector, NotFound
from yakuba.registry.events import PROTECTION_CHANGED
from yakuba.registry.models import Protection, Resident, ResidentArchive
from yakuba.registry.services.validation import clean_kana

EXTENSION_WINDOW = 31  # days before the end from which an extension is accepted (one month)
PROVISIONAL_DAYS = 30  # 仮支援措置 until the opinion arrives (default when no end is given)
MAX_COVERED = 20
# The scheme dates from 2004 (municipal 要綱 from 平成16年, e.g. 東久留米市 訓令乙第115号 of
# 2004-06-29); a start before that, or more than a month ahead, is a typing error.
EARLIEST_START = date(2004, 7, 1)


@dataclass(frozen=True)
class Offender:
    """加害者 as the 申出書 names them: whom the measure protects against."""

    name: str = ""
    name_kana: str = ""
    birth_date: date | None = None
    address: str = ""
    relation: str = ""  # to the applicant, e.g. 元夫


@dataclass(frozen=True)
class Opinion:
    """The 相談機関等's confirmation that the measure is needed: who, asked when, answered when.
    Until it is received, the measure is a 仮支援措置."""

    body: str = ""  # ConsultedBody
    body_name: str = ""
    requested_on: date | None = None
    received_on: date | None = None


@dataclass(frozen=True)
class Measure:
    """One period of a 支援措置, as the door hands it out (never the ORM row)."""

    protection_id: str
    atena_no: str
    kind: str
    provisional: bool
    covered_atena_nos: tuple[str, ...]
    start_date: date
    end_date: date  # the planned end, or the day it was ended early
    ended_early: bool
    summary: str
    offender: Offender = Offender()
    opinion: Opinion = Opinion()

    @property
    def kind_label(self) -> str:
        label = ProtectionKind(self.kind).label
        return f"仮支援措置（{label}）" if self.provisional else f"支援措置（{label}）"

    @classmethod
    def of(cls, row: Protection) -> Measure:
        return cls(
            protection_id=str(row.protection_id),
            atena_no=row.atena_no,
            kind=row.kind,
            provisional=row.provisional,
            covered_atena_nos=tuple(row.covered_atena_nos),
            start_date=row.starts_on,
            end_date=row.ended_early_on or row.ends_on,
            ended_early=row.ended_early_on is not None,
            summary=row.reason,
            offender=Offender(
                row.offender_name,
                row.offender_name_kana,
                row.offender_birth_date,
                row.offender_address,
                row.offender_relation,
            ),
            opinion=Opinion(
                row.consulted_body, row.consulted_body_name, row.opinion_requested_on, row.opinion_received_on
            ),
        )


def one_year_from(start: date) -> date:
    """The day before the first anniversary: 2020-04-01 → 2021-03-31 (§3.4)."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 2/29 → 3/1 of the next year, so the period ends on 2/28
        anniversary = date(start.year + 1, 3, 1)
    return anniversary - timedelta(days=1)


def active_filter(on: date) -> Q:
    return Q(starts_on__lte=on, ends_on__gte=on) & (Q(ended_early_on__isnull=True) | Q(ended_early_on__gt=on))


# The persons a measure protects on a date: the applicant and everyone covered with them.
_PROTECTED_SQL = """
SELECT p.atena_no FROM registry_protection p
 WHERE p.starts_on <= %(on)s AND p.ends_on >= %(on)s
   AND (p.ended_early_on IS NULL OR p.ended_early_on > %(on)s) {applicant}
UNION
SELECT c.atena_no FROM registry_protection p, unnest(p.covered_atena_nos) AS c(atena_no)
 WHERE p.starts_on <= %(on)s AND p.ends_on >= %(on)s
   AND (p.ended_early_on IS NULL OR p.ended_early_on > %(on)s) {covered}
"""


def _protected(on: date | None, among: list[str] | None) -> set[str]:
    # The persons travel as one comma-joined text: a list parameter is quoted element by element
    # on the client (psycopg's literal arrays), which cost ~0.5 s for a batch page of 2,000.
    # A 宛名番号 has no comma; anything else split off is dropped by the intersection below.
    params = {"on": on or timezone.localdate(), "among": ",".join(among) if among is not None else None}
    sql = _PROTECTED_SQL.format(
        applicant="AND p.atena_no = ANY(string_to_array(%(among)s, ','))" if among is not None else "",
        covered="AND p.covered_atena_nos && string_to_array(%(among)s, ',')::varchar[]"
        if among is not None
        else "",
    )
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(sql, params)
        found = {row[0] for row in cursor.fetchall()}
    return found if among is None else found & set(among)


def protected_atena_nos(on: date | None = None) -> set[str]:
    """Everyone protected on ``on`` (today): applicants and covered family members."""
    return _protected(on, None)


def protected_among(atena_nos: Iterable[str], on: date | None = None) -> set[str]:
    """Which of these persons are protected on ``on`` (today); one query, none for no persons."""
    wanted = sorted(set(atena_nos))
    return _protected(on, wanted) if wanted else set()


def is_protected(atena_no: str, on: date | None = None) -> bool:
    return bool(protected_among([atena_no], on))


def current_measure(atena_no: str, on: date | None = None) -> Measure | None:
    """The measure the person applied for that is in force on ``on`` (today), if any."""
    on = on or timezone.localdate()
    row = Protection.objects.filter(active_filter(on), atena_no=atena_no).order_by("-ends_on").first()
    return Measure.of(row) if row else None


def _exists(atena_no: str) -> bool:
    return (
        Resident.objects.filter(atena_no=atena_no).exists()
        or ResidentArchive.objects.filter(atena_no=atena_no).exists()
    )


def _check_covered(atena_no: str, covered: Iterable[str], errors: Collector) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(c for c in covered if c))
    if len(cleaned) > MAX_COVERED:
        errors.add("covered_atena_nos", f"併せて支援を求める者は{MAX_COVERED}人までです")
        return ()
    for i, other in enumerate(cleaned):
        if other == atena_no:
            errors.add(f"covered_atena_nos[{i}]", "申出者本人は併せて支援を求める者に含めません")
        elif not _exists(other):
            errors.add(f"covered_atena_nos[{i}]", f"宛名番号 {other} の住民はいません")
    return cleaned


def _check_offender(offender: Offender, today: date, errors: Collector) -> Offender:
    kana = clean_kana(offender.name_kana, "offender.name_kana", errors, required=False)
    if offender.birth_date and offender.birth_date > today:
        errors.add("offender.birth_date", "加害者の生年月日が未来の日付です")
    for field, value, limit in (
        ("name", offender.name, 100),
        ("address", offender.address, 200),
        ("relation", offender.relation, 40),
    ):
        if len(value) > limit:
            errors.add(f"offender.{field}", f"{limit}文字以内で入力してください")
    return Offender(
        offender.name.strip(), kana, offender.birth_date, offender.address.strip(), offender.relation.strip()
    )


def _check_opinion(opinion: Opinion, today: date, errors: Collector) -> Opinion:
    if opinion.body and opinion.body not in ConsultedBody.values:
        errors.add("opinion.body", f"相談機関等は {' / '.join(ConsultedBody.values)} のいずれかです")
    if (opinion.requested_on or opinion.received_on or opinion.body_name) and not opinion.body:
        errors.add("opinion.body", "意見を求めた相談機関等を選んでください")
    for field, value in (("requested_on", opinion.requested_on), ("received_on", opinion.received_on)):
        if value and value > today:
            errors.add(f"opinion.{field}", "未来の日付です")
    if opinion.requested_on and opinion.received_on and opinion.received_on < opinion.requested_on:
        errors.add("opinion.received_on", "意見を受けた日が意見を求めた日より前です")
    if len(opinion.body_name) > 100:
        errors.add("opinion.body_name", "100文字以内で入力してください")
    return Opinion(opinion.body, opinion.body_name.strip(), opinion.requested_on, opinion.received_on)


def _details(offender: Offender, opinion: Opinion) -> dict:
    """The model's columns for the 申出's details."""
    return {
        "offender_name": offender.name,
        "offender_name_kana": offender.name_kana,
        "offender_birth_date": offender.birth_date,
        "offender_address": offender.address,
        "offender_relation": offender.relation,
        "consulted_body": opinion.body,
        "consulted_body_name": opinion.body_name,
        "opinion_requested_on": opinion.requested_on,
        "opinion_received_on": opinion.received_on,
    }


def _emit(change: str, row: Protection) -> None:
    """The protection event (only ``registry:protected`` clients receive it: data.protected)."""
    measure = Measure.of(row)
    outbox.emit(
        PROTECTION_CHANGED.type,
        subject=row.atena_no,
        data={
            "atena_no": row.atena_no,
            "protection_id": measure.protection_id,
            "change": change,
            "kind": row.kind,
            "provisional": row.provisional,
            "covered_atena_nos": list(measure.covered_atena_nos),
            "start_date": row.starts_on.isoformat(),
            "end_date": measure.end_date.isoformat(),
            "protected": True,
        },
    )


def set_measure(
    atena_no: str,
    *,
    starts_on: date,
    kind: str = ProtectionKind.DV,
    provisional: bool = False,
    ends_on: date | None = None,
    covered: Iterable[str] = (),
    summary: str = "",
    offender: Offender = Offender(),
    opinion: Opinion = Opinion(),
) -> Measure:
    """A new measure: one year for 支援措置 (or a shorter given end), until the given end for
    仮支援措置 (default 30 days), with the 加害者 and the 相談機関等's 意見 as the 申出 gives them."""
    errors = Collector()
    today = timezone.localdate()
    offender = _check_offender(offender, today, errors)
    opinion = _check_opinion(opinion, today, errors)
    if kind not in ProtectionKind.values:
        errors.add("kind", f"種別は {' / '.join(ProtectionKind.values)} のいずれかです")
    if not _exists(atena_no):
        raise NotFound(f"宛名番号 {atena_no} の住民はいません")
    covered_nos = _check_covered(atena_no, covered, errors)
    latest = timezone.localdate() + timedelta(days=EXTENSION_WINDOW)
    if not EARLIEST_START <= starts_on <= latest:
        errors.add(
            "start_date", f"開始日は {EARLIEST_START.isoformat()} から {latest.isoformat()} までの日付です"
        )
        errors.raise_if_any()
    if current_measure(atena_no, starts_on) is not None:
        errors.add("atena_no", "この住民には有効な支援措置があります（延長または終了してください）")
    longest = one_year_from(starts_on)
    if ends_on is None:
        ends_on = starts_on + timedelta(days=PROVISIONAL_DAYS) if provisional else longest
    elif ends_on < starts_on:
        errors.add("end_date", "終了日が開始日より前です")
    elif ends_on > longest:
        errors.add("end_date", f"支援措置の期間は1年以内です（終了日は {longest.isoformat()} まで）")
    errors.raise_if_any()
    row = Protection.objects.create(
        lg_code=require_tenant().lg_code,
        atena_no=atena_no,
        kind=kind,
        provisional=provisional,
        covered_atena_nos=list(covered_nos),
        starts_on=starts_on,
        ends_on=ends_on,
        reason=summary[:200],
        created_by=current_actor().name,
        **_details(offender, opinion),
    )
    record(
        Action.CREATE,
        "protection",
        subjects=[atena_no, *covered_nos],
        detail={"kind": kind, "provisional": provisional, "ends_on": ends_on.isoformat()},
    )
    _emit("set", row)
    return Measure.of(row)


def _measure_row(protection_id: str, atena_no: str | None) -> Protection:
    row = Protection.objects.filter(protection_id=protection_id).first()
    if row is None or (atena_no is not None and row.atena_no != atena_no):
        raise NotFound("指定された支援措置はありません")
    return row


def extend_measure(
    protection_id: str,
    *,
    atena_no: str | None = None,
    today: date | None = None,
    opinion: Opinion | None = None,
) -> Measure:
    """Extend by one year from the day after the current end; accepted from one month before it.
    The 加害者 carries over; ``opinion`` is the 相談機関等's new 意見 (else the last one)."""
    today = today or timezone.localdate()
    measure = _measure_row(protection_id, atena_no)
    errors = Collector()
    if opinion is not None:
        opinion = _check_opinion(opinion, today, errors)
    if measure.ended_early_on is not None or measure.ends_on < today:
        errors.add("protection_id", "終了した支援措置は延長できません（改めて申出を受けてください）")
    elif measure.provisional:
        errors.add("protection_id", "仮支援措置は延長できません（支援措置として申出を受けてください）")
    elif Protection.objects.filter(atena_no=measure.atena_no, starts_on__gt=measure.ends_on).exists():
        errors.add("protection_id", "この支援措置はすでに延長されています")
    elif today < measure.ends_on - timedelta(days=EXTENSION_WINDOW):
        opens = measure.ends_on - timedelta(days=EXTENSION_WINDOW)
        errors.add("protection_id", f"延長の申出は終了日の1か月前（{opens.isoformat()}）から受け付けます")
    errors.raise_if_any()
    new_start = measure.ends_on + timedelta(days=1)
    extension = Protection.objects.create(
        lg_code=measure.lg_code,
        atena_no=measure.atena_no,
        kind=measure.kind,
        covered_atena_nos=measure.covered_atena_nos,
        starts_on=new_start,
        ends_on=one_year_from(new_start),
        reason=measure.reason,
        created_by=current_actor().name,
        **_details(Measure.of(measure).offender, opinion or Measure.of(measure).opinion),
    )
    record(
        Action.UPDATE,
        "protection",
        subjects=[measure.atena_no, *measure.covered_atena_nos],
        detail={"extended_to": extension.ends_on.isoformat()},
    )
    _emit("extended", extension)
    return Measure.of(extension)


def end_measure(protection_id: str, *, atena_no: str | None = None, on: date | None = None) -> Measure:
    """End the measure (and an extension already recorded after it) on ``on`` (today)."""
    on = on or timezone.localdate()
    measure = _measure_row(protection_id, atena_no)
    if not Protection.objects.filter(active_filter(on), id=measure.id).exists():
        raise NotFound("終了できる支援措置がありません")
    Protection.objects.filter(id=measure.id).update(ended_early_on=on)
    Protection.objects.filter(atena_no=measure.atena_no, starts_on__gt=on).update(ended_early_on=on)
    measure.refresh_from_db()
    record(
        Action.UPDATE,
        "protection",
        subjects=[measure.atena_no, *measure.covered_atena_nos],
        detail={"ended_on": on.isoformat()},
    )
    _emit("ended", measure)
    return Measure.of(measure)


def _expiring_rows(ends_from: date, ends_to: date):
    later = Protection.objects.filter(atena_no=OuterRef("atena_no"), starts_on__gt=OuterRef("ends_on"))
    return Protection.objects.filter(
        ended_early_on__isnull=True, ends_on__range=(ends_from, ends_to)
    ).exclude(Exists(later))


def count_expiring(ends_from: date, ends_to: date) -> int:
    """How many measures ``expiring`` lists: a figure for the home screen, naming nobody (so not
    an audited read of protected persons)."""
    return _expiring_rows(ends_from, ends_to).count()


def expiring(ends_from: date, ends_to: date) -> list[Measure]:
    """Measures ending between the two dates and not yet extended or ended early: the month's
    list the counter works through (支援措置期間終了通知, extension requests). Audited as a read."""
    rows = _expiring_rows(ends_from, ends_to).order_by("ends_on", "atena_no")
    found = [Measure.of(row) for row in rows]
    record(
        Action.READ,
        "protection",
        subjects=[m.atena_no for m in found],
        detail={"list": "expiring", "from": ends_from.isoformat(), "to": ends_to.isoformat()},
    )
    return found
