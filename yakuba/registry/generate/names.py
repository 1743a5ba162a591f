"""Step 5 (names): surnames, given names, 旧氏 and 本籍 of a household, then its nationality.

Names are kana-consistent pairs (written form, フリガナ) drawn from the run's pools: Faker ja_JP
weighted by real frequency plus :data:`.data.EXTRA_SURNAMES`, and given names of each person's
birth cohort (:func:`.objects.cohort_names`). A household shares one surname; a 子の妻 keeps
her maiden name only as a 旧氏, a 同居人 has a surname of their own. Nationality comes last
because a foreign household replaces the Japanese names it got (:mod:`.foreign`).
"""

from __future__ import annotations

from yakuba.registry.generate import data
from yakuba.registry.generate.draws import years_before
from yakuba.registry.generate.foreign import assign_nationality
from yakuba.registry.generate.objects import HEAD, Household, Settings, cohort_names


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


def name_household(rng, settings: Settings, household: Household) -> None:
    """Names, 本籍 and nationality of every member (in this order: the draws depend on it)."""
    _japanese_names(rng, settings, household)
    _domicile(rng, settings, household)
    assign_nationality(rng, settings, household)
