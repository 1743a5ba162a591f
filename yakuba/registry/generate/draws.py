"""Dates and random draws shared by the generator's steps.

Every draw takes the chunk's ``random.Random`` explicitly: the same seed must give the same town,
so no step may use the global generator or the clock.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from yakuba.registry.generate.objects import JST


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birth_for_age(rng: random.Random, age: int, day: date) -> date:
    """A birth date giving exactly ``age`` on ``day``."""
    latest = years_before(day, age)
    earliest = years_before(day, age + 1) + timedelta(days=1)
    return date.fromordinal(rng.randint(earliest.toordinal(), latest.toordinal()))


def office_time(rng: random.Random, day: date) -> datetime:
    """処理日時: during office hours of the 届出 day (deterministic, derived from the date)."""
    minutes = rng.randint(0, 8 * 60 + 15)
    return datetime.combine(day, time(8, 30), tzinfo=JST) + timedelta(minutes=minutes)


def weighted(rng: random.Random, pairs) -> object:
    values = [v for v, _w in pairs]
    return rng.choices(values, weights=[w for _v, w in pairs])[0]


def range_weighted(rng: random.Random, table) -> int:
    lo, hi, _w = rng.choices(table, weights=[w for _lo, _hi, w in table])[0]
    return rng.randint(lo, hi)


def by_age(table, age: int) -> float:
    for lo, hi, p in table:
        if lo <= age <= hi:
            return p
    return 0.0


def gauss(rng: random.Random, mean: float, sd: float) -> float:
    return rng.gauss(mean, sd)
