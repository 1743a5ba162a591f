"""Step 5 (nationality): foreign households and foreign spouses of Japanese residents.

Foreign residents are concentrated among young single adults (在留外国人統計; reference:
population-facts §1.3), hence the probabilities by household kind in :mod:`.data`. A foreign
person's name is registered in the alphabet in passport order with a フリガナ, with a 在留資格
that depends on the nationality and on the head's status (a family follows the head: 家族滞在,
永住者の配偶者等 …), a 在留カード number and, unless permanent, a 在留期間の満了の日.
"""

from __future__ import annotations

from datetime import timedelta

from yakuba.registry.generate import data
from yakuba.registry.generate.draws import weighted
from yakuba.registry.generate.objects import HEAD, Household, Person, Settings, cohort_names


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
    nationality = weighted(rng, data.NATIONALITIES)
    single = len(household.members) == 1
    table = (
        data.STATUS_SINGLE[nationality]
        if single
        else data.STATUS_FAMILY_HEAD.get(nationality, data.STATUS_FAMILY_HEAD_DEFAULT)
    )
    head_status = weighted(rng, table)
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


def assign_nationality(rng, settings: Settings, household: Household) -> None:
    """Maybe make the whole household foreign, or else (a couple) the wife alone."""
    if rng.random() < _foreign_probability(household):
        _make_foreign(rng, settings, household)
    elif household.kind == "couple" and rng.random() < data.FOREIGN_SPOUSE_OF_JAPANESE:
        wife = next((p for p in household.members if p.sex == 2 and p.rel != HEAD), None)
        if wife is not None:
            nationality = weighted(rng, data.NATIONALITIES[:5])
            wife.nationality = nationality
            _surname_, wife.name, wife.kana = _foreign_name(rng, nationality, 2, None)
            wife.domicile = wife.domicile_head = wife.former = wife.former_kana = ""
            _residence(rng, settings, wife, "日本人の配偶者等")
