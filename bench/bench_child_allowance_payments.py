"""児童手当の支払: the December run (October and November paid) of a generated town of BENCH_SCALE
residents — a 認定 for every household with a child up to the 18歳年度末 (the 世帯主 as 受給者,
10,000円 a child, paid from August; every tenth 認定 with a 額改定 from November, so its two months
differ), set up by two set-based INSERTs and the October run (August and September paid: the
history December reads) before any clock starts — through the platform's 支払 run (keyset pages
of INSERT … SELECT, an audit row and the run's position per page, the checksum) and the 全銀
総合振込 file written, beside a raw-SQL baseline: the same SELECT summed in one statement.
Aim (issue 17): 1,000,000 residents < 30 s.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from bench.harness import Context, Result, generated_town, timed

LG = "072028"
MONTH = date(2026, 12, 1)
SEEDED = date(2026, 7, 1)
OCTOBER = date(2026, 10, 1)
OLDEST = date(2008, 4, 2)  # 18歳年度末 not yet passed in the 2026年度

CHILDREN = """
    SELECT h.setai_no, h.head_atena_no, count(*) AS n
      FROM registry_household h JOIN registry_resident r ON r.setai_no = h.setai_no
     WHERE h.active AND h.head_atena_no <> '' AND r.status = 1 AND r.birth_sort_date >= %(oldest)s
     GROUP BY h.setai_no, h.head_atena_no
"""
ENTITLEMENTS = f"""
INSERT INTO child_allowance_entitlement (lg_code, claimant_atena_no, setai_no, spouse_atena_no, choice_basis,
       status, claimed_on, certified_on, first_month, last_month, end_reason, ended_on, bank_code, branch_code,
       account_type, account_number, account_holder_kana, created_at, created_by, updated_at)
SELECT DISTINCT ON (c.head_atena_no) %(lg)s, c.head_atena_no, c.setai_no, '', 'income', 'active', %(seeded)s,
       %(seeded)s, '2026-08-01', NULL, '', NULL, '0001', '001', '1', right(c.head_atena_no, 7), 'ﾔﾏﾀﾞ ﾀﾛｳ',
       now(), 'bench', now()
  FROM ({CHILDREN}) c ORDER BY c.head_atena_no, c.setai_no
"""
PERIODS = f"""
INSERT INTO child_allowance_amount_period (lg_code, entitlement_id, from_month, until_month, monthly_total,
       children, steps, reason, claimed_on, created_at, created_by)
SELECT %(lg)s, e.id, p.from_month, p.until_month, 10000 * c.n + p.extra, '[]', '[]', p.reason, NULL, now(), 'bench'
  FROM child_allowance_entitlement e JOIN ({CHILDREN}) c ON c.setai_no = e.setai_no
  CROSS JOIN LATERAL (VALUES ('2026-08-01'::date, CASE WHEN e.id %% 10 = 0 THEN '2026-10-01'::date END, 0,
                              'certified'),
                             ('2026-11-01'::date, NULL, 10000, 'child_added')) AS p (from_month, until_month,
                                                                                  extra, reason)
 WHERE p.reason = 'certified' OR e.id %% 10 = 0
"""


def _setup() -> int:
    from django.db import connections

    from yakuba.platform.payments.models import Requester

    with connections["default"].cursor() as cursor:
        params = {"lg": LG, "seeded": SEEDED, "oldest": OLDEST}
        cursor.execute(ENTITLEMENTS, params)
        entitlements = cursor.rowcount
        cursor.execute(PERIODS, params)
    Requester.objects.create(
        lg_code=LG,
        requester_code="1234567890",
        requester_name="ｱｲﾂﾞﾜｶﾏﾂｼ",
        bank_code="0128",
        branch_code="001",
        account_type="1",
        account_number="1234567",
        created_by="bench",
    )
    return entitlements


def run(ctx: Context) -> list[Result]:
    import psycopg
    from django.db import connections

    from yakuba.child_allowance.services import payments
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.payments.models import Payment, PaymentRun
    from yakuba.platform.tenancy.context import tenant_context

    generated_town(ctx, LG, SEEDED)
    with bind_actor(SYSTEM), tenant_context(LG):
        entitlements = _setup()
    with bind_actor(SYSTEM):
        payments.pay(LG, OCTOBER)
    with psycopg.connect(ctx.database_url, autocommit=True) as conn:
        conn.execute(
            "VACUUM (ANALYZE) child_allowance_entitlement, child_allowance_amount_period, payments_payment,"
            " payments_run"
        )
    made = {}
    out = Path(tempfile.mkdtemp()) / "zengin.txt"

    def ours():
        with bind_actor(SYSTEM), tenant_context(LG):
            # A fresh December run each time (the bench only: payments are append-only).
            Payment.objects.filter(run__month=MONTH).delete()
            PaymentRun.objects.filter(month=MONTH).delete()
        with bind_actor(SYSTEM):
            made["status"] = payments.pay(LG, MONTH)
            payments.save_transfer_file(LG, MONTH, out)

    def baseline():
        source = payments.source(MONTH)
        with bind_actor(SYSTEM), tenant_context(LG), connections["default"].cursor() as cursor:
            cursor.execute(
                f"SELECT count(*), sum(amount) FROM ({source.sql}) s WHERE amount > 0", source.params
            )
            made["baseline"] = cursor.fetchone()

    baseline()  # warm-up: the rows into the cache for both (not timed)
    baseline_seconds = min(timed(baseline) for _ in range(3))
    seconds = min(timed(ours) for _ in range(2))
    status = made["status"]
    assert (status.done, status.total) == tuple(made["baseline"]), (status, made["baseline"])
    assert out.stat().st_size == 122 * (status.done + 3)
    return [
        Result(
            f"児童手当の支払（{ctx.scale:,} 人の町、認定 {entitlements:,} 件、12月支払と全銀ファイル）",
            "人/s",
            ctx.scale / seconds,
            "生SQL（同じ SELECT の件数と合計を1文で）",
            ctx.scale / baseline_seconds,
            target="100万人 < 30秒",
            extra={
                "seconds": round(seconds, 3),
                "baseline_seconds": round(baseline_seconds, 3),
                "payments": status.done,
                "total_yen": status.total,
            },
        )
    ]
