"""後期高齢者医療 資格: the feed consumer, the daily 75歳到達 job and the clerk's 届出.

All on the platform's shared machinery (``linkage.consumer``: one transaction per page with the
cursor; ``linkage.qualification``: the one writer, set-based, audited, with the events). Age is
not a registry event: nothing is filed on a 75th birthday, so 後期 asks the registry each day who
turns 75 (``registry.born_on``, the door 国保 uses) — never 国保's 75歳到達 work items: a domain
does not read another's tables, and a person not in 国保 (社保 until 75) turns 75 too.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from yakuba.late_elderly_medical.codes import AcquiredReason, LostReason
from yakuba.late_elderly_medical.events import ACQUIRED, LOST
from yakuba.late_elderly_medical.models import FeedPosition, Member, Qualification
from yakuba.late_elderly_medical.rules import qualification as rules
from yakuba.platform.linkage.consumer import Followed
from yakuba.platform.linkage.qualification import Acquire, Book, Lose, ResidenceQualification
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry

PURPOSE = "後期高齢者医療の資格管理"

BOOK = Book(Member, Qualification, ACQUIRED, LOST, "late_elderly_medical.qualification")
# The registry's resident events, with the persons under 支援措置 (insured like anyone).
TYPES, SCOPES = ("jp.yakuba.registry.resident.",), frozenset({"registry:read", "registry:protected"})
KOUKI = ResidenceQualification(BOOK, rules.RULE, FeedPosition, purpose=PURPOSE, types=TYPES, scopes=SCOPES)
CONSUMER = KOUKI.consumer


class QualificationRejected(ValueError):
    """A 届出 that cannot be recorded (the message is for the clerk)."""


def follow(lg_code: str, **options) -> Followed:
    """Handle the registry's events until caught up (``limit``, ``progress``, ``pages``)."""
    return KOUKI.follow(lg_code, **options)


def age_events(lg_code: str, day: date) -> int:
    """取得 on ``day`` for the residents whose 75th birthday it is (run after ``follow``)."""
    return KOUKI.age_events(lg_code, day, registry.born_on)


def seed_insured(lg_code: str, day: date) -> int:
    """Everyone registered at the end of ``day`` and 75 or over then, enrolled on ``day`` (事由 移行):
    a stand-in for the 広域連合's records, for a demo or a test town (not for a live municipality)."""
    return KOUKI.seed(lg_code, day, registry.inhabitants_page, reason=AcquiredReason.MIGRATION)


def _person(atena_no: str):
    try:
        return registry.get_resident(atena_no)
    except registry.NotFound:
        raise QualificationRejected(f"宛名番号 {atena_no} の住民は見つかりません") from None


def enrol(
    atena_no: str, acquired_on: date, notified_on: date, *, reason: str = AcquiredReason.DISABILITY
) -> None:
    """The clerk records a 取得 the registry cannot tell: a 障害認定 by the 広域連合 (65–74, from
    the 認定日; facts §3.1) or the end of 生活保護 (``set_welfare``). One transaction, audited, an
    ``acquired`` event. Call with the municipality's ``tenant_context`` and an actor bound."""
    if reason not in (AcquiredReason.DISABILITY, AcquiredReason.WELFARE_ENDED):
        raise QualificationRejected(f"取得事由が不正です: {reason}")
    person = _person(atena_no)
    if person.birth_date is None:
        raise QualificationRejected("生年月日が不詳のため年齢を確認できません")
    if reason == AcquiredReason.DISABILITY and not (
        rules.disability_from(person.birth_date) <= acquired_on < rules.qualifying_day(person.birth_date)
    ):
        raise QualificationRejected("障害認定による加入は65歳以上75歳未満の方に限られます")
    with transaction.atomic(using=require_tenant().alias):
        ledger = BOOK.load([atena_no], purpose=PURPOSE)
        known = ledger.known(atena_no)
        if known is not None and known.insured:
            raise QualificationRejected(f"宛名番号 {atena_no} の方はすでに後期高齢者医療の被保険者です")
        if known is not None and known.excluded:
            raise QualificationRejected("生活保護を受給中の方は後期高齢者医療の適用除外です")
        ledger.apply([Acquire(atena_no, acquired_on, reason)], notified_on=notified_on)
        ledger.flush({"via": "届出"})


def set_welfare(atena_no: str, on: date, *, receiving: bool, notified_on: date) -> None:
    """The clerk records that 生活保護 starts or ends (高確法 §51: 受給者 are not insured): 開始 →
    喪失 on that day for a 被保険者 (facts §10.5: 生保 is the same day), and no event enrols the
    person while it lasts; 廃止 → 取得 on that day for a person 75 or over. One transaction,
    audited. Call with the municipality's ``tenant_context`` and an actor bound."""
    person = _person(atena_no)
    with transaction.atomic(using=require_tenant().alias):
        ledger = BOOK.load([atena_no], purpose=PURPOSE)
        known = ledger.known(atena_no)
        ledger.exclude(atena_no, receiving)
        insured = bool(known and known.insured)
        if receiving and insured:
            ledger.apply([Lose(atena_no, on, LostReason.WELFARE_STARTED)], notified_on=notified_on)
        of_age = person.birth_date is not None and rules.qualifying_day(person.birth_date) <= on
        if not receiving and not insured and of_age:
            ledger.apply([Acquire(atena_no, on, AcquiredReason.WELFARE_ENDED)], notified_on=notified_on)
        ledger.flush({"via": "生活保護", "receiving": receiving})


def insured_on(day: date) -> set[str]:
    """宛名番号 of the 後期 被保険者 on ``day`` (inside the municipality's ``tenant_context``)."""
    return BOOK.insured_on(day)


def checksum() -> str:
    return BOOK.checksum()
