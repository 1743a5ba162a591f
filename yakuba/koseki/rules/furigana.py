"""氏名の振り仮名 (改正戸籍法, 令和5年法律第48号; 施行 2025-05-26 — civil-facts §3.4).

- **Window.** The initial 届 may be filed from 2025-05-26 to 2026-05-25, once per person (附則
  4条・5条 as the municipalities word it: 「期間中に1度に限り」, 葛尾村
  https://www.katsurao.org/soshiki/2/koseki2.html). From 2026-05-26 the 本籍地 records the notified
  reading of everyone who filed nothing by 職権 (附則9条).
- **Who files.** 氏: the 筆頭者; if the 筆頭者 has left the 戸籍 (除籍), the 配偶者; if both have left,
  any member still in it (the first 届 wins). 名: the person themself from 15; under 15 the
  法定代理人 (親権者); from 15 to 17 either of them; from 18 the person only (葛尾村 and 波佐見町
  https://www.town.hasami.lg.jp/kiji0032198/index.html; マイナポータル FAQ
  https://faq.myna.go.jp/print/faq/11581). Ages are reached the day before the birthday
  (年齢計算ニ関スル法律).
- **Later changes.** A reading recorded by 職権 may be changed once by 届, without the 家庭裁判所;
  a filed reading (in the window, or on an 出生届) — or one already changed — only with the
  家庭裁判所's permission (五所川原市, 川俣町 https://www.town.kawamata.lg.jp/site/kurashi-tetsuzuki/furigana.html).
- **Readings (戸籍法13条2項).** 「氏名として用いられる文字の読み方として一般に認められているもの」:
  a reading made of the characters' readings (音・訓・名乗り), of a part of one (心愛 → ココア, 桜良
  → サラ) or of a 熟字訓 (飛鳥 → アスカ) passes; one unrelated to them is refused (太郎 → マイケル,
  一郎 → ジロウ, 健 → ケンジロウ) unless the filer proves it is in use (passport, 預貯金通帳 …)
  (田辺市 https://www.city.tanabe.lg.jp/shimin/syussyou_kononamae.html). What the characters'
  readings are is data (``data/readings.json``); a character it does not know sends the reading
  to the clerk (要審査) rather than refusing it.
- **Kana.** Stored as full-width katakana, small kana kept exactly (ャュョッ are not ヤユヨツ — the
  known misprint of the notices, 川俣町); hiragana and half-width input are converted
  (``yakuba.platform.japanese.kana``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path

from yakuba.platform.japanese.kana import is_katakana_name, to_katakana_fullwidth
from yakuba.platform.japanese.wareki import turns_age_on

START = date(2025, 5, 26)  # 施行日
LAST_DAY = date(2026, 5, 25)  # the last day of the one-year window
EX_OFFICIO_FROM = date(2026, 5, 26)  # 職権記載 (附則9条)
SELF_FILING_AGE = 15
ADULT_AGE = 18

Refusal = tuple[str, str]  # (field, the clerk's message)

BEFORE_START = "氏名の振り仮名の届は2025年5月26日から受け付けます"
ALREADY_FILED = "この期間中の振り仮名の届は1度に限ります（すでに届出があります）"
COURT_NEEDED = "届出により記載された振り仮名の変更には、家庭裁判所の許可が必要です"
NOT_HEAD = "氏の振り仮名の届出人は筆頭者です（筆頭者が除籍されているときは配偶者、配偶者も除籍されているときは在籍する子）"
SELF_ONLY = "18歳以上の方の名の振り仮名は、本人が届け出ます"
GUARDIAN_ONLY = "15歳未満の方の名の振り仮名は、法定代理人（親権者）が届け出ます"
NOT_KATAKANA = "振り仮名はカタカナで入力してください（{reading}）"
UNRELATED = "「{written}」の読み方として一般に認められているものではありません（{reading}）。現に使用していることを証する書面（旅券、預貯金通帳など）があれば受理できます"


class Source(StrEnum):
    """How the reading now in the 戸籍 came there — it decides how it may change."""

    NONE = "none"  # not yet recorded
    FILED = "filed"  # by a 届 (in the window, or on the 出生届 that wrote the person)
    EX_OFFICIO = "ex_officio"  # 職権記載 after the window
    CHANGED = "changed"  # the one free change after a 職権記載 was used


class Verdict(StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    REVIEW = "review"  # a character the table does not know: the clerk decides


class Filer(StrEnum):
    SELF = "self"  # the person whose 名 it is
    GUARDIAN = "guardian"  # 法定代理人 (親権者)


@dataclass(frozen=True)
class Standing:
    """Where the filer and the heads of the 戸籍 stand, for a 氏 reading."""

    filer_is_head: bool
    filer_is_spouse: bool
    head_present: bool  # the 筆頭者 is still in the 戸籍 (not 除籍)
    spouse_present: bool


def may_file_surname(standing: Standing) -> list[Refusal]:
    """Whether the filer may file the 氏 reading of their 戸籍 (筆頭者 → 配偶者 → a member)."""
    if standing.head_present:
        allowed = standing.filer_is_head
    elif standing.spouse_present:
        allowed = standing.filer_is_spouse
    else:
        allowed = True  # any member still in the 戸籍
    return [] if allowed else [("filer_id", NOT_HEAD)]


def may_file_given_name(filer: Filer, birth: date, on: date) -> list[Refusal]:
    """Whether ``filer`` may file the 名 reading of one born on ``birth``, on ``on``."""
    if filer == Filer.SELF and on < turns_age_on(birth, SELF_FILING_AGE):
        return [("filer", GUARDIAN_ONLY)]
    if filer == Filer.GUARDIAN and on >= turns_age_on(birth, ADULT_AGE):
        return [("filer", SELF_ONLY)]
    return []


def may_change(source: Source, on: date, *, court_permission: bool = False) -> list[Refusal]:
    """Whether a 振り仮名の届 may be filed on ``on`` for a reading recorded by ``source``."""
    if on < START:
        return [("filed_on", BEFORE_START)]
    if source == Source.NONE or (source == Source.EX_OFFICIO) or court_permission:
        return []
    if source == Source.FILED and on <= LAST_DAY:
        return [("filed_on", ALREADY_FILED)]
    return [("court_permission", COURT_NEEDED)]


def source_after_filing(source: Source) -> Source:
    """The reading's source once a 届 is accepted: the free change after 職権 is used up."""
    return Source.CHANGED if source in (Source.EX_OFFICIO, Source.CHANGED) else Source.FILED


def may_record_ex_officio(source: Source, on: date) -> bool:
    """The 職権記載 of the notified reading: from 2026-05-26, only where nothing was recorded."""
    return on >= EX_OFFICIO_FROM and source == Source.NONE


@cache
def _table() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    raw = json.loads((Path(__file__).parent / "data" / "readings.json").read_text(encoding="utf-8"))
    characters = {k: tuple(v) for k, v in raw["characters"].items()}
    return characters, {k: tuple(v) for k, v in raw["words"].items()}


def normalise(reading: str) -> str:
    """The reading as stored: full-width katakana, small kana kept (platform kana rules)."""
    return to_katakana_fullwidth(reading)


# 連濁: a later part may start voiced (山崎 ヤマ + ザキ); 促音: a cut reading may end in ッ (一輝 イッキ).
_VOICED = str.maketrans(
    "カキクケコサシスセソタチツテトハヒフヘホ", "ガギグゲゴザジズゼゾダヂヅデドバビブベボ"
)
_SEMI_VOICED = str.maketrans("ハヒフヘホ", "パピプペポ")
_GEMINATING = "チツクキ"


def _variants(reading: str, later: bool, whole: bool) -> set[str]:
    """The spellings of one character's (or word's) reading at its place in the name."""
    cuts = {reading} if whole else {reading[:n] for n in range(1, len(reading) + 1)}
    found = set(cuts)
    for cut in cuts:
        if cut[-1] in _GEMINATING:
            found.add(cut[:-1] + "ッ")
    if later:
        found |= {v[0].translate(_VOICED) + v[1:] for v in found}
        found |= {v[0].translate(_SEMI_VOICED) + v[1:] for v in found}
    return found


def _kana_of(character: str) -> str | None:
    converted = to_katakana_fullwidth(character)
    return converted if is_katakana_name(converted) or converted == "ー" else None


def judge_reading(written: str, reading: str) -> Verdict:
    """Whether ``reading`` (normalised katakana, no spaces) is a generally accepted reading of
    ``written`` (one 氏 or one 名): the reading must split into the readings — whole or cut short
    — of its characters in order, or of 熟字訓 spanning several."""
    characters, words = _table()
    unknown = False

    @cache
    def matches(i: int, j: int) -> bool:
        nonlocal unknown
        if i == len(written):
            return j == len(reading)
        later = i > 0
        options: list[tuple[int, set[str]]] = []
        kana = _kana_of(written[i])
        if kana is not None:
            options.append((1, {kana}))
        elif written[i] == "々" and i > 0:
            options.append((1, _character_variants(characters, written[i - 1], True) or set()))
        else:
            known = _character_variants(characters, written[i], later)
            if known is None:
                unknown = True
            else:
                options.append((1, known))
        for word, word_readings in words.items():
            if written.startswith(word, i):
                options.append((len(word), {v for r in word_readings for v in _variants(r, later, True)}))
        return any(
            reading.startswith(option, j) and matches(i + size, j + len(option))
            for size, spellings in options
            for option in spellings
        )

    if matches(0, 0):
        return Verdict.ACCEPT
    return Verdict.REVIEW if unknown else Verdict.REFUSE


def _character_variants(characters: dict, character: str, later: bool) -> set[str] | None:
    readings = characters.get(character)
    if readings is None:
        return None
    return {v for r in readings for v in _variants(r, later, False)}


def check_reading(written: str, reading: str, *, proof_of_use: bool = False) -> tuple[Verdict, list[Refusal]]:
    """The verdict on the reading of one 氏 or 名, and the refusals to show (the field is
    ``reading``). Proof that the reading is in use (旅券, 預貯金通帳 …) accepts an unrelated one."""
    stored = normalise(reading)
    if not is_katakana_name(stored) or " " in stored or "\u3000" in stored:
        return Verdict.REFUSE, [("reading", NOT_KATAKANA.format(reading=reading))]
    verdict = judge_reading(written, stored)
    if verdict == Verdict.REFUSE and proof_of_use:
        return Verdict.ACCEPT, []
    if verdict == Verdict.REFUSE:
        return verdict, [("reading", UNRELATED.format(written=written, reading=stored))]
    return verdict, []
