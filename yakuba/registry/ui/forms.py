"""異動入力 forms: what the clerk types, turned into the same 異動 JSON the API accepts.

One form per kind of 異動 (住民記録システム標準仕様書 §4). Input names are the service's error
paths (``persons[0].name``, ``household.address.town_area``, ``household.new_head`` …), so a
``RuleViolation`` lands next to the input it is about without a mapping table. Dates are typed
the way clerks write them — 和暦 (``S35.1.7``, ``昭和35年1月7日``, ``R8.4.1``) or ISO — and are
converted to ISO for the service; the parsed date is read back next to the field.
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
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import addresses
from yakuba.registry.codes import MoveKind, Origin, ResidentType, Sex
from yakuba.registry.errors import Collector
from yakuba.registry.services.validation import validate_person

MAX_PERSONS = 6
_PERSON_PATH = re.compile(r"^persons\[(\d+)\](.*)$")

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
    kind: str = "text"  # text | date | radio | select | checkbox | hidden
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

    @property
    def id(self) -> str:
        return "f-" + re.sub(r"[^0-9A-Za-z]+", "-", self.name).strip("-")

    @property
    def checked(self) -> bool:
        return self.kind == "checkbox" and bool(self.value)


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


# Kinds and their families: which form a kind gets.
FAMILY = {
    MoveKind.MOVE_IN: "record",
    MoveKind.EX_OFFICIO_RECORD: "record",
    MoveKind.BIRTH: "birth",
    MoveKind.DEATH: "remove",
    MoveKind.EX_OFFICIO_REMOVE: "remove",
    MoveKind.MOVE_OUT: "move_out",
    MoveKind.MOVE_WITHIN: "regroup",
    MoveKind.HOUSEHOLD_SPLIT: "regroup",
    MoveKind.HOUSEHOLD_MERGE: "regroup",
    MoveKind.HOUSEHOLD_CHANGE: "regroup",
    MoveKind.HEAD_CHANGE: "head",
    MoveKind.EX_OFFICIO_MODIFY: "modify",
    MoveKind.CORRECTION: "modify",
    MoveKind.FORMER_SURNAME: "former_surname",
    MoveKind.ALIAS: "alias",
    MoveKind.CANCEL: "cancel",
}
# Families that work on the members of one existing 世帯 (opened from 世帯照会).
NEEDS_HOUSEHOLD = {"remove", "move_out", "regroup", "head", "birth"}

DESCRIPTIONS = {
    "record": "新しく住民となる人を記載します。世帯員は6人まで一度に入力できます。",
    "birth": "出生した子を、親の世帯に記載します。異動日は生年月日です。",
    "remove": "住民票を消除します。世帯主が消除される場合は、残る世帯員から新しい世帯主を指定します。",
    "move_out": "転出予定日と転出先を記録します。未来の日付は転出予定になります。",
    "regroup": "選んだ世帯員を移します。世帯全員が移るときは世帯番号が変わりません。"
    "一部の人が移るときは新しい世帯になるか、移る先の世帯番号を入力します（続柄も入力）。",
    "head": "新しい世帯主と、各世帯員の新しい世帯主との続柄を入力します。",
    "modify": "変更する項目だけを入力します（空欄の項目は変わりません）。",
    "former_surname": "旧氏を記載します（日本人住民）。空欄で送ると削除します。",
    "alias": "通称を記載します（外国人住民）。空欄で送ると削除します。",
    "cancel": "異動を取り消し、その前の状態に戻します。取り消せるのは各住民の最新の異動だけです。",
}


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


class MoveForm:
    """The form of one kind, bound to submitted data (or empty), with optional source 世帯."""

    def __init__(self, kind: str, data, *, household=None, members=(), preselect=(), today: date):
        self.kind = kind
        self.family = FAMILY[kind]
        self.data = data
        self.household = household
        self.members = list(members)
        self.preselect = set(preselect)
        self.today = today
        self.bound = bool(data)
        self.summary: list[dict] = []
        self.aliases: dict[str, str] = {}
        self.sections: list[Section] = []
        self.person_rows = self._person_rows()
        self._build()
        self.fields: dict[str, Field] = {}
        for section in self.sections:
            for f in self._section_fields(section):
                self.fields[f.name] = f
        for f in self.fields.values():
            read_back(f)

    # -- building -----------------------------------------------------------------------

    @property
    def title(self) -> str:
        return MoveKind(self.kind).label

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self.family]

    @property
    def needs_household(self) -> bool:
        return self.family in NEEDS_HOUSEHOLD and self.household is None

    def _value(self, name: str, default: str = "") -> str:
        if not self.bound:
            return default
        value = self.data.get(name, "")
        return str(value).strip()

    def _f(self, name: str, label: str, **kw) -> Field:
        default = kw.pop("default", "")
        return Field(name, label, value=self._value(name, default), **kw)

    def _person_rows(self) -> int:
        raw = (self.data.get("person_rows") if self.data else None) or "1"
        try:
            return max(1, min(MAX_PERSONS, int(raw)))
        except ValueError:
            return 1

    def _dates(self, move_label: str = "異動日", *, move_required: bool = True) -> list[Field]:
        return [
            self._f(
                "move_date",
                move_label,
                kind="date",
                required=move_required,
                hint=DATE_HINT,
                size="s",
                autofocus=not self.bound,
            ),
            self._f("notified_date", "届出日", kind="date", hint="空欄可", size="s"),
        ]

    def _address(self, *, required: bool = True) -> list[Field]:
        return [
            self._f(
                "household.address.postal_code",
                "郵便番号",
                hint="7桁（例：9650872）",
                size="s",
                inputmode="numeric",
                maxlength=8,
            ),
            self._f("household.address.town_area", "町字", required=required, hint="例：東栄町"),
            self._f("household.address.block", "番地・号", hint="例：3番46号", size="s"),
            self._f("household.address.extra", "方書", hint="建物名・部屋番号", size="m"),
        ]

    def person_row(self, i: int, *, autofocus: bool = False) -> PersonRow:
        p = f"persons[{i}]"
        record = self.family == "record"
        foreign = self._value(f"{p}.resident_type", "1") == str(ResidentType.FOREIGN)
        main = [
            self._f(f"{p}.name", "氏名", required=True, autofocus=autofocus, size="m", maxlength=100),
            self._f(f"{p}.name_kana", "フリガナ", required=True, hint="半角・ひらがな可"),
        ]
        if self.family != "birth":
            main.append(
                self._f(
                    f"{p}.birth_date",
                    "生年月日",
                    kind="date",
                    required=True,
                    hint="例：S35.1.7",
                    size="s",
                    foreign=foreign,
                )
            )
        main += [
            self._f(f"{p}.sex", "性別", kind="radio", options=SEX_OPTIONS, required=True, validate=False),
            self._f(f"{p}.relationship", "続柄", required=True, hint="例：世帯主、妻、子"),
            self._f(
                f"{p}.resident_type",
                "住民種別",
                kind="radio",
                options=TYPE_OPTIONS,
                default="1",
                validate=False,
            ),
        ]
        if record:
            main.append(self._f(f"{p}.previous_address", "転入前住所", hint="転出証明書の住所", size="l"))
        more = [
            self._f(f"{p}.my_number", "個人番号", hint="12桁", size="s", inputmode="numeric", maxlength=14),
            self._f(
                f"{p}.juminhyo_code", "住民票コード", hint="11桁", size="s", inputmode="numeric", maxlength=11
            ),
        ]
        if self.family != "birth":
            more += [self._f(f"{p}.domicile", "本籍", size="l"), self._f(f"{p}.domicile_head", "筆頭者")]
        foreign_fields = [
            self._f(f"{p}.nationality", "国籍・地域", size="s", maxlength=60),
            self._f(f"{p}.residence_status", "在留資格", size="s", maxlength=60),
            self._f(f"{p}.residence_expiry", "在留期間等の満了の日", kind="date", size="s", foreign=True),
            self._f(f"{p}.residence_card_no", "在留カード等の番号", size="s", maxlength=12),
        ]
        if self.family != "birth":
            foreign_fields.append(self._f(f"{p}.alias", "通称", size="m", maxlength=100))
            foreign_fields.append(self._f(f"{p}.alias_kana", "通称フリガナ", size="m"))
        row = PersonRow(i, main, more, foreign_fields)
        for f in row.fields():
            read_back(f)
        return row

    def _member_rows(self, *, relationship: bool) -> list[MemberRow]:
        from yakuba.registry.ui import display

        rows = []
        for i, m in enumerate(self.members):
            name = f"persons[{i}].atena_no"
            chosen = self._value(name) == m.atena_no if self.bound else m.atena_no in self.preselect
            select = Field(
                name, f"{m.name}（{m.atena_no}）", kind="checkbox", value=m.atena_no if chosen else ""
            )
            select.options = ((m.atena_no, m.name),)
            rel = None
            if relationship:
                rel = self._f(
                    f"persons[{i}].relationship", f"{m.name}の移る先での続柄", size="s", compact=True
                )
            rows.append(MemberRow(m.atena_no, m.name, m.relationship, display.birth(m), select, rel))
        return rows

    def _head_section(self, *, required: bool = False) -> Section:
        options = (("", "（変更しない）"),) + tuple(
            (m.atena_no, f"{m.name}（{m.atena_no}）") for m in self.members
        )
        new_head = self._f(
            "household.new_head",
            "新しい世帯主",
            kind="select",
            options=options,
            required=required,
            validate=False,
            size="l",
        )
        fields = [new_head]
        for m in self.members:
            fields.append(
                self._f(
                    f"household.relationships.{m.atena_no}",
                    f"{m.name}（現在：{m.relationship}）",
                    size="s",
                    validate=False,
                )
            )
        note = "世帯主が替わる場合は、新しい世帯主を選び、ほかの世帯員それぞれの新しい世帯主との続柄を入力します。"
        return Section("世帯主の変更", kind="head", fields=fields, note=note)

    def _build(self) -> None:
        family = self.family
        s = self.sections
        if family == "record":
            top = self._dates()
            if self.kind == MoveKind.MOVE_IN:
                top.append(
                    self._f(
                        "origin",
                        "転入元",
                        kind="radio",
                        options=ORIGIN_OPTIONS,
                        default=Origin.DOMESTIC,
                        validate=False,
                    )
                )
            s.append(Section("異動の内容", fields=top))
            household = [
                self._f(
                    "household.setai_no",
                    "既存世帯の世帯番号",
                    hint="新しい世帯なら空欄",
                    size="s",
                )
            ]
            s.append(Section("住所（世帯）", fields=self._address(required=False) + household))
            rows = [self.person_row(i) for i in range(self.person_rows)]
            s.append(Section("世帯員", kind="persons", persons=rows))
            self.aliases["household.address"] = "household.address.town_area"
        elif family == "birth":
            s.append(Section("異動の内容", fields=self._dates("出生日（異動日）")))
            s.append(Section("出生した子", kind="persons", persons=[self.person_row(0)]))
            self.aliases["persons[0].birth_date"] = "move_date"
        elif family == "remove":
            label = "死亡日（異動日）" if self.kind == MoveKind.DEATH else "消除日（異動日）"
            s.append(Section("異動の内容", fields=self._dates(label)))
            s.append(Section("対象者", kind="members", members=self._member_rows(relationship=False)))
            s.append(self._head_section())
        elif family == "move_out":
            top = self._dates("転出予定日（異動日）")
            top.append(
                self._f(
                    "destination",
                    "転出先",
                    kind="radio",
                    options=DESTINATION_OPTIONS,
                    default=Origin.DOMESTIC,
                    validate=False,
                )
            )
            top.append(self._f("destination_address", "転出先住所", required=True, size="l"))
            s.append(Section("異動の内容", fields=top))
            s.append(Section("転出する人", kind="members", members=self._member_rows(relationship=False)))
            s.append(self._head_section())
            self.aliases["planned_date"] = "move_date"
        elif family == "regroup":
            s.append(Section("異動の内容", fields=self._dates()))
            s.append(Section("移る人", kind="members", members=self._member_rows(relationship=True)))
            target = self._f(
                "household.setai_no",
                "移る先の世帯番号",
                hint="既存の世帯に入る場合",
                size="s",
            )
            if self.kind == MoveKind.MOVE_WITHIN:
                s.append(Section("新しい住所", fields=[*self._address(), target]))
                self.aliases["household.address"] = "household.address.town_area"
            else:
                s.append(Section("移る先", fields=[target]))
            s.append(self._head_section())
        elif family == "head":
            s.append(Section("異動の内容", fields=self._dates()))
            s.append(self._head_section(required=True))
        elif family == "modify":
            s.append(Section("異動の内容", fields=self._dates()))
            p = "persons[0]"
            s.append(
                Section(
                    "対象者と変更する項目",
                    fields=[
                        self._f(f"{p}.atena_no", "宛名番号", required=True, size="s", inputmode="numeric"),
                        self._f(f"{p}.name", "氏名", maxlength=100),
                        self._f(f"{p}.name_kana", "フリガナ"),
                        self._f(f"{p}.birth_date", "生年月日", kind="date", size="s"),
                        self._f(
                            f"{p}.sex",
                            "性別",
                            kind="select",
                            options=(("", "（変更しない）"), *SEX_OPTIONS),
                            size="s",
                            validate=False,
                        ),
                        self._f(f"{p}.relationship", "続柄", size="s"),
                        self._f(f"{p}.domicile", "本籍", size="l"),
                        self._f(f"{p}.domicile_head", "筆頭者"),
                        self._f(f"{p}.nationality", "国籍・地域", size="s"),
                        self._f(f"{p}.residence_status", "在留資格", size="s"),
                        self._f(f"{p}.residence_expiry", "在留期間等の満了の日", kind="date", size="s"),
                        self._f(f"{p}.residence_card_no", "在留カード等の番号", size="s"),
                        self._f(f"{p}.previous_address", "転入前住所", size="l"),
                        self._f(f"{p}.my_number", "個人番号", size="s", inputmode="numeric"),
                        self._f(f"{p}.juminhyo_code", "住民票コード", size="s", inputmode="numeric"),
                    ],
                )
            )
        elif family in ("former_surname", "alias"):
            p = "persons[0]"
            key = "former_surname" if family == "former_surname" else "alias"
            label = "旧氏" if key == "former_surname" else "通称"
            s.append(Section("異動の内容", fields=self._dates()))
            s.append(
                Section(
                    "対象者",
                    fields=[
                        self._f(f"{p}.atena_no", "宛名番号", required=True, size="s", inputmode="numeric"),
                        self._f(f"{p}.{key}", label, hint="空欄で削除"),
                        self._f(f"{p}.{key}_kana", f"{label}フリガナ"),
                    ],
                )
            )
        elif family == "cancel":
            s.append(Section("異動の内容", fields=self._dates(move_required=False)))
            s.append(
                Section(
                    "取り消す異動",
                    fields=[
                        self._f(
                            "cancel_move_id",
                            "異動ID",
                            required=True,
                            hint="異動の結果画面に表示される ID",
                            size="l",
                            maxlength=40,
                        )
                    ],
                )
            )

    @staticmethod
    def _section_fields(section: Section) -> list[Field]:
        out = list(section.fields)
        for row in section.persons:
            out += row.fields()
        for m in section.members:
            out.append(m.select)
            if m.new_relationship:
                out.append(m.new_relationship)
        return out

    # -- to the service ---------------------------------------------------------------

    def _date(self, name: str, errors: list) -> str | None:
        f = self.fields.get(name)
        text = f.value if f else self._value(name)
        if not text:
            return None
        try:
            return parse_date_text(text).isoformat()
        except (WarekiError, ValueError) as exc:
            errors.append((name, str(exc)))
            return None

    def _new_person(self, i: int, errors: list) -> dict:
        p = f"persons[{i}]"
        person: dict = {"atena_no": None}
        for name, f in self.fields.items():
            if not name.startswith(p + "."):
                continue
            key = name[len(p) + 1 :]
            value = f.value
            if key in ("sex", "resident_type"):
                person[key] = int(value) if value in ("1", "2") else None
            elif key == "birth_date":
                # Exact dates go to the service in ISO; 不詳 forms (昭和35年1月上旬) as written.
                try:
                    person[key] = parse_date_text(value).isoformat() if value else None
                except (WarekiError, ValueError):
                    person[key] = value
            elif key == "residence_expiry":
                person[key] = self._date(name, errors)
            elif key == "my_number":
                person[key] = value.replace(" ", "").replace("-", "") or None
            else:
                person[key] = value or None
        return person

    def _row_is_blank(self, i: int) -> bool:
        p = f"persons[{i}]."
        return not any(
            f.value
            for n, f in self.fields.items()
            if n.startswith(p) and not n.endswith(("sex", "resident_type"))
        )

    def to_request(self) -> tuple[dict, list[tuple[str, str]]]:
        """(異動 JSON as in docs/reference/contract.md#move-json, input errors found before the service is asked)."""
        errors: list[tuple[str, str]] = []
        family = self.family
        req: dict = {"kind": self.kind}
        req["move_date"] = self._date("move_date", errors)
        req["notified_date"] = self._date("notified_date", errors)
        self.index_map: dict[int, int] = {}
        household: dict = {}
        if family in ("record", "birth"):
            rows = [0] + [i for i in range(1, self.person_rows) if not self._row_is_blank(i)]
            persons = []
            for j, i in enumerate(rows):
                self.index_map[j] = i
                persons.append(self._new_person(i, errors))
            req["persons"] = persons
        if family == "record":
            if self.kind == MoveKind.MOVE_IN:
                req["origin"] = self.fields["origin"].value or None
            setai_no = self.fields["household.setai_no"].value or None
            address = {
                k: self.fields[f"household.address.{k}"].value
                for k in ("postal_code", "town_area", "block", "extra")
            }
            household = {"setai_no": setai_no}
            if any(address.values()):
                household["address"] = address
        elif family == "birth":
            req["persons"][0]["birth_date"] = req["move_date"]
            household = {"setai_no": self.household.setai_no, "version": self.household.version}
        elif family in ("remove", "move_out", "regroup"):
            chosen = [
                (i, m) for i, m in enumerate(self.members) if self.fields[f"persons[{i}].atena_no"].value
            ]
            persons = []
            for j, (i, m) in enumerate(chosen):
                self.index_map[j] = i
                person = {"atena_no": m.atena_no}
                rel = self.fields.get(f"persons[{i}].relationship")
                if rel is not None and rel.value:
                    person["relationship"] = rel.value
                persons.append(person)
            req["persons"] = persons
            if not persons:
                errors.append(("persons", "対象者を1人以上選んでください"))
            household = self._head_request()
            if family == "regroup":
                target = self.fields["household.setai_no"].value
                whole = {m.atena_no for _i, m in chosen} == {m.atena_no for m in self.members}
                if target:
                    household["setai_no"] = target
                elif whole and self.household is not None:
                    # The whole 世帯 moves: same 世帯番号, and the version read on 世帯照会.
                    household.update(setai_no=self.household.setai_no, version=self.household.version)
                else:
                    household["setai_no"] = None
                if self.kind == MoveKind.MOVE_WITHIN:
                    address = {
                        k: self.fields[f"household.address.{k}"].value
                        for k in ("postal_code", "town_area", "block", "extra")
                    }
                    if any(address.values()):
                        household["address"] = address
            elif self.household is not None:
                household.update(setai_no=self.household.setai_no, version=self.household.version)
            if family == "move_out":
                req["destination"] = self.fields["destination"].value or None
                req["destination_address"] = self.fields["destination_address"].value or None
                req["planned_date"] = req["move_date"]
        elif family == "head":
            household = self._head_request()
            if self.household is not None:
                household.update(setai_no=self.household.setai_no, version=self.household.version)
        elif family in ("modify", "former_surname", "alias"):
            self.index_map[0] = 0
            person = {"atena_no": self.fields["persons[0].atena_no"].value or None}
            for name, f in self.fields.items():
                key = name.removeprefix("persons[0].")
                if key == name or key == "atena_no" or not f.value:
                    continue
                if key == "sex":
                    person[key] = int(f.value) if f.value in ("1", "2") else f.value
                elif key in ("birth_date",):
                    try:
                        person[key] = parse_date_text(f.value).isoformat()
                    except (WarekiError, ValueError):
                        person[key] = f.value
                elif key == "residence_expiry":
                    person[key] = self._date(name, errors)
                else:
                    person[key] = f.value
            if family == "former_surname":
                person.setdefault("former_surname", "")
            if family == "alias":
                person.setdefault("alias", "")
            if not person["atena_no"]:
                errors.append(("persons[0].atena_no", "宛名番号を入力してください"))
            req["persons"] = [person]
        elif family == "cancel":
            req["cancel_move_id"] = self.fields["cancel_move_id"].value or None
        if household:
            req["household"] = household
        return {k: v for k, v in req.items() if v is not None}, errors

    def _head_request(self) -> dict:
        household: dict = {}
        new_head = self.fields["household.new_head"].value
        relationships = {
            m.atena_no: self.fields[f"household.relationships.{m.atena_no}"].value
            for m in self.members
            if self.fields[f"household.relationships.{m.atena_no}"].value
        }
        if new_head:
            household["new_head"] = new_head
        if relationships:
            household["relationships"] = relationships
        return household

    # -- errors -----------------------------------------------------------------------

    def form_name(self, service_field: str) -> str:
        """The input a service error path belongs to (person indices back to form rows)."""
        name = self.aliases.get(service_field, service_field)
        m = _PERSON_PATH.match(name)
        if m and getattr(self, "index_map", None):
            i = self.index_map.get(int(m.group(1)), int(m.group(1)))
            name = f"persons[{i}]{m.group(2)}"
        return self.aliases.get(name, name)

    def set_errors(self, errors: list[tuple[str, str]]) -> None:
        """Attach every message to its input; all of them also go to the summary at the top."""
        self.summary = []
        for service_field, message in errors:
            name = self.form_name(service_field)
            f = self.fields.get(name)
            if f is None and name.startswith("household.relationships"):
                f = self.fields.get("household.new_head")
            if f is not None and message not in f.errors:
                f.errors.append(message)
            self.summary.append({"id": f.id if f else "", "label": f.label if f else "", "message": message})

    def check_field(self, name: str) -> list[str]:
        """Rules that need only this input (the same validators the service runs)."""
        f = self.fields.get(name)
        if f is None:
            return []
        errors: list[str] = []
        if f.kind == "date" and f.value and not name.endswith("birth_date"):
            try:
                parse_date_text(f.value)
            except (WarekiError, ValueError) as exc:
                errors.append(str(exc))
        m = _PERSON_PATH.match(name)
        if m and m.group(2).startswith("."):
            key = m.group(2)[1:]
            checked = {
                "name",
                "name_kana",
                "birth_date",
                "relationship",
                "my_number",
                "juminhyo_code",
                "former_surname_kana",
                "alias_kana",
            }
            if key in checked and (f.value or f.required):
                prefix = f"persons[{m.group(1)}]"
                rtype = self._value(f"{prefix}.resident_type", "1")
                value = f.value
                if key == "birth_date" and value:
                    try:
                        value = parse_date_text(value).isoformat()
                    except (WarekiError, ValueError):
                        pass
                collector = Collector()
                validate_person(
                    {key: value, "resident_type": int(rtype) if rtype in ("1", "2") else 1},
                    collector,
                    prefix,
                    today=self.today,
                    new=False,
                )
                errors += [msg for fld, msg in collector.errors if fld == name]
        if name.startswith("household.address.") and f.value:
            collector = Collector()
            address = {
                k: self._value(f"household.address.{k}")
                for k in ("postal_code", "town_area", "block", "extra")
            }
            addresses.compose(require_tenant().lg_code, address, collector, "household.address")
            errors += [msg for fld, msg in collector.errors if fld == name]
        return errors
