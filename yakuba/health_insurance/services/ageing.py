"""The daily age job and the initial enrolment (a migration and demo aid).

Age is not a registry event: nothing is filed on a 75th birthday, so 国保 asks the registry each
day who turns 75 (``registry.born_on``, one query) and applies ``rules.at_75``: 喪失 on the
birthday, a 75歳到達 work item for 後期, 特定同一世帯所属者. Reaching 40 and 65 changes the 介護分
of the premium (the engine counts its months from the 生年月日, rules/months.py), not 資格: the
job records nothing for them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from yakuba.health_insurance.codes import AcquiredReason
from yakuba.health_insurance.rules import qualification as rules
from yakuba.health_insurance.services.follow import CONSUMER
from yakuba.health_insurance.services.qualification import Ledger
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry

PURPOSE_AGE = "国民健康保険の資格管理（75歳到達）"
PURPOSE_SEED = "国民健康保険の資格管理（初期登録）"
SEED_PAGE = 2000


def age_events(lg_code: str, day: date) -> int:
    """Apply the 75th birthdays of ``day`` (persons registered at its start, i.e. at the end of
    the day before); the number of 被保険者 who left for 後期. Run after ``follow`` has caught up
    (a 転出 before the birthday is then known); running it twice for a day changes nothing."""
    with tenant_context(lg_code):
        people = registry.born_on(
            rules.birth_dates_turning_75_on(day), day=day - timedelta(days=1), purpose=PURPOSE_AGE
        )
        ledger = Ledger.load([p.atena_no for p in people], [p.setai_no for p in people], purpose=PURPOSE_AGE)
        for person in people:
            known = ledger.known(person.atena_no)
            setai_no = known.setai_no if known else person.setai_no
            ledger.apply(
                rules.at_75(
                    person.atena_no,
                    setai_no,
                    day,
                    insured=bool(known and known.insured),
                    others_insured=ledger.household_insured(setai_no, besides=person.atena_no),
                )
            )
        return ledger.flush({"date": day.isoformat()})


def seed_insured(lg_code: str, day: date, *, progress: Callable[[int], None] | None = None) -> int:
    """Enrol everyone registered at the end of ``day`` and under 75 then, acquired on ``day``
    (事由 移行) — a stand-in for the 国保 records a migration brings from the old system, for a
    demo or a test town. The feed's cursor is taken first (docs/linkage.md, "Start from a 全件
    file"), so following it afterwards misses nothing. Not for a municipality with 国保 records."""
    CONSUMER.start_at_head(lg_code)
    after, total = "", 0
    while True:
        with tenant_context(lg_code):
            people, after = registry.inhabitants_page(day, after=after, limit=SEED_PAGE, purpose=PURPOSE_SEED)
            if not after:
                return total
            young = [p for p in people if p.birth_date and day < rules.seventy_fifth_birthday(p.birth_date)]
            ledger = Ledger.load([p.atena_no for p in young], [], purpose=PURPOSE_SEED)
            ledger.apply(
                [
                    rules.Acquire(p.atena_no, p.setai_no, day, AcquiredReason.MIGRATION)
                    for p in young
                    if ledger.known(p.atena_no) is None
                ]
            )
            total += ledger.flush({"date": day.isoformat()})
        if progress is not None:
            progress(len(people))
