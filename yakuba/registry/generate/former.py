"""Step 6: former residents (除票) of the last :data:`.data.REMOVED_YEARS` years.

Deaths and households that moved out, at the national yearly rates (人口動態統計, 住民基本台帳人口
移動報告; reference: population-facts §1.4). A death is either a person who lived alone or the
spouse of an elderly resident now living alone, so that widowed 世帯主 have the history that made
them single (their spouse's 転入 or 出生, 転居 and 死亡).
"""

from __future__ import annotations

from datetime import date, timedelta

from yakuba.registry.generate import data
from yakuba.registry.generate.draws import age_on, birth_for_age, gauss, range_weighted, weighted
from yakuba.registry.generate.names import name_household
from yakuba.registry.generate.objects import HEAD, Event, Household, Person, Settings, cohort_names
from yakuba.registry.generate.timeline import (
    birth_event,
    make_event,
    move_in_event,
    move_out,
    notified_on,
    random_address,
    timeline,
)


def _recent_day(rng, settings: Settings) -> date:
    return settings.as_of - timedelta(days=rng.randint(1, data.REMOVED_YEARS * 365))


def _person_born_before(rng, sex: int, age: int, day: date) -> Person:
    birth = birth_for_age(rng, age, day)
    return Person(sex, birth, age_on(birth, day))


def mover_household(rng, settings: Settings) -> Household:
    """A household that moved out on a recent day: movers are mostly young and single."""
    day = _recent_day(rng, settings)
    kind = weighted(rng, data.MOVER_HOUSEHOLDS)
    if kind == "single":
        head = _person_born_before(rng, rng.choice((1, 2)), range_weighted(rng, data.MOVER_SINGLE_AGE), day)
        head.rel = HEAD
        members = [head]
    else:
        age = rng.randint(25, 39) if kind == "couple" else rng.randint(28, 45)
        husband = _person_born_before(rng, 1, age, day)
        wife = _person_born_before(rng, 2, max(18, age - round(gauss(rng, 2, 3))), day)
        husband.rel, wife.rel = HEAD, "妻"
        members = [husband, wife]
        if kind == "family":
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                child = _person_born_before(
                    rng, rng.choice((1, 2)), rng.randint(0, max(0, min(15, wife.age - 22))), day
                )
                child.rel = "子"
                members.append(child)
    household = Household("former", members)
    name_household(rng, settings, household)
    timeline(rng, settings, household, end=day)
    move_out(rng, settings, household, day, planned=False)
    return household


def _death_event(rng, settings: Settings, person: Person, day: date) -> Event:
    return make_event(rng, "death", day, notified_on(rng, day, settings.as_of, 0, 7), [person])


def _late_spouse(rng, settings: Settings, head: Person, sex: int, age: int, day: date) -> Person:
    """The spouse a 世帯主 lost: same surname and 本籍, named after their own birth cohort."""
    person = _person_born_before(rng, sex, age, day)
    person.rel = "夫" if sex == 1 else "妻"
    person.surname, person.surname_kana = head.surname, head.surname_kana
    person.given, person.given_kana = rng.choice(cohort_names(settings, sex, person.birth))
    person.name = f"{person.surname} {person.given}"
    person.kana = f"{person.surname_kana}\u3000{person.given_kana}"
    person.domicile, person.domicile_head = (
        head.domicile,
        (person.name if sex == 1 else head.domicile_head),
    )
    return person


def _record_spouse(
    rng, settings: Settings, household: Household, person: Person, arrival: date, day: date
) -> None:
    """Add the late spouse to the household's history: arrived with the head (or born here),
    moved with it, and died on ``day``."""
    head = household.head
    household.members.append(person)
    registered = max(person.birth, arrival)
    kind = "birth" if person.birth >= arrival else "move_in"
    first = next((e for e in household.events if e.kind in ("move_in", "birth") and head in e.persons), None)
    address = first.address if first else random_address(rng, settings)
    if kind == "move_in" and first is not None and first.kind == "move_in":
        first.persons.append(person)
    elif kind == "move_in":
        household.events.append(
            move_in_event(rng, settings, household, arrival, [person], address, abroad=False)
        )
    else:
        household.events.append(birth_event(rng, settings, person, address))
    for e in household.events:
        if e.kind == "move_within" and e.move_date < day and registered <= e.move_date:
            e.persons.append(person)
    household.events.append(_death_event(rng, settings, person, day))


def death(rng, settings: Settings, widowed: list[Household]) -> Household | None:
    """A death: a spouse of a living elderly 世帯主 (returns None), or a person living alone."""
    day = _recent_day(rng, settings)
    age = range_weighted(rng, data.DEATH_AGE)
    sex = 1 if rng.random() < data.DEATH_MALE_SHARE else 2
    while widowed and rng.random() < 0.6:
        household = widowed.pop()
        head = household.head
        arrival = household.events[0].move_date if household.events else head.birth
        if head.sex == sex or arrival >= day - timedelta(days=60) or age_on(head.birth, day) < 60:
            continue
        person = _late_spouse(rng, settings, head, sex, max(age, age_on(head.birth, day) - 5), day)
        if head.foreign:
            continue
        _record_spouse(rng, settings, household, person, arrival, day)
        return None
    person = _person_born_before(rng, sex, age, day)
    person.rel = HEAD
    household = Household("former", [person])
    name_household(rng, settings, household)
    timeline(rng, settings, household, end=day)
    household.events.append(_death_event(rng, settings, person, day))
    return household
