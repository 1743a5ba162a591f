"""The 学齢簿 of the 就学予定者 (docs/school_enrollment.md; civil-facts §4.3): every child
registered in the municipality on the 基準日 and born in the cohort of the entry year.

施行令 第1条第2項 builds the 学齢簿 from the 住民基本台帳: the children come from the registry's
door — ``born_on`` (the persons registered at the end of the day born on any of the cohort's
days: one indexed query whatever the town's size, since a cohort is about 1 % of it) — and their
guardians from ``heads_of``. A child who moved out (転出予定日 passed) or died is not registered on
the day, so is not listed; a late 転入 is.

保護者 [decision]: 学校教育法 第16条's 保護者 is the 親権者 (or 未成年後見人), which the 住民基本台帳
does not record; the roll approximates it by the 世帯主 of the child's 世帯 (the registry's 世帯主 of
today), and leaves it empty when the child is their own 世帯主. The 教育委員会 records the 保護者 it
confirmed on the kept 学齢簿 (services/designations.apply_guardian); this on-demand roll does not
read it.

支援措置 [decision]: a child under 支援措置 is listed — the school must know the child is coming —
with the flag ``protected``; its address is given only to a caller that may see protected persons
(``Visibility.protected``: the API's ``registry:protected`` scope), as the registry's own reads
do. The CLI reads without it, like the 年金事務所 file (national_pension/services/entry.py).

``school`` is the child's 指定学校 on the kept 学齢簿 (services/lookup.py: the 通学区域's, or a
指定校変更・区域外就学), "" for a child the kept 学齢簿 does not hold yet (no 編製 of that year, or
an address outside every 通学区域 line).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from yakuba.platform.audit.log import Action, record
from yakuba.registry import services as registry
from yakuba.school_enrollment.rules.cohort import cohort
from yakuba.school_enrollment.services import lookup

RESOURCE = "school_enrollment.roll"
PURPOSE = "学齢簿の編製（学校教育法施行令第1条）"
# The years a roll may be asked for: the registry keeps no one born before 1900, and a roll is
# made at most a year or two ahead.
FIRST_YEAR, LAST_YEAR = 1950, 2100
CSV_COLUMNS = ("宛名番号", "氏名", "氏名カナ", "生年月日", "保護者宛名番号", "住所", "就学予定校", "支援措置")
PROTECTED_NOTE = "支援措置対象（住所は表示しません）"


class BadRequest(ValueError):
    """An entry year out of range: the Japanese message names it."""


@dataclass(frozen=True, slots=True)
class Child:
    atena_no: str
    name: str
    name_kana: str
    birth_date: date
    guardian_atena_no: str  # the 世帯主 of the child's 世帯; "" when the child is the 世帯主
    address: str  # "" for a protected child unless the caller may see protected persons
    school: str  # the 指定学校 on the kept 学齢簿, "" when it holds none
    protected: bool


@dataclass(frozen=True)
class Roll:
    lg_code: str
    entry_year: int
    cohort_from: date
    cohort_to: date
    as_of: date
    children: list[Child]

    @property
    def json(self) -> dict:
        """The contract's "学齢簿 JSON", each child with its ``protected`` flag."""
        return {
            "lg_code": self.lg_code,
            "entry_year": self.entry_year,
            "cohort": {"from": self.cohort_from.isoformat(), "to": self.cohort_to.isoformat()},
            "children": [
                {
                    "atena_no": c.atena_no,
                    "birth_date": c.birth_date.isoformat(),
                    "name": c.name,
                    "guardian_atena_no": c.guardian_atena_no,
                    "school": c.school,
                    "protected": c.protected,
                }
                for c in self.children
            ],
        }


def check_entry_year(entry_year: int) -> None:
    if not FIRST_YEAR <= entry_year <= LAST_YEAR:
        raise BadRequest(f"入学年度は {FIRST_YEAR} から {LAST_YEAR} の間で指定してください（{entry_year}）")


def school_roll(
    lg_code: str,
    entry_year: int,
    *,
    as_of: date | None = None,
    visibility: registry.Visibility | None = None,
    output: str = "json",
) -> Roll:
    """The 学齢簿 of the children entering 小学校 on ``entry_year``-04-01, registered at the end of
    ``as_of`` (today by default; 施行規則 第31条's 基準日 is 10月1日), in 宛名番号 order. Five
    queries and two audit rows (the registry's read, this export) whatever the number of children."""
    check_entry_year(entry_year)
    day = as_of or timezone.localdate()
    first, last = cohort(entry_year)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    people = registry.born_on(days, day=day, purpose=PURPOSE)
    heads = registry.heads_of({p.setai_no for p in people})
    schools = lookup.schools_of([p.atena_no for p in people], on=day)
    children = []
    for p in people:
        head = heads.get(p.setai_no, "")
        children.append(
            Child(
                p.atena_no,
                p.name,
                p.name_kana,
                p.birth_date,
                "" if head == p.atena_no else head,
                "" if p.protected and not (visibility and visibility.protected) else p.address,
                schools.get(p.atena_no, ""),
                p.protected,
            )
        )
    record(
        Action.EXPORT,
        RESOURCE,
        purpose=PURPOSE,
        detail={"entry_year": entry_year, "as_of": day.isoformat(), "format": output, "count": len(children)},
    )
    return Roll(lg_code, entry_year, first, last, day, children)


def roll_text(roll: Roll, output: str) -> str:
    """The roll as the contract's JSON, or as CSV (UTF-8 with a BOM for Excel, CRLF, one header
    row: ``CSV_COLUMNS``)."""
    if output == "json":
        return json.dumps(roll.json, ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in roll.children:
        writer.writerow(
            [
                c.atena_no,
                c.name,
                c.name_kana,
                c.birth_date.isoformat(),
                c.guardian_atena_no,
                c.address,
                c.school,
                PROTECTED_NOTE if c.protected else "",
            ]
        )
    return "\ufeff" + out.getvalue()
