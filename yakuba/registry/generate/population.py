"""A synthetic population as plain Python objects: persons, households and what happened to them.

No database here: :func:`build_chunk` turns (settings, chunk number, size) into households whose
members carry every 住民票 item, and a timeline of 異動 per household (転入, 出生, 転居, 死亡,
転出, 転出予定). :mod:`.writer` turns that into rows. Everything is drawn from one
``random.Random`` per chunk, seeded from the seed and the chunk number, so a chunk is the same
whatever the other chunks are — and the same seed gives the same town.

How a chunk is built (the age/sex structure is fixed first, households are then formed from it,
so the age table holds exactly while the household mix is approximate; the figures and their
sources are in :mod:`.data`, reference: docs/reference/population-facts.md):

1. ``size`` current residents get an (age, sex) by largest-remainder allocation of the national
   table (:data:`.data.AGE_BANDS`) and a birth date that makes that age on the base date
   (:func:`.households.sample_people`);
2. minors are grouped into sibling sets and given parents of consistent ages (two parents, a
   single parent, or three generations with 父/母 or 子/子の妻/子の子);
3. some young adults stay with their parents, some elderly live with a middle-aged child;
4. remaining adults form couples with a probability by age, the rest live alone (a few share with
   a sibling or a 同居人) — steps 2–4: :func:`.households.form_households`;
5. each household gets a surname, names, a 本籍, possibly a foreign nationality
   (:mod:`.names`, :mod:`.foreign`), an address, an arrival date (転入 or born here), maybe a
   転居 and a 転出予定 (:mod:`.timeline`);
6. former residents (除票) of the last :data:`.data.REMOVED_YEARS` years are added: deaths and
   households that moved out, at the national yearly rates (:mod:`.former`).

The objects themselves live in :mod:`.objects`; they are also importable from here, where the
writer takes them from.
"""

from __future__ import annotations

import random
from datetime import timedelta
from itertools import accumulate

from yakuba.registry.generate import data
from yakuba.registry.generate.former import death, mover_household
from yakuba.registry.generate.households import form_households, sample_people
from yakuba.registry.generate.names import name_household
from yakuba.registry.generate.objects import JST, ORDER, Address, Event, Household, Person, Settings
from yakuba.registry.generate.timeline import move_out, timeline
from yakuba.registry.towns import TownArea

__all__ = [
    "JST",
    "Address",
    "Event",
    "Household",
    "Person",
    "Settings",
    "build_chunk",
    "chunk_rng",
    "weights_for",
]


def chunk_rng(seed: int, index: int) -> random.Random:
    return random.Random(f"yakuba-generate:{seed}:{index}")


def build_chunk(settings: Settings, index: int, size: int) -> list[Household]:
    """``size`` current residents in households, plus this chunk's share of former residents."""
    rng = chunk_rng(settings.seed, index)
    people = sample_people(rng, size, settings.as_of)
    households = form_households(rng, people)
    rng.shuffle(households)
    for household in households:
        name_household(rng, settings, household)
        timeline(rng, settings, household)
        if rng.random() < data.PLANNED_MOVE_OUT_SHARE:
            day = settings.as_of + timedelta(days=rng.randint(1, 14))
            move_out(rng, settings, household, day, planned=True)
        head = household.head
        if (
            head.sex == 2
            and 20 <= head.age <= 59
            and household.kind in ("single", "single_parent")
            and rng.random() < data.PROTECTION_SHARE
        ):
            household.protected = True
            household.protection_start = settings.as_of - timedelta(days=rng.randint(0, 330))
    # Former residents of the last few years (除票).
    widowed = [h for h in households if h.kind == "single" and h.head.age >= 65 and not h.protected]
    rng.shuffle(widowed)
    former: list[Household] = []
    deaths = _rate_count(rng, size * data.DEATH_RATE * data.REMOVED_YEARS)
    for _ in range(deaths):
        household = death(rng, settings, widowed)
        if household is not None:
            former.append(household)
    movers = _rate_count(rng, size * data.MOVE_OUT_RATE * data.REMOVED_YEARS)
    while movers > 0:
        household = mover_household(rng, settings)
        movers -= len(household.members)
        former.append(household)
    for household in households + former:
        household.events.sort(key=lambda e: (e.move_date, ORDER[e.kind]))
    return households + former


def _rate_count(rng: random.Random, expected: float) -> int:
    """``expected`` rounded up or down at random, so that small chunks keep the rate on average."""
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def weights_for(towns: tuple[TownArea, ...]) -> list[float]:
    """Cumulative weights of the 町字 for ``random.choices``: 住居表示 areas are denser."""
    per = {"urban": data.URBAN_WEIGHT, "other": data.OTHER_WEIGHT, "rural": data.RURAL_WEIGHT}
    return list(accumulate(per[t.kind] for t in towns))
