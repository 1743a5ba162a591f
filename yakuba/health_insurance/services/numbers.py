"""被保険者 記号・番号 and 枝番: given where 国保世帯 and 被保険者 are written, read by the 資格確認書.

The 記号・番号 names a 国保世帯 — given once, when the 世帯 enters 国保, from the municipality's
counter (``InsuredNumbering``), never reused. The 枝番 names a person under it (2 digits on the
資格確認書 and 被保険者証 since 2021: 健康保険法等の一部を改正する法律, 令和元年法律第9号, which made
the 記号・番号 individual): given at the person's first 取得 in that 世帯 — a 喪失 and 再取得 in the
same 世帯 keeps it — and never given again under the same 記号・番号 (``last_branch``). Both are
assigned set-based, one statement each whatever the page's size, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections

from yakuba.platform.audit.log import Action, record
from yakuba.platform.tenancy.context import require_tenant

PURPOSE = "国民健康保険の被保険者記号・番号の参照"
NUMBER_DIGITS = 8

# The 国保世帯 of ``setai_nos``: 擬制世帯主 = the head is not insured (facts §2.1), and those
# without a number that have an insured member now — the 世帯 enters 国保 (a 転入 世帯 waiting
# for its 加入届 has a row, its head known, but no number) — get the next ones of the counter in
# 世帯番号 order; the counter row is created
# (記号 = the 団体コード without its check digit) or advanced in the same statement, and stays
# locked until the commit.
_HOUSEHOLD_SQL = f"""
WITH new AS (
  SELECT h.id, row_number() OVER (ORDER BY h.setai_no) AS n FROM health_insurance_household h
   WHERE h.setai_no = ANY(%(setai)s) AND h.insured_number = ''
     AND EXISTS (SELECT 1 FROM health_insurance_member m
                  WHERE m.lg_code = h.lg_code AND m.setai_no = h.setai_no AND m.insured)),
counter AS (
  INSERT INTO health_insurance_numbering (lg_code, symbol, last)
  SELECT %(lg)s, left(%(lg)s, 5), count(*) FROM new HAVING count(*) > 0
  ON CONFLICT (lg_code) DO UPDATE SET last = health_insurance_numbering.last + EXCLUDED.last
  RETURNING symbol, last),
t AS (SELECT count(*) AS total FROM new)
UPDATE health_insurance_household h
   SET pseudo_head = NOT EXISTS (
         SELECT 1 FROM health_insurance_member m
          WHERE m.lg_code = h.lg_code AND m.atena_no = h.head_atena_no AND m.insured),
       insured_symbol = CASE WHEN new.id IS NULL THEN h.insured_symbol ELSE c.symbol END,
       insured_number = CASE WHEN new.id IS NULL THEN h.insured_number
                        ELSE lpad((c.last - t.total + new.n)::text, {NUMBER_DIGITS}, '0') END
  FROM health_insurance_household w LEFT JOIN new ON new.id = w.id LEFT JOIN counter c ON true CROSS JOIN t
 WHERE h.id = w.id AND w.setai_no = ANY(%(setai)s)
"""

# The insured among ``atena_nos`` without a 枝番 in their present 世帯 get the next ones of that
# 世帯 (its 世帯主 first, then in 宛名番号 order).
_BRANCH_SQL = """
WITH todo AS (
  SELECT m.id, m.setai_no,
         row_number() OVER (PARTITION BY m.setai_no ORDER BY m.atena_no <> h.head_atena_no, m.atena_no) AS n,
         count(*) OVER (PARTITION BY m.setai_no) AS c
    FROM health_insurance_member m
    JOIN health_insurance_household h ON h.lg_code = m.lg_code AND h.setai_no = m.setai_no
   WHERE m.atena_no = ANY(%s) AND m.insured AND (m.branch IS NULL OR m.branch_setai_no <> m.setai_no)),
bumped AS (
  UPDATE health_insurance_household h SET last_branch = h.last_branch + t.c
    FROM (SELECT DISTINCT setai_no, c FROM todo) t
   WHERE h.setai_no = t.setai_no
  RETURNING h.setai_no, h.last_branch)
UPDATE health_insurance_member m
   SET branch = b.last_branch - todo.c + todo.n, branch_setai_no = todo.setai_no
  FROM todo JOIN bumped b ON b.setai_no = todo.setai_no
 WHERE m.id = todo.id
"""


def settle_households(setai_nos: Iterable[str]) -> None:
    """After the 国保世帯 of ``setai_nos`` and their members are written: each one's 擬制世帯主
    flag, and a 記号・番号 for each that has none (one statement)."""
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(_HOUSEHOLD_SQL, {"setai": sorted(setai_nos), "lg": tenant.lg_code})


def branch_members(atena_nos: Iterable[str]) -> None:
    """Give a 枝番 to each insured person of ``atena_nos`` who has none in their present 世帯
    (one statement; their 国保世帯 must exist)."""
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(_BRANCH_SQL, [sorted(atena_nos)])


def insured_numbers(atena_nos: Iterable[str], *, purpose: str = PURPOSE) -> dict[str, tuple[str, str, str]]:
    """{宛名番号: (記号, 番号, 枝番 as printed: 2 digits)} of the persons of ``atena_nos`` who were
    ever insured — the numbers of the 国保世帯 their 枝番 was given in (the last one). One query and
    one audit row. Call with the municipality's ``tenant_context`` and an actor bound."""
    wanted = sorted(set(atena_nos))
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            "SELECT m.atena_no, h.insured_symbol, h.insured_number, m.branch"
            " FROM health_insurance_member m JOIN health_insurance_household h"
            " ON h.lg_code = m.lg_code AND h.setai_no = m.branch_setai_no"
            " WHERE m.atena_no = ANY(%s) AND m.branch IS NOT NULL",
            [wanted],
        )
        found = {a: (symbol, number, f"{branch:02d}") for a, symbol, number, branch in cursor.fetchall()}
    record(Action.READ, "health_insurance.insured_number", subjects=sorted(found), purpose=purpose)
    return found
