"""The inputs of the staff forms: one ``Field`` per input, grouped in rows and sections, and the
dates as clerks type them.

Input names are the service's error paths (``persons[0].name``, ``household.address.town_area``
…), so a ``RuleViolation`` lands next to its input without a mapping table. Dates are typed the
way clerks write them — 和暦 (``S35.1.7``, ``昭和35年1月7日``, ``R8.4.1``) or ISO — and the parsed
date is read back next to the field (住民記録システム標準仕様書 §4.0.3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from yakuba.platform.japanese.wareki import (
    WarekiError,
    format_date_for_resident,
    parse_partial_date,
    parse_wareki,
)
from yakuba.registry.codes import ResidentType, Sex

SEX_OPTIONS = tuple((str(v), label) for v, label in Sex.choices)
TYPE_OPTIONS = tuple((str(v), label) for v, label in ResidentType.choices)
ORIGIN_OPTIONS = (("domestic", "国内から"), ("abroad", "国外から"))
DESTINATION_OPTIONS = (("domestic", "国内へ"), ("abroad", "国外へ"))
DATE_HINT = "例：R8.4.1"


@dataclass
class Field:
    """One input. ``name`` is both the POST name and the service's error path."""

    name: str
    label: str
    kind: str = "text"  # text | date | radio | select | checkbox (a member chosen) | flag | hidden
    value: str = ""
    required: bool = False
    hint: str = ""
    options: tuple = ()
    errors: list[str] = field(default_factory=list)
    parsed: str = ""
    size: str = "m"  # s | m | l: CSS width of the input
    autofocus: bool = False
    compact: bool = False  # inside a table cell: the column header is the visible label
    validate: bool = True
    inputmode: str = ""
    maxlength: int = 200
    foreign: bool = False  # a foreign resident's 生年月日 / 満了日: read back in 西暦
    datalist: str = ""  # id of the <datalist> offering values (the 住所辞書's 町字)
    person: str = ""  # whose input it is, for the error summary: 「2人目（山田 花子）」

    @property
    def id(self) -> str:
        return "f-" + re.sub(r"[^0-9A-Za-z]+", "-", self.name).strip("-")

    @property
    def anchor(self) -> str:
        """The element a link to this input focuses: a radio group's first button."""
        return f"{self.id}-{self.options[0][0]}" if self.kind == "radio" and self.options else self.id

    @property
    def checked(self) -> bool:
        return self.kind in ("checkbox", "flag") and bool(self.value)


@dataclass
class PersonRow:
    """A person being recorded (転入, 出生, 職権記載): main items and two folded groups."""

    index: int
    main: list[Field]
    more: list[Field]
    foreign: list[Field]

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def open_more(self) -> bool:
        return any(f.value or f.errors for f in self.more)

    @property
    def open_foreign(self) -> bool:
        return any(f.value or f.errors for f in self.foreign)

    def fields(self) -> list[Field]:
        return [*self.main, *self.more, *self.foreign]


@dataclass
class MemberRow:
    """A member of the source 世帯, selectable for the 異動."""

    atena_no: str
    name: str
    relationship: str
    birth: str
    select: Field
    new_relationship: Field | None = None


@dataclass
class Section:
    title: str
    kind: str = "fields"  # fields | persons | members | head
    fields: list[Field] = field(default_factory=list)
    persons: list[PersonRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    note: str = ""


def parse_date_text(text: str) -> date:
    """和暦 or ISO as typed at the counter; raises WarekiError with the clerk's message."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return parse_wareki(text)


def read_back(f: Field) -> None:
    """Show the date the system understood (和暦; 西暦 for a foreign resident's 生年月日)."""
    f.parsed = ""
    if f.kind != "date" or not f.value.strip():
        return
    try:
        parsed = parse_partial_date(f.value) if f.name.endswith("birth_date") else parse_date_text(f.value)
        f.parsed = format_date_for_resident(parsed, foreign=f.foreign)
    except (WarekiError, ValueError):
        pass
