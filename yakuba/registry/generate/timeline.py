"""Step 5 (history): addresses and the 異動 of a household over time.

A household arrives (転入, from elsewhere in Japan or from abroad) some years before the base
date, its younger members may be born here (出生), it may have moved within the municipality
(転居), and a few have a 転出 or a 転出予定. Rates and their sources: :mod:`.data` (住民基本台帳
人口移動報告, 人口動態統計; reference: population-facts §1.4). Every event is drawn from the
chunk's generator in a fixed order, so the same seed gives the same history.
"""

from __future__ import annotations

import math
import uuid
from datetime import date, timedelta

from yakuba.registry.generate import data
from yakuba.registry.generate.draws import by_age, office_time, years_before
from yakuba.registry.generate.objects import HEAD, Address, Event, Household, Person, Settings


def random_address(rng, settings: Settings) -> Address:
    town = rng.choices(settings.towns, cum_weights=settings.town_weights)[0]
    if town.kind == "urban":
        block = f"{rng.randint(1, 30)}番{rng.randint(1, 40)}号"
        chome = rng.choices((1, 2, 3, 4, 5), weights=(5, 4, 3, 2, 1))[0]
        town_name = f"{town.name}{data.KANJI_NUMBERS[chome]}丁目"
        extra_share = data.EXTRA_SHARE_URBAN
    else:
        n = rng.randint(1, 3999 if town.kind == "rural" else 2500)
        block = f"{n}番地" if rng.random() < 0.6 else f"{n}番地{rng.randint(1, 30)}"
        town_name = town.name
        extra_share = (
            data.EXTRA_SHARE_RURAL
            if town.kind == "rural"
            else (data.EXTRA_SHARE_URBAN + data.EXTRA_SHARE_RURAL) / 2
        )
    extra = ""
    if rng.random() < extra_share:
        word = (
            town.name[-2:]
            if rng.random() < 0.4
            else rng.choice(("桜", "栄", "若葉", "緑", "旭", "東", "中央", "青葉"))
        )
        name = f"{rng.choice(data.BUILDING_PREFIXES)}{word}{rng.choice(data.BUILDING_SUFFIXES)}"
        extra = f"{name}{rng.randint(1, 4)}0{rng.randint(1, 8)}"
    return Address(town.postal_code, town_name, block, extra)


def address_elsewhere(rng, settings: Settings) -> str:
    return f"{rng.choice(settings.other_addresses)}{rng.randint(1, 30)}番{rng.randint(1, 30)}号"


def _abroad(rng, household: Household) -> str:
    nationality = next((p.nationality for p in household.members if p.nationality), "")
    if nationality and rng.random() < 0.85:
        return data.COUNTRY_ADDRESS[nationality]
    return rng.choice(data.JAPANESE_ABROAD)


def notified_on(rng, move_date: date, as_of: date, lo: int = 0, hi: int = 14) -> date:
    """届出 date: within ``hi`` days of the move (14 for 転入/転居, 住民基本台帳法 §22–23, and for
    出生, 戸籍法 §49; 7 for 死亡, 戸籍法 §86), never after the base date."""
    return min(as_of, move_date + timedelta(days=rng.randint(lo, hi)))


def make_event(rng, kind, move_date, notified, persons, **extra) -> Event:
    return Event(
        kind=kind,
        move_date=move_date,
        notified=notified,
        processed_at=office_time(rng, notified),
        move_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        persons=persons,
        **extra,
    )


def move_in_event(
    rng,
    settings: Settings,
    household: Household,
    day: date,
    persons: list[Person],
    address: Address,
    *,
    abroad: bool,
) -> Event:
    """A 転入 of ``persons`` to ``address``: from the household's country or a country Japanese
    residents come back from, or from another municipality in Japan."""
    return make_event(
        rng,
        "move_in",
        day,
        notified_on(rng, day, settings.as_of),
        persons,
        address=address,
        origin="abroad" if abroad else "domestic",
        previous_address=_abroad(rng, household) if abroad else address_elsewhere(rng, settings),
    )


def birth_event(rng, settings: Settings, person: Person, address: Address | None) -> Event:
    """A 出生 registered at the household's address."""
    return make_event(
        rng, "birth", person.birth, notified_on(rng, person.birth, settings.as_of), [person], address=address
    )


def _arrival(rng, settings: Settings, household: Household, *, latest: date) -> date:
    head = household.head
    if household.members[0].foreign and head.status in data.STAY_DAYS:
        days = rng.randint(30, 1000)
    else:
        mean = data.FOREIGN_ARRIVAL_MEAN_YEARS if head.foreign else by_age(data.ARRIVAL_MEAN_YEARS, head.age)
        days = int(rng.expovariate(1 / (mean * 365.25)))
    days = min(days, 110 * 365)
    return max(date(1900, 1, 1), latest - timedelta(days=days))


def timeline(rng, settings: Settings, household: Household, *, end: date | None = None) -> None:
    """転入 (or 出生 for those born after it) and maybe a 転居 of a household, as its events; a
    転出 is added by :func:`move_out`."""
    as_of = settings.as_of
    latest = end or as_of
    arrival = _arrival(rng, settings, household, latest=latest - timedelta(days=30))
    address = random_address(rng, settings)
    foreign = any(p.foreign for p in household.members)
    abroad = rng.random() < (data.ABROAD_ORIGIN_FOREIGN if foreign else data.ABROAD_ORIGIN_JAPANESE)
    arrivers = [p for p in household.members if p.birth < arrival]
    events = []
    if arrivers:
        events.append(move_in_event(rng, settings, household, arrival, arrivers, address, abroad=abroad))
    for p in household.members:
        if p.birth >= arrival:
            events.append(birth_event(rng, settings, p, address))
    # A household moves as such only once it exists: after its adults came of age.
    adults = [p.birth for p in household.members if p.rel in (HEAD, "妻", "夫")]
    formed = max(arrival, years_before(max(adults), -20) if adults else arrival)
    years = (latest - formed).days / 365.25
    span = (latest - formed).days
    if span > 120 and rng.random() < 1 - math.exp(-data.MOVE_WITHIN_RATE * min(years, 30)):
        moved = formed + timedelta(days=rng.randint(60, span - 30))
        present = [p for p in household.members if p.birth <= moved]
        if present:
            events.append(
                make_event(
                    rng,
                    "move_within",
                    moved,
                    notified_on(rng, moved, as_of),
                    present,
                    address=random_address(rng, settings),
                )
            )
    household.events = events


def move_out(rng, settings: Settings, household: Household, day: date, *, planned: bool) -> None:
    """A 転出 of the whole household on ``day``; ``planned``: a 転出予定 notified before it."""
    foreign = any(p.foreign for p in household.members)
    abroad = rng.random() < (data.MOVE_OUT_ABROAD_FOREIGN if foreign else data.MOVE_OUT_ABROAD_JAPANESE)
    if planned:
        notified = settings.as_of - timedelta(days=rng.randint(0, 3))
    else:
        notified = day - timedelta(days=rng.randint(0, 14))
    notified = max(notified, max(e.move_date for e in household.events) if household.events else notified)
    household.events.append(
        make_event(
            rng,
            "move_out",
            day,
            notified,
            list(household.members),
            destination="abroad" if abroad else "domestic",
            destination_address=_abroad(rng, household) if abroad else address_elsewhere(rng, settings),
            planned=planned,
        )
    )
