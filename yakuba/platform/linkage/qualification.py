"""Individual 資格 records kept from the registry: the tables and the one writer 後期 and 介護 share.

後期高齢者医療 and 介護保険 第1号 insure persons one by one, by residence and age
(``residence``): a domain declares its tables by subclassing ``Insured`` and
``QualificationRecord`` (and ``consumer.FeedCursor``), its events, and a ``Book`` naming them —
the consumer's page handler, the daily age job, the clerk's 届出 and the reads are then the
same code for both. Persons are named by the registry's 宛名番号 only. The history is never
rewritten (a wrong row is answered by a later one, as in 国保). Every write goes through
``Ledger.flush``: the rows, the members, the events and one audit row in the caller's
transaction, a few statements however many persons (set-based).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.db import connections, models
from django.utils import timezone

from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.linkage import outbox
from yakuba.platform.linkage.consumer import Consumer, Followed
from yakuba.platform.linkage.residence import Acquire, Known, Lose, Rule, Step
from yakuba.platform.linkage.resident import ResidentChange, resident_change
from yakuba.platform.tenancy.context import require_tenant, tenant_context
from yakuba.platform.tenancy.models import TenantModel


class Change(models.TextChoices):
    ACQUIRED = "acquired", "取得"
    LOST = "lost", "喪失"


class Insured(TenantModel):
    """A person the domain knows of: insured now (the history says since when), and excluded —
    a status the clerk sets that keeps the registry from enrolling the person (後期: 生活保護)."""

    atena_no = models.CharField("宛名番号", max_length=15)
    insured = models.BooleanField("被保険者", default=False)
    excluded = models.BooleanField("適用除外", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "atena_no"], name="%(app_label)s_member_atena")
        ]


class QualificationRecord(TenantModel):
    """One 資格 history row: a 取得 or a 喪失 with its date, 事由, 届出日 and the registry event it
    came from (none for the age job and the clerk's 届出)."""

    atena_no = models.CharField("宛名番号", max_length=15)
    change = models.CharField("種別", max_length=10, choices=Change.choices)
    effective_on = models.DateField("取得日・喪失日")
    reason = models.CharField("事由", max_length=24)
    notified_on = models.DateField("届出日", null=True)
    source_event = models.UUIDField("元のイベント", null=True)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        abstract = True
        indexes = [
            models.Index(fields=["lg_code", "atena_no", "effective_on"], name="%(app_label)s_q_person")
        ]


@dataclass(frozen=True)
class Book:
    """A domain's individual 資格: its tables, its event types and its audit resource."""

    member: type[Insured]
    record: type[QualificationRecord]
    acquired: str
    lost: str
    resource: str
    # 住所地特例 (介護): {宛名番号: 入所日} of those among the persons asked whom the domain keeps
    # insured though they move out (one query); None for a domain without it.
    kept: Callable[[set[str]], dict[str, date]] | None = None

    def load(self, atena_nos: Iterable[str], *, purpose: str) -> Ledger:
        """What the domain knows of ``atena_nos`` (one query, two with ``kept``)."""
        ledger = Ledger(self, purpose)
        rows = self.member.objects.filter(atena_no__in=set(atena_nos))
        for atena_no, insured, excluded in rows.values_list("atena_no", "insured", "excluded"):
            ledger.members[atena_no] = Known(insured, excluded)
        if self.kept is not None and ledger.members:
            for atena_no, since in self.kept(set(ledger.members)).items():
                ledger.members[atena_no] = replace(ledger.members[atena_no], kept_from=since)
        return ledger

    def handler(
        self, decide: Callable[[ResidentChange, Known | None], list[Step]], *, purpose: str
    ) -> Callable[[list[dict], dict], int]:
        """The feed consumer's page handler: each event decided against what is known after the
        events before it in the page, all written by one flush."""

        def handle(events: list[dict], detail: dict) -> int:
            changes = [resident_change(e) for e in events]
            ledger = self.load([c.atena_no for c in changes], purpose=purpose)
            for change in changes:
                ledger.apply(decide(change, ledger.known(change.atena_no)), event_id=change.event_id)
            return ledger.flush(detail)

        return handle

    def reach_age(
        self,
        atena_nos: list[str],
        day: date,
        at_age: Callable[[str, date, Known | None], list[Step]],
        *,
        purpose: str,
    ) -> int:
        """The daily age job's write: ``at_age`` for the residents reaching the age on ``day`` (read
        by the domain through the registry's door); running it twice for a day changes nothing."""
        ledger = self.load(atena_nos, purpose=purpose)
        for atena_no in atena_nos:
            ledger.apply(at_age(atena_no, day, ledger.known(atena_no)))
        return ledger.flush({"date": day.isoformat()})

    def seed(
        self,
        lg_code: str,
        consumer: Consumer,
        page: Callable[[str], tuple[list, str]],
        day: date,
        *,
        reached: Callable[[date], date],
        reason: str,
        purpose: str,
    ) -> int:
        """The initial enrolment (a migration and demo aid, like 国保's ``seed_insured``): the
        consumer's cursor is taken first (docs/linkage.md, "Start from a 全件 file"), then each
        ``page(after)`` of the registry's persons (宛名番号, 生年月日) enrols on ``day`` those who
        have ``reached`` the age by then and are not known yet, one transaction a page."""
        consumer.start_at_head(lg_code)
        after, total = "", 0
        while True:
            with tenant_context(lg_code):
                people, after = page(after)
                if not after:
                    return total
                ledger = self.load([p.atena_no for p in people], purpose=purpose)
                ledger.apply(
                    [
                        Acquire(p.atena_no, day, reason)
                        for p in people
                        if p.birth_date and reached(p.birth_date) <= day and ledger.known(p.atena_no) is None
                    ]
                )
                total += ledger.flush({"seed": day.isoformat()})

    def insured_on(self, day: date) -> set[str]:
        """宛名番号 of the 被保険者 on ``day``: whose last 資格 row on or before it is a 取得."""
        with connections[require_tenant().alias].cursor() as cursor:
            cursor.execute(
                f"SELECT atena_no FROM (SELECT DISTINCT ON (atena_no) atena_no, change"  # noqa: S608 (table name)
                f" FROM {self.record._meta.db_table} WHERE effective_on <= %s"
                " ORDER BY atena_no, effective_on DESC, id DESC) q WHERE change = %s",
                [day, Change.ACQUIRED],
            )
            return {r[0] for r in cursor.fetchall()}

    def checksum(self) -> str:
        """SHA-256 over every 資格 row and member in key order — equal for two runs that recorded
        the same 資格 (the resume tests compare them)."""
        digest = hashlib.sha256()
        with connections[require_tenant().alias].cursor() as cursor:
            for sql in (
                "SELECT atena_no, change, effective_on, reason, notified_on, source_event"
                f" FROM {self.record._meta.db_table} ORDER BY atena_no, effective_on, id",
                f"SELECT atena_no, insured, excluded FROM {self.member._meta.db_table} ORDER BY atena_no",
            ):
                cursor.execute(sql)
                for row in cursor:
                    digest.update(repr(row).encode())
        return digest.hexdigest()


class ResidenceQualification:
    """A domain's 資格 by residence and age on the shared machinery: its ``Book``, its pure
    ``Rule`` and its feed consumer (a named internal client of the resident events). The registry
    is the domain's to call: it passes the door's functions (``born_on``, ``inhabitants_page``),
    the platform knowing no domain."""

    def __init__(
        self,
        book: Book,
        rule: Rule,
        position: type[models.Model],
        *,
        purpose: str,
        types: tuple[str, ...],
        scopes: frozenset[str],
    ):
        self.book, self.rule, self.purpose = book, rule, purpose
        handle = book.handler(rule.decide, purpose=f"{purpose}（住民記録の異動）")
        self.consumer = Consumer(book.resource, position, handle, types, scopes)

    def follow(self, lg_code: str, **options) -> Followed:
        """Handle the registry's events until caught up (``limit``, ``progress``, ``pages`` as
        ``Consumer.follow``). Call with an actor bound."""
        return self.consumer.follow(lg_code, **options)

    def age_events(self, lg_code: str, day: date, born_on: Callable) -> int:
        """取得 on ``day`` for the residents reaching the age that day, registered at its start
        (the end of the day before: ``born_on``, one query); the number of 資格 rows. Run after
        ``follow`` has caught up (a 転出 before the day is then known)."""
        purpose = f"{self.purpose}（{self.rule.age}歳到達）"
        with tenant_context(lg_code):
            people = born_on(self.rule.births_reaching_on(day), day=day - timedelta(days=1), purpose=purpose)
            return self.book.reach_age([p.atena_no for p in people], day, self.rule.at_age, purpose=purpose)

    def seed(
        self, lg_code: str, day: date, inhabitants_page: Callable, *, reason: str, page: int = 2000
    ) -> int:
        """Everyone registered at the end of ``day`` who has reached the age, enrolled on ``day``
        with ``reason`` (移行): a stand-in for the old system's records, for a demo or a test town."""
        purpose = f"{self.purpose}（初期登録）"
        return self.book.seed(
            lg_code,
            self.consumer,
            lambda after: inhabitants_page(day, after=after, limit=page, purpose=purpose),
            day,
            reached=self.rule.reached,
            reason=reason,
            purpose=purpose,
        )


@dataclass
class Ledger:
    """What the domain knows of some persons, changed in memory and written by ``flush``."""

    book: Book
    purpose: str
    members: dict[str, Known] = field(default_factory=dict)
    rows: list[QualificationRecord] = field(default_factory=list)
    events: list[tuple[str, str, dict]] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)

    def known(self, atena_no: str) -> Known | None:
        return self.members.get(atena_no)

    def exclude(self, atena_no: str, excluded: bool) -> None:
        state = self.members.get(atena_no) or Known(False)
        self.members[atena_no] = replace(state, excluded=excluded)
        self.touched.add(atena_no)

    def apply(self, steps: list[Step], *, event_id=None, notified_on: date | None = None) -> None:
        now, actor = timezone.now(), current_actor().name
        for step in steps:
            acquired = isinstance(step, Acquire)
            change, type_ = (
                (Change.ACQUIRED, self.book.acquired) if acquired else (Change.LOST, self.book.lost)
            )
            state = self.members.get(step.atena_no) or Known(False)
            self.members[step.atena_no] = replace(state, insured=acquired)
            self.touched.add(step.atena_no)
            self.rows.append(
                self.book.record(
                    atena_no=step.atena_no,
                    change=change,
                    effective_on=step.on,
                    reason=step.reason,
                    notified_on=notified_on,
                    source_event=event_id,
                    created_at=now,
                    created_by=actor,
                )
            )
            self.events.append(
                (
                    type_,
                    step.atena_no,
                    {
                        "atena_no": step.atena_no,
                        "date": step.on.isoformat(),
                        "reason": step.reason,
                        "notified_on": notified_on.isoformat() if notified_on else "",
                    },
                )
            )

    def flush(self, detail: dict | None = None) -> int:
        """Write what changed (in the caller's transaction); the number of 資格 rows written."""
        lg_code = require_tenant().lg_code
        if self.rows:
            for row in self.rows:
                row.lg_code = lg_code
            self.book.record.objects.bulk_create(self.rows)
        if self.touched:
            self.book.member.objects.bulk_create(
                [
                    self.book.member(lg_code=lg_code, atena_no=a, insured=k.insured, excluded=k.excluded)
                    for a, k in ((a, self.members[a]) for a in sorted(self.touched))
                ],
                update_conflicts=True,
                unique_fields=["lg_code", "atena_no"],
                update_fields=["insured", "excluded", "updated_at"],
            )
            if self.events:
                outbox.emit_many(self.events)
            record(
                Action.UPDATE,
                self.book.resource,
                subjects=sorted(self.touched),
                purpose=self.purpose,
                detail={"changes": len(self.rows), **(detail or {})},
            )
        return len(self.rows)


__all__ = [
    "Acquire",
    "Book",
    "Change",
    "Insured",
    "Known",
    "Ledger",
    "Lose",
    "QualificationRecord",
    "ResidenceQualification",
]
