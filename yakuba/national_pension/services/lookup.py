"""Reads of the 国民年金 staff screens: a resident's 第1号 ages (照会) and the month's 20歳到達.

The municipality keeps no 国民年金 資格 records (日本年金機構 does; insurance-welfare-facts §5):
what it knows is the resident (the registry's) and the dates the law derives from the 生年月日 —
the 資格取得日 at 20 and the day 60 is reached (国民年金法 §7①一, §8一, §9三; the day before the
birthday: ``rules.ages``). The month's 20歳到達 is the door's ``entrants_on`` for a month: one read
of the registry (``born_on``, audited with its purpose) for every 生年月日 whose 20th year ends in
the month, registered at the end of the month (or today, if earlier) — a person who moved out
after reaching 20 is not listed. A person under 支援措置 is listed without name or address (the
door's flag), and is not found by the 照会, as on the registry's screens for these roles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from yakuba.national_pension.rules.ages import ENTRY_AGE, first_insured_day
from yakuba.national_pension.services.entry import PURPOSE, Entrant
from yakuba.platform.japanese.wareki import turns_age_on
from yakuba.registry import services as registry

LOOKUP_PURPOSE = "国民年金 第1号被保険者の照会"
LAST_AGE = 60  # 第1号 ends when 60 is reached (国民年金法 §9三)


@dataclass(frozen=True)
class PensionPerson:
    atena_no: str
    name: str
    name_kana: str
    birth_date: date | None
    address: str
    entry_on: date | None  # 20歳到達: the 資格取得日 of a 第1号 (not of a 第2号・第3号)
    sixty_on: date | None  # 60歳到達


def person(atena_no: str) -> PensionPerson:
    """The resident and their 第1号 dates; the registry's ``NotFound`` for an unknown person or one
    hidden by 支援措置 (the attempt audited by the registry; the read by it too)."""
    shown = registry.Visibility(juminhyo_code=False, domicile=False)
    r = registry.get_resident(atena_no, visibility=shown)
    birth = r.birth_date
    return PensionPerson(
        r.atena_no,
        r.name,
        r.name_kana,
        birth,
        r.address,
        first_insured_day(birth) if birth else None,
        turns_age_on(birth, LAST_AGE) if birth else None,
    )


def _births(first: date, last: date) -> list[date]:
    """Every 生年月日 whose 20歳到達 falls from ``first`` to ``last`` (2月29日 births included)."""
    start = date(first.year - ENTRY_AGE, first.month, 1) - timedelta(days=3)
    end = date(last.year - ENTRY_AGE, last.month, 1) + timedelta(days=35)
    days = (start + timedelta(days=n) for n in range((end - start).days))
    return [b for b in days if first <= first_insured_day(b) <= last]


def entrants_between(first: date, last: date) -> list[Entrant]:
    """The residents whose 20歳到達 is from ``first`` to ``last``, by 資格取得日 then 宛名番号
    (one registry read, audited)."""
    day = min(last, timezone.localdate())
    people = registry.born_on(_births(first, last), day=day, purpose=PURPOSE)
    entrants = [
        Entrant(
            p.atena_no,
            p.name,
            p.name_kana,
            p.birth_date,
            first_insured_day(p.birth_date),
            p.address,
            p.protected,
        )
        for p in people
    ]
    return sorted(entrants, key=lambda e: (e.acquired_on, e.atena_no))
