"""20歳到達: the residents who become 第1号被保険者 on a day, for the 資格取得 届出 data the
municipality sends to the 年金事務所 (国民年金法 §7①一, §8一, §12: the 届出 of a 第1号被保険者
goes to the 市町村長; insurance-welfare-facts §5).

The day is the one before the 20th birthday (``rules.ages.first_insured_day``). Whether a person
is a member of 厚生年金 (第2号) or a dependent spouse (第3号) is not in the registry, so the list
is of candidates: the 年金事務所 knows who is covered otherwise. Persons are read through the
registry's door (``born_on``: registered at the end of the day, one query, audited with the
purpose); a person under 支援措置 is listed without name and address, as the door's flag says.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from yakuba.national_pension.rules.ages import ENTRY_AGE, first_insured_day
from yakuba.registry import services as registry

PURPOSE = "国民年金 第1号被保険者の資格取得（20歳到達）"
COLUMNS = ["宛名番号", "氏名", "氏名フリガナ", "生年月日", "資格取得日", "住所", "備考"]
PROTECTED_NOTE = "支援措置の対象者（氏名・住所は記載しない）"


@dataclass(frozen=True)
class Entrant:
    atena_no: str
    name: str
    name_kana: str
    birth_date: date
    acquired_on: date
    address: str
    protected: bool


def _births_reaching_twenty_on(day: date) -> list[date]:
    """Every 生年月日 whose 20th year ends on ``day``: the next day twenty years back, and 2月29日
    for a 2月28日 (in a common year the period ends on 2月28日: 民法第143条第2項ただし書)."""
    year = (day + timedelta(days=1)).year - ENTRY_AGE
    following = day + timedelta(days=1)
    candidates = []
    for month, dom in {(following.month, following.day), (2, 29)}:
        try:
            candidates.append(date(year, month, dom))
        except ValueError:  # no 2月29日 that year
            continue
    return sorted(b for b in candidates if first_insured_day(b) == day)


def entrants_on(day: date) -> list[Entrant]:
    """The residents whose 資格取得日 (20歳到達) is ``day``, in 宛名番号 order."""
    people = registry.born_on(_births_reaching_twenty_on(day), day=day, purpose=PURPOSE)
    return [
        Entrant(p.atena_no, p.name, p.name_kana, p.birth_date, day, p.address, p.protected) for p in people
    ]


def entrants_csv(entrants: list[Entrant]) -> bytes:
    """UTF-8 CSV with one header row (the 年金事務所's systems read it; a clerk opens it in Excel,
    hence the BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for e in entrants:
        hidden = e.protected
        writer.writerow(
            [
                e.atena_no,
                "" if hidden else e.name,
                "" if hidden else e.name_kana,
                e.birth_date.isoformat(),
                e.acquired_on.isoformat(),
                "" if hidden else e.address,
                PROTECTED_NOTE if hidden else "",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()
