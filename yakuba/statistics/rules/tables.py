"""The survey's tables from counts: pure Python, no database (the counts come from the registry's
door, ``census_on`` and ``movements_between``).

住民基本台帳に基づく人口、人口動態及び世帯数調査 (docs/reference/population-facts.md#survey): for
総計, 日本人住民 and 外国人住民 — 人口 (男女別), 世帯数, 住民票記載数 (転入 国内/国外, 出生, その他),
住民票消除数 (転出 国内/国外, 死亡, その他), 自然増減 = 出生 − 死亡, 社会増減 = 転入 + その他の記載 −
転出 − その他の消除, and 年齢階級別人口 in 5-year bands 0–4 … 95–99 and 100+ (男女別, 100+ since the
2015 edition). The JSON shape is contract §9.1 (docs/reference/contract.md#population-report).
"""

from __future__ import annotations

from collections.abc import Iterable

JAPANESE, FOREIGN = 1, 2  # 住民種別 (the registry's codes)
MALE, FEMALE = 1, 2
TOP_AGE = 100  # the last band and the last single year are "100 and over"
BANDS = tuple(f"{low}-{low + 4}" for low in range(0, TOP_AGE, 5)) + (f"{TOP_AGE}+",)
SINGLE_AGES = tuple(str(age) for age in range(TOP_AGE)) + (f"{TOP_AGE}+",)

# The registry's kinds of 記載 and 消除 → the contract's keys under "recorded" and "removed".
RECORDED = {
    "move_in_domestic": "move_in_domestic",
    "move_in_abroad": "move_in_abroad",
    "birth": "birth",
    "other_recorded": "other",
}
REMOVED = {
    "move_out_domestic": "move_out_domestic",
    "move_out_abroad": "move_out_abroad",
    "death": "death",
    "other_removed": "other",
}


def band(age: int) -> str:
    """The 5-year band of an age; 100 and over is one band."""
    if age >= TOP_AGE:
        return BANDS[-1]
    low = max(age, 0) // 5 * 5
    return f"{low}-{low + 4}"


def single_age(age: int) -> str:
    """One year of age as the monthly table shows it; 100 and over is one row."""
    return SINGLE_AGES[-1] if age >= TOP_AGE else str(max(age, 0))


def by_sex() -> dict[str, int]:
    return {"male": 0, "female": 0, "total": 0}


def add(cell: dict[str, int], sex: int, n: int) -> None:
    cell["male" if sex == MALE else "female"] += n
    cell["total"] += n


def survey_table(
    persons: Iterable[tuple[int, int, int]], households: int, flows: Iterable[tuple[str, int]]
) -> dict:
    """One 区分's TABLE (contract §9.1) from (sex, age, persons) counts, the 世帯 count and
    (flow, persons) counts of the period."""
    population = by_sex()
    bands = {name: by_sex() for name in BANDS}
    for sex, age, n in persons:
        add(population, sex, n)
        add(bands[band(age)], sex, n)
    recorded = dict.fromkeys([*RECORDED.values(), "total"], 0)
    removed = dict.fromkeys([*REMOVED.values(), "total"], 0)
    for flow, n in flows:
        side = recorded if flow in RECORDED else removed
        side[(RECORDED | REMOVED)[flow]] += n
        side["total"] += n
    return {
        "population": population,
        "households": households,
        "recorded": recorded,
        "removed": removed,
        "natural_change": recorded["birth"] - removed["death"],
        "social_change": recorded["move_in_domestic"]
        + recorded["move_in_abroad"]
        + recorded["other"]
        - removed["move_out_domestic"]
        - removed["move_out_abroad"]
        - removed["other"],
        "age_bands": [{"band": name, **cell} for name, cell in bands.items()],
    }


def total_table(japanese: dict, foreign: dict, households: int) -> dict:
    """総計 = 日本人住民 + 外国人住民, item by item — except 世帯数: a 複数国籍世帯 is in both 区分
    and once in the 総計, so the caller gives it."""

    def plus(a, b):
        if isinstance(a, dict):
            return {k: plus(a[k], b[k]) for k in a}
        if isinstance(a, list):
            return [plus(x, y) for x, y in zip(a, b, strict=True)]
        return a if isinstance(a, str) else a + b

    return {**plus(japanese, foreign), "households": households}


def by_age_and_sex(persons: Iterable[tuple[int, int, int]], width: int) -> dict[str, dict[str, int]]:
    """(sex, age, persons) counts → 男・女・計 per age group, every group present in order:
    single years 0 … 99 and 100+ (``width`` 1, the monthly table) or the survey's 5-year bands
    (``width`` 5, the pyramid and the open data)."""
    if width not in (1, 5):
        raise ValueError(f"age groups are 1 or 5 years wide, not {width}")
    names, group = (SINGLE_AGES, single_age) if width == 1 else (BANDS, band)
    cells = {name: by_sex() for name in names}
    for sex, age, n in persons:
        add(cells[group(age)], sex, n)
    return cells
