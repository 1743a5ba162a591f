"""自治体標準オープンデータセット (デジタル庁; formerly 推奨データセット) 「地域・年齢別人口」 and
「人口・世帯数」: their columns and the small-area rule. Pure Python.

Columns. Every dataset of the 自治体標準オープンデータセット starts with 全国地方公共団体コード
(6 digits), ID and 地方公共団体名 (standards §10, from the published datasets, e.g. 観光施設一覧:
``011002, JJ0100022200, 北海道札幌市``). 地域・年齢別人口 then has one record per 地域: 調査年月日,
地域コード, 地域名, 総人口, 男性, 女性, each 5-year band by sex as 「0-4歳の男性」「0-4歳の女性」 … up
to 「85歳以上の男性」「85歳以上の女性」, 世帯数 and 備考 — the layout of the 推奨データセット as two
independent importers of municipal files define their tables (the columns and their order agree;
neither is the definition itself, which could not be read from here: [partly verified]). 地域コード
is the municipality's own code of the 地域 where it has one; the registry's door gives the 町字 by
name only, so it is left empty (an optional item). 人口・世帯数 (世帯数 and 人口 by sex per 地域) is
[unverified]: the names are constants below, so aligning them is one edit and the tests follow.

Machine-readability (機械可読性ルール, standards §10–11): one header row, one record per line, no
merged cells, 西暦 dates (YYYY-MM-DD), numbers without units or separators (units are in the
header: 「0-4歳」), no total rows a program can add up itself.

The small-area rule [decision] (privacy): a 町字 with a handful of residents, published by age
and sex, says how old the people of two or three known houses are. A 町字 with fewer than
``min_persons`` residents is therefore not published as itself:

- ``merge`` (default): its residents and 世帯 are pooled into one record 「その他」 (the 町字 are
  not named), so every total still adds up to the municipality's. If the pool itself has fewer
  than ``min_persons`` residents, its age cells are left empty (秘匿) and only its 総数 and 世帯数
  are published: a count of persons somewhere in the small 町字 says nothing about anyone.
- ``suppress``: the 町字 keeps its record but every figure is left empty and 備考 says 秘匿, as
  statistical offices mark a suppressed cell; the records no longer add up to the municipality's
  total (the published 人口 of the municipality is the 住基年報's).

The threshold is on the 町字's residents, not on each cell: a 町字 over it still has cells of 1 or
2 (one 95-year-old woman), as the 町字別年齢別 tables municipalities publish today do.
"""

from __future__ import annotations

from dataclasses import dataclass

from yakuba.statistics.rules.tables import BANDS

AREA_AGE = "地域・年齢別人口"
POPULATION = "人口・世帯数"
MODES = ("merge", "suppress")
DEFAULT_MIN_PERSONS = 10  # [decision] the small-area threshold unless the municipality gives one
OTHER = "その他"
SECRET = "秘匿"
LEAD = ["全国地方公共団体コード", "ID", "地方公共団体名", "調査年月日"]
OPEN_FROM = 85  # the dataset's last band is 85歳以上 (the report's bands run to 100歳以上)
OPEN_BAND = BANDS.index(f"{OPEN_FROM}-{OPEN_FROM + 4}")
BAND_LABELS = [f"{b}歳" for b in BANDS[:OPEN_BAND]] + [f"{OPEN_FROM}歳以上"]
SEXES = (("male", "男性"), ("female", "女性"))
BAND_COLUMNS = [f"{band}の{label}" for band in BAND_LABELS for _key, label in SEXES]
AREA_AGE_COLUMNS = [*LEAD, "地域コード", "地域名", "総人口", "男性", "女性", *BAND_COLUMNS, "世帯数", "備考"]
POPULATION_COLUMNS = [*LEAD, "地域名", "世帯数", "人口_総数", "人口_男", "人口_女", "備考"]


@dataclass
class Area:
    """One 町字 (or the pool 「その他」): persons per band by sex, 世帯数; ``hidden`` says which
    figures are 秘匿: "" none, "ages" the age cells, "all" every figure."""

    name: str
    households: int
    male: list[int]
    female: list[int]
    hidden: str = ""

    @property
    def persons(self) -> int:
        return sum(self.male) + sum(self.female)


def protect(areas: list[Area], min_persons: int, mode: str) -> list[Area]:
    """The small-area rule of the module docstring; ``min_persons`` 0 publishes every 町字."""
    if mode not in MODES:
        raise ValueError(f"small-area mode is one of {MODES}, not {mode}")
    if mode == "suppress":
        return [
            a if a.persons >= min_persons else Area(a.name, a.households, a.male, a.female, "all")
            for a in areas
        ]
    kept = [a for a in areas if a.persons >= min_persons]
    small = [a for a in areas if a.persons < min_persons]
    if not small:
        return kept
    pool = Area(
        OTHER,
        sum(a.households for a in small),
        [sum(col) for col in zip(*(a.male for a in small), strict=True)],
        [sum(col) for col in zip(*(a.female for a in small), strict=True)],
    )
    if pool.persons < min_persons:
        pool.hidden = "ages"
    return [*kept, pool]


def area_age_rows(lead: list[str], areas: list[Area], min_persons: int) -> list[list]:
    """地域・年齢別人口: one record per area, ``lead`` = code, name, day; the bands from 85 on
    summed into 85歳以上, each band's men then women."""
    rows = []
    for area in areas:
        male, female = _open_ended(area.male), _open_ended(area.female)
        totals = [area.persons, sum(area.male), sum(area.female)]
        bands = [n for pair in zip(male, female, strict=True) for n in pair]
        if area.hidden == "all":
            totals, bands, households = ["" for _ in totals], ["" for _ in bands], ""
        else:
            households = area.households
            if area.hidden == "ages":
                bands = ["" for _ in bands]
        rows.append([*lead, "", area.name, *totals, *bands, households, _note(area, min_persons)])
    return _numbered(rows)


def _open_ended(bands: list[int]) -> list[int]:
    return [*bands[:OPEN_BAND], sum(bands[OPEN_BAND:])]


def population_rows(lead: list[str], areas: list[Area], min_persons: int) -> list[list]:
    """人口・世帯数: one record per area."""
    rows = []
    for area in areas:
        figures = [area.households, area.persons, sum(area.male), sum(area.female)]
        if area.hidden == "all":
            figures = ["" for _ in figures]
        rows.append([*lead, area.name, *figures, _note(area, min_persons)])
    return _numbered(rows)


def _note(area: Area, min_persons: int) -> str:
    if area.hidden == "all":
        return f"{SECRET}（{min_persons}人未満の町字）"
    if area.name == OTHER:
        note = f"{min_persons}人未満の町字の合計"
        return f"{note}（年齢別は{SECRET}）" if area.hidden == "ages" else note
    return ""


def _numbered(rows: list[list]) -> list[list]:
    """The ID column (second): the record's number in the file, 1, 2, … [decision: the standard
    leaves the ID to the publisher; a 町字 has no ID in the registry's door]."""
    return [[row[0], str(n), *row[1:]] for n, row in enumerate(rows, start=1)]
