"""The odd-month 支払 of the 児童扶養手当: the set-based SELECT of who is paid how much, handed to
the platform's payment runs (``yakuba.platform.payments.runs``: pages, audit, 全銀 file).

A 支払月 (1, 3, 5, 7, 9, 11) pays the two months before it (facts §7; rules/months.py), and with
them any earlier month not paid yet — a month withheld for want of a 現況届 (差止め, paid once it
is filed: services/status_report.py) or decided after its run (an 認定 late in the month) — back
to two years (児童扶養手当法 §22 時効). A month is payable when it lies between the 認定's
支給開始月 and 支給終了月, the latest version of its 支給年度's determination covering it gives it
an amount above 0 (全部停止 pays nothing), and no earlier run of this domain paid it. One row per
認定 (``reference`` = its id), its months with their amounts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from yakuba.child_support_allowance.rules import months as rules
from yakuba.platform.payments import runs

DOMAIN = "child_support_allowance"
PURPOSE = "児童扶養手当の支払"
FILE_PURPOSE = "児童扶養手当の支払（全銀ファイル）"
LOOKBACK = 24  # months (§22: the right to a month's 手当 lapses after two years)

PAYABLE_SQL = """
SELECT e.id AS reference,
       e.claimant_atena_no AS payee_atena_no,
       sum(p.monthly_total)::integer AS amount,
       jsonb_agg(jsonb_build_array(to_char(m.month, 'YYYY-MM'), p.monthly_total) ORDER BY m.month) AS months,
       e.bank_code, e.branch_code, e.account_type, e.account_number, e.account_holder_kana
  FROM child_support_allowance_entitlement e
 CROSS JOIN LATERAL generate_series(
         greatest(e.first_month, %s::date),
         least(coalesce(e.last_month, %s::date), %s::date),
         interval '1 month') AS m(month)
  JOIN LATERAL (
         SELECT d.id FROM child_support_allowance_determination d
          WHERE d.entitlement_id = e.id
            AND d.benefit_year = CASE WHEN extract(month FROM m.month) >= 11
                                      THEN extract(year FROM m.month) ELSE extract(year FROM m.month) - 1 END
            AND m.month BETWEEN d.from_month AND d.until_month
          ORDER BY d.version DESC LIMIT 1) AS d ON true
  JOIN child_support_allowance_amount_period p
    ON p.determination_id = d.id AND m.month BETWEEN p.from_month AND p.until_month
 WHERE p.monthly_total > 0
   AND NOT EXISTS (
         SELECT 1 FROM payments_payment pp JOIN payments_run r ON r.id = pp.run_id
          WHERE r.domain = %s AND r.month < %s::date AND pp.reference = e.id
            AND pp.months @> jsonb_build_array(jsonb_build_array(to_char(m.month, 'YYYY-MM'))))
 GROUP BY e.id
"""


def source(payment_month: date) -> runs.Source:
    """The SELECT of the 支払月 (the 1st; ``ValueError`` for an even month)."""
    _before, last = rules.months_paid_in(payment_month)
    since = rules.add_months(payment_month, -LOOKBACK)
    return runs.Source(PAYABLE_SQL, (since, last, last, DOMAIN, payment_month))


def pay(
    lg_code: str, payment_month: date, *, progress: Callable[[int], None] | None = None
) -> runs.RunStatus:
    """Run (or resume) the 支払 of the 支払月; a finished run is returned unchanged."""
    return runs.pay(lg_code, DOMAIN, payment_month, source(payment_month), purpose=PURPOSE, progress=progress)


def save_transfer_file(lg_code: str, payment_month: date, path) -> int:
    """The 全銀 総合振込 file of the finished run written to ``path`` (``runs.save_transfer_file``:
    readable by its owner only, whole or not at all); how many payments it carries."""
    return runs.save_transfer_file(lg_code, DOMAIN, payment_month, path, purpose=FILE_PURPOSE)
