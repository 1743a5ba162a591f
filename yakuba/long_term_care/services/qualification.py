"""介護保険 第1号被保険者 資格: the feed consumer and the daily 65歳到達 job.

On the platform's shared machinery, as 後期 (``linkage.qualification.ResidenceQualification``):
the registry's events decide 転入 and 転出・死亡; age is not a registry event, so 介護 asks the
registry each day whose 65歳 is reached that day (``registry.born_on``: born the day after, 65
years before — the day-before rule). A person is 第1号 whatever their 医療保険 (生活保護 too).
"""

from __future__ import annotations

from datetime import date

from yakuba.long_term_care.codes import AcquiredReason, Direction, SpecialChange
from yakuba.long_term_care.events import ACQUIRED, LOST
from yakuba.long_term_care.models import FeedPosition, Member, Qualification, SpecialAddress
from yakuba.long_term_care.rules import qualification as rules
from yakuba.platform.linkage.consumer import Followed
from yakuba.platform.linkage.qualification import Book, ResidenceQualification
from yakuba.registry import services as registry

PURPOSE = "介護保険の資格管理"


def kept_since(atena_nos: set[str]) -> dict[str, date]:
    """{宛名番号: 入所日} of the 住所地特例者 among ``atena_nos`` (their latest ``ours`` row is an
    適用): the consumer's 転出 of one of them on or after that day loses nothing (介護保険法 §13;
    ``rules.special_address``). One query."""
    latest = (
        SpecialAddress.objects.filter(atena_no__in=atena_nos, direction=Direction.OURS)
        .order_by("atena_no", "-id")
        .distinct("atena_no")
        .values_list("atena_no", "change", "admitted_on")
    )
    return {atena_no: on for atena_no, change, on in latest if change == SpecialChange.APPLIED}


BOOK = Book(Member, Qualification, ACQUIRED, LOST, "long_term_care.qualification", kept=kept_since)
# The registry's resident events, with the persons under 支援措置 (insured like anyone).
TYPES, SCOPES = ("jp.yakuba.registry.resident.",), frozenset({"registry:read", "registry:protected"})
KAIGO = ResidenceQualification(BOOK, rules.RULE, FeedPosition, purpose=PURPOSE, types=TYPES, scopes=SCOPES)
CONSUMER = KAIGO.consumer


def follow(lg_code: str, **options) -> Followed:
    """Handle the registry's events until caught up (``limit``, ``progress``, ``pages``)."""
    return KAIGO.follow(lg_code, **options)


def age_events(lg_code: str, day: date) -> int:
    """取得 on ``day`` for the residents who reach 65 that day — whose 65th birthday is the day
    after (run after ``follow``)."""
    return KAIGO.age_events(lg_code, day, registry.born_on)


def seed_insured(lg_code: str, day: date) -> int:
    """Everyone registered at the end of ``day`` who has reached 65 by then, enrolled on ``day``
    (事由 移行): a demo or test-town aid (not for a live municipality)."""
    return KAIGO.seed(lg_code, day, registry.inhabitants_page, reason=AcquiredReason.MIGRATION)


def insured_on(day: date) -> set[str]:
    """宛名番号 of the 第1号被保険者 on ``day`` (inside the municipality's ``tenant_context``)."""
    return BOOK.insured_on(day)


def checksum() -> str:
    return BOOK.checksum()
