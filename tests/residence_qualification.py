"""Shared tests of the 資格 consumers by residence and age (後期, 介護 第1号 — linkage.qualification):
each domain's test module defines a ``domain`` fixture (a ``Domain``) and imports the ``test_*``
functions below, so the same checks run against both without a copy.

- a killed consumer resumes to the same checksum (the page's transaction rolls back whole);
- a page costs the same queries whatever its size (set-based);
- a short replay on a generated town: the feed and the daily age job, run day by day, give the
  persons crossing the age their 資格 on the right day with the right 事由, and the insured on
  several days are the registry's residents who had reached the age — computed here from the
  registry's own reads, not from the domain's tables.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from types import ModuleType

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.registry.conftest import days_ago, move_body, person
from yakuba.platform.linkage import qualification
from yakuba.platform.linkage.qualification import ResidenceQualification
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry
from yakuba.registry.generate import generate_population

__all__ = [
    "Domain",
    "born_aged",
    "test_a_killed_consumer_resumes_to_the_same_state",
    "test_a_page_costs_the_same_queries_whatever_its_size",
    "test_a_year_on_a_generated_town_gives_the_registry_derived_insured",
]


@dataclass(frozen=True)
class Domain:
    services: ModuleType  # the domain's door: follow, age_events, seed_insured, insured_on, checksum
    machinery: ResidenceQualification
    codes: ModuleType  # AcquiredReason, LostReason

    @property
    def age(self) -> int:
        return self.machinery.rule.age

    def reached(self, born: date) -> date:
        return self.machinery.rule.reached(born)

    def rows(self) -> list[tuple]:
        with tenant_context(AIZU):
            return list(
                self.machinery.book.record.objects.order_by("id").values_list(
                    "atena_no", "change", "effective_on", "reason"
                )
            )


def born_aged(age: int, days: int = 0) -> str:
    """A 生年月日 ``age`` years and ``days`` days before today (roughly: whole years of 365 days
    would drift; the replay and the unit tests compute exact days through the rule)."""
    today = date.fromisoformat(days_ago(0))
    return (today.replace(year=today.year - age) - timedelta(days=days)).isoformat()


def town(registry, ages: tuple[int, ...]) -> None:  # noqa: F811
    """Six 世帯 of two moved in 60 days ago, the older members of ``ages`` (about the domain's age),
    then in each a newborn (nothing for these domains) and the partner leaving — by death in
    odd 世帯, by 転出 in even ones: about 30 events, some with a 資格 change."""
    leave = {
        "death": {},
        "move_out": {"destination": "domestic", "destination_address": "東京都千代田区千代田1番1号"},
    }
    for i, kana in enumerate("サシスセソタ"):
        head_age, partner_age = ages[i % len(ages)], ages[(i + 1) % len(ages)]
        moved = registry.move_in(
            person(f"高齢 {i}", f"コウレイ {kana}", born_aged(head_age, 10), 1),
            person(f"高齢 配偶者{i}", f"コウレイ ハイグウシャ{kana}", born_aged(partner_age, 40), 2, "妻"),
            move_date=days_ago(60),
        )
        setai_no, partner = moved["setai_no"], moved["persons"][1]["atena_no"]
        baby = person(f"高齢 孫{i}", f"コウレイ マゴ{kana}", days_ago(20), 1, "子の子", previous_address="")
        registry.move(move_body("birth", [baby], household={"setai_no": setai_no}, move_date=days_ago(20)))
        kind = ("move_out", "death")[i % 2]
        registry.move(move_body(kind, [{"atena_no": partner}], move_date=days_ago(9), **leave[kind]))


def _reset(domain: Domain) -> None:
    with tenant_context(AIZU):
        domain.machinery.book.record.objects.all().delete()
        domain.machinery.book.member.objects.all().delete()
        domain.machinery.consumer.position.objects.update(cursor="", events=0)


def test_a_killed_consumer_resumes_to_the_same_state(domain, registry, system_actor, monkeypatch):  # noqa: F811
    town(registry, (domain.age + 15, domain.age - 30, domain.age + 1))
    domain.services.follow(AIZU, limit=4)
    with tenant_context(AIZU):
        uninterrupted = domain.services.checksum()
    assert any(r[3] == domain.codes.LostReason.DEATH for r in domain.rows())
    assert any(r[3] == domain.codes.LostReason.MOVE_OUT for r in domain.rows())
    _reset(domain)
    flushes, real = [], qualification.Ledger.flush

    class Killed(Exception):
        pass

    def dying(self, detail=None):
        flushes.append(1)
        if len(flushes) == 3:  # killed inside the third page's transaction
            raise Killed
        return real(self, detail)

    monkeypatch.setattr(qualification.Ledger, "flush", dying)
    with pytest.raises(Killed):
        domain.services.follow(AIZU, limit=4)
    monkeypatch.setattr(qualification.Ledger, "flush", real)
    with tenant_context(AIZU):
        assert domain.machinery.consumer.position.objects.get().events == 8  # two pages committed
    domain.services.follow(AIZU, limit=4)
    with tenant_context(AIZU):
        assert domain.services.checksum() == uninterrupted


def test_a_page_costs_the_same_queries_whatever_its_size(domain, registry, system_actor):  # noqa: F811
    town(registry, (domain.age + 15, domain.age + 2))
    domain.machinery.consumer.row(AIZU)  # the cursor's row exists (its first run creates it)
    with CaptureQueriesContext(connections["default"]) as small:
        domain.services.follow(AIZU, limit=6, pages=1)
    _reset(domain)
    with CaptureQueriesContext(connections["default"]) as large:
        domain.services.follow(AIZU, limit=24, pages=1)
    assert len(large) == len(small) <= 25  # as 国保: the page itself is a dozen statements


D0 = date(2025, 1, 1)
DAYS = 365
PURPOSE = "テスト（資格の検証）"
SEE_ALL = registry.Visibility(protected=True)
NOTIFIER = {"kind": "self", "identity_document": "my_number_card"}
ELSEWHERE = "東京都千代田区千代田1番1号"


def _residents(day: date) -> dict[str, registry.Inhabitant]:
    with tenant_context(AIZU), registry.inhabitants_on(day, purpose=PURPOSE) as people:
        return {p.atena_no: p for p in people}


def _file(body: dict, day: date) -> list[str]:
    with tenant_context(AIZU):
        result = registry.apply_move({**body, "move_date": day.isoformat()}, today=day, visibility=SEE_ALL)
    return [a for a, _ in result.persons]


def test_a_year_on_a_generated_town_gives_the_registry_derived_insured(domain, aizu, system_actor):
    """One seed, a year: the age job each day, a 異動 on some days (転入 of persons around the age,
    deaths and 転出 of the oldest), the consumer after it."""
    rng = random.Random(7)
    with tenant_context(AIZU):
        generate_population(200, seed=7, as_of=D0)
    domain.services.seed_insured(AIZU, D0)
    with tenant_context(AIZU):  # the generator's 転出予定 after D0 have no feed event: left out
        planned = {
            a
            for a in _residents(D0)
            if (registry.get_resident(a, visibility=SEE_ALL).planned_move_out_on or D0) > D0
        }
    births = {a: p.birth_date for a, p in _residents(D0).items()}
    counter = 0
    for n in range(1, DAYS + 1):
        day = D0 + timedelta(days=n)
        domain.services.age_events(AIZU, day)
        if n % 5:
            continue
        before = [p for a, p in _residents(day - timedelta(days=1)).items() if a not in planned]
        kind = rng.choice(("move_in", "move_in", "death", "move_out"))
        if kind == "move_in":
            counter += 1
            born = day - timedelta(days=365 * domain.age + rng.randrange(-60, 60))
            body = person(
                f"検証 {counter}", f"ケンショウ {'アイウエオカキクケコ'[counter % 10]}", born.isoformat(), 1
            )
            address = {"postal_code": "9650871", "town_area": "栄町", "block": f"{counter}番1号"}
            (atena_no,) = _file(
                {
                    "kind": "move_in",
                    "origin": "domestic",
                    "household": {"address": address},
                    "persons": [body],
                    "notifier": NOTIFIER,
                    "notified_date": day.isoformat(),
                },
                day,
            )
            births[atena_no] = born
        else:
            alone = [
                p
                for p in before
                if p.relationship == "世帯主" and sum(q.setai_no == p.setai_no for q in before) == 1
            ]
            who = rng.choice(sorted(alone, key=lambda p: (p.birth_date or D0, p.atena_no))[:20])
            extra = {"destination": "domestic", "destination_address": ELSEWHERE, "notifier": NOTIFIER}
            _file(
                {
                    "kind": kind,
                    "persons": [{"atena_no": who.atena_no}],
                    **(extra if kind == "move_out" else {}),
                },
                day,
            )
        domain.services.follow(AIZU)

    rows = [r for r in domain.rows() if r[0] not in planned]
    # 年齢到達: every resident whose day falls in the year, on that day, with the age 事由
    aged = {(a, on) for a, change, on, reason in rows if reason == domain.codes.AcquiredReason.AGE}
    expected = set()
    for a, born in births.items():
        if a in planned or born is None:
            continue
        day = domain.reached(born)
        if D0 < day <= D0 + timedelta(days=DAYS) and a in _residents(day - timedelta(days=1)):
            expected.add((a, day))
    assert aged == expected and aged, (aged - expected, expected - aged)
    moved_in = [(a, on) for a, change, on, reason in rows if reason == domain.codes.AcquiredReason.MOVE_IN]
    assert moved_in and all(domain.reached(births[a]) <= on for a, on in moved_in)
    # the insured on a day: the residents there (at the end of the day before or of the day) who
    # had reached the age by then
    for day in [D0 + timedelta(days=n) for n in range(1, DAYS + 1, 61)]:
        with tenant_context(AIZU):
            insured = domain.services.insured_on(day) - planned
        there = (set(_residents(day - timedelta(days=1))) | set(_residents(day))) - planned
        assert insured == {a for a in there if births.get(a) and domain.reached(births[a]) <= day}, day
