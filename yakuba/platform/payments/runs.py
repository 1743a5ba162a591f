"""支払 runs: any domain's payments of one 支払月 from one set-based SELECT of its own, written as
a resumable batch, and the 全銀 総合振込 file of a finished run.

A domain hands ``pay`` a ``Source``: a SELECT (with ``%s`` parameters) yielding, by name,

    reference            bigint   the domain's row paid (its 認定's id): unique, the page key
    payee_atena_no       text     who is paid
    amount               integer  the sum of the months (a row of 0 or less is not paid)
    months               jsonb    [["2026-10", 10000], ["2026-11", 15000]]: each month and its amount
    bank_code, branch_code, account_type, account_number, account_holder_kana   the 口座

The run reads it in keyset pages on ``reference`` (``reference > after ORDER BY reference
LIMIT n``, which PostgreSQL pushes into the domain's query) and writes each page with one
``INSERT … SELECT`` — no row passes through Python — together with its audit row and the run's
position, in one transaction (``platform.batch.run_pages``): a run killed anywhere resumes after
the last committed page and ends with the rows an uninterrupted run writes (``checksum``). One
run per (domain, 支払月): a finished run is returned as it is, so running it again pays nobody
twice.

The 支払日 is the municipality's day of the 支払月 (``Requester.pay_day``, 10 unless set), paid
earlier when the office is closed that day (``installments.open_on_or_before``).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import connections

from yakuba.platform import installments
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.batch import DONE, run_pages
from yakuba.platform.payments import zengin
from yakuba.platform.payments.models import DEFAULT_PAY_DAY, Payment, PaymentRun, Requester
from yakuba.platform.private_files import open_private
from yakuba.platform.tenancy.context import require_tenant, tenant_context

PAGE = 10_000
SOURCE_COLUMNS = (
    "reference",
    "payee_atena_no",
    "amount",
    "months",
    "bank_code",
    "branch_code",
    "account_type",
    "account_number",
    "account_holder_kana",
)
RESOURCE = "payments.payment"


class PaymentRejected(ValueError):
    """A 支払 that cannot be made or written as asked; the message says why, in Japanese."""


@dataclass(frozen=True)
class Source:
    """A domain's payments of a 支払月: ``sql`` yields ``SOURCE_COLUMNS`` by name (a literal ``%``
    written ``%%``), ``params`` fill its ``%s``. With ``keys`` — a SELECT of the ``reference`` of
    every row ``sql`` may yield, cheap (an index scan of the domain's table), ``key_params`` for
    its ``%s`` — each page is a range of keys read first, and ``sql`` is evaluated on that range
    only: a page costs its own rows whatever the plan PostgreSQL picks for ``sql``."""

    sql: str
    params: tuple = ()
    keys: str = ""
    key_params: tuple = ()


@dataclass(frozen=True)
class RunStatus:
    domain: str
    month: date
    pay_on: date
    state: str
    done: int
    total: int
    checksum: str


@dataclass
class _Page:
    """One page: where it starts; ``write`` sets where it ended and how many rows it walked (the
    rows exist only once written, by ``INSERT … SELECT``)."""

    after: int
    last: int
    walked: int = 0


def pay_day(month: date) -> date:
    """The 支払日 of the 支払月 ``month`` (any day of it): the municipality's day, or the last day
    before it the office is open."""
    requester = Requester.current()
    day = requester.pay_day if requester else DEFAULT_PAY_DAY
    last = calendar.monthrange(month.year, month.month)[1]
    return installments.open_on_or_before(month.replace(day=min(day, last)))


def _status(run: PaymentRun) -> RunStatus:
    return RunStatus(run.domain, run.month, run.pay_on, run.state, run.done, run.total, run.checksum)


_COLUMNS = ", ".join(SOURCE_COLUMNS)
_INSERT = f"INSERT INTO {Payment._meta.db_table} (lg_code, run_id, {_COLUMNS})"


def _insert_sql(source: Source) -> str:
    """One page as one statement: the next rows after the key, written; (rows walked, last key,
    rows written, their sum)."""
    picked = ", ".join(f"s.{c}" for c in SOURCE_COLUMNS)
    return (
        f"WITH page AS (SELECT {picked} FROM ({source.sql}) s WHERE s.reference > %s"
        " ORDER BY s.reference LIMIT %s),"
        f" kept AS ({_INSERT} SELECT %s, %s, {_COLUMNS} FROM page WHERE amount > 0 RETURNING amount)"
        " SELECT (SELECT count(*) FROM page), (SELECT max(reference) FROM page),"
        " (SELECT count(*) FROM kept), (SELECT coalesce(sum(amount), 0) FROM kept)"
    )


def _write_range(
    cursor, source: Source, page: _Page, size: int, lg_code: str, run_id: int
) -> tuple[int, int]:
    """A page of ``source.keys``: its range first (rows walked, last key), then the rows of
    ``source.sql`` inside it written; (rows written, their sum)."""
    cursor.execute(
        f"SELECT count(*), max(reference) FROM (SELECT k.reference FROM ({source.keys}) k"
        " WHERE k.reference > %s ORDER BY k.reference LIMIT %s) page",
        [*source.key_params, page.after, size],
    )
    page.walked, page.last = cursor.fetchone()
    if not page.walked:
        page.last = page.after
        return 0, 0
    cursor.execute(
        f"WITH kept AS ({_INSERT} SELECT %s, %s, {_COLUMNS} FROM ({source.sql}) s"
        " WHERE s.reference > %s AND s.reference <= %s AND s.amount > 0 RETURNING amount)"
        " SELECT count(*), coalesce(sum(amount), 0) FROM kept",
        [lg_code, run_id, *source.params, page.after, page.last],
    )
    return cursor.fetchone()


def _as_result(page: _Page) -> tuple[_Page]:
    return (page,)


def pay(
    lg_code: str,
    domain: str,
    month: date,
    source: Source,
    *,
    purpose: str,
    page_size: int = PAGE,
    progress: Callable[[int], None] | None = None,
) -> RunStatus:
    """Run (or resume) the 支払 of ``domain`` for the 支払月 ``month`` (the 1st) from ``source``;
    ``progress(n)`` after each page with the rows it walked. One audit row per page (``purpose``,
    the range, the count and the sum). Call with an audit actor bound. A finished run is
    returned unchanged."""
    month = month.replace(day=1)
    with tenant_context(lg_code):
        run, _created = PaymentRun.objects.get_or_create(
            domain=domain,
            month=month,
            defaults={"lg_code": lg_code, "pay_on": pay_day(month), "created_by": current_actor().name},
        )
    if run.state != DONE:
        sql = _insert_sql(source)

        def pages(after: int) -> Iterator[_Page]:
            while True:
                page = _Page(after, after)
                yield page
                if page.walked < page_size:
                    return
                after = page.last

        def write(run: PaymentRun, result: tuple[_Page]) -> int:
            (page,) = result
            with connections[require_tenant().alias].cursor() as cursor:
                if source.keys:
                    count, total = _write_range(cursor, source, page, page_size, lg_code, run.pk)
                else:
                    cursor.execute(sql, [*source.params, page.after, page_size, lg_code, run.pk])
                    page.walked, last, count, total = cursor.fetchone()
                    page.last = last if last is not None else page.after
            if page.walked:
                run.done += count
                run.total += total
                record(
                    Action.CREATE,
                    RESOURCE,
                    purpose=purpose,
                    detail={
                        "domain": domain,
                        "month": f"{month:%Y-%m}",
                        "after": page.after,
                        "through": page.last,
                        "count": count,
                        "total": total,
                    },
                )
            return page.walked

        run = run_pages(
            lg_code,
            run,
            position="last_reference",
            pages=pages(run.last_reference),
            calculate=_as_result,
            write=write,
            conflict=f"{month:%Y年%-m月}の支払は別の処理が進めています（やり直してください）",
            progress=progress,
        )
    if not run.checksum:
        with tenant_context(lg_code):
            run.checksum = _checksum(run)
            run.save(update_fields=["checksum"])
    return _status(run)


def _checksum(run: PaymentRun) -> str:
    """SHA-256 over every payment of the run in ``reference`` order — computed by PostgreSQL."""
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            "SELECT encode(sha256(convert_to(coalesce(string_agg(concat_ws('|', reference, payee_atena_no,"
            " amount, months::text, bank_code, branch_code, account_type, account_number, account_holder_kana),"
            f" E'\\n' ORDER BY reference), ''), 'UTF8')), 'hex') FROM {Payment._meta.db_table} WHERE run_id = %s",
            [run.pk],
        )
        return cursor.fetchone()[0]


def run_of(domain: str, month: date) -> RunStatus | None:
    """The run of the 支払月 (any day of it), or None."""
    run = PaymentRun.objects.filter(domain=domain, month=month.replace(day=1)).first()
    return _status(run) if run else None


@dataclass(frozen=True)
class Paid:
    """One payment of a run, as a notice prints it."""

    reference: int
    payee_atena_no: str
    amount: int
    months: list  # [["2026-10", 10000], …]
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    account_holder_kana: str


def paid_page(domain: str, month: date, *, after: int = 0, limit: int = PAGE) -> list[Paid]:
    """The next ``limit`` payments of the run of the 支払月 after ``reference`` ``after`` (keyset;
    one query). The caller records its own print or read."""
    rows = Payment.objects.filter(
        run__domain=domain, run__month=month.replace(day=1), reference__gt=after
    ).order_by("reference")
    fields = [f.name for f in Paid.__dataclass_fields__.values()]
    return [Paid(*row) for row in rows.values_list(*fields)[:limit]]


@dataclass(frozen=True)
class PaidTo:
    """One payment to a payee, as a 照会 screen lists it."""

    month: date  # 支払月
    pay_on: date
    amount: int
    months: list  # [["2026-10", 10000], …]
    reference: int


def paid_to(domain: str, atena_no: str) -> list[PaidTo]:
    """Every payment of ``domain`` to the payee, the latest 支払月 first — one query. The caller
    records its own read."""
    rows = (
        Payment.objects.filter(run__domain=domain, payee_atena_no=atena_no)
        .order_by("-run__month", "reference")
        .values_list("run__month", "run__pay_on", "amount", "months", "reference")
    )
    return [PaidTo(*row) for row in rows]


def requester() -> zengin.Requester:
    """The municipality's current 振込依頼人, or ``PaymentRejected`` saying how to set it."""
    found = Requester.current()
    if found is None:
        raise PaymentRejected(
            "振込依頼人が設定されていません（yakuba payments requester LG_CODE --code … で設定してください）"
        )
    return as_requester(found)


def as_requester(found: Requester) -> zengin.Requester:
    return zengin.Requester(
        code=found.requester_code,
        name=found.requester_name,
        bank_code=found.bank_code,
        branch_code=found.branch_code,
        account_type=found.account_type,
        account_number=found.account_number,
        bank_name=found.bank_name,
        branch_name=found.branch_name,
    )


def transfer_file(
    lg_code: str, domain: str, month: date, *, purpose: str, page_size: int = PAGE
) -> Iterator[bytes]:
    """The 全銀 総合振込 file of the finished run of the 支払月, record by record (each with its
    CRLF), read in keyset pages each in a transaction of its own with one audit row (an export of
    the payees' 口座). ``PaymentRejected`` before the first byte if there is no finished run or
    no 依頼人; ``zengin.ZenginError`` naming the payee whose 口座 or name the file cannot carry."""
    with tenant_context(lg_code):
        run = PaymentRun.objects.filter(domain=domain, month=month.replace(day=1)).first()
        if run is None or run.state != DONE:
            raise PaymentRejected(f"{month:%Y年%-m月}の支払が完了していません（先に支払を実行してください）")
        head = requester()
    return zengin.lines(head, run.pay_on, _transfers(lg_code, run, purpose, page_size))


def save_transfer_file(lg_code: str, domain: str, month: date, path: str | Path, *, purpose: str) -> int:
    """``transfer_file`` written to ``path``: as ``path.part``, readable by its owner only (the 口座 of
    every payee: ``platform.private_files``), renamed once whole — a refused name or a failed write
    leaves no file for the bank. Returns how many payments it carries."""
    target = Path(path)
    part = target.with_name(f"{target.name}.part")
    records = transfer_file(lg_code, domain, month, purpose=purpose)
    written = 0
    try:
        with open_private(part, encoding="cp932") as out:
            for record in records:
                out.buffer.write(record)
                written += 1
        part.replace(target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return written - 3  # header, trailer, end


def _transfers(lg_code: str, run: PaymentRun, purpose: str, page_size: int) -> Iterator[zengin.Transfer]:
    after = 0
    while True:
        with tenant_context(lg_code):
            page = paid_page(run.domain, run.month, after=after, limit=page_size)
            if not page:
                return
            record(
                Action.EXPORT,
                RESOURCE,
                purpose=purpose,
                subjects=sorted({p.payee_atena_no for p in page}),
                detail={
                    "domain": run.domain,
                    "month": f"{run.month:%Y-%m}",
                    "after": after,
                    "through": page[-1].reference,
                },
            )
        for paid in page:
            yield zengin.Transfer(
                payee=paid.payee_atena_no,
                bank_code=paid.bank_code,
                branch_code=paid.branch_code,
                account_type=paid.account_type,
                account_number=paid.account_number,
                name=paid.account_holder_kana,
                amount=paid.amount,
                customer_code=str(paid.reference) if paid.reference < 10**10 else "",
            )
        after = page[-1].reference
