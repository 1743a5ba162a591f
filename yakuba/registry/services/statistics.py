"""The registry in numbers: who was registered on a day, in which 世帯, and what was recorded and
removed in a period — as counts, for the statistics app (住民基本台帳に基づく人口、人口動態及び世帯数
調査, the monthly tables) and any other reader that needs figures, not persons.

Nothing personal crosses this door: each function is one set-based statement (GROUP BY in
PostgreSQL) over the registry's own history and returns counts per group. The rules, with their
sources (docs/statistics.md says the same for people):

- **The registry on day D** is its state at the start of D (the end of D − 1): each person's row
  with the highest 履歴番号 whose 異動日 is before D. So the population on 1月1日, plus the 記載 and
  less the 消除 of 1月1日–12月31日 (counted by 異動日), is the population of the next 1月1日
  exactly, as the survey balances it (population-facts §2). ``export.ROWS_ON_DAY`` (the as-of
  export, the tax app's 賦課期日) takes the end of the day instead, as a 賦課期日 decides.
- **A canceled 異動 (取消し) never happened**: its rows are left out of the state on every day and
  out of every count, and the 取消し itself is no 記載 or 消除 (住民記録システム標準仕様書 §1.2.2:
  a cancellation restores the state before the 異動).
- **A 転出予定者 is present until the 転出予定日 has passed** (通知 平成26年12月25日 総行住第136号 as
  the spec quotes it, registry-facts §14): a 転出 row written ahead (住民状態 転出予定) takes effect
  on its 異動日 = 転出予定日, and a later row of that person still in 転出予定 (a 誤記修正) counts
  while its 転出予定日 is on or after D.
- **Ages** at that instant, by 年齢計算ニ関スル法律 (a year is reached at the end of the day before
  the birthday): the age at the end of D − 1, the same as the tax app's ``age_on(birth, D − 1)``.
  A 生年月日 known only in part (不詳, §1.1.8) counts by its sort date.
- **記載 and 消除** are changes of presence, not 異動 kinds: a row counts as 記載 when it makes the
  person a 住民 and the row before it (if any) was 消除, and as 消除 when it ends a 住民's presence
  (消除 or 転出予定). So the other members of a 世帯 whose 続柄 a death or a 転出 rewrote are not
  counted, nor is a 誤記修正 (it corrects a row; the 異動 it corrects counts once). The kind of 記載
  comes from the 異動 (転入 by its 転入元 国内/国外, 出生, anything else その他), the kind of 消除
  from the 消除事由 (転出 国内/国外, 死亡, anything else その他).
- **A change of 住民種別** (日本人 ⇄ 外国人, e.g. 帰化・国籍取得 recorded by 修正) is a 消除 (その他)
  in the old 区分 and a 記載 (その他) in the new one, so that each 区分's population balances too.
- Rows of a データ移行 (import) are the stock the registry started from, not 異動: never counted.

Known limit: a 転出予定者 who dies before the 転出予定日 is counted twice as removed (転出 on the
転出予定日, 死亡 on the day of death) — the 転出 should be canceled first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connections

from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.codes import IMPORT_KIND, Flow, MoveKind, Origin, RemovalReason, ResidentType, Status

DIMENSIONS = ("resident_type", "sex", "age", "town_area")

_RESIDENT, _MOVING_OUT, _REMOVED = int(Status.RESIDENT), int(Status.MOVING_OUT), int(Status.REMOVED)
_JAPANESE, _FOREIGN = int(ResidentType.JAPANESE), int(ResidentType.FOREIGN)

# Each person's row at the start of %(day)s, rows of canceled 異動 left out (see the module
# docstring); only the columns the counts need are carried through the sort.
_ROWS_AT_START = """(SELECT DISTINCT ON (atena_no) setai_no, resident_type, sex, status, planned_move_out_on,
           coalesce(birth_date, birth_sort_date) AS born, town_area
      FROM registry_resident_history
     WHERE move_date < %(day)s
       AND move_id NOT IN (SELECT id FROM registry_move WHERE canceled_by_id IS NOT NULL)
     ORDER BY atena_no, history_no DESC) h"""
_PRESENT = f"(h.status = {_RESIDENT} OR (h.status = {_MOVING_OUT} AND h.planned_move_out_on >= %(day)s))"
# Completed years at the end of D − 1: the year of D less the birth year, less one while the
# birthday's month and day are after D's (the tax app's age_on with "the following day" = D).
_AGE = "(%(year)s - extract(year FROM h.born)::int - (to_char(h.born, 'MMDD') > %(mmdd)s)::int)"
_EXPRESSIONS = {
    "resident_type": ("h.resident_type::int", "NULL::int"),
    "sex": ("h.sex::int", "NULL::int"),
    "age": (_AGE, "NULL::int"),
    "town_area": ("h.town_area::text", "NULL::text"),
}


@dataclass(frozen=True, slots=True)
class PersonCount:
    """Persons registered on the day in one group; a dimension not asked for is None."""

    resident_type: int | None  # 1 日本人, 2 外国人
    sex: int | None  # 1 男, 2 女
    age: int | None  # completed years (年齢計算ニ関スル法律)
    town_area: str | None  # 町字 as registered ("" when the address has none)
    persons: int


@dataclass(frozen=True, slots=True)
class HouseholdCount:
    """世帯 with at least one member registered on the day, by who they are made of (the survey
    counts 日本人住民のみ, 外国人住民のみ and 複数国籍世帯 apart); ``town_area`` when asked for."""

    town_area: str | None
    japanese_only: int
    foreign_only: int
    mixed: int

    @property
    def total(self) -> int:
        return self.japanese_only + self.foreign_only + self.mixed


@dataclass(frozen=True)
class Census:
    day: date  # the registry at the start of this day
    persons: list[PersonCount]
    households: list[HouseholdCount]


@dataclass(frozen=True, slots=True)
class FlowCount:
    """記載 or 消除 of one kind (``Flow``) in a period, for one 住民種別 and sex."""

    flow: str
    resident_type: int
    sex: int
    persons: int


def census_on(day: date, *, by: tuple[str, ...] = ("resident_type", "sex", "age")) -> Census:
    """Persons registered at the start of ``day`` counted by the dimensions ``by`` (any of
    ``DIMENSIONS``), and their 世帯 by composition — by 町字 too when ``by`` names it. One
    statement: the day's rows are found once and counted twice."""
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimensions: {unknown}")
    columns = ", ".join(_EXPRESSIONS[d][0 if d in by else 1] for d in DIMENSIONS)
    town = "town_area" if "town_area" in by else "NULL"
    sql = f"""
        WITH present AS MATERIALIZED (
            SELECT h.setai_no, h.resident_type, h.sex, h.born, h.town_area FROM {_ROWS_AT_START} WHERE {_PRESENT}
        ), households AS (
            SELECT min(town_area) AS town_area, bool_or(resident_type = {_JAPANESE}) AS japanese,
                   bool_or(resident_type = {_FOREIGN}) AS foreigner
              FROM present GROUP BY setai_no
        )
        SELECT 'p', {columns}, count(*), 0, 0 FROM present h GROUP BY 2, 3, 4, 5
        UNION ALL
        SELECT 'h', NULL, NULL, NULL, {town}::text, count(*) FILTER (WHERE NOT foreigner),
               count(*) FILTER (WHERE NOT japanese), count(*) FILTER (WHERE japanese AND foreigner)
          FROM households GROUP BY {"town_area" if "town_area" in by else "()"}
    """
    params = {"day": day, "year": day.year, "mmdd": day.strftime("%m%d")}
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    persons = [PersonCount(*row[1:6]) for row in rows if row[0] == "p"]
    households = [HouseholdCount(row[4], *row[5:8]) for row in rows if row[0] == "h"]
    return Census(day, persons, households)


def _flow_cases() -> tuple[str, str]:
    """SQL of the 記載 kind of a row (from its 異動) and of the 消除 kind (from its 消除事由)."""
    recorded = (
        f"CASE h.move_kind WHEN '{MoveKind.MOVE_IN}' THEN CASE WHEN m.request->>'origin' = '{Origin.ABROAD}'"
        f" THEN '{Flow.MOVE_IN_ABROAD}' ELSE '{Flow.MOVE_IN_DOMESTIC}' END"
        f" WHEN '{MoveKind.BIRTH}' THEN '{Flow.BIRTH}' ELSE '{Flow.OTHER_RECORDED}' END"
    )
    removed = (
        f"CASE h.removal_reason WHEN '{RemovalReason.MOVE_OUT_DOMESTIC}' THEN '{Flow.MOVE_OUT_DOMESTIC}'"
        f" WHEN '{RemovalReason.MOVE_OUT_ABROAD}' THEN '{Flow.MOVE_OUT_ABROAD}'"
        f" WHEN '{RemovalReason.DEATH}' THEN '{Flow.DEATH}' ELSE '{Flow.OTHER_REMOVED}' END"
    )
    return recorded, removed


_RECORDED, _REMOVED_KIND = _flow_cases()
_TYPE_CHANGED = f"h.status = {_RESIDENT} AND p.status = {_RESIDENT} AND h.resident_type <> p.resident_type"
_MOVEMENTS_SQL = f"""
    SELECT f.flow, f.resident_type, f.sex, count(*)
      FROM registry_resident_history h
      JOIN LATERAL (SELECT request, canceled_by_id FROM registry_move WHERE id = h.move_id LIMIT 1) m ON true
      -- the 異動 and the row before, by their keys: a lookup per row of the period, not a pass over
      -- every row (LIMIT 1 keeps the planner from turning the lookups back into joins of whole tables)
      LEFT JOIN LATERAL (SELECT status, resident_type, sex FROM registry_resident_history
                          WHERE lg_code = h.lg_code AND atena_no = h.atena_no AND history_no = h.history_no - 1 LIMIT 1) p
             ON true
     CROSS JOIN LATERAL (VALUES
           (CASE WHEN h.status = {_RESIDENT} AND (p.status IS NULL OR p.status = {_REMOVED}) THEN {_RECORDED}
                 WHEN h.status <> {_RESIDENT} AND p.status = {_RESIDENT} THEN {_REMOVED_KIND} END,
            h.resident_type, h.sex),
           (CASE WHEN {_TYPE_CHANGED} THEN '{Flow.OTHER_REMOVED}' END, p.resident_type, p.sex),
           (CASE WHEN {_TYPE_CHANGED} THEN '{Flow.OTHER_RECORDED}' END, h.resident_type, h.sex)
     ) f(flow, resident_type, sex)
     WHERE h.move_date BETWEEN %(first)s AND %(last)s
       AND m.canceled_by_id IS NULL
       AND h.move_kind NOT IN ('{MoveKind.CANCEL}', '{IMPORT_KIND}')
       AND f.flow IS NOT NULL
     GROUP BY 1, 2, 3
"""


def movements_between(first: date, last: date) -> list[FlowCount]:
    """記載 and 消除 whose 異動日 is in ``first``–``last`` (both included), by kind, 住民種別 and
    sex, under the rules of the module docstring. One statement."""
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(_MOVEMENTS_SQL, {"first": first, "last": last})
        return [FlowCount(flow, int(kind), int(sex), n) for flow, kind, sex, n in cursor.fetchall()]


def year_before(day: date) -> tuple[date, date]:
    """The twelve months ending the day before ``day``: for 1月1日, the previous calendar year
    (the survey's 人口動態 period, population-facts §2). A 2月29日 starts from 3月1日."""
    try:
        first = day.replace(year=day.year - 1)
    except ValueError:
        first = date(day.year - 1, 3, 1)
    return first, day - timedelta(days=1)
