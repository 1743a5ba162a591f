"""児童手当の支払: in each even month (2, 4, 6, 8, 10, 12) every 認定 is paid the months up to the
month before it (児童手当法 第8条第4項: 6 times a year, "それぞれの前月までの分"; insurance-welfare-facts
§6) — in the steady state the two months since the last 支払月 (12月 pays 10月 and 11月), and for a
認定 recorded after the run of its first months those months too, back to two years (第23条: the
right to a month lapses after two years). Each month is paid at the 月額 of the amount period
covering it, from the 支給開始月 to the 支給終了月 — an ended 認定 is still paid the months it was
owed. What earlier runs paid is read from them: a 認定 is paid from the month after the last month
an earlier run paid it.

One set-based SELECT over the 認定 and their amount periods (``source``) is handed to the
platform's 支払 run (``platform.payments.runs``: resumable pages, one run per 支払月, audited)
and the 全銀 総合振込 file is written from the run.

The 支払通知 is optional (facts §6: 鳥取市 stopped mailing it in December 2024): one per 受給者
(one envelope), each month paid with its 月額 — a 額改定 in between shows both — the 支払日 and
the 口座 (its number masked but for the last 3 digits). Printed in bulk for a print shop, a
受給者 under 支援措置 is left out and named to the operator: a clerk with the right prints it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yakuba.child_allowance.models import AmountPeriod, Entitlement
from yakuba.platform import pdf
from yakuba.platform.audit.log import Action, record
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.municipalities import lookup
from yakuba.platform.payments import runs
from yakuba.platform.payments.models import Payment, PaymentRun
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry

DOMAIN = "child_allowance"
PURPOSE = "児童手当の支払"
FILE_PURPOSE = "児童手当の支払（全銀ファイル）"
NOTICE_PURPOSE = "児童手当の支払通知（一括作成）"
NOTICE_RESOURCE = "child_allowance.payment_notice"
TITLE = "児童手当 支払通知書"
ACCOUNT_TYPES = {"1": "普通", "2": "当座", "4": "貯蓄"}
PAY_MONTHS = (2, 4, 6, 8, 10, 12)

_ENTITLEMENT = Entitlement._meta.db_table
_PERIOD = AmountPeriod._meta.db_table
_PAYMENT = Payment._meta.db_table
_RUN = PaymentRun._meta.db_table
LOOKBACK = 24  # months (第23条: 2年の時効)
# Each month from the first not yet paid (by an earlier run of this domain) to the month before the
# 支払月, at the 月額 of the period covering it, if the 認定 pays that month.
SQL = f"""
SELECT e.id AS reference, e.claimant_atena_no AS payee_atena_no,
       sum(p.monthly_total)::integer AS amount,
       jsonb_agg(jsonb_build_array(to_char(m.month, 'YYYY-MM'), p.monthly_total) ORDER BY m.month) AS months,
       e.bank_code, e.branch_code, e.account_type, e.account_number, e.account_holder_kana
  FROM {_ENTITLEMENT} e
 CROSS JOIN LATERAL (
       SELECT max(pp.months -> -1 ->> 0) AS through
         FROM {_PAYMENT} pp JOIN {_RUN} r ON r.id = pp.run_id
        WHERE pp.reference = e.id AND r.domain = %s AND r.month < %s AND r.month >= %s) AS paid
 CROSS JOIN LATERAL generate_series(
       greatest(e.first_month, %s::date, to_date(paid.through, 'YYYY-MM') + interval '1 month'),
       least(e.last_month, %s::date),
       interval '1 month') AS m (month)
  JOIN {_PERIOD} p
    ON p.entitlement_id = e.id AND p.from_month <= m.month AND (p.until_month IS NULL OR p.until_month >= m.month)
 WHERE e.first_month <= %s AND (e.last_month IS NULL OR e.last_month >= %s)
 GROUP BY e.id
"""

# The 認定 a run walks, in pages of their ids: an index scan (the platform's pages are key ranges).
KEYS = f"""
SELECT id AS reference FROM {_ENTITLEMENT} WHERE first_month <= %s AND (last_month IS NULL OR last_month >= %s)
"""


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_payable(month: date) -> tuple[date, date]:
    """(the earliest month the 支払月 ``month`` may pay, the last: the month before it), the 1st of
    each, or ``PaymentRejected`` for an odd month: 児童手当 is paid only in even months."""
    if month.month not in PAY_MONTHS:
        raise runs.PaymentRejected(
            f"児童手当の支払月は偶数月（2・4・6・8・10・12月）です: {month.year}年{month.month}月"
        )
    month = month.replace(day=1)
    return _shift(month, -LOOKBACK), _shift(month, -1)


def source(month: date) -> runs.Source:
    """The 支払 of the 支払月 as the SELECT the platform's run pages through."""
    earliest, last = months_payable(month)
    return runs.Source(
        SQL,
        (DOMAIN, month.replace(day=1), earliest, earliest, last, last, earliest),
        keys=KEYS,
        key_params=(last, earliest),
    )


def pay(
    lg_code: str, month: date, *, progress: Callable[[int], None] | None = None, **options
) -> runs.RunStatus:
    """Run (or resume) the 支払 of the even 支払月 ``month``; a finished one is returned as it is."""
    return runs.pay(lg_code, DOMAIN, month, source(month), purpose=PURPOSE, progress=progress, **options)


def to_walk(month: date) -> int:
    """How many 認定 the run of the 支払月 walks at most (its progress bar)."""
    earliest, last = months_payable(month)
    return Entitlement.objects.filter(first_month__lte=last).exclude(last_month__lt=earliest).count()


def paid_to(atena_no: str) -> list[runs.PaidTo]:
    """The 受給者's 児童手当 payments, the latest first (a 照会 screen's 支払 history)."""
    return runs.paid_to(DOMAIN, atena_no)


def save_transfer_file(lg_code: str, month: date, path) -> int:
    """The 全銀 総合振込 file of the finished 支払 of the 支払月 written to ``path``
    (``runs.save_transfer_file``); how many payments it carries."""
    months_payable(month)
    return runs.save_transfer_file(lg_code, DOMAIN, month, path, purpose=FILE_PURPOSE)


@dataclass(frozen=True)
class Notice:
    atena_no: str
    payee: registry.ResidentRecord
    months: list[tuple[str, int]]  # (令和8年10月分, 月額)
    amount: int
    account: str  # 金融機関 0001 支店 001 普通 ****567

    @property
    def filename(self) -> str:
        return f"{TITLE}-{self.atena_no}.pdf"


@dataclass(frozen=True)
class NoticePage:
    """One page of the batch (``platform.print_batch``): its notices, the 受給者 left out
    (支援措置), the heading and the key the next page starts after (0 at the end)."""

    documents: list[Notice]
    withheld: list[str]
    heading: dict
    last: int


def _month_label(month: str) -> str:
    return format_wareki(date.fromisoformat(f"{month}-01")).rsplit("1日", 1)[0] + "分"


def _notice(paid: runs.Paid, payee: registry.ResidentRecord) -> Notice:
    kind = ACCOUNT_TYPES.get(paid.account_type, paid.account_type)
    return Notice(
        atena_no=paid.payee_atena_no,
        payee=payee,
        months=[(_month_label(m), a) for m, a in paid.months],
        amount=paid.amount,
        account=f"金融機関 {paid.bank_code} 支店 {paid.branch_code} {kind} ****{paid.account_number[-3:]}",
    )


def notices_page(month: date, *, after: int = 0, limit: int = runs.PAGE) -> NoticePage:
    """The 支払通知 of the next ``limit`` payments of the 支払月 after ``after`` — four queries
    whatever ``limit`` (the payments, 支援措置, 住民, 除票), one audit row naming the range."""
    status = runs.run_of(DOMAIN, month)
    page = runs.paid_page(DOMAIN, month, after=after, limit=limit)
    if status is None or not page:
        return NoticePage([], [], {}, 0)
    payees = {p.payee_atena_no for p in page}
    records = registry.residents_of(payees)  # the protected are left out
    notices = [_notice(p, records[p.payee_atena_no]) for p in page if p.payee_atena_no in records]
    withheld = sorted(payees - records.keys())
    record(
        Action.PRINT,
        NOTICE_RESOURCE,
        purpose=NOTICE_PURPOSE,
        subjects=sorted(n.atena_no for n in notices),
        detail={
            "month": f"{month:%Y-%m}",
            "after": after,
            "through": page[-1].reference,
            "withheld": withheld,
        },
    )
    municipality = lookup(require_tenant().lg_code)
    heading = {
        "municipality": municipality.full_name,
        "mayor": f"{municipality.name}長",
        "issued_on": format_wareki(timezone.localdate()),
        "pay_month": format_wareki(status.month).rsplit("1日", 1)[0],
        "pay_on": format_wareki(status.pay_on),
    }
    return NoticePage(notices, withheld, heading, page[-1].reference)


def render(notice: Notice, heading: dict) -> bytes:
    """The PDF of one notice (no database: the batch renders outside its transaction)."""
    return pdf.render(
        "child_allowance/pdf/payment_notice.html",
        {**heading, "title": TITLE, "notice": notice},
        stylesheets=(pdf.NOTICE_CSS,),
    )
