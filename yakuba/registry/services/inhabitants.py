"""The registry as other apps read it in bulk: everyone registered on a day.

A business app beside the registry (個人住民税 on its 賦課期日 1月1日, 選挙人名簿 on its 基準日, 国保
on 4月1日) needs the persons registered on one day, not one screen's worth. It gets them here,
streamed in 宛名番号 order from the registry's own history (the state valid at the end of that
day), with the 支援措置 flag of that day so that the reader protects the same persons — never
the registry's tables or models (docs/development/adding-a-domain.md, step 5). Each read is one
audit row naming the purpose, the day and how many persons were read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import connections

from yakuba.platform.audit.log import Action, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.codes import Status
from yakuba.registry.services.export import ROWS_ON_DAY, stream
from yakuba.registry.services.protection import protected_among, protected_atena_nos
from yakuba.registry.services.records import my_number_lookup

RESOURCE = "registry.inhabitants"

_COLUMNS = """h.atena_no, h.setai_no, h.name, h.name_kana, coalesce(to_char(h.birth_date, 'YYYY-MM-DD'), ''),
           h.sex::text, h.relationship, h.address, h.resident_type::text,
           coalesce(to_char(h.became_resident_on, 'YYYY-MM-DD'), ''),
           coalesce(to_char(h.notified_on, 'YYYY-MM-DD'), '')"""
# Present at the end of the day: a 住民, or a 転出予定者 whose 転出予定日 is still ahead — the 転出
# row written ahead takes effect on the 転出予定日 (its 異動日), from which the person lives
# elsewhere even before the new municipality's 転入通知 removes the row (通知 平成26年12月25日
# 総行住第136号, registry-facts §14; the statistics door counts them the same way).
_PRESENT = (
    f"(h.status = {int(Status.RESIDENT)}"
    f" OR (h.status = {int(Status.MOVING_OUT)} AND h.planned_move_out_on > %(day)s))"
)
_SQL = f"SELECT {_COLUMNS} FROM {ROWS_ON_DAY.replace('%s', '%(day)s')} WHERE {_PRESENT} ORDER BY h.atena_no"
# A page of persons: the newest row on the day of each 宛名番号 in (after, through] — a range of
# the (lg_code, atena_no, history_no) key, sorted within the page only.
_PAGE_SQL = f"""
    SELECT {_COLUMNS}
      FROM (SELECT DISTINCT ON (atena_no) * FROM registry_resident_history
             WHERE lg_code = %(lg)s AND atena_no > %(after)s AND atena_no <= %(through)s AND move_date <= %(day)s
             ORDER BY atena_no, history_no DESC) h
     WHERE {_PRESENT}
     ORDER BY h.atena_no
"""
# Only the columns of the test are carried through the sort: a count over a million persons
# need not sort rows.
_COUNT_SQL = f"""
    SELECT count(*) FROM (SELECT DISTINCT ON (atena_no) status, planned_move_out_on FROM registry_resident_history
             WHERE move_date <= %(day)s ORDER BY atena_no, history_no DESC) h
     WHERE {_PRESENT}
"""


@dataclass(frozen=True, slots=True)
class Inhabitant:
    atena_no: str
    setai_no: str
    name: str
    name_kana: str
    birth_date: date | None  # None: 生年月日不詳 (the registry keeps its text)
    sex: int
    relationship: str
    address: str
    resident_type: int  # 1 日本人, 2 外国人住民
    protected: bool  # under 支援措置 on that day: disclose nothing of them to anyone else
    # 住民となった年月日 and 届出年月日 (of the 転入届 or 出生届 that made them a resident; a 転居
    # leaves both): the 選挙人名簿's three months run from the 届出 (civil-facts §1.3).
    became_resident_on: date | None = None
    notified_on: date | None = None


@contextmanager
def inhabitants_on(day: date, *, purpose: str) -> Iterator[Iterator[Inhabitant]]:
    """Everyone registered at the end of ``day``, in 宛名番号 order: ``with inhabitants_on(d,
    purpose="個人住民税の賦課") as people: for p in people: …``. Memory stays flat at any size."""
    protected = protected_atena_nos(day)
    count = 0

    def people(rows) -> Iterator[Inhabitant]:
        nonlocal count
        for row in rows:
            count += 1
            yield _inhabitant(row, protected)

    with stream(_SQL, {"day": day}) as rows:
        yield people(rows)
    record(Action.READ, RESOURCE, purpose=purpose, detail={"as_of": day.isoformat(), "count": count})


def inhabitants_page(day: date, *, after: str, limit: int, purpose: str) -> tuple[list[Inhabitant], str]:
    """Persons registered at the end of ``day`` among the next ``limit`` 宛名番号 after ``after``
    (keyset pagination, for a batch that commits page by page and resumes where it stopped), and
    the 宛名番号 to continue after ("" when there are no more). A page may hold fewer than
    ``limit`` persons (the others were not registered that day), even none."""
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(
            "SELECT max(atena_no) FROM (SELECT DISTINCT atena_no FROM registry_resident_history"
            " WHERE lg_code = %s AND atena_no > %s ORDER BY atena_no LIMIT %s) a",
            [tenant.lg_code, after, limit],
        )
        (last,) = cursor.fetchone()
        if last is None:
            return [], ""
        cursor.execute(_PAGE_SQL, {"lg": tenant.lg_code, "after": after, "through": last, "day": day})
        rows = cursor.fetchall()
    # The page is named by its range of 宛名番号 (the persons of that day in it), not by a list
    # of thousands of subjects per row: the range and the day say exactly who was read.
    return _read(rows, day, purpose, after=after, through=last), last


# Persons born on given days (an age job: 75歳到達 for 後期, 20歳 for 国民年金): the candidates by
# the current 生年月日 (indexed), then each one's row valid at the end of the day.
_BORN_SQL = f"""
    SELECT {_COLUMNS}
      FROM (SELECT DISTINCT ON (atena_no) * FROM registry_resident_history
             WHERE lg_code = %(lg)s AND move_date <= %(day)s
               AND atena_no IN (SELECT atena_no FROM registry_resident
                                 WHERE lg_code = %(lg)s AND birth_sort_date = ANY(%(dates)s::date[]))
             ORDER BY atena_no, history_no DESC) h
     WHERE {_PRESENT} AND h.birth_date = ANY(%(dates)s::date[])
     ORDER BY h.atena_no
"""


def born_on(birth_dates: Iterable[date], *, day: date, purpose: str) -> list[Inhabitant]:
    """Persons registered at the end of ``day`` born on one of ``birth_dates`` — a daily age job's
    read (75歳到達 of 国保 and 後期 on the birthday), one query however many. One audit row."""
    dates = sorted(set(birth_dates))
    if not dates:
        return []
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(_BORN_SQL, {"lg": tenant.lg_code, "day": day, "dates": dates})
        rows = cursor.fetchall()
    return _read(rows, day, purpose, born=[d.isoformat() for d in dates])


def _read(rows, day: date, purpose: str, **detail) -> list[Inhabitant]:
    """The persons of ``rows`` with their 支援措置 flag of ``day``, and the one audit row of the read."""
    protected = protected_among([r[0] for r in rows], day)
    people = [_inhabitant(row, protected) for row in rows]
    record(
        Action.READ,
        RESOURCE,
        purpose=purpose,
        detail={"as_of": day.isoformat(), **detail, "count": len(people)},
    )
    return people


def count_inhabitants_on(day: date) -> int:
    """How many persons were registered at the end of ``day`` (a batch's progress bar)."""
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(_COUNT_SQL, {"day": day})
        return cursor.fetchone()[0]


def _inhabitant(row, protected: set[str]) -> Inhabitant:
    atena_no, setai_no, name, kana, born, sex, relationship, address, kind, became, notified = row
    return Inhabitant(
        atena_no,
        setai_no,
        name,
        kana,
        date.fromisoformat(born) if born else None,
        int(sex),
        relationship,
        address,
        int(kind),
        atena_no in protected,
        date.fromisoformat(became) if became else None,
        date.fromisoformat(notified) if notified else None,
    )


def atena_nos_by_my_number(numbers: Iterable[str], *, purpose: str) -> dict[str, str]:
    """個人番号 → 宛名番号 of the person who holds it (registered or removed), for matching a
    report filed with 個人番号 (給与支払報告書). One query; one audit row with the count asked."""
    lg_code = require_tenant().lg_code
    by_hash = {my_number_lookup(lg_code, n): n for n in set(numbers) if n}
    if not by_hash:
        return {}
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            "SELECT my_number_hash, atena_no FROM registry_resident WHERE my_number_hash = ANY(%s)"
            " UNION ALL SELECT my_number_hash, atena_no FROM registry_resident_archive WHERE my_number_hash = ANY(%s)",
            [list(by_hash), list(by_hash)],
        )
        found = {by_hash[h]: atena_no for h, atena_no in cursor.fetchall()}
    record(
        Action.READ,
        RESOURCE,
        purpose=purpose,
        my_number_shown=False,
        detail={"my_numbers": len(by_hash), "found": len(found)},
    )
    return found
