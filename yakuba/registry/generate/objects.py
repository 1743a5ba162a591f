"""The plain objects a synthetic population is made of: persons, households and their 異動.

No database and no randomness here: :mod:`.households`, :mod:`.names`, :mod:`.foreign`,
:mod:`.timeline` and :mod:`.former` fill them in, and :mod:`.writer` turns them into rows (the
fields are the 住民票 items the writer needs, reference: registry-facts).
"""

from __future__ import annotations

import uuid
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from yakuba.registry.generate import data
from yakuba.registry.towns import TownArea

JST = ZoneInfo("Asia/Tokyo")
HEAD = "世帯主"

# Timeline order of events on the same day.
ORDER = {"move_in": 0, "birth": 1, "move_within": 2, "death": 3, "move_out": 4}


class Person:
    __slots__ = (
        "sex",
        "birth",
        "age",
        "taken",
        "rel",
        "surname",
        "surname_kana",
        "given",
        "given_kana",
        "name",
        "kana",
        "foreign",
        "nationality",
        "status",
        "expiry",
        "card",
        "alias",
        "alias_kana",
        "former",
        "former_kana",
        "domicile",
        "domicile_head",
        "lineage",
    )

    def __init__(self, sex: int, birth: date, age: int):
        self.sex = sex
        self.birth = birth
        self.age = age
        self.taken = False
        self.rel = ""
        self.surname = self.surname_kana = self.given = self.given_kana = ""
        self.name = self.kana = ""
        self.foreign = False
        self.nationality = self.status = self.card = ""
        self.expiry: date | None = None
        self.alias = self.alias_kana = self.former = self.former_kana = ""
        self.domicile = self.domicile_head = ""
        self.lineage = 0  # 0: head's family line, 1: a child's spouse line (子の妻, 子の子)


@dataclass
class Address:
    postal_code: str
    town_area: str
    block: str
    extra: str


@dataclass
class Event:
    """One 異動 of a household (one Move row)."""

    kind: str
    move_date: date
    notified: date
    processed_at: datetime
    move_id: uuid.UUID
    persons: list[Person]
    address: Address | None = None  # 転入/転居: the address moved to
    origin: str = ""  # 転入: domestic / abroad
    previous_address: str = ""
    destination: str = ""  # 転出: domestic / abroad
    destination_address: str = ""
    planned: bool = False  # 転出予定 (move date after the base date)


@dataclass
class Household:
    kind: str  # single, couple, couple_children, single_parent, three_generation, other, former
    members: list[Person]
    events: list[Event] = field(default_factory=list)
    protected: bool = False
    protection_start: date | None = None

    @property
    def head(self) -> Person:
        return next(p for p in self.members if p.rel == HEAD)


@dataclass
class Settings:
    """What every chunk needs, prepared once per run."""

    lg_code: str
    full_name: str  # municipality name as written in addresses
    as_of: date
    seed: int
    towns: tuple[TownArea, ...]
    town_weights: list[float]
    other_addresses: list[str]
    surnames: list[tuple[str, str]]
    given: dict[tuple[int, int], list[tuple[str, str]]]  # (cohort start, sex) -> names


def cohort_names(settings: Settings, sex: int, birth: date) -> list[tuple[str, str]]:
    """The given names of ``birth``'s cohort: names follow the fashion of the birth year."""
    starts = [c[0] for c in data.GIVEN_NAMES_BY_COHORT]
    start = starts[max(0, bisect(starts, birth.year) - 1)]
    return settings.given[(start, sex)]
