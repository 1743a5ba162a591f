"""Steps 1–4 of a chunk (see :mod:`.population`): current residents, then their households.

The age/sex structure is fixed first by largest-remainder allocation of the national table
(:data:`.data.AGE_BANDS`; reference: population-facts §1.1), so that it holds exactly. Households
are then formed from those persons with conditional probabilities tuned towards the 国勢調査
family types (:data:`.data.HOUSEHOLD_TARGET`; population-facts §1.2), so the household mix is
only approximate. Minors are placed first because they constrain their parents' ages the most,
then young adults living with their parents and the elderly living with a child; whoever is left
forms a couple or lives alone.
"""

from __future__ import annotations

import math
import random
from datetime import date

from yakuba.registry.generate import data
from yakuba.registry.generate.draws import birth_for_age, by_age, gauss, weighted
from yakuba.registry.generate.objects import HEAD, Household, Person

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


def _parents_for(rng: random.Random, pools: Pools, oldest: int, youngest: int, *, both: bool):
    """(mother, father) of children aged oldest..youngest; either may be None."""
    low, high = oldest + 18, youngest + 45
    mother = pools.take(2, low, high, oldest + gauss(rng, data.MOTHER_AGE_MEAN, data.MOTHER_AGE_SD))
    father = None
    if both or mother is None:
        base = mother.age if mother else oldest + data.MOTHER_AGE_MEAN
        target = base + gauss(rng, data.HUSBAND_OLDER_MEAN, data.HUSBAND_OLDER_SD)
        father = pools.take(1, max(oldest + 18, int(base) - 6), max(oldest + 18, int(base) + 12), target)
    return mother, father


def _parents_and_children(parents: list[Person], children: list[Person]) -> Household:
    """世帯主 (the father when there are two parents), 妻 and their 子."""
    parents[0].rel = HEAD
    if len(parents) == 2:
        parents[1].rel = "妻"
    for c in children:
        c.rel = "子"
    return Household("couple_children" if len(parents) == 2 else "single_parent", parents + children)


def _family(rng, pools, children: list[Person], kind: str) -> Household | None:
    """``children``'s household of ``kind``; None when no parent of a plausible age is left."""
    oldest = max(c.age for c in children)
    youngest = min(c.age for c in children)
    both = kind != "single_parent" or rng.random() >= data.SINGLE_MOTHER_SHARE
    if kind == "single_parent":
        if rng.random() < data.SINGLE_MOTHER_SHARE:
            mother = pools.take(2, oldest + 18, youngest + 45, oldest + gauss(rng, 30, 4))
            father = None if mother else _parents_for(rng, pools, oldest, youngest, both=True)[1]
        else:
            father = pools.take(1, oldest + 18, youngest + 50, oldest + 32)
            mother = None if father else pools.take(2, oldest + 18, youngest + 45, oldest + 30)
    else:
        mother, father = _parents_for(rng, pools, oldest, youngest, both=both)
    parents = [p for p in (father, mother) if p is not None]
    if not parents:
        return None
    if kind == "three_generation" and rng.random() < 0.4:
        # Grandparents head the household: 世帯主/妻, their 子 and 子の妻, and 子の子.
        line = father or mother
        gp_target = line.age + gauss(rng, 30, 3)
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
    household = _parents_and_children(parents, children)
    if kind == "three_generation":
        # The 世帯主's own parents live with them (父/母 of the head).
        head = parents[0]
        target = head.age + gauss(rng, 30, 3)
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
            return Household("other", household.members + elders)
    return household


def _with_minors(rng, pools, people) -> list[Household]:
    households = []
    minors = [p for p in people if p.age < 18]
    for child in minors:
        if child.taken:
            continue
        child.taken = True
        children = [child]
        extra = weighted(rng, data.SIBLINGS)
        for _ in range(extra):
            target = child.age + rng.choice((-1, 1)) * rng.randint(2, 4)
            sib = pools.take_any_sex(rng, max(0, child.age - 7), min(17, child.age + 7), target)
            if sib:
                children.append(sib)
        kind = weighted(rng, data.MINOR_FAMILY)
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
        if rng.random() >= by_age(data.WITH_PARENTS, person.age):
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
        households.append(_parents_and_children(parents, children))
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
        if person.age >= 18 and rng.random() < by_age(data.COUPLE_BY_AGE, person.age):
            if person.sex == 1:
                target = person.age - gauss(rng, data.HUSBAND_OLDER_MEAN, data.HUSBAND_OLDER_SD)
                partner = pools.take(2, max(18, person.age - 12), person.age + 6, target)
                husband, wife = person, partner
            else:
                target = person.age + gauss(rng, data.HUSBAND_OLDER_MEAN, data.HUSBAND_OLDER_SD)
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


def form_households(rng: random.Random, people: list[Person]) -> list[Household]:
    """Steps 2–4: every person of ``people`` ends in exactly one household."""
    pools = Pools(people)
    households = _with_minors(rng, pools, people)
    households += _young_with_parents(rng, pools, people)
    households += _elderly_with_child(rng, pools, people)
    households += _couples_and_singles(rng, pools, people)
    return households
