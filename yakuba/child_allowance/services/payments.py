"""児童手当の支払: in each even month (2, 4, 6, 8, 10, 12) every 認定 is paid the two months before
it (insurance-welfare-facts §6: 6 times a year, each for the 2 previous months — 12月 pays 10月
and 11月), each month at the 月額 of the amount period covering it, from the 支給開始月 to the
支給終了月 — an ended 認定 is still paid the months it was owed.

One set-based SELECT over the 認定 and their amount periods (``source``) is handed to the
platform's 支払 run (``platform.payments.runs``: resumable pages, one run per 支払月, audited)
and the 全銀 総合振込 file is written from the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from yakuba.child_allowance.models import AmountPeriod, Entitlement
from yakuba.platform.payments import runs

DOMAIN = "child_allowance"
PURPOSE = "児童手当の支払"
FILE_PURPOSE = "児童手当の支払（全銀ファイル）"
PAY_MONTHS = (2, 4, 6, 8, 10, 12)

_ENTITLEMENT = Entitlement._meta.db_table
_PERIOD = AmountPeriod._meta.db_table
# Each month paid with the 月額 of the period covering it, if the 認定 pays that month.
SQL = f"""
SELECT e.id AS reference, e.claimant_atena_no AS payee_atena_no,
       sum(p.monthly_total)::integer AS amount,
       jsonb_agg(jsonb_build_array(to_char(m.month, 'YYYY-MM'), p.monthly_total) ORDER BY m.month) AS months,
       e.bank_code, e.branch_code, e.account_type, e.account_number, e.account_holder_kana
  FROM {_ENTITLEMENT} e
  JOIN (VALUES (%s::date), (%s::date)) AS m (month)
    ON e.first_month <= m.month AND (e.last_month IS NULL OR e.last_month >= m.month)
  JOIN {_PERIOD} p
    ON p.entitlement_id = e.id AND p.from_month <= m.month AND (p.until_month IS NULL OR p.until_month >= m.month)
 WHERE e.first_month <= %s AND (e.last_month IS NULL OR e.last_month >= %s)
 GROUP BY e.id
"""


def months_paid(month: date) -> tuple[date, date]:
    """The two months the 支払月 ``month`` pays (the 1st of each), or ``PaymentRejected`` for an
    odd month: 児童手当 is paid only in even months."""
    if month.month not in PAY_MONTHS:
        raise runs.PaymentRejected(
            f"児童手当の支払月は偶数月（2・4・6・8・10・12月）です: {month.year}年{month.month}月"
        )
    first = date(month.year - (month.month == 2), (month.month - 3) % 12 + 1, 1)
    return first, date(month.year, month.month - 1, 1)


def source(month: date) -> runs.Source:
    """The 支払 of the 支払月 as the SELECT the platform's run pages through."""
    first, second = months_paid(month)
    return runs.Source(SQL, (first, second, second, first))


def pay(
    lg_code: str, month: date, *, progress: Callable[[int], None] | None = None, **options
) -> runs.RunStatus:
    """Run (or resume) the 支払 of the even 支払月 ``month``; a finished one is returned as it is."""
    return runs.pay(lg_code, DOMAIN, month, source(month), purpose=PURPOSE, progress=progress, **options)


def to_walk(month: date) -> int:
    """How many 認定 the run of the 支払月 walks at most (its progress bar)."""
    first, second = months_paid(month)
    return Entitlement.objects.filter(first_month__lte=second).exclude(last_month__lt=first).count()


def transfer_file(lg_code: str, month: date) -> Iterator[bytes]:
    """The 全銀 総合振込 file of the finished 支払 of the 支払月 (``runs.transfer_file``)."""
    months_paid(month)
    return runs.transfer_file(lg_code, DOMAIN, month, purpose=FILE_PURPOSE)
