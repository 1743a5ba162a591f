"""国保 資格 records: what the rules decide, written set-based; the clerk's 加入届 and 脱退届.

``Ledger`` is the one writer of 資格: the feed consumer, the age job and the clerk's services
load what 国保 knows of a page's persons and 世帯 (two queries), apply the rules' actions in
memory in event order, and ``flush`` everything in a few statements — the 資格 rows, members,
国保世帯 with their 擬制世帯主 and 記号・番号, the members' 枝番 (``numbers``), work items, the
events and one audit row — in the caller's transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from django.db import connections, transaction
from django.utils import timezone

from yakuba.health_insurance.codes import AcquiredReason, Change, LostReason, WorkKind, WorkStatus
from yakuba.health_insurance.events import ACQUIRED, LOST
from yakuba.health_insurance.models import KokuhoHousehold, Member, Qualification, WorkItem
from yakuba.health_insurance.rules import qualification as rules
from yakuba.health_insurance.services.numbers import branch_members, settle_households
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.linkage import outbox
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry

RESOURCE = "health_insurance.qualification"
PURPOSE = "国民健康保険の資格管理"


class QualificationRejected(ValueError):
    """A 届出 that cannot be recorded (the message is for the clerk)."""


@dataclass
class _State:
    setai_no: str
    insured: bool
    special_from: date | None = None
    special_until: date | None = None

    @property
    def special(self) -> bool:
        return self.special_from is not None and self.special_until is None


@dataclass
class Ledger:
    """What 国保 knows of some persons and 世帯, changed in memory and written by ``flush``."""

    purpose: str
    members: dict[str, _State] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)
    rows: list[Qualification] = field(default_factory=list)
    work: list[WorkItem] = field(default_factory=list)
    events: list[tuple[str, str, dict]] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    households: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, atena_nos: Iterable[str], setai_nos: Iterable[str], *, purpose: str = PURPOSE) -> Ledger:
        """The members among ``atena_nos`` and everyone 国保 has in ``setai_nos`` (one query), and
        those 世帯's heads (one more)."""
        setai = set(setai_nos)
        ledger = cls(purpose)
        rows = Member.objects.filter(atena_no__in=set(atena_nos)) | Member.objects.filter(setai_no__in=setai)
        for atena_no, setai_no, insured, start, until in rows.values_list(
            "atena_no", "setai_no", "insured", "special_from", "special_until"
        ):
            ledger.members[atena_no] = _State(setai_no, insured, start, until)
        ledger.heads = dict(
            KokuhoHousehold.objects.filter(setai_no__in=setai).values_list("setai_no", "head_atena_no")
        )
        return ledger

    def known(self, atena_no: str) -> rules.Known | None:
        state = self.members.get(atena_no)
        return rules.Known(state.setai_no, state.insured, state.special) if state else None

    def household_insured(self, setai_no: str, *, besides: str = "") -> bool:
        return any(s.insured and s.setai_no == setai_no and a != besides for a, s in self.members.items())

    def apply(self, actions: list[rules.Action], *, event_id=None, notified_on: date | None = None) -> None:
        now, actor = timezone.now(), current_actor().name
        for action in actions:
            match action:
                case rules.Acquire(atena_no, setai_no, on, reason):
                    state = self.members.get(atena_no) or _State(setai_no, False)
                    self.members[atena_no] = replace(state, setai_no=setai_no, insured=True)
                    self._row(
                        atena_no, setai_no, Change.ACQUIRED, on, reason, notified_on, event_id, now, actor
                    )
                    self.events.append(
                        (ACQUIRED, atena_no, _data(atena_no, setai_no, on, reason, notified_on))
                    )
                case rules.Lose(atena_no, on, reason):
                    state = self.members[atena_no]
                    state.insured = False
                    self._row(
                        atena_no, state.setai_no, Change.LOST, on, reason, notified_on, event_id, now, actor
                    )
                    self.events.append(
                        (LOST, atena_no, _data(atena_no, state.setai_no, on, reason, notified_on))
                    )
                case rules.Work(kind, atena_no, setai_no, due_on):
                    self.work.append(
                        WorkItem(
                            kind=kind,
                            atena_no=atena_no,
                            setai_no=setai_no,
                            due_on=due_on,
                            source_event=event_id,
                            created_at=now,
                        )
                    )
                case rules.Regroup(atena_no, setai_no):
                    self.members[atena_no].setai_no = setai_no
                    self.households.add(setai_no)
                case rules.Head(setai_no, atena_no):
                    self.heads[setai_no] = atena_no
                    self.households.add(setai_no)
                case rules.Special(atena_no, start, until):
                    state = self.members[atena_no]
                    state.special_from, state.special_until = start or state.special_from, until
            if not isinstance(action, (rules.Work, rules.Head)):
                self.touched.add(action.atena_no)

    def _row(self, atena_no, setai_no, change, on, reason, notified_on, event_id, now, actor) -> None:
        self.touched.add(atena_no)
        self.households.add(setai_no)
        self.rows.append(
            Qualification(
                atena_no=atena_no,
                setai_no=setai_no,
                change=change,
                effective_on=on,
                reason=reason,
                notified_on=notified_on,
                source_event=event_id,
                created_at=now,
                created_by=actor,
            )
        )

    def flush(self, detail: dict | None = None) -> int:
        """Write what changed (in the caller's transaction); the number of 資格 rows written."""
        lg_code = require_tenant().lg_code
        if self.rows:
            for row in self.rows:
                row.lg_code = lg_code
            Qualification.objects.bulk_create(self.rows)
        if self.touched:
            Member.objects.bulk_create(
                [
                    Member(
                        lg_code=lg_code,
                        atena_no=a,
                        setai_no=s.setai_no,
                        insured=s.insured,
                        special_from=s.special_from,
                        special_until=s.special_until,
                    )
                    for a, s in ((a, self.members[a]) for a in sorted(self.touched))
                ],
                update_conflicts=True,
                unique_fields=["lg_code", "atena_no"],
                update_fields=["setai_no", "insured", "special_from", "special_until", "updated_at"],
            )
        if self.work:
            for item in self.work:
                item.lg_code = lg_code
            WorkItem.objects.bulk_create(self.work, ignore_conflicts=True)
        self._households(lg_code)
        if self.touched:
            branch_members(self.touched)
        if self.events:
            outbox.emit_many(self.events)
        if self.rows or self.touched or self.work:
            record(
                Action.UPDATE,
                RESOURCE,
                subjects=sorted(self.touched | {w.atena_no for w in self.work}),
                purpose=self.purpose,
                detail={"changes": len(self.rows), "work_items": len(self.work), **(detail or {})},
            )
        return len(self.rows)

    def _households(self, lg_code: str) -> None:
        """The 国保世帯 of every 世帯 touched that has or had an insured member: its head from the
        events (or the registry's, in one read, for a 世帯 new to 国保), then 擬制世帯主 and the
        記号・番号 of those new to 国保, one UPDATE for them all (``numbers.settle_households``)."""
        wanted = {s for s in self.households if self.household_insured(s) or s in self.heads}
        if not wanted:
            return
        missing = {s for s in wanted if s not in self.heads}
        if missing:
            self.heads |= registry.heads_of(missing)
        KokuhoHousehold.objects.bulk_create(
            [
                KokuhoHousehold(lg_code=lg_code, setai_no=s, head_atena_no=self.heads.get(s, ""))
                for s in sorted(wanted)
            ],
            update_conflicts=True,
            unique_fields=["lg_code", "setai_no"],
            update_fields=["head_atena_no", "updated_at"],
        )
        settle_households(wanted)


def _data(atena_no: str, setai_no: str, on: date, reason: str, notified_on: date | None) -> dict:
    return {
        "atena_no": atena_no,
        "setai_no": setai_no,
        "date": on.isoformat(),
        "reason": reason,
        "notified_on": notified_on.isoformat() if notified_on else "",
    }


def _resident(atena_no: str):
    try:
        return registry.get_resident(atena_no)
    except registry.NotFound:
        raise QualificationRejected(f"宛名番号 {atena_no} の住民は見つかりません") from None


def enrol(atena_no: str, acquired_on: date, reason: str, notified_on: date) -> None:
    """The clerk records a 加入届 (国保法 §9: within 14 days; a late one does not move the date,
    the tax is charged back to the 取得月 — facts §2.2). Closes the person's open 加入届 work
    item. One transaction, audited, an ``acquired`` event. Call with the municipality's
    ``tenant_context`` and an actor bound."""
    if reason not in AcquiredReason.values:
        raise QualificationRejected(f"取得事由が不正です: {reason}")
    if notified_on < acquired_on and reason != AcquiredReason.BIRTH:
        raise QualificationRejected("届出日が取得日より前です")
    person = _resident(atena_no)
    if person.birth_date and acquired_on >= rules.seventy_fifth_birthday(person.birth_date):
        raise QualificationRejected(
            "75歳以上の方は後期高齢者医療の被保険者です（国民健康保険には加入できません）"
        )
    with transaction.atomic(using=require_tenant().alias):
        ledger = Ledger.load([atena_no], [person.setai_no])
        known = ledger.known(atena_no)
        if known is not None and known.insured:
            raise QualificationRejected(f"宛名番号 {atena_no} の方はすでに国民健康保険の被保険者です")
        ledger.apply([rules.Acquire(atena_no, person.setai_no, acquired_on, reason)], notified_on=notified_on)
        ledger.flush({"via": "加入届"})
        WorkItem.objects.filter(atena_no=atena_no, kind=WorkKind.ENROLMENT, status=WorkStatus.OPEN).update(
            status=WorkStatus.DONE
        )


def withdraw(atena_no: str, lost_on: date, reason: str, notified_on: date) -> None:
    """The clerk records a 脱退届 (社保加入: 喪失 on the day after joining 社保, facts §2.2 — the
    clerk gives that day; 生保開始: the same day). One transaction, audited, a ``lost`` event."""
    if reason not in LostReason.values:
        raise QualificationRejected(f"喪失事由が不正です: {reason}")
    with transaction.atomic(using=require_tenant().alias):
        ledger = Ledger.load([atena_no], [])
        known = ledger.known(atena_no)
        if known is None or not known.insured:
            raise QualificationRejected(f"宛名番号 {atena_no} の方は国民健康保険の被保険者ではありません")
        ledger.apply([rules.Lose(atena_no, lost_on, reason)], notified_on=notified_on)
        ledger.flush({"via": "脱退届"})


def correct(atena_no: str, row_id: int, reason: str) -> None:
    """The clerk voids a wrong 資格 row (a 取得 or 喪失 recorded in error) with a 訂正 row naming
    it: the history is never rewritten (models.py), ``insured_on`` skips the voided row, and the
    member's state is recomputed from what remains. One transaction, audited with the reason.
    Call with the municipality's ``tenant_context`` and an actor bound."""
    if not reason.strip():
        raise QualificationRejected("訂正の理由を入力してください")
    with transaction.atomic(using=require_tenant().alias):
        row = (
            Qualification.objects.select_for_update()
            .filter(id=row_id, atena_no=atena_no)
            .exclude(change=Change.CORRECTED)
            .first()
        )
        if row is None:
            raise QualificationRejected(f"宛名番号 {atena_no} の資格の記録 {row_id} はありません")
        if Qualification.objects.filter(corrects=row_id).exists():
            raise QualificationRejected(f"資格の記録 {row_id} はすでに訂正されています")
        Qualification.objects.create(
            lg_code=require_tenant().lg_code,
            atena_no=atena_no,
            setai_no=row.setai_no,
            change=Change.CORRECTED,
            effective_on=row.effective_on,
            reason=Change.CORRECTED.value,
            notified_on=timezone.localdate(),
            corrects=row.id,
            created_at=timezone.now(),
            created_by=current_actor().name,
        )
        voided = Qualification.objects.filter(corrects__isnull=False).values("corrects")
        last = (
            Qualification.objects.filter(atena_no=atena_no)
            .exclude(change=Change.CORRECTED)
            .exclude(id__in=voided)
            .order_by("-effective_on", "-id")
            .values_list("change", flat=True)
            .first()
        )
        Member.objects.filter(atena_no=atena_no).update(insured=last == Change.ACQUIRED)
        record(
            Action.UPDATE,
            RESOURCE,
            subjects=[atena_no],
            purpose=PURPOSE,
            detail={"corrects": row.id, "change": row.change, "reason": reason},
        )


@dataclass(frozen=True)
class WorkLine:
    id: int
    kind: str
    atena_no: str
    setai_no: str
    due_on: date
    status: str


def work_items(kind: str | None = None, status: str = WorkStatus.OPEN, *, limit: int = 100) -> list[WorkLine]:
    """Work items (加入届 pending, 75歳到達 — the 後期 app reads ``age_75``), oldest first."""
    rows = WorkItem.objects.filter(status=status).order_by("due_on", "id")
    if kind:
        rows = rows.filter(kind=kind)
    return [
        WorkLine(*r)
        for r in rows.values_list("id", "kind", "atena_no", "setai_no", "due_on", "status")[:limit]
    ]


def close_work_item(item_id: int, reason: str) -> WorkLine:
    """The clerk closes an open work item without a 届出: a 加入届 not due (社保加入済み等: the person
    is insured elsewhere — 国保法 §6), a 75歳到達 reviewed (後期 keeps its own 資格), a cancelled 異動
    checked. The item is kept (status 処理済み); the reason goes to the audit row. One transaction.
    Call with the municipality's ``tenant_context`` and an actor bound."""
    if not reason.strip():
        raise QualificationRejected("処理済みにする理由を入力してください")
    with transaction.atomic(using=require_tenant().alias):
        item = WorkItem.objects.select_for_update().filter(id=item_id, status=WorkStatus.OPEN).first()
        if item is None:
            raise QualificationRejected(f"作業 {item_id} はありません（すでに処理済みです）")
        item.status = WorkStatus.DONE
        item.save(update_fields=["status"])
        record(
            Action.UPDATE,
            RESOURCE,
            subjects=[item.atena_no],
            purpose=PURPOSE,
            detail={"work_item": item.id, "kind": item.kind, "closed": reason.strip()},
        )
    return WorkLine(item.id, item.kind, item.atena_no, item.setai_no, item.due_on, item.status)


def insured_on(day: date) -> set[str]:
    """宛名番号 of the 被保険者 on ``day``: whose last 資格 row on or before it is a 取得."""
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            "SELECT atena_no FROM (SELECT DISTINCT ON (atena_no) atena_no, change"
            " FROM health_insurance_qualification q WHERE effective_on <= %s AND change <> %s"
            " AND NOT EXISTS (SELECT 1 FROM health_insurance_qualification c WHERE c.corrects = q.id)"
            " ORDER BY atena_no, effective_on DESC, id DESC) q WHERE change = %s",
            [day, Change.CORRECTED, Change.ACQUIRED],
        )
        return {r[0] for r in cursor.fetchall()}


def checksum() -> str:
    """SHA-256 over every 資格 row, member, 国保世帯 and work item in key order — equal for two runs
    that recorded the same 資格 (the resume test compares them)."""
    digest = hashlib.sha256()
    with connections[require_tenant().alias].cursor() as cursor:
        for sql in (
            "SELECT atena_no, setai_no, change, effective_on, reason, notified_on, source_event"
            " FROM health_insurance_qualification ORDER BY atena_no, effective_on, id",
            "SELECT atena_no, setai_no, insured, special_from, special_until FROM health_insurance_member"
            " ORDER BY atena_no",
            "SELECT setai_no, head_atena_no, pseudo_head FROM health_insurance_household ORDER BY setai_no",
            "SELECT kind, atena_no, setai_no, due_on, status, source_event FROM health_insurance_work_item"
            " ORDER BY kind, atena_no, due_on",
        ):
            cursor.execute(sql)
            for row in cursor:
                digest.update(repr(row).encode())
    return digest.hexdigest()
