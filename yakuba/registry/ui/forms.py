"""異動入力 forms: one form per kind of 異動 (住民記録システム標準仕様書 §4), built from what the
clerk typed; ``move_input`` turns it into the typed 異動 the API also accepts.

The inputs and the 和暦 dates are in ``fields``.
"""

from __future__ import annotations

from datetime import date

from yakuba.registry.codes import KINDS, NOTIFIED_KINDS, MoveKind, Origin, ResidentType
from yakuba.registry.ui.fields import (
    DATE_HINT,
    DESTINATION_OPTIONS,
    ORIGIN_OPTIONS,
    SEX_OPTIONS,
    TYPE_OPTIONS,
    Field,
    MemberRow,
    PersonRow,
    Section,
    read_back,
)
from yakuba.registry.ui.move_input import MoveInput
from yakuba.registry.ui.notifier_fields import duplicates_section, notifier_section

MAX_PERSONS = 6

# Which form a kind gets (kinds of one family share their inputs): codes.KINDS.
FAMILY = {kind: facts.form for kind, facts in KINDS.items()}
# Families that work on the members of one existing 世帯 (opened from 世帯照会).
NEEDS_HOUSEHOLD = {"remove", "move_out", "regroup", "head", "birth"}
# Families whose members chosen leave their 世帯: none of them can become its new 世帯主.
LEAVING = {"remove", "move_out", "regroup"}
# Families that record new persons, several at once (a family's 転入; twins and triplets).
ADD_PERSON = {"record": "世帯員を追加", "birth": "子を追加"}
TOWN_AREAS = "town-areas"  # the <datalist> of the 住所辞書's 町字 (move_form.html)

DESCRIPTIONS = {
    "record": "新しく住民となる人を記載します。世帯員は6人まで一度に入力できます。",
    "birth": "出生した子を、親の世帯に記載します。異動日は生年月日です。双子・三つ子は「子を追加」で続けて入力します。",
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


class MoveForm(MoveInput):
    """The form of one kind, bound to submitted data (or empty), with optional source 世帯."""

    def __init__(
        self, kind: str, data, *, household=None, members=(), preselect=(), today: date, initial=None
    ):
        self.kind = kind
        self.initial = initial or {}  # values of an empty form (the 異動番号 of a 取消し from the history)
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

    @property
    def add_person_label(self) -> str:
        return ADD_PERSON.get(self.family, "")

    @property
    def has_address(self) -> bool:
        return "household.address.town_area" in self.fields

    def offer_unlisted(self) -> None:
        """Show 「住所辞書にない住所として記載する（職権）」 (管理者 only: ``access.visibility``).

        Whoever posts it, the request carries ``unlisted`` and the service decides
        (``Visibility.unlisted_address``); the screen only spares the others an input they
        cannot use."""
        if not self.has_address:
            return
        flag = self._f(
            "household.address.unlisted",
            "住所辞書にない住所として記載する（職権）",
            kind="flag",
            options=(("1", "住所辞書にない住所として記載する（職権）"),),
            validate=False,
        )
        for section in self.sections:
            if any(f.name == "household.address.town_area" for f in section.fields):
                at = next(i for i, f in enumerate(section.fields) if f.name == "household.address.extra")
                section.fields.insert(at + 1, flag)
        self.fields[flag.name] = flag

    def _value(self, name: str, default: str = "") -> str:
        if not self.bound:
            return self.initial.get(name, default)
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
            self._f(
                "household.address.town_area",
                "町字",
                required=required,
                hint="例：東栄町",
                datalist=TOWN_AREAS,
            ),
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
            main.append(
                self._f(
                    f"{p}.previous_address", "転入前住所", hint="空欄なら上の「転入前住所（全員）」", size="l"
                )
            )
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
        name = self._value(f"{p}.name")
        for f in row.fields():
            read_back(f)
            f.person = f"{row.number}人目（{name}）" if name else f"{row.number}人目"
        return row

    def _leaving(self) -> set[str]:
        """宛名番号 of the members this 異動 takes out of their 世帯 (as chosen so far)."""
        if self.family not in LEAVING:
            return set()
        if not self.bound:
            return {m.atena_no for m in self.members if m.atena_no in self.preselect}
        return {
            m.atena_no
            for i, m in enumerate(self.members)
            if self._value(f"persons[{i}].atena_no") == m.atena_no
        }

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
        """The new 世帯主 and everyone's new 続柄, among the members who stay: a person who dies
        or moves out cannot head the 世帯 left behind (the service refuses it too: move_kinds)."""
        leaving = self._leaving()
        staying = [m for m in self.members if m.atena_no not in leaving]
        options = (("", "（変更しない）"),) + tuple(
            (m.atena_no, f"{m.name}（{m.atena_no}）") for m in staying
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
        for m in staying:
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
                ),
                # Typed once for the family (one 転出証明書); a person's own input wins.
                self._f(
                    "previous_address",
                    "転入前住所（全員）",
                    hint="転出証明書の住所。世帯員の欄が空欄の人全員に記載します",
                    size="l",
                ),
            ]
            s.append(Section("住所（世帯）", fields=self._address(required=False) + household))
            rows = [self.person_row(i) for i in range(self.person_rows)]
            s.append(Section("世帯員", kind="persons", persons=rows))
            self.aliases["household.address"] = "household.address.town_area"
        elif family == "birth":
            s.append(Section("異動の内容", fields=self._dates("出生日（異動日）")))
            rows = [self.person_row(i) for i in range(self.person_rows)]
            s.append(Section("出生した子", kind="persons", persons=rows))
            # Twins and triplets share the 出生日: every child's 生年月日 is the 異動日.
            for i in range(self.person_rows):
                self.aliases[f"persons[{i}].birth_date"] = "move_date"
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
                            "異動番号",
                            required=True,
                            hint="例：2026-000123（異動履歴・処理票に表示されます）",
                            size="m",
                            maxlength=40,
                        )
                    ],
                )
            )
        if self.kind in NOTIFIED_KINDS:
            s.append(notifier_section(self))
        if family == "record" or family == "birth":
            s.append(duplicates_section(self))

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
