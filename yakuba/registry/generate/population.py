"""A synthetic population as plain Python objects: persons, households and what happened to them.

No database here: :func:`build_chunk` turns (settings, chunk number, size) into households whose
members carry every 住民票 item, and a timeline of 異動 per household (転入, 出生, 転居, 死亡,
転出, 転出予定). :mod:`.writer` turns that into rows. Everything is drawn from one
``random.Random`` per chunk, seeded from the seed and the chunk number, so a chunk is the same
whatever the other chunks are — and the same seed gives the same town.

How a chunk is built (the age/sex structure is fixed first, households are then formed from it,
so the age table holds exactly while the household mix is approximate):

1. ``size`` current residents get an (age, sex) by largest-remainder allocation of the national
   table (:data:`.data.AGE_BANDS`) and a birth date that makes that age on the base date;
2. minors are grouped into sibling sets and given parents of consistent ages (two parents, a
   single parent, or three generations with 父/母 or 子/子の妻/子の子);
3. some young adults stay with their parents, some elderly live with a middle-aged child;
4. remaining adults form couples with a probability by age, the rest live alone (a few share with
   a sibling or a 同居人);
5. each household gets a surname, names, a 本籍, possibly a foreign nationality, an address, an
   arrival date (転入 or born here), maybe a 転居 and a 転出予定;
6. former residents (除票) of the last :data:`.data.REMOVED_YEARS` years are added: deaths and
   households that moved out, at the national yearly rates.
"""

from __future__ import annotations

import math
import random
import uuid
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from yakuba.registry.generate import data
from yakuba.registry.towns import TownArea

JST = ZoneInfo("Asia/Tokyo")
HEAD = "世帯主"

# Timeline order of events on the same day.
ORDER = {"move_in": 0, "birth": 1, "move_within": 2, "death": 3, "move_out": 4}


# --- the objects ---------------------------------------------------------------------------------


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
    starts = [c[0] for c in data.GIVEN_NAMES_BY_COHORT]
    start = starts[max(0, bisect(starts, birth.year) - 1)]
    return settings.given[(start, sex)]


# --- dates ---------------------------------------------------------------------------------------


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


def _weighted(rng: random.Random, pairs) -> object:
    values = [v for v, _w in pairs]
    return rng.choices(values, weights=[w for _v, w in pairs])[0]


def _range_weighted(rng: random.Random, table) -> int:
    lo, hi, _w = rng.choices(table, weights=[w for _lo, _hi, w in table])[0]
    return rng.randint(lo, hi)


def _by_age(table, age: int) -> float:
    for lo, hi, p in table:
        if lo <= age <= hi:
            return p
    return 0.0


# --- step 1: ages and sexes ----------------------------------------------------------------------


def allocate(size: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """Largest-remainder allocation of ``size`` persons to (band low, band high, sex)."""
    cells = []
    for _band, lo, hi, male, female in data.AGE_BANDS:
        cells.append((lo, hi, 1, male))
        cells.append((lo, hi, 2, female))
    total = sum(c[3] for c in cells)
    exact = [size * c[3] / total for c in cells]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(cells)), key=lambda i: (-(exact[i] - counts[i]), rng.random()))
    for i in order[: size - sum(counts)]:
        counts[i] += 1
    return [(lo, hi, sex) for (lo, hi, sex, _w), k in zip(cells, counts, strict=True) for _ in range(k)]


def sample_people(rng: random.Random, size: int, as_of: date) -> list[Person]:
    people = []
    for lo, hi, sex in allocate(size, rng):
        if lo >= 100:
            age = lo + rng.choices(range(len(data.CENTENARIAN_AGE_WEIGHTS)), data.CENTENARIAN_AGE_WEIGHTS)[0]
        else:
            age = rng.randint(lo, hi)
        people.append(Person(sex, birth_for_age(rng, age, as_of), age))
    rng.shuffle(people)
    return people


class Pools:
    """Unassigned persons by sex and age; ``take`` picks the nearest age to a target."""

    MAX_AGE = 106

    def __init__(self, people: list[Person]):
        self.by = {1: [[] for _ in range(self.MAX_AGE + 1)], 2: [[] for _ in range(self.MAX_AGE + 1)]}
        for p in people:
            self.by[p.sex][min(p.age, self.MAX_AGE)].append(p)

    def take(self, sex: int, lo: int, hi: int, target: float) -> Person | None:
        lo, hi = max(0, lo), min(self.MAX_AGE, hi)
        if lo > hi:
            return None
        target = min(max(round(target), lo), hi)
        ages = self.by[sex]
        for step in range(0, hi - lo + 1):
            for age in (target - step, target + step) if step else (target,):
                if lo <= age <= hi:
                    bucket = ages[age]
                    while bucket:
                        p = bucket.pop()
                        if not p.taken:
                            p.taken = True
                            return p
        return None

    def take_any_sex(self, rng: random.Random, lo: int, hi: int, target: float) -> Person | None:
        first = rng.choice((1, 2))
        return self.take(first, lo, hi, target) or self.take(3 - first, lo, hi, target)


# --- step 2–4: households ------------------------------------------------------------------------


def _gauss(rng: random.Random, mean: float, sd: float) -> float:
    return rng.gauss(mean, sd)


def _parents_for(rng: random.Random, pools: Pools, oldest: int, youngest: int, *, both: bool):
    """(mother, father) of children aged oldest..youngest; either may be None."""
    low, high = oldest + 18, youngest + 45
    mother = pools.take(2, low, high, oldest + _gauss(rng, data.MOTHER_AGE_MEAN, data.MOTHER_AGE_SD))
    father = None
    if both or mother is None:
        base = mother.age if mother else oldest + data.MOTHER_AGE_MEAN
        target = base + _gauss(rng, data.HUSBAND_OLDER_MEAN, data.HUSBAND_OLDER_SD)
        father = pools.take(1, max(oldest + 18, int(base) - 6), max(oldest + 18, int(base) + 12), target)
    return mother, father


def _family(rng, pools, children: list[Person], kind: str) -> Household | None:
    oldest = max(c.age for c in children)
    youngest = min(c.age for c in children)
    both = kind != "single_parent" or rng.random() >= data.SINGLE_MOTHER_SHARE
    if kind == "single_parent":
        if rng.random() < data.SINGLE_MOTHER_SHARE:
            mother = pools.take(2, oldest + 18, youngest + 45, oldest + _gauss(rng, 30, 4))
            father = None if mother else _parents_for(rng, pools, oldest, youngest, both=True)[1]
        else:
            father = pools.take(1, oldest + 18, youngest + 50, oldest + 32)
            mother = None if father else pools.take(2, oldest + 18, youngest + 45, oldest + 30)
    else:
        mother, father = _parents_for(rng, pools, oldest, youngest, both=both)
    parents = [p for p in (father, mother) if p is not None]
    if not parents:
        return None
    for c in children:
        c.rel = "子"
    if kind == "three_generation" and rng.random() < 0.4:
        # Grandparents head the household: 世帯主/妻, their 子 and 子の妻, and 子の子.
        line = father or mother
        gp_target = line.age + _gauss(rng, 30, 3)
        grandpa = pools.take(1, line.age + 20, line.age + 45, gp_target + 2)
        grandma = pools.take(2, line.age + 18, line.age + 45, gp_target)
        elders = [p for p in (grandpa, grandma) if p is not None]
        if elders:
            elders[0].rel = HEAD
            if len(elders) == 2:
                elders[1].rel = "妻"
            line.rel = "子"
            other = mother if line is father else None
            if other is not None:
                other.rel = "子の妻"
                other.lineage = 1
            for c in children:
                c.rel = "子の子"
            return Household("other", elders + parents + children)
    head = parents[0]
    head.rel = HEAD
    if len(parents) == 2:
        parents[1].rel = "妻"
    members = parents + children
    if kind == "three_generation":
        target = head.age + _gauss(rng, 30, 3)
        both_elders = rng.random() < 0.5
        elders = []
        first = rng.choice((1, 2))
        e = pools.take(first, head.age + 20, head.age + 45, target)
        if e:
            e.rel = "父" if e.sex == 1 else "母"
            elders.append(e)
        if both_elders:
            e2 = pools.take(3 - first, head.age + 18, head.age + 45, target)
            if e2:
                e2.rel = "父" if e2.sex == 1 else "母"
                elders.append(e2)
        if elders:
            return Household("other", members + elders)
        kind = "couple_children" if len(parents) == 2 else "single_parent"
    return Household("couple_children" if len(parents) == 2 else "single_parent", members)


def _with_minors(rng, pools, people) -> list[Household]:
    households = []
    minors = [p for p in people if p.age < 18]
    for child in minors:
        if child.taken:
            continue
        child.taken = True
        children = [child]
        extra = _weighted(rng, data.SIBLINGS)
        for _ in range(extra):
            target = child.age + rng.choice((-1, 1)) * rng.randint(2, 4)
            sib = pools.take_any_sex(rng, max(0, child.age - 7), min(17, child.age + 7), target)
            if sib:
                children.append(sib)
        kind = _weighted(rng, data.MINOR_FAMILY)
        household = _family(rng, pools, children, kind)
        if household is None:
            # No parent of a plausible age is left in this chunk: any adult relative.
            carer = pools.take_any_sex(rng, max(c.age for c in children) + 16, 106, 45)
            if carer is None:
                children.sort(key=lambda c: -c.age)
                carer = children.pop(0)
            carer.rel = HEAD
            for c in children:
                c.rel = "子" if 16 <= carer.age - c.age <= 50 else "縁故者"
            household = Household("other", [carer, *children])
        households.append(household)
    return households


def _young_with_parents(rng, pools, people) -> list[Household]:
    households = []
    for person in people:
        if person.taken or not 18 <= person.age <= 34:
            continue
        if rng.random() >= _by_age(data.WITH_PARENTS, person.age):
            continue
        person.taken = True
        children = [person]
        if rng.random() < 0.3:
            sib = pools.take_any_sex(rng, max(18, person.age - 6), 34, person.age + rng.choice((-3, 3)))
            if sib:
                children.append(sib)
        oldest = max(c.age for c in children)
        youngest = min(c.age for c in children)
        if rng.random() >= data.WITH_ONE_PARENT:
            mother, father = _parents_for(rng, pools, oldest, youngest, both=True)
        else:
            mother = pools.take(2, oldest + 18, youngest + 45, oldest + 30)
            father = None
        parents = [p for p in (father, mother) if p is not None]
        if not parents:
            for c in children:
                c.taken = False
            continue
        parents[0].rel = HEAD
        if len(parents) == 2:
            parents[1].rel = "妻"
        for c in children:
            c.rel = "子"
        households.append(
            Household("couple_children" if len(parents) == 2 else "single_parent", parents + children)
        )
    return households


def _elderly_with_child(rng, pools, people) -> list[Household]:
    households = []
    for person in people:
        if person.taken or person.age < 70 or rng.random() >= data.ELDERLY_WITH_CHILD:
            continue
        child = pools.take_any_sex(rng, person.age - 42, person.age - 20, person.age - 30)
        if child is None:
            continue
        person.taken = True
        child.rel = HEAD
        person.rel = "父" if person.sex == 1 else "母"
        households.append(Household("other", [child, person]))
    return households


def _couples_and_singles(rng, pools, people) -> list[Household]:
    households = []
    for person in people:
        if person.taken:
            continue
        person.taken = True
        if person.age >= 18 and rng.random() < _by_age(data.COUPLE_BY_AGE, person.age):
            if person.sex == 1:
                target = person.age - _gauss(rng, data.HUSBAND_OLDER_MEAN, data.HUSBAND_OLDER_SD)
                partner = pools.take(2, max(18, person.age - 12), person.age + 6, target)
                husband, wife = person, partner
            else:
                target = person.age + _gauss(rng, data.HUSBAND_OLDER_MEAN, data.HUSBAND_OLDER_SD)
                partner = pools.take(1, max(18, person.age - 6), person.age + 12, target)
                husband, wife = partner, person
            if partner is not None:
                if rng.random() < data.WIFE_HEAD_SHARE:
                    wife.rel, husband.rel = HEAD, "夫"
                    members = [wife, husband]
                else:
                    husband.rel, wife.rel = HEAD, "妻"
                    members = [husband, wife]
                households.append(Household("couple", members))
                continue
        person.rel = HEAD
        roll = rng.random()
        if person.age >= 18 and roll < data.SIBLINGS_TOGETHER:
            sib = pools.take_any_sex(rng, max(18, person.age - 8), person.age + 8, person.age)
            if sib:
                older = sib.age > person.age or (sib.age == person.age and sib.birth < person.birth)
                sib.rel = ("兄" if sib.sex == 1 else "姉") if older else ("弟" if sib.sex == 1 else "妹")
                households.append(Household("other", [person, sib]))
                continue
        elif person.age >= 18 and roll < data.SIBLINGS_TOGETHER + data.COHABITANT_PAIR:
            mate = pools.take_any_sex(rng, max(18, person.age - 10), person.age + 10, person.age)
            if mate:
                mate.rel = "同居人"
                mate.lineage = 2
                households.append(Household("other", [person, mate]))
                continue
        households.append(Household("single", [person]))
    return households


# --- step 5: names, 本籍, nationality ------------------------------------------------------------


def _surname(rng, settings: Settings) -> tuple[str, str]:
    if rng.random() < data.RARE_KANJI_SHARE:
        return rng.choice(data.RARE_SURNAMES)
    return rng.choice(settings.surnames)


def _japanese_names(rng, settings: Settings, household: Household) -> None:
    family = _surname(rng, settings)
    lines = {0: family, 1: _surname(rng, settings)}
    for p in household.members:
        surname = lines.get(p.lineage) or _surname(rng, settings)
        if p.rel == "子の妻":
            surname = family
            p.former, p.former_kana = lines[1] if rng.random() < data.FORMER_SURNAME_SHARE else ("", "")
        elif p.rel == "同居人":
            surname = _surname(rng, settings)
        p.surname, p.surname_kana = surname
        p.given, p.given_kana = rng.choice(cohort_names(settings, p.sex, p.birth))
        if p.rel in ("妻", "夫") and p.sex == 2 and rng.random() < data.FORMER_SURNAME_SHARE:
            p.former, p.former_kana = _surname(rng, settings)
        if (
            p.rel == HEAD
            and household.kind == "couple"
            and p.sex == 2
            and rng.random() < data.FORMER_SURNAME_SHARE
        ):
            p.former, p.former_kana = _surname(rng, settings)
        p.name = f"{p.surname} {p.given}"
        p.kana = f"{p.surname_kana}\u3000{p.given_kana}"


def _domicile(rng, settings: Settings, household: Household) -> None:
    if rng.random() < 0.55:
        town = rng.choice(settings.towns).name if settings.towns else ""
        place = f"{settings.full_name}{town}"
    else:
        place = rng.choice(settings.other_addresses)
    domicile = f"{place}{rng.randint(1, 3000)}番地"
    head = household.head
    husband = next((p for p in household.members if p.rel in (HEAD, "夫") and p.sex == 1), head)
    son = next((p for p in household.members if p.rel == "子" and p.sex == 1 and p.age >= 20), None)
    for p in household.members:
        p.domicile = domicile
        if p.rel in ("子の妻", "子の子") and son is not None:
            p.domicile_head = son.name
        elif p.rel in ("同居人", "縁故者", "兄", "姉", "弟", "妹"):
            p.domicile = f"{rng.choice(settings.other_addresses)}{rng.randint(1, 3000)}番地"
            p.domicile_head = p.name
        elif p.rel in ("父", "母"):
            p.domicile_head = f"{p.surname} {rng.choice(cohort_names(settings, 1, p.birth))[0]}"
        elif household.kind == "single" and p.age < 35:
            p.domicile_head = (
                f"{p.surname} {rng.choice(cohort_names(settings, 1, years_before(p.birth, 30)))[0]}"
            )
        else:
            p.domicile_head = husband.name


def _foreign_name(rng, nationality: str, sex: int, surname: tuple[str, str] | None):
    surnames, male, female, middle_m, middle_f = data.FOREIGN_NAMES[nationality]
    family = surname or rng.choice(surnames)
    given = rng.choice(male if sex == 1 else female)
    middles = middle_m if sex == 1 else middle_f
    parts = [family, given]
    if middles and rng.random() < 0.8:
        # Vietnamese names put the middle name before the given name, western ones after it.
        parts.insert(2 if nationality in data.MIDDLE_AFTER_GIVEN else 1, rng.choice(middles))
    return family, " ".join(p[0] for p in parts), "\u3000".join(p[1] for p in parts)


def _card_number(rng) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return (
        "".join(rng.choice(letters) for _ in range(2))
        + f"{rng.randrange(10**8):08d}"
        + "".join(rng.choice(letters) for _ in range(2))
    )


def _residence(rng, settings: Settings, p: Person, status: str) -> None:
    p.foreign = True
    p.status = status
    p.card = _card_number(rng)
    if status in data.PERMANENT_STATUSES:
        p.expiry = None
    else:
        lo, hi = data.STAY_DAYS.get(status, data.STAY_DAYS_DEFAULT)
        p.expiry = settings.as_of + timedelta(days=rng.randint(30, max(31, hi - lo)))


def _make_foreign(rng, settings: Settings, household: Household) -> None:
    nationality = _weighted(rng, data.NATIONALITIES)
    single = len(household.members) == 1
    table = (
        data.STATUS_SINGLE[nationality]
        if single
        else data.STATUS_FAMILY_HEAD.get(nationality, data.STATUS_FAMILY_HEAD_DEFAULT)
    )
    head_status = _weighted(rng, table)
    if single and head_status == "特別永住者" and household.head.age < 30:
        head_status = "永住者"
    family_status = data.STATUS_OF_FAMILY.get(head_status, head_status)
    family = rng.choice(data.FOREIGN_NAMES[nationality][0])
    for p in household.members:
        p.nationality = nationality
        keep = nationality in data.KEEP_SURNAME and p.rel in ("妻", "子の妻")
        surname, p.name, p.kana = _foreign_name(rng, nationality, p.sex, None if keep else family)
        p.surname, p.surname_kana = surname
        p.given = p.given_kana = ""
        status = head_status if p.rel == HEAD else family_status
        if head_status == "永住者" and p.rel in ("子", "子の子") and p.age < 18:
            status = "永住者"
        _residence(rng, settings, p, status)
        p.domicile = p.domicile_head = p.former = p.former_kana = ""
        if status == "特別永住者" and rng.random() < data.ALIAS_SHARE_SPECIAL_PERMANENT:
            alias = rng.choice(data.ALIAS_SURNAMES)
            given = rng.choice(cohort_names(settings, p.sex, p.birth))
            p.alias = f"{alias[0]} {given[0]}"
            p.alias_kana = f"{alias[1]}\u3000{given[1]}"


def _foreign_probability(household: Household) -> float:
    head = household.head
    if household.kind == "single":
        return data.FOREIGN_SINGLE_YOUNG if 18 <= head.age <= 39 else data.FOREIGN_SINGLE_OTHER
    return data.FOREIGN_FAMILY


def _name_household(rng, settings: Settings, household: Household) -> None:
    _japanese_names(rng, settings, household)
    _domicile(rng, settings, household)
    if rng.random() < _foreign_probability(household):
        _make_foreign(rng, settings, household)
    elif household.kind == "couple" and rng.random() < data.FOREIGN_SPOUSE_OF_JAPANESE:
        wife = next((p for p in household.members if p.sex == 2 and p.rel != HEAD), None)
        if wife is not None:
            nationality = _weighted(rng, data.NATIONALITIES[:5])
            wife.nationality = nationality
            _surname_, wife.name, wife.kana = _foreign_name(rng, nationality, 2, None)
            wife.domicile = wife.domicile_head = wife.former = wife.former_kana = ""
            _residence(rng, settings, wife, "日本人の配偶者等")


# --- step 5: addresses and timelines -------------------------------------------------------------


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


def _elsewhere(rng, settings: Settings) -> str:
    return f"{rng.choice(settings.other_addresses)}{rng.randint(1, 30)}番{rng.randint(1, 30)}号"


def _abroad(rng, household: Household) -> str:
    nationality = next((p.nationality for p in household.members if p.nationality), "")
    if nationality and rng.random() < 0.85:
        return data.COUNTRY_ADDRESS[nationality]
    return rng.choice(data.JAPANESE_ABROAD)


def _notified(rng, move_date: date, as_of: date, lo: int = 0, hi: int = 14) -> date:
    return min(as_of, move_date + timedelta(days=rng.randint(lo, hi)))


def _event(rng, kind, move_date, notified, persons, **extra) -> Event:
    return Event(
        kind=kind,
        move_date=move_date,
        notified=notified,
        processed_at=office_time(rng, notified),
        move_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        persons=persons,
        **extra,
    )


def _arrival(rng, settings: Settings, household: Household, *, latest: date) -> date:
    head = household.head
    if household.members[0].foreign and head.status in data.STAY_DAYS:
        days = rng.randint(30, 1000)
    else:
        mean = data.FOREIGN_ARRIVAL_MEAN_YEARS if head.foreign else _by_age(data.ARRIVAL_MEAN_YEARS, head.age)
        days = int(rng.expovariate(1 / (mean * 365.25)))
    days = min(days, 110 * 365)
    return max(date(1900, 1, 1), latest - timedelta(days=days))


def timeline(rng, settings: Settings, household: Household, *, end: date | None = None) -> None:
    """転入/出生, maybe 転居, and the end (転出, 転出予定) of a household, as events."""
    as_of = settings.as_of
    latest = end or as_of
    arrival = _arrival(rng, settings, household, latest=latest - timedelta(days=30))
    address = random_address(rng, settings)
    foreign = any(p.foreign for p in household.members)
    abroad = rng.random() < (data.ABROAD_ORIGIN_FOREIGN if foreign else data.ABROAD_ORIGIN_JAPANESE)
    arrivers = [p for p in household.members if p.birth < arrival]
    events = []
    if arrivers:
        events.append(
            _event(
                rng,
                "move_in",
                arrival,
                _notified(rng, arrival, as_of),
                arrivers,
                address=address,
                origin="abroad" if abroad else "domestic",
                previous_address=_abroad(rng, household) if abroad else _elsewhere(rng, settings),
            )
        )
    for p in household.members:
        if p.birth >= arrival:
            events.append(_event(rng, "birth", p.birth, _notified(rng, p.birth, as_of), [p], address=address))
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
                _event(
                    rng,
                    "move_within",
                    moved,
                    _notified(rng, moved, as_of),
                    present,
                    address=random_address(rng, settings),
                )
            )
    household.events = events


def _move_out(rng, settings: Settings, household: Household, day: date, *, planned: bool) -> None:
    foreign = any(p.foreign for p in household.members)
    abroad = rng.random() < (data.MOVE_OUT_ABROAD_FOREIGN if foreign else data.MOVE_OUT_ABROAD_JAPANESE)
    if planned:
        notified = settings.as_of - timedelta(days=rng.randint(0, 3))
    else:
        notified = day - timedelta(days=rng.randint(0, 14))
    notified = max(notified, max(e.move_date for e in household.events) if household.events else notified)
    household.events.append(
        _event(
            rng,
            "move_out",
            day,
            notified,
            list(household.members),
            destination="abroad" if abroad else "domestic",
            destination_address=_abroad(rng, household) if abroad else _elsewhere(rng, settings),
            planned=planned,
        )
    )


# --- step 6: former residents --------------------------------------------------------------------


def _recent_day(rng, settings: Settings) -> date:
    return settings.as_of - timedelta(days=rng.randint(1, data.REMOVED_YEARS * 365))


def _person_born_before(rng, sex: int, age: int, day: date) -> Person:
    birth = birth_for_age(rng, age, day)
    return Person(sex, birth, age_on(birth, day))


def _mover_household(rng, settings: Settings) -> Household:
    day = _recent_day(rng, settings)
    kind = _weighted(rng, data.MOVER_HOUSEHOLDS)
    if kind == "single":
        head = _person_born_before(rng, rng.choice((1, 2)), _range_weighted(rng, data.MOVER_SINGLE_AGE), day)
        head.rel = HEAD
        members = [head]
    else:
        age = rng.randint(25, 39) if kind == "couple" else rng.randint(28, 45)
        husband = _person_born_before(rng, 1, age, day)
        wife = _person_born_before(rng, 2, max(18, age - round(_gauss(rng, 2, 3))), day)
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
    _name_household(rng, settings, household)
    timeline(rng, settings, household, end=day)
    _move_out(rng, settings, household, day, planned=False)
    return household


def _death(rng, settings: Settings, widowed: list[Household]) -> Household | None:
    """A death: a spouse of a living elderly 世帯主 (returns None), or a person living alone."""
    day = _recent_day(rng, settings)
    age = _range_weighted(rng, data.DEATH_AGE)
    sex = 1 if rng.random() < data.DEATH_MALE_SHARE else 2
    while widowed and rng.random() < 0.6:
        household = widowed.pop()
        head = household.head
        arrival = household.events[0].move_date if household.events else head.birth
        if head.sex == sex or arrival >= day - timedelta(days=60) or age_on(head.birth, day) < 60:
            continue
        person = _person_born_before(rng, sex, max(age, age_on(head.birth, day) - 5), day)
        person.rel = "夫" if sex == 1 else "妻"
        person.surname, person.surname_kana = head.surname, head.surname_kana
        person.given, person.given_kana = rng.choice(cohort_names(settings, sex, person.birth))
        person.name = f"{person.surname} {person.given}"
        person.kana = f"{person.surname_kana}\u3000{person.given_kana}"
        person.domicile, person.domicile_head = (
            head.domicile,
            (person.name if sex == 1 else head.domicile_head),
        )
        if head.foreign:
            continue
        household.members.append(person)
        registered = max(person.birth, arrival)
        kind = "birth" if person.birth >= arrival else "move_in"
        first = next(
            (e for e in household.events if e.kind in ("move_in", "birth") and head in e.persons), None
        )
        address = first.address if first else random_address(rng, settings)
        if kind == "move_in" and first is not None and first.kind == "move_in":
            first.persons.append(person)
        elif kind == "move_in":
            household.events.append(
                _event(
                    rng,
                    "move_in",
                    arrival,
                    _notified(rng, arrival, settings.as_of),
                    [person],
                    address=address,
                    origin="domestic",
                    previous_address=_elsewhere(rng, settings),
                )
            )
        else:
            household.events.append(
                _event(
                    rng,
                    "birth",
                    person.birth,
                    _notified(rng, person.birth, settings.as_of),
                    [person],
                    address=address,
                )
            )
        for e in household.events:
            if e.kind == "move_within" and e.move_date < day and registered <= e.move_date:
                e.persons.append(person)
        household.events.append(
            _event(rng, "death", day, _notified(rng, day, settings.as_of, 0, 7), [person])
        )
        return None
    person = _person_born_before(rng, sex, age, day)
    person.rel = HEAD
    household = Household("former", [person])
    _name_household(rng, settings, household)
    timeline(rng, settings, household, end=day)
    household.events.append(_event(rng, "death", day, _notified(rng, day, settings.as_of, 0, 7), [person]))
    return household


# --- a chunk -------------------------------------------------------------------------------------


def chunk_rng(seed: int, index: int) -> random.Random:
    return random.Random(f"yakuba-generate:{seed}:{index}")


def build_chunk(settings: Settings, index: int, size: int) -> list[Household]:
    """``size`` current residents in households, plus this chunk's share of former residents."""
    rng = chunk_rng(settings.seed, index)
    people = sample_people(rng, size, settings.as_of)
    pools = Pools(people)
    households = _with_minors(rng, pools, people)
    households += _young_with_parents(rng, pools, people)
    households += _elderly_with_child(rng, pools, people)
    households += _couples_and_singles(rng, pools, people)
    rng.shuffle(households)
    for household in households:
        _name_household(rng, settings, household)
        timeline(rng, settings, household)
        if rng.random() < data.PLANNED_MOVE_OUT_SHARE:
            day = settings.as_of + timedelta(days=rng.randint(1, 14))
            _move_out(rng, settings, household, day, planned=True)
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
        household = _death(rng, settings, widowed)
        if household is not None:
            former.append(household)
    movers = _rate_count(rng, size * data.MOVE_OUT_RATE * data.REMOVED_YEARS)
    while movers > 0:
        household = _mover_household(rng, settings)
        movers -= len(household.members)
        former.append(household)
    for household in households + former:
        household.events.sort(key=lambda e: (e.move_date, ORDER[e.kind]))
    return households + former


def _rate_count(rng: random.Random, expected: float) -> int:
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def weights_for(towns: tuple[TownArea, ...]) -> list[float]:
    per = {"urban": data.URBAN_WEIGHT, "other": data.OTHER_WEIGHT, "rural": data.RURAL_WEIGHT}
    return list(accumulate(per[t.kind] for t in towns))
