"""Reference tables of the synthetic population: every number here has a source or a stated
assumption. They are data, not logic; :mod:`..population` and the modules it calls sample from
them.

Where a figure is "shaped after" a statistic, it was transcribed rounded and is meant to give a
realistic *shape*, not to reproduce the statistic to the last digit; the tests compare a
generated town with these tables (not with the original publication). Sources:
docs/reference/population-facts.md.

The long name lists are package data beside this module (``japanese_names.json``,
``foreign_names.json``: pure lists of (written form, フリガナ) pairs, read once at import); their
sources are given where each table is named below. Every table is a tuple, as the generator
expects (same values and order as the lists in the files).
"""

from __future__ import annotations

import json
from importlib import resources

_Pairs = tuple[tuple[str, str], ...]
# Keys of a nationality in foreign_names.json, in the order of a FOREIGN_NAMES entry.
_FOREIGN_NAME_PARTS = ("surnames", "male", "female", "middle_male", "middle_female")


def _load(name: str):
    """A JSON file of this package (read at import, so once per process)."""
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


def _pairs(rows: list[list[str]]) -> _Pairs:
    return tuple((written, kana) for written, kana in rows)


_JAPANESE_NAMES = _load("japanese_names.json")

# --- age and sex ---------------------------------------------------------------------------------

# Population of Japan by 5-year age band and sex, in thousands, 1 October 2020: 令和2年国勢調査
# (不詳補完値) as carried in 総務省統計局「人口推計」(2020年10月1日現在, 総人口). Entered rounded to
# the thousand without the publication at hand: check against e-Stat before quoting them as
# official figures. Shares are computed from this table (the generator and the tests use the
# same table), so a transcription error would shift the target, not break the check.
# Bands: 0–4 … 95–99, 100+.
AGE_BANDS: tuple[tuple[str, int, int, int, int], ...] = (
    # band, lowest age, highest age, male, female
    ("0-4", 0, 4, 2325, 2216),
    ("5-9", 5, 9, 2554, 2434),
    ("10-14", 10, 14, 2714, 2586),
    ("15-19", 15, 19, 2884, 2736),
    ("20-24", 20, 24, 3231, 3066),
    ("25-29", 25, 29, 3216, 3065),
    ("30-34", 30, 34, 3434, 3300),
    ("35-39", 35, 39, 3816, 3700),
    ("40-44", 40, 44, 4293, 4182),
    ("45-49", 45, 49, 4954, 4838),
    ("50-54", 50, 54, 4406, 4336),
    ("55-59", 55, 59, 4003, 3991),
    ("60-64", 60, 64, 3692, 3760),
    ("65-69", 65, 69, 4012, 4218),
    ("70-74", 70, 74, 4385, 4808),
    ("75-79", 75, 79, 3224, 3886),
    ("80-84", 80, 84, 2262, 3147),
    ("85-89", 85, 89, 1332, 2420),
    ("90-94", 90, 94, 490, 1331),
    ("95-99", 95, 99, 97, 406),
    ("100+", 100, 105, 10, 70),
)
# Within 100+: assumed geometric decline (about halving each year), capped at 105.
CENTENARIAN_AGE_WEIGHTS = (50, 25, 12, 7, 4, 2)


def band_shares() -> dict[str, tuple[float, float]]:
    """{band: (male share, female share)} of the whole population."""
    total = sum(m + f for _b, _lo, _hi, m, f in AGE_BANDS)
    return {b: (m / total, f / total) for b, _lo, _hi, m, f in AGE_BANDS}


def band_of(age: int) -> str:
    for band, lo, hi, _m, _f in AGE_BANDS:
        if lo <= age <= hi:
            return band
    return AGE_BANDS[-1][0]


# --- households ----------------------------------------------------------------------------------

# Target shape (令和2年国勢調査, 一般世帯の家族類型): 単独 38.0 %, 夫婦のみ 20.1 %, 夫婦と子 25.0 %,
# ひとり親と子 9.0 %, その他 (三世代 etc.) 7.9 %. The generator does not draw household types from
# this table directly: it fills households from a population whose age/sex structure is fixed
# (so that the age table above holds exactly) with the conditional probabilities below, which
# were tuned so that a generated town lands near this shape (see the test and the bench).
HOUSEHOLD_TARGET = {
    "single": 0.380,
    "couple": 0.201,
    "couple_children": 0.250,
    "single_parent": 0.090,
    "other": 0.079,
}

# Minors: extra siblings (0, 1, 2) beside a child — assumption shaped after 出生動向基本調査
# (completed fertility ≈ 1.9 with most families having 2 children).
SIBLINGS = ((0, 0.45), (1, 0.42), (2, 0.13))
# Family of minors: two parents / single parent / three generations (assumption: 2020 census
# shares 18歳未満の子のいる世帯 — ひとり親 ≈ 11 %, 三世代 ≈ 10 %).
MINOR_FAMILY = (("couple_children", 0.74), ("single_parent", 0.11), ("three_generation", 0.15))
SINGLE_MOTHER_SHARE = 0.86  # 母子世帯 vs 父子世帯 (全国ひとり親世帯等調査 2021: 母子 ≈ 86 %)
# Mother's age at the birth of her first child: mean 30.7 (人口動態統計 2020), sd assumed 4.
MOTHER_AGE_MEAN, MOTHER_AGE_SD = 30.0, 4.0
HUSBAND_OLDER_MEAN, HUSBAND_OLDER_SD = 2.0, 3.0  # 夫妻の平均初婚年齢差 ≈ 1.7 years

# Adults 18–34 still living with their parents (未婚者の親との同居率 shape; assumption), and the
# share of them living with one parent only.
WITH_ONE_PARENT = 0.20
WITH_PARENTS = ((18, 19, 0.70), (20, 24, 0.50), (25, 29, 0.32), (30, 34, 0.20))
# Elderly (70+) living with a middle-aged child as 父/母 of the 世帯主 (その他 households).
ELDERLY_WITH_CHILD = 0.12
# Probability that a still unassigned adult forms a couple-only household, by age (assumption,
# tuned to the target shape above).
COUPLE_BY_AGE = (
    (18, 29, 0.08),
    (30, 39, 0.22),
    (40, 49, 0.24),
    (50, 59, 0.36),
    (60, 69, 0.46),
    (70, 79, 0.46),
    (80, 89, 0.30),
    (90, 120, 0.10),
)
WIFE_HEAD_SHARE = 0.12  # couples registering the wife as 世帯主 (assumption)
SIBLINGS_TOGETHER = 0.05  # remaining adults sharing with a 兄/姉/弟/妹
COHABITANT_PAIR = 0.01  # remaining adults sharing with a 同居人 (unrelated)
FORMER_SURNAME_SHARE = 0.01  # married women with 旧氏 recorded (旧氏併記, since 2019)
RARE_KANJI_SHARE = 0.005  # families whose surname uses a 外字/異体字 (stored exactly)

# --- flows and history ---------------------------------------------------------------------------

# Yearly flows as a share of the population (住民基本台帳人口移動報告 / 人口動態統計 shape):
# births ≈ 0.6 %, deaths ≈ 1.2 %, 転入 ≈ 4 %, 転出 ≈ 4 %, 市内転居 ≈ 2.5 %.
DEATH_RATE = 0.012
MOVE_OUT_RATE = 0.040
MOVE_WITHIN_RATE = 0.035
# 除票 are generated for the last few years only (older ones would sit in the 除票保存領域).
REMOVED_YEARS = 3
# Years since the household arrived: exponential with this mean, by the head's age (tuned so
# that the 転入 of the last 12 months are ≈ 4 % of the population).
ARRIVAL_MEAN_YEARS = ((0, 29, 5.0), (30, 39, 15.0), (40, 64, 30.0), (65, 200, 45.0))
FOREIGN_ARRIVAL_MEAN_YEARS = 6.0
ABROAD_ORIGIN_JAPANESE = 0.03  # 国外からの転入 among Japanese arrivals (assumption)
ABROAD_ORIGIN_FOREIGN = 0.55
MOVE_OUT_ABROAD_JAPANESE = 0.04
MOVE_OUT_ABROAD_FOREIGN = 0.50
PLANNED_MOVE_OUT_SHARE = 0.0015  # households with a 転出予定 within 14 days (4 %/yr × 14/365)
# 支援措置: share of eligible households (women 20–59 living alone or with children), ≈ 0.1 % of
# residents (assumption).
PROTECTION_SHARE = 0.010
# Age at death, share of deaths (人口動態統計 2022 shape).
DEATH_AGE = ((30, 64, 0.09), (65, 74, 0.14), (75, 84, 0.28), (85, 94, 0.38), (95, 104, 0.11))
DEATH_MALE_SHARE = 0.51
# Who moves out: households of movers (住民基本台帳人口移動報告: movers are mostly 20–39).
MOVER_HOUSEHOLDS = (("single", 0.62), ("couple", 0.13), ("family", 0.25))
MOVER_SINGLE_AGE = ((18, 22, 0.30), (23, 29, 0.40), (30, 39, 0.20), (40, 69, 0.10))

# --- foreign residents ---------------------------------------------------------------------------

# Probability that a household is foreign, by kind (tuned so that ≈ 2.5 % of residents are
# foreign; 在留外国人統計 2023年末: 341万人 ≈ 2.7 % of the population, concentrated at 20–39).
FOREIGN_SINGLE_YOUNG = 0.12  # single, head 18–39
FOREIGN_SINGLE_OTHER = 0.012
FOREIGN_FAMILY = 0.02
FOREIGN_SPOUSE_OF_JAPANESE = 0.008  # couples whose wife is a foreign national (日本人の配偶者等)

# Nationality shares (出入国在留管理庁「在留外国人統計」2023年12月末, rounded): 中国 24 %, ベトナム 17 %,
# 韓国 12 %, フィリピン 9 %, ブラジル 6 %, ネパール 5 %, インドネシア 4 %, ミャンマー 2.5 %, 米国 2 %,
# 台湾 2 %, タイ 2 %, インド 1.5 %, others folded into these.
NATIONALITIES = (
    ("中国", 0.27),
    ("ベトナム", 0.19),
    ("韓国", 0.13),
    ("フィリピン", 0.10),
    ("ブラジル", 0.07),
    ("ネパール", 0.06),
    ("インドネシア", 0.05),
    ("ミャンマー", 0.03),
    ("米国", 0.03),
    ("台湾", 0.03),
    ("タイ", 0.02),
    ("インド", 0.02),
)
# 在留資格 of a foreign head, by nationality (weights; assumption shaped after the same
# statistics: 韓国 mostly 特別永住者, ベトナム/インドネシア/ミャンマー 技能実習・特定技能 …).
STATUS_SINGLE = {
    "中国": (
        ("永住者", 3),
        ("技術・人文知識・国際業務", 3),
        ("留学", 3),
        ("技能実習", 1),
        ("特定技能1号", 1),
    ),
    "ベトナム": (("技能実習", 5), ("特定技能1号", 3), ("留学", 2), ("技術・人文知識・国際業務", 2)),
    "韓国": (("特別永住者", 5), ("永住者", 2), ("技術・人文知識・国際業務", 1), ("留学", 1)),
    "フィリピン": (("永住者", 4), ("定住者", 2), ("技能実習", 2), ("特定技能1号", 1)),
    "ブラジル": (("永住者", 5), ("定住者", 4)),
    "ネパール": (("留学", 3), ("技能", 2), ("技術・人文知識・国際業務", 2), ("特定技能1号", 1)),
    "インドネシア": (("技能実習", 5), ("特定技能1号", 3), ("留学", 1)),
    "ミャンマー": (("技能実習", 4), ("特定技能1号", 3), ("留学", 2)),
    "米国": (("永住者", 3), ("技術・人文知識・国際業務", 3), ("教育", 2)),
    "台湾": (("永住者", 3), ("技術・人文知識・国際業務", 3), ("留学", 2)),
    "タイ": (("技能実習", 3), ("永住者", 2), ("特定技能1号", 2)),
    "インド": (("技術・人文知識・国際業務", 4), ("技能", 2), ("永住者", 1)),
}
STATUS_FAMILY_HEAD = {
    "韓国": (("特別永住者", 6), ("永住者", 3)),
    "ブラジル": (("永住者", 6), ("定住者", 4)),
}
STATUS_FAMILY_HEAD_DEFAULT = (("永住者", 5), ("技術・人文知識・国際業務", 3), ("定住者", 2))
# The family of a head with this status holds:
STATUS_OF_FAMILY = {
    "永住者": "永住者の配偶者等",
    "技術・人文知識・国際業務": "家族滞在",
    "技能": "家族滞在",
    "定住者": "定住者",
    "特別永住者": "特別永住者",
}
PERMANENT_STATUSES = frozenset({"永住者", "特別永住者"})  # no 在留期間の満了の日
# Length of a stay granted at once, in days (1–5 years depending on the status; assumption).
STAY_DAYS = {"技能実習": (180, 730), "留学": (180, 1600), "特定技能1号": (180, 365)}
STAY_DAYS_DEFAULT = (365, 1825)
ALIAS_SHARE_SPECIAL_PERMANENT = 0.5  # 特別永住者 with a 通称 (Japanese name) recorded
# Nationalities whose married women keep their own surname.
KEEP_SURNAME = frozenset({"中国", "韓国", "ベトナム", "台湾"})

# Names in the alphabet as registered (passport order: surname first) with フリガナ, from
# foreign_names.json: {nationality: (surnames, male given names, female given names, male
# middle names, female middle names)}.
FOREIGN_NAMES: dict[str, tuple[_Pairs, _Pairs, _Pairs, _Pairs, _Pairs]] = {
    nationality: tuple(_pairs(names[part]) for part in _FOREIGN_NAME_PARTS)
    for nationality, names in _load("foreign_names.json").items()
}
MIDDLE_AFTER_GIVEN = frozenset({"米国"})
# 通称 of 特別永住者 (Japanese surnames commonly used as 通称).
ALIAS_SURNAMES = _pairs(_JAPANESE_NAMES["alias_surnames"])
COUNTRY_ADDRESS = {  # 国外 as written in 転入前住所 / 転出先住所
    "中国": "中華人民共和国",
    "ベトナム": "ベトナム社会主義共和国",
    "韓国": "大韓民国",
    "フィリピン": "フィリピン共和国",
    "ブラジル": "ブラジル連邦共和国",
    "ネパール": "ネパール",
    "インドネシア": "インドネシア共和国",
    "ミャンマー": "ミャンマー連邦共和国",
    "米国": "アメリカ合衆国",
    "台湾": "台湾",
    "タイ": "タイ王国",
    "インド": "インド",
}
JAPANESE_ABROAD = (
    "アメリカ合衆国",
    "中華人民共和国",
    "オーストラリア連邦",
    "タイ王国",
    "イギリス",
    "ドイツ連邦共和国",
    "シンガポール共和国",
    "カナダ",
)

# --- Japanese names ------------------------------------------------------------------------------

# Faker ja_JP supplies the 50 most frequent surnames (weighted by frequency) and ~50 given
# names; these add the next ~100 surnames (明治安田生命/名字由来net rankings, ranks ≈ 51–150)
# and given names typical of each birth cohort (明治安田生命「名前ランキング」 by year).
EXTRA_SURNAMES = _pairs(_JAPANESE_NAMES["extra_surnames"])
# Surnames written with 異体字/外字 (U+20BB7 𠮷, U+9AD9 髙, U+FA11 﨑, 邉, 邊, 齋, 齊, 濱, 德).
RARE_SURNAMES = _pairs(_JAPANESE_NAMES["rare_surnames"])
# Given names by birth cohort: (first year of the cohort, male names, female names).
GIVEN_NAMES_BY_COHORT: tuple[tuple[int, _Pairs, _Pairs], ...] = tuple(
    (cohort["from"], _pairs(cohort["male"]), _pairs(cohort["female"]))
    for cohort in _JAPANESE_NAMES["given_names_by_cohort"]
)

# --- addresses -----------------------------------------------------------------------------------

# 方書 (building name + room): share of households, in 住居表示 (丁目) areas and elsewhere
# (assumption: 共同住宅 ≈ 44 % of dwellings nationally (住宅・土地統計調査 2018), fewer outside
# city centres; only part of them is recorded with a 方書).
EXTRA_SHARE_URBAN = 0.35
EXTRA_SHARE_RURAL = 0.08
BUILDING_PREFIXES = (
    "コーポ",
    "ハイツ",
    "メゾン",
    "グランド",
    "パレス",
    "サンハイツ",
    "アーバン",
    "ロイヤル",
    "エスポワール",
    "ヴィラ",
    "プリムローズ",
    "フォーレスト",
)
BUILDING_SUFFIXES = ("", "", "", "荘", "マンション", "ハイツ", "レジデンス", "コート", "ガーデン")
# Weight of a 町字 when choosing where a household lives: 住居表示 areas are denser (assumption).
URBAN_WEIGHT, OTHER_WEIGHT, RURAL_WEIGHT = 4, 2, 1
KANJI_NUMBERS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
