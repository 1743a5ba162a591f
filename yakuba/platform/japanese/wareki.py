"""和暦 (Japanese era calendar): formatting, parsing, partial (不詳) dates and legal age.

Rules implemented here come from 住民記録システム標準仕様書 §1.1.8–1.1.9:

* dates are calendar dates, except 生年月日, 住民となった日, 住所を定めた日 and the 異動日 of
  出生・死亡, which may be a non-calendar date (暦にない日付) or partly unknown (不詳) —
  see :class:`PartialDate`;
* dates are displayed in 和暦 everywhere, except a foreign resident's 生年月日 and
  在留期間満了日, which are displayed in 西暦; showing both at once is not allowed — see
  :func:`format_date_for_resident`.

Japan adopted the Gregorian calendar on 明治6年1月1日 (1873-01-01, 明治5年太政官布告第337号).
Earlier 明治 dates are 太陰太陽暦 dates with no exact Gregorian equivalent, so exact dates
before :data:`MIN_DATE` are rejected; a pre-reform date can only be kept as written in a
:class:`PartialDate`.

Error messages (:class:`WarekiError`) are shown to clerks as they are, hence in Japanese.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

__all__ = [
    "ERAS",
    "MIN_DATE",
    "Era",
    "PartialDate",
    "WarekiError",
    "age_on",
    "era_end",
    "era_for",
    "era_by_name",
    "QUALIFIERS",
    "format_date_for_resident",
    "format_seireki",
    "format_wareki",
    "parse_partial_date",
    "parse_wareki",
    "turns_age_on",
]


class WarekiError(ValueError):
    """A date text or value that cannot be accepted; the message is shown to clerks."""


@dataclass(frozen=True, slots=True)
class Era:
    """One 元号.

    ``start`` is the first Gregorian day of the era; ``letter`` is the initial used in short
    forms (``R8.4.1``); ``code`` is the digit of the 7-digit ``GYYMMDD`` form used by many
    municipal systems and files (1=明治 … 5=令和).
    """

    name: str
    letter: str
    code: int
    start: date

    @property
    def offset(self) -> int:
        """Gregorian year = ``offset`` + era year."""
        return self.start.year - 1


# A new era is one line (its start date is the day after the previous era ends).
# 明治 starts retroactively on 慶応4年1月1日 = 1868-01-25; only its year numbering matters here
# because exact dates before MIN_DATE are out of scope.
ERAS: tuple[Era, ...] = (
    Era("明治", "M", 1, date(1868, 1, 25)),
    Era("大正", "T", 2, date(1912, 7, 30)),
    Era("昭和", "S", 3, date(1926, 12, 25)),
    Era("平成", "H", 4, date(1989, 1, 8)),
    Era("令和", "R", 5, date(2019, 5, 1)),
)

#: First supported exact date: 明治6年1月1日, the first day of the Gregorian calendar in Japan.
MIN_DATE = date(1873, 1, 1)
_MIN_DATE_MESSAGE = "明治6年1月1日（1873年1月1日）より前の日付は扱えません（改暦前の太陰太陽暦のため）"

_ENDS: dict[str, date | None] = {
    era.name: (ERAS[i + 1].start - timedelta(days=1) if i + 1 < len(ERAS) else None)
    for i, era in enumerate(ERAS)
}

# Every accepted spelling of an era: full name, its first kanji, the latin initial.
_ERA_KEYS: dict[str, Era] = {}
for _era in ERAS:
    _ERA_KEYS[_era.name] = _era
    _ERA_KEYS[_era.name[0]] = _era
    _ERA_KEYS[_era.letter] = _era
_ERA_BY_CODE = {era.code: era for era in ERAS}


def era_by_name(name: str) -> Era:
    """The era for ``name`` (``"昭和"``, ``"昭"``, ``"S"`` or ``"s"``); unknown → WarekiError."""
    era = _ERA_KEYS.get(name.upper() if name.isascii() else name)
    if era is None:
        raise WarekiError(f"元号を認識できません: {name}")
    return era


def era_end(era: Era) -> date | None:
    """Last day of ``era``, or None for the current era."""
    return _ENDS[era.name]


def era_for(d: date) -> Era:
    """The era that ``d`` belongs to (the day an era starts belongs to the new era)."""
    if isinstance(d, datetime):
        d = d.date()
    if d < MIN_DATE:
        raise WarekiError(_MIN_DATE_MESSAGE)
    for era in reversed(ERAS):
        if d >= era.start:
            return era
    raise AssertionError("unreachable: MIN_DATE is inside 明治")


def _last_year(era: Era) -> int | None:
    end = era_end(era)
    return None if end is None else end.year - era.offset


def _year_text(year: int, *, gannen: bool = True, zero_pad: bool = False) -> str:
    if year == 1 and gannen:
        return "元"
    return f"{year:02d}" if zero_pad else str(year)


# --------------------------------------------------------------------------------------
# Formatting


def format_wareki(d: date, *, style: str = "kanji", zero_pad: bool = False) -> str:
    """Format ``d`` in 和暦.

    Styles:

    * ``"kanji"`` — ``令和8年4月1日``; the first year of an era is ``元年`` (``令和元年5月1日``),
      which is how official documents write it;
    * ``"short"`` — ``R8.4.1`` (the abbreviated form of 公用文, e.g. 川崎市公用文規程 ``令和2. 4. 1``
      with the latin initial used on counter forms); the first year is ``1`` (``R1.5.1``);
    * ``"code"`` — the 7-digit ``GYYMMDD`` form (``3350107`` = 昭和35年1月7日) used in fixed
      layout files; always zero padded.

    ``zero_pad`` pads year, month and day to two digits for fixed-width forms
    (``令和08年04月01日``, ``R08.04.01``). ``元`` stays as is: one full-width character takes
    the same two display cells as two half-width digits, so the width is still fixed.
    """
    if not isinstance(d, date):
        raise TypeError("format_wareki expects a datetime.date")
    if isinstance(d, datetime):
        d = d.date()
    era = era_for(d)
    year = d.year - era.offset
    if style == "kanji":
        pad = "02d" if zero_pad else "d"
        return f"{era.name}{_year_text(year, zero_pad=zero_pad)}年{d.month:{pad}}月{d.day:{pad}}日"
    if style == "short":
        pad = "02d" if zero_pad else "d"
        return f"{era.letter}{year:{pad}}.{d.month:{pad}}.{d.day:{pad}}"
    if style == "code":
        if year > 99:
            raise WarekiError(f"{era.name}{year}年は7桁の和暦コードで表せません")
        return f"{era.code}{year:02d}{d.month:02d}{d.day:02d}"
    raise ValueError(f"unknown style: {style!r}")


def format_seireki(d: date) -> str:
    """``1990年1月7日`` — the 西暦 form used for foreign residents (no zero padding)."""
    return f"{d.year}年{d.month}月{d.day}日"


# --------------------------------------------------------------------------------------
# Parsing

_KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUM = r"[0-9〇零一二三四五六七八九十]+"


def _number(token: str) -> int:
    """Arabic digits, positional kanji (``二〇``) or counted kanji (``三十一``, ``十``)."""
    if token.isdigit():
        return int(token)
    if "十" in token:
        tens, _, ones = token.partition("十")
        if "十" in ones or len(tens) > 1 or len(ones) > 1:
            raise WarekiError(f"数字を認識できません: {token}")
        try:
            return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)
        except KeyError:
            raise WarekiError(f"数字を認識できません: {token}") from None
    try:
        return int("".join(str(_KANJI_DIGITS[c]) for c in token))
    except KeyError:
        raise WarekiError(f"数字を認識できません: {token}") from None


def _year_number(token: str) -> int:
    return 1 if token == "元" else _number(token)


def _normalize(text: str) -> str:
    # NFKC turns full-width digits/punctuation into ASCII and squared era signs (㍻, ㋿) into
    # their names; all whitespace (including U+3000) is insignificant in a date.
    if not isinstance(text, str):
        raise TypeError("expected a str")
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_KANJI_RE = re.compile(
    rf"(?P<era>[^0-9〇零一二三四五六七八九十元]*)(?P<y>元|{_NUM})年(?P<m>{_NUM})月(?P<d>{_NUM})日"
)
_SHORT_RE = re.compile(r"(?P<era>[^0-9.\-/]+)(?P<y>元|\d{1,3})[./\-](?P<m>\d{1,2})[./\-](?P<d>\d{1,2})")
_GREGORIAN_RE = re.compile(r"(?P<y>\d{4})[./\-](?P<m>\d{1,2})[./\-](?P<d>\d{1,2})")
_DIGITS8_RE = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")
_DIGITS7_RE = re.compile(r"(?P<code>\d)(?P<y>\d{2})(?P<m>\d{2})(?P<d>\d{2})")


def _label(era: Era | None, year: int, month: int | None = None, day: int | None = None) -> str:
    text = f"{era.name}{_year_text(year)}年" if era else f"{year}年"
    if month is not None:
        text += f"{month}月"
        if day is not None:
            text += f"{day}日"
    return text


def _check_month_day(month: int | None, day: int | None) -> None:
    if month is not None and not 1 <= month <= 12:
        raise WarekiError(f"{month}月は存在しません")
    if day is not None and not 1 <= day <= 31:
        raise WarekiError(f"{day}日は存在しません")


def _check_era_year(era: Era, year: int) -> None:
    if year < 1:
        raise WarekiError(f"{era.name}{year}年は存在しません")
    last = _last_year(era)
    if last is not None and year > last:
        end = era_end(era)
        assert end is not None
        raise WarekiError(
            f"{era.name}{year}年は存在しません（{era.name}は{last}年{end.month}月{end.day}日まで）"
        )


def _resolve(era: Era | None, year: int, month: int, day: int) -> date:
    """Validate a fully specified date; every rejection names the rule that failed."""
    _check_month_day(month, day)
    if era is not None:
        _check_era_year(era, year)
    gregorian_year = year + (era.offset if era else 0)
    if gregorian_year < MIN_DATE.year:
        raise WarekiError(_MIN_DATE_MESSAGE)
    try:
        result = date(gregorian_year, month, day)
    except ValueError:
        message = f"{month}月{day}日は存在しない日付です"
        if month == 2 and day == 29:
            message += f"（{_label(era, year)}はうるう年ではありません）"
        raise WarekiError(message) from None
    if era is not None:
        end = era_end(era)
        if result < era.start or (end is not None and result > end):
            actual = format_wareki(result)
            raise WarekiError(f"{_label(era, year, month, day)}は存在しません（{actual}です）")
    return result


def parse_wareki(text: str) -> date:
    """Parse an exact date typed by a clerk or read from a file.

    Accepted (full-width digits, spaces and kanji numerals are allowed everywhere):

    * ``令和8年4月1日``, ``令和元年5月1日``, ``令和八年四月一日``, ``平成三十一年四月三十日``,
      ``昭35年1月7日``;
    * short forms ``S35.1.7``, ``s35.1.7``, ``S35/1/7``, ``R1.5.1``, ``昭35.1.7``;
    * the 7-digit ``GYYMMDD`` form (``3350107``; 1=明治 2=大正 3=昭和 4=平成 5=令和);
    * 西暦 ``1960-01-07``, ``1960/1/7``, ``1960.1.7``, ``19600107``, ``1960年1月7日``.

    A date outside its era (``昭和64年1月8日``, ``平成32年``), a date that does not exist
    (``2月30日``), an unknown era or a date before 1873-01-01 raises :class:`WarekiError`.
    Use :func:`parse_partial_date` for the fields the standard lets be non-calendar or 不詳.
    """
    raw = text
    s = _normalize(text)
    if not s:
        raise WarekiError("日付が入力されていません")
    if m := _DIGITS8_RE.fullmatch(s) or _GREGORIAN_RE.fullmatch(s):
        return _resolve(None, int(m["y"]), int(m["m"]), int(m["d"]))
    if m := _DIGITS7_RE.fullmatch(s):
        era = _ERA_BY_CODE.get(int(m["code"]))
        if era is None:
            raise WarekiError(f"元号を認識できません: {m['code']}")
        return _resolve(era, int(m["y"]), int(m["m"]), int(m["d"]))
    if m := _KANJI_RE.fullmatch(s) or _SHORT_RE.fullmatch(s):
        era = era_by_name(m["era"]) if m["era"] else None
        year = _year_number(m["y"])
        if era is None and "年" in s and m["y"] == "元":
            raise WarekiError(f"元号を認識できません: {raw.strip()}")
        return _resolve(era, year, _number(m["m"]), _number(m["d"]))
    raise WarekiError(f"日付として認識できません: {raw.strip()}")


# --------------------------------------------------------------------------------------
# Partial (不詳) and non-calendar dates

QUALIFIERS = ("頃", "上旬", "中旬", "下旬", "不詳")
_TEN_DAY_START = {"上旬": 1, "中旬": 11, "下旬": 21}


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date that is partly unknown (不詳) or not on the calendar, kept as registered.

    住民記録システム標準仕様書 §1.1.8 allows this only for 生年月日, 住民となった日,
    住所を定めた日 and the 異動日 of 出生・死亡; every other date must be an exact
    :class:`datetime.date`. Examples, with their fields:

    ============================  ======  ====  =====  ===  =========
    text                          era     year  month  day  qualifier
    ============================  ======  ====  =====  ===  =========
    ``昭和35年``                  昭和    35    –      –    –
    ``昭和35年頃``                昭和    35    –      –    頃
    ``昭和35年1月``               昭和    35    1      –    –
    ``昭和35年1月上旬``           昭和    35    1      –    上旬
    ``昭和35年月日不詳``          昭和    35    –      –    不詳
    ``年月日不詳``                –       –     –      –    不詳
    ``明治45年7月30日``           明治    45    7      30   –   (really 大正元年7月30日)
    ``平成31年2月29日``           平成    31    2      29   –   (2019 is not a leap year)
    ``1990年1月``                 –       1990  1      –    –   (西暦, foreign residents)
    ============================  ======  ====  =====  ===  =========

    ``era`` is the era name, or None when ``year`` is a 西暦 year. ``text`` is the literal
    text as registered; it is not part of equality, so two spellings of the same value
    (``令和元年`` / ``令和1年``) compare equal.
    """

    era: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    qualifier: str | None = None
    text: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.era is not None:
            era_by_name(self.era)  # raises for an unknown era
            if self.era not in _ENDS:
                raise WarekiError(f"元号は正式名称で指定してください: {self.era}")
            if self.year is None:
                raise WarekiError("元号だけで年がありません")
        if self.qualifier is not None and self.qualifier not in QUALIFIERS:
            raise WarekiError(f"認識できない修飾語です: {self.qualifier}")
        if self.year is not None and self.year < 1:
            raise WarekiError(f"{self.era or ''}{self.year}年は存在しません")
        if self.month is not None and self.year is None:
            raise WarekiError("年が不詳で月だけが分かる日付は登録できません")
        if self.day is not None and self.month is None:
            raise WarekiError("月が不詳で日だけが分かる日付は登録できません")
        _check_month_day(self.month, self.day)
        if self.qualifier in _TEN_DAY_START and (self.month is None or self.day is not None):
            raise WarekiError(f"{self.qualifier}は月まで分かる日付にだけ付けられます")
        if self.qualifier == "不詳" and self.day is not None:
            raise WarekiError("年月日がすべて分かっているので不詳ではありません")
        if self.qualifier == "頃" and self.year is None:
            raise WarekiError("年が不詳の日付に「頃」は付けられません")
        if self.year is None and self.qualifier != "不詳":
            raise WarekiError("年が不詳の場合は「年月日不詳」としてください")
        if not self.text:
            object.__setattr__(self, "text", self.format())

    @property
    def is_unknown(self) -> bool:
        """True for 年月日不詳 (nothing is known)."""
        return self.year is None

    def gregorian_year(self) -> int | None:
        """The 西暦 year (era year converted), or None for 年月日不詳."""
        if self.year is None:
            return None
        return self.year + (era_by_name(self.era).offset if self.era else 0)

    def format(self, *, seireki: bool = False) -> str:
        """Canonical text: ``昭和35年1月上旬``, ``令和元年頃``, ``昭和35年月日不詳``, ``年月日不詳``.

        With ``seireki=True`` an era year is converted to its 西暦 year (``1960年1月上旬``), for
        the foreign residents' 生年月日 (§1.1.9). A 西暦 value is never converted to 和暦:
        without a day the era of a boundary year (1989: 昭和64年 or 平成元年) is ambiguous.
        """
        if self.year is None:
            return "年月日不詳"
        if seireki or self.era is None:
            text = f"{self.gregorian_year()}年"
        else:
            text = f"{self.era}{_year_text(self.year)}年"
        if self.month is not None:
            text += f"{self.month}月"
            if self.day is not None:
                text += f"{self.day}日"
        if self.qualifier == "不詳":
            text += "月日不詳" if self.month is None else "日不詳"
        elif self.qualifier is not None:
            text += self.qualifier
        return text

    def __str__(self) -> str:
        return self.format()

    def sort_key(self) -> date:
        """The earliest Gregorian date the value can stand for, for ordering and age.

        Unknown month → January 1; unknown day → the 1st, or the 11th/21st for 中旬/下旬; a day
        beyond the month's end (2月29日 in a common year, 2月30日) → the month's last day, so
        it sorts after every real earlier day of that month; without a day, the first year of
        an era starts at the era's first day (``令和元年`` → 2019-05-01); an era year beyond
        the era's end (平成32年, 明治45年7月30日) counts from the era's first year like any
        other, and a written day is taken as written (``令和元年4月30日`` → 2019-04-30).
        ``頃`` (approximate) uses the stated value, as there is no earliest bound. 年月日不詳
        returns ``date.min`` so that it sorts first; check :attr:`is_unknown` before using the
        key to compute an age. Pre-1873 values are approximate (proleptic Gregorian).
        """
        year = self.gregorian_year()
        if year is None:
            return date.min
        if year > date.max.year:
            return date.max
        month = self.month or 1
        if self.day is not None:
            day = min(self.day, calendar.monthrange(year, month)[1])
            return date(year, month, day)
        earliest = date(year, month, _TEN_DAY_START.get(self.qualifier or "", 1))
        if self.era is not None:
            # 令和元年 cannot be earlier than 2019-05-01, 平成元年1月 than 1989-01-08.
            earliest = max(earliest, era_by_name(self.era).start)
        return earliest


_PARTIAL_RE = re.compile(
    rf"(?P<era>[^0-9〇零一二三四五六七八九十元]*)(?P<y>元|{_NUM})年"
    rf"(?:(?P<m>{_NUM})月(?:(?P<d>{_NUM})日)?)?"
    r"(?P<q>頃|上旬|中旬|下旬|月日不詳|日不詳|不詳)?"
)


def parse_partial_date(text: str) -> date | PartialDate:
    """Parse a date that may be non-calendar or 不詳 (住民記録システム標準仕様書 §1.1.8).

    Returns a :class:`datetime.date` when the text is an exact, existing date (anything
    :func:`parse_wareki` accepts), otherwise a :class:`PartialDate` that keeps the literal
    text: ``令和5年頃``, ``昭和35年1月上旬``, ``昭和35年1月``, ``昭和35年``, ``年月日不詳``,
    ``昭和35年月日不詳``, and non-calendar dates such as ``明治45年7月30日`` or
    ``平成31年2月29日`` that must stay as they were registered. Months outside 1–12, days
    outside 1–31, unknown eras and unreadable text still raise :class:`WarekiError`.
    """
    s = _normalize(text)
    if s in ("年月日不詳", "不詳"):
        return PartialDate(qualifier="不詳", text=text)
    try:
        return parse_wareki(text)
    except WarekiError as strict_error:
        m = _PARTIAL_RE.fullmatch(s)
        if m is None:
            raise strict_error from None
    era = era_by_name(m["era"]).name if m["era"] else None
    month = _number(m["m"]) if m["m"] else None
    day = _number(m["d"]) if m["d"] else None
    qualifier = m["q"]
    if qualifier == "月日不詳" and month is not None:
        raise WarekiError(f"日付として認識できません: {text.strip()}")
    if qualifier in ("月日不詳", "日不詳"):
        qualifier = "不詳"
    return PartialDate(era, _year_number(m["y"]), month, day, qualifier, text)


# --------------------------------------------------------------------------------------
# Display and age


def format_date_for_resident(value: date | PartialDate, *, foreign: bool) -> str:
    """Display rule of 住民記録システム標準仕様書 §1.1.9 for 生年月日 / 在留期間満了日.

    Japanese residents: 和暦 (``昭和35年1月7日``). Foreign residents: 西暦 only
    (``1960年1月7日``); the standard forbids showing both calendars together. Other dates of
    a foreign resident (e.g. 住民となった日) are displayed in 和暦: call with ``foreign=False``.
    """
    if isinstance(value, PartialDate):
        return value.format(seireki=foreign)
    return format_seireki(value) if foreign else format_wareki(value)


def age_on(birth: date, on: date) -> int:
    """Age in completed years on ``on`` (the usual birthday semantics).

    On the birthday itself the person has the new age. A person born on 2月29日 has the new
    age from 3月1日 in a common year; this agrees with 年齢計算ニ関スル法律 because the legal
    increase happens at the end of 2月28日 (see :func:`turns_age_on`).
    """
    if on < birth:
        raise WarekiError("基準日が生年月日より前です")
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def turns_age_on(birth: date, age: int) -> date:
    """The day on whose end the person legally reaches ``age`` (年齢計算ニ関スル法律, 民法第143条).

    Age is counted from the day of birth (初日算入), so a period of ``age`` years ends at the
    end of the day before the birthday: a person born on 4月2日 turns 6 on 4月1日 and one born
    on 4月1日 turns 6 on 3月31日 — hence 4月1日生まれ belong to the previous school year
    (学校教育法第17条). For 2月29日 the anniversary is missing in a common year, so the period
    ends on the last day of February (民法第143条第2項ただし書): 2月28日 every year.
    Laws that say "age n に達する日" mean this date.
    """
    if age < 1:
        raise ValueError("age must be at least 1")
    year = birth.year + age
    try:
        anniversary = birth.replace(year=year)
    except ValueError:  # 2月29日 in a common year
        anniversary = date(year, 3, 1)
    return anniversary - timedelta(days=1)
