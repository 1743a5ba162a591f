"""Tests for 和暦 formatting/parsing, partial dates and legal age."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yakuba.platform.japanese.wareki import (
    ERAS,
    MIN_DATE,
    PartialDate,
    WarekiError,
    age_on,
    era_end,
    era_for,
    format_date_for_resident,
    format_seireki,
    format_wareki,
    parse_partial_date,
    parse_wareki,
    turns_age_on,
)

ALL_DATES = st.dates(min_value=MIN_DATE, max_value=date(2100, 12, 31))

# --------------------------------------------------------------------------------------
# Era table


def test_era_table_is_ordered_and_contiguous():
    assert [e.name for e in ERAS] == ["明治", "大正", "昭和", "平成", "令和"]
    assert [e.code for e in ERAS] == [1, 2, 3, 4, 5]
    for prev, nxt in zip(ERAS, ERAS[1:], strict=False):
        assert era_end(prev) == nxt.start - timedelta(days=1)
    assert era_end(ERAS[-1]) is None


def test_era_table_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ERAS[0].name = "X"  # type: ignore[misc]


# --------------------------------------------------------------------------------------
# format_wareki

BOUNDARIES = [
    (date(1912, 7, 29), "明治45年7月29日", "M45.7.29"),
    (date(1912, 7, 30), "大正元年7月30日", "T1.7.30"),
    (date(1926, 12, 24), "大正15年12月24日", "T15.12.24"),
    (date(1926, 12, 25), "昭和元年12月25日", "S1.12.25"),
    (date(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
    (date(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
    (date(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
    (date(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
]


@pytest.mark.parametrize(("d", "kanji", "short"), BOUNDARIES)
def test_era_boundary_days(d, kanji, short):
    assert format_wareki(d) == kanji
    assert format_wareki(d, style="short") == short
    assert parse_wareki(kanji) == d
    assert parse_wareki(short) == d


def test_format_examples():
    assert format_wareki(date(2026, 4, 1)) == "令和8年4月1日"
    assert format_wareki(date(2026, 4, 1), style="short") == "R8.4.1"
    assert format_wareki(date(1873, 1, 1)) == "明治6年1月1日"
    assert format_wareki(datetime(2026, 4, 1, 12, 30)) == "令和8年4月1日"


def test_format_zero_padded():
    assert format_wareki(date(2026, 4, 1), zero_pad=True) == "令和08年04月01日"
    assert format_wareki(date(2026, 4, 1), style="short", zero_pad=True) == "R08.04.01"
    # 元 (one full-width cell pair) keeps the same display width as two half-width digits
    assert format_wareki(date(2019, 5, 1), zero_pad=True) == "令和元年05月01日"
    assert format_wareki(date(2019, 5, 1), style="short", zero_pad=True) == "R01.05.01"


def test_format_code_style():
    assert format_wareki(date(1960, 1, 7), style="code") == "3350107"
    assert format_wareki(date(2019, 5, 1), style="code") == "5010501"


def test_format_rejects_pre_gregorian_and_bad_style():
    with pytest.raises(WarekiError, match="^明治6年1月1日（1873年1月1日）より前の日付は扱えません"):
        format_wareki(date(1872, 12, 31))
    with pytest.raises(ValueError, match="unknown style"):
        format_wareki(date(2020, 1, 1), style="roman")
    with pytest.raises(TypeError):
        format_wareki("2020-01-01")  # type: ignore[arg-type]


def test_era_for_boundaries():
    assert era_for(date(1989, 1, 7)).name == "昭和"
    assert era_for(date(1989, 1, 8)).name == "平成"
    assert era_for(MIN_DATE).name == "明治"


# --------------------------------------------------------------------------------------
# parse_wareki: accepted forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和8年4月1日", date(2026, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和８年４月１日", date(2026, 4, 1)),
        ("令和八年四月一日", date(2026, 4, 1)),
        ("平成三十一年四月三十日", date(2019, 4, 30)),
        ("昭和二〇年八月十五日", date(1945, 8, 15)),
        ("昭和六十四年一月七日", date(1989, 1, 7)),
        (" 令和 8 年　4 月 1 日 ", date(2026, 4, 1)),
        ("昭35年1月7日", date(1960, 1, 7)),
        ("㍻元年1月8日", date(1989, 1, 8)),
        ("S35.1.7", date(1960, 1, 7)),
        ("s35.1.7", date(1960, 1, 7)),
        ("S35/1/7", date(1960, 1, 7)),
        ("S35-1-7", date(1960, 1, 7)),
        ("Ｓ３５．１．７", date(1960, 1, 7)),
        ("H31.4.30", date(2019, 4, 30)),
        ("R1.5.1", date(2019, 5, 1)),
        ("R元.5.1", date(2019, 5, 1)),
        ("M45.7.29", date(1912, 7, 29)),
        ("T15.12.24", date(1926, 12, 24)),
        ("昭35.1.7", date(1960, 1, 7)),
        ("3350107", date(1960, 1, 7)),
        ("5080401", date(2026, 4, 1)),
        ("1960-01-07", date(1960, 1, 7)),
        ("1960/1/7", date(1960, 1, 7)),
        ("19600107", date(1960, 1, 7)),
        ("1960年1月7日", date(1960, 1, 7)),
        ("１９６０／０１／０７", date(1960, 1, 7)),
        ("1873-01-01", date(1873, 1, 1)),
    ],
)
def test_parse_accepted_forms(text, expected):
    assert parse_wareki(text) == expected


# --------------------------------------------------------------------------------------
# parse_wareki: rejections with the exact message shown to clerks


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("平成32年1月1日", "平成32年は存在しません（平成は31年4月30日まで）"),
        ("H32.1.1", "平成32年は存在しません（平成は31年4月30日まで）"),
        ("明治46年1月1日", "明治46年は存在しません（明治は45年7月29日まで）"),
        ("大正16年1月1日", "大正16年は存在しません（大正は15年12月24日まで）"),
        ("昭和65年1月1日", "昭和65年は存在しません（昭和は64年1月7日まで）"),
        ("昭和64年1月8日", "昭和64年1月8日は存在しません（平成元年1月8日です）"),
        ("S64.1.8", "昭和64年1月8日は存在しません（平成元年1月8日です）"),
        ("平成31年5月1日", "平成31年5月1日は存在しません（令和元年5月1日です）"),
        ("令和元年4月30日", "令和元年4月30日は存在しません（平成31年4月30日です）"),
        ("平成元年1月7日", "平成元年1月7日は存在しません（昭和64年1月7日です）"),
        ("明治45年7月30日", "明治45年7月30日は存在しません（大正元年7月30日です）"),
        ("大正元年7月29日", "大正元年7月29日は存在しません（明治45年7月29日です）"),
        ("令和2年2月30日", "2月30日は存在しない日付です"),
        ("2021-02-30", "2月30日は存在しない日付です"),
        ("令和3年4月31日", "4月31日は存在しない日付です"),
        ("平成31年2月29日", "2月29日は存在しない日付です（平成31年はうるう年ではありません）"),
        ("2019/2/29", "2月29日は存在しない日付です（2019年はうるう年ではありません）"),
        ("令和2年13月1日", "13月は存在しません"),
        ("令和2年0月1日", "0月は存在しません"),
        ("令和2年1月32日", "32日は存在しません"),
        ("令和0年1月1日", "令和0年は存在しません"),
        ("X8年4月1日", "元号を認識できません: X"),
        ("X8.4.1", "元号を認識できません: X"),
        ("光文2年1月1日", "元号を認識できません: 光文"),
        ("6350107", "元号を認識できません: 6"),
        (
            "明治5年12月2日",
            "明治6年1月1日（1873年1月1日）より前の日付は扱えません（改暦前の太陰太陽暦のため）",
        ),
        ("1872-12-31", "明治6年1月1日（1873年1月1日）より前の日付は扱えません（改暦前の太陰太陽暦のため）"),
        ("令和8年4月", "日付として認識できません: 令和8年4月"),
        ("tomorrow", "日付として認識できません: tomorrow"),
        ("", "日付が入力されていません"),
        ("　", "日付が入力されていません"),
    ],
)
def test_parse_rejections(text, message):
    with pytest.raises(WarekiError) as info:
        parse_wareki(text)
    assert str(info.value) == message


def test_wareki_error_is_value_error():
    assert issubclass(WarekiError, ValueError)


# --------------------------------------------------------------------------------------
# Round trips over the whole supported range


def test_round_trip_every_day_exhaustively():
    d, end = MIN_DATE, date(2100, 12, 31)
    while d <= end:
        assert parse_wareki(format_wareki(d)) == d
        assert parse_wareki(format_wareki(d, style="short")) == d
        d += timedelta(days=1)


@given(ALL_DATES, st.sampled_from(["kanji", "short", "code"]), st.booleans())
def test_round_trip_all_styles(d, style, zero_pad):
    assert parse_wareki(format_wareki(d, style=style, zero_pad=zero_pad)) == d


@given(ALL_DATES)
def test_short_form_equals_kanji_form(d):
    era = era_for(d)
    year = d.year - era.offset
    short = f"{era.letter}{year}.{d.month}.{d.day}"
    kanji = f"{era.name}{year}年{d.month}月{d.day}日"
    abbrev = f"{era.name[0]}{year}.{d.month}.{d.day}"
    assert parse_wareki(short) == parse_wareki(kanji) == parse_wareki(abbrev) == d
    assert parse_wareki(short.lower()) == d


@given(ALL_DATES)
def test_format_uses_gannen_exactly_in_first_year(d):
    era = era_for(d)
    text = format_wareki(d)
    assert text.startswith(era.name)
    assert ("元年" in text) == (d.year == era.start.year)


@given(st.sampled_from(ERAS[1:]))
def test_era_boundaries_property(era):
    first, last_of_prev = era.start, era.start - timedelta(days=1)
    assert format_wareki(first).startswith(f"{era.name}元年")
    assert era_for(last_of_prev) != era
    assert parse_wareki(format_wareki(last_of_prev)) == last_of_prev
    # The previous era's name on the first day of the new era is always rejected.
    prev = era_for(last_of_prev)
    text = f"{prev.name}{first.year - prev.offset}年{first.month}月{first.day}日"
    with pytest.raises(WarekiError, match=f"（{era.name}元年"):
        parse_wareki(text)


@given(ALL_DATES)
def test_gregorian_forms(d):
    assert parse_wareki(d.isoformat()) == d
    assert parse_wareki(d.strftime("%Y%m%d")) == d
    assert parse_wareki(f"{d.year}/{d.month}/{d.day}") == d
    assert parse_wareki(format_seireki(d)) == d


# --------------------------------------------------------------------------------------
# PartialDate / parse_partial_date


@pytest.mark.parametrize(
    ("text", "fields", "canonical", "key"),
    [
        ("令和5年頃", ("令和", 5, None, None, "頃"), "令和5年頃", date(2023, 1, 1)),
        ("昭和35年1月上旬", ("昭和", 35, 1, None, "上旬"), "昭和35年1月上旬", date(1960, 1, 1)),
        ("昭和35年1月中旬", ("昭和", 35, 1, None, "中旬"), "昭和35年1月中旬", date(1960, 1, 11)),
        ("昭和35年1月下旬", ("昭和", 35, 1, None, "下旬"), "昭和35年1月下旬", date(1960, 1, 21)),
        ("昭和35年1月", ("昭和", 35, 1, None, None), "昭和35年1月", date(1960, 1, 1)),
        ("昭和35年", ("昭和", 35, None, None, None), "昭和35年", date(1960, 1, 1)),
        ("昭和35年月日不詳", ("昭和", 35, None, None, "不詳"), "昭和35年月日不詳", date(1960, 1, 1)),
        ("昭和35年1月日不詳", ("昭和", 35, 1, None, "不詳"), "昭和35年1月日不詳", date(1960, 1, 1)),
        ("年月日不詳", (None, None, None, None, "不詳"), "年月日不詳", date.min),
        ("令和元年", ("令和", 1, None, None, None), "令和元年", date(2019, 5, 1)),
        ("令和1年頃", ("令和", 1, None, None, "頃"), "令和元年頃", date(2019, 5, 1)),
        ("平成元年1月", ("平成", 1, 1, None, None), "平成元年1月", date(1989, 1, 8)),
        ("昭和三十五年一月", ("昭和", 35, 1, None, None), "昭和35年1月", date(1960, 1, 1)),
        ("明治45年7月30日", ("明治", 45, 7, 30, None), "明治45年7月30日", date(1912, 7, 30)),
        ("昭和64年1月8日", ("昭和", 64, 1, 8, None), "昭和64年1月8日", date(1989, 1, 8)),
        ("平成31年2月29日", ("平成", 31, 2, 29, None), "平成31年2月29日", date(2019, 2, 28)),
        ("昭和35年2月30日", ("昭和", 35, 2, 30, None), "昭和35年2月30日", date(1960, 2, 29)),
        ("平成32年1月1日", ("平成", 32, 1, 1, None), "平成32年1月1日", date(2020, 1, 1)),
        ("明治5年12月2日", ("明治", 5, 12, 2, None), "明治5年12月2日", date(1872, 12, 2)),
        ("昭和35年1月7日頃", ("昭和", 35, 1, 7, "頃"), "昭和35年1月7日頃", date(1960, 1, 7)),
        ("1990年1月", (None, 1990, 1, None, None), "1990年1月", date(1990, 1, 1)),
        ("1990年頃", (None, 1990, None, None, "頃"), "1990年頃", date(1990, 1, 1)),
    ],
)
def test_parse_partial_date(text, fields, canonical, key):
    value = parse_partial_date(text)
    assert isinstance(value, PartialDate)
    assert (value.era, value.year, value.month, value.day, value.qualifier) == fields
    assert value.text == text
    assert value.format() == canonical
    assert str(value) == canonical
    assert value.sort_key() == key
    assert parse_partial_date(canonical) == value  # the canonical text reads back


@pytest.mark.parametrize(
    ("text", "expected"),
    [("昭和35年1月7日", date(1960, 1, 7)), ("S35.1.7", date(1960, 1, 7)), ("19600107", date(1960, 1, 7))],
)
def test_parse_partial_date_returns_date_for_exact_dates(text, expected):
    assert parse_partial_date(text) == expected
    assert type(parse_partial_date(text)) is date


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("昭和35年13月", "13月は存在しません"),
        ("昭和35年1月32日", "32日は存在しません"),
        ("X35年", "元号を認識できません: X"),
        ("昭和0年", "昭和0年は存在しません"),
        ("昭和35年上旬", "上旬は月まで分かる日付にだけ付けられます"),
        ("昭和35年1月7日上旬", "上旬は月まで分かる日付にだけ付けられます"),
        ("昭和35年1月7日不詳", "年月日がすべて分かっているので不詳ではありません"),
        ("そのうち", "日付として認識できません: そのうち"),
        ("S35.2.30", "2月30日は存在しない日付です"),  # short forms are never kept as non-calendar
    ],
)
def test_parse_partial_date_rejections(text, message):
    with pytest.raises(WarekiError) as info:
        parse_partial_date(text)
    assert str(info.value) == message


def test_partial_date_validation():
    with pytest.raises(WarekiError, match="年が不詳で月だけ"):
        PartialDate(month=1, qualifier="不詳")
    with pytest.raises(WarekiError, match="月が不詳で日だけ"):
        PartialDate("昭和", 35, None, 7)
    with pytest.raises(WarekiError, match="元号は正式名称で"):
        PartialDate("S", 35)
    with pytest.raises(WarekiError, match="元号だけで年がありません"):
        PartialDate("昭和")
    with pytest.raises(WarekiError, match="年月日不詳"):
        PartialDate()
    with pytest.raises(WarekiError, match="「頃」"):
        PartialDate(qualifier="頃")
    with pytest.raises(WarekiError, match="認識できない修飾語"):
        PartialDate("昭和", 35, qualifier="ごろ")


def test_partial_date_is_immutable_and_text_is_not_part_of_equality():
    a = parse_partial_date("令和元年頃")
    b = parse_partial_date("令和１年頃")
    assert a == b and hash(a) == hash(b)
    assert a.text != b.text
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.year = 2  # type: ignore[misc]


def test_partial_date_seireki_and_unknown():
    assert parse_partial_date("昭和35年1月上旬").format(seireki=True) == "1960年1月上旬"
    assert parse_partial_date("年月日不詳").format(seireki=True) == "年月日不詳"
    unknown = parse_partial_date("年月日不詳")
    assert unknown.is_unknown and unknown.gregorian_year() is None
    assert not parse_partial_date("昭和35年").is_unknown


def test_sort_key_orders_partial_and_exact_dates():
    texts = ["昭和35年1月下旬", "年月日不詳", "昭和35年1月中旬", "昭和35年", "昭和34年頃", "昭和35年2月"]
    ordered = sorted((parse_partial_date(t) for t in texts), key=lambda p: p.sort_key())
    assert [p.text for p in ordered] == [
        "年月日不詳",
        "昭和34年頃",
        "昭和35年",
        "昭和35年1月中旬",
        "昭和35年1月下旬",
        "昭和35年2月",
    ]


@given(
    st.sampled_from([e.name for e in ERAS]),
    st.integers(1, 99),
    st.one_of(st.none(), st.integers(1, 12)),
    st.sampled_from([None, "頃", "上旬", "中旬", "下旬", "不詳"]),
)
def test_partial_format_parse_round_trip(era, year, month, qualifier):
    if qualifier in ("上旬", "中旬", "下旬") and month is None:
        return
    value = PartialDate(era, year, month, None, qualifier)
    parsed = parse_partial_date(value.format())
    assert parsed == value
    assert parsed.format() == value.format()


@given(ALL_DATES)
def test_sort_key_never_later_than_any_matching_exact_date(d):
    era = era_for(d)
    year = d.year - era.offset
    for text in (f"{era.name}{year}年", f"{era.name}{year}年{d.month}月"):
        assert parse_partial_date(text).sort_key() <= d


# --------------------------------------------------------------------------------------
# Display for residents (§1.1.9)


def test_format_date_for_resident():
    d = date(1990, 1, 7)
    assert format_date_for_resident(d, foreign=False) == "平成2年1月7日"
    assert format_date_for_resident(d, foreign=True) == "1990年1月7日"
    partial = parse_partial_date("平成2年1月")
    assert format_date_for_resident(partial, foreign=False) == "平成2年1月"
    assert format_date_for_resident(partial, foreign=True) == "1990年1月"


@given(ALL_DATES, st.booleans())
def test_resident_display_never_mixes_calendars(d, foreign):
    text = format_date_for_resident(d, foreign=foreign)
    has_era = any(e.name in text for e in ERAS)
    assert has_era is not foreign
    assert text == (format_seireki(d) if foreign else format_wareki(d))


# --------------------------------------------------------------------------------------
# Age (年齢計算ニ関スル法律)


def test_age_on_examples():
    birth = date(1960, 1, 7)
    assert age_on(birth, date(2020, 1, 6)) == 59
    assert age_on(birth, date(2020, 1, 7)) == 60
    assert age_on(birth, birth) == 0
    with pytest.raises(WarekiError, match="基準日が生年月日より前です"):
        age_on(birth, date(1960, 1, 6))


def test_age_on_leap_day_birth():
    birth = date(2000, 2, 29)
    assert age_on(birth, date(2001, 2, 28)) == 0
    assert age_on(birth, date(2001, 3, 1)) == 1
    assert age_on(birth, date(2004, 2, 29)) == 4


def test_turns_age_on_is_birthday_eve():
    assert turns_age_on(date(2000, 4, 2), 6) == date(2006, 4, 1)
    # Born 4月1日: turns 6 on 3月31日, so enters school with the previous cohort.
    assert turns_age_on(date(2000, 4, 1), 6) == date(2006, 3, 31)
    assert turns_age_on(date(2000, 1, 1), 20) == date(2019, 12, 31)


def test_turns_age_on_leap_day_birth_is_feb_28():
    birth = date(2000, 2, 29)
    assert turns_age_on(birth, 1) == date(2001, 2, 28)
    assert turns_age_on(birth, 4) == date(2004, 2, 28)
    with pytest.raises(ValueError):
        turns_age_on(birth, 0)


@given(st.dates(min_value=MIN_DATE, max_value=date(2000, 12, 31)), st.integers(1, 100))
def test_age_changes_the_day_after_the_legal_date(birth, n):
    legal = turns_age_on(birth, n)
    assert age_on(birth, legal) == n - 1
    assert age_on(birth, legal + timedelta(days=1)) == n


@given(st.dates(min_value=MIN_DATE, max_value=date(2050, 12, 31)), st.dates(max_value=date(2150, 12, 31)))
def test_age_on_is_monotonic(birth, on):
    if on < birth:
        return
    assert age_on(birth, on) <= age_on(birth, on + timedelta(days=1)) <= age_on(birth, on) + 1
