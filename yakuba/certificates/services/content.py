"""What a certificate says: the persons and items of a 住民票の写し (or 記載事項証明書, 除票,
転出証明書) read through the registry's door and formatted as printed, before any layout.

Sources (docs/reference/registry-facts.md §12, §10, §7): certificates for the whole 世帯 or
part of it, 世帯連記式 (at most four persons a sheet) or 個人票 (one person a sheet), 除票 only
as 個人票; 世帯主・続柄, 本籍・筆頭者, 住民票コード, 個人番号 and the foreign residents' items
printed or omitted as asked (住民基本台帳法 第12条第5項); 転入前住所; persons in the standard
order (§5.2, the door's household order); dates in 和暦 except a foreign resident's 生年月日 and
在留期間等の満了の日 (§1.1.9). Codes of the door's records are those of the resident JSON
(docs/reference/contract.md §6): the registry's code module is not part of its door.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from yakuba.certificates.codes import Kind, Layout
from yakuba.platform.japanese.wareki import (
    WarekiError,
    format_date_for_resident,
    format_wareki,
    parse_partial_date,
)
from yakuba.registry import services as registry
from yakuba.registry.services import NotFound, ResidentRecord, RuleViolation

PER_SHEET = 4  # 世帯連記式: at most four persons a sheet (registry-facts §12)

# Resident JSON codes (contract §6).
FOREIGN = 2
MOVING_OUT = 2
REMOVED = 3
SEX = {1: "男", 2: "女"}
REMOVAL = {
    "move_out_domestic": "転出",
    "move_out_abroad": "国外転出",
    "death": "死亡",
    "ex_officio": "職権消除",
}
MOVE_OUT_REASONS = frozenset({"move_out_domestic", "move_out_abroad"})

TITLES = {
    Kind.JUMINHYO_COPY: "住民票の写し",
    Kind.ENTRY_CERTIFICATE: "住民票記載事項証明書",
    Kind.REMOVED_COPY: "住民票の除票の写し",
    Kind.REMOVED_ENTRY_CERTIFICATE: "住民票の除票記載事項証明書",
    Kind.MOVE_OUT_CERTIFICATE: "転出証明書",
}
# 認証文 (§5.1), printed once, on the last page.
ATTESTATIONS = {
    Kind.JUMINHYO_COPY: "この写しは、住民票の原本と相違ないことを証明する。",
    Kind.ENTRY_CERTIFICATE: "上記の事項は、住民票に記載されていることを証明する。",
    Kind.REMOVED_COPY: "この写しは、住民票の除票の原本と相違ないことを証明する。",
    Kind.REMOVED_ENTRY_CERTIFICATE: "上記の事項は、住民票の除票に記載されていることを証明する。",
    Kind.MOVE_OUT_CERTIFICATE: "上記の者は、転出の届出をしたことを証明する。",
}
REMOVED_KINDS = frozenset({Kind.REMOVED_COPY, Kind.REMOVED_ENTRY_CERTIFICATE})


@dataclass(frozen=True)
class CertificateRequest:
    kind: str  # codes.Kind value
    layout: str  # codes.Layout value
    setai_no: str = ""
    atena_nos: tuple[str, ...] = ()  # a subset of the 世帯 (empty = whole 世帯); 個人票 / 除票: the persons
    head_and_relationship: bool = True  # 世帯主・続柄
    domicile: bool = False  # 本籍・筆頭者
    juminhyo_code: bool = False
    my_number: bool = False
    foreign_items: bool = True  # 国籍・地域, 在留資格, 在留期間等の満了の日, 在留カード等の番号
    alias_history: bool = False  # 通称 and its history (外国人住民)
    former_surname: bool = True  # 旧氏 併記 when recorded
    official_use: bool = False  # 「公用」
    as_of: date | None = None  # a past state


@dataclass(frozen=True)
class Item:
    """One printed item. ``key`` names the box (render.py chooses its font size by length);
    ``wide``: the item takes a whole row of the person's table."""

    key: str
    label: str
    value: str
    wide: bool = False


@dataclass(frozen=True)
class Block:
    """A titled group of lines on a 戸籍 or 附票 certificate (``Layout.KOSEKI`` / ``ANNEX``): the
    戸籍事項, the member's own lines (戸籍に記録されている者), one 身分事項 (``title`` 身分事項,
    ``subtitle`` 出生 …), one 附票 row (住所, 住所を定めた年月日). Each item prints on a line of
    its own as 【label】value — the 法務省's 戸籍の全部事項証明書 記載例 (docs/certificates.md)."""

    title: str
    items: tuple[Item, ...]
    subtitle: str = ""

    def lines(self) -> list[str]:
        head = f"{self.title}\t{self.subtitle}" if self.subtitle else self.title
        return [f"[{head}]"] + [f"{i.label}\t{i.value}" for i in self.items]


@dataclass(frozen=True)
class Person:
    """One person of a sheet. The 住民票's layouts print ``rows`` (a table of boxes); the 戸籍 and
    附票 layouts print ``blocks`` (titled lines), with ``removed`` marking a 除籍 member."""

    atena_no: str
    name: str
    foreign: bool
    rows: tuple[tuple[Item, ...], ...]  # each row one line of the person's table (≤ 3 items)
    blocks: tuple[Block, ...] = ()
    removed: str = ""  # the mark printed by a member who has left the 戸籍: 除籍 (or 消除)

    def items(self) -> list[Item]:
        return [item for row in self.rows for item in row]


@dataclass(frozen=True)
class Sheet:
    """One sheet: the household items (住所, 世帯主) and its persons (≤ 4, or 1 for 個人票)."""

    household: tuple[Item, ...]
    persons: tuple[Person, ...]
    first_position: int = 1  # the number printed before the sheet's first person
    blocks: tuple[Block, ...] = ()  # between the header and the persons: the 戸籍事項


@dataclass(frozen=True)
class Document:
    kind: str
    layout: str
    setai_no: str
    atena_nos: list[str]
    sheets: list[Sheet]
    title: str
    attestation: str
    official_use: bool = False
    as_of: date | None = None
    notes: tuple[str, ...] = field(default=())
    subtitle: str = ""  # under the title, e.g. the 年度 of a 所得・課税証明書
    # An image the certificate vouches for (the 印影 of a 印鑑登録証明書): PNG or JPEG bytes,
    # printed in a box of its own after the persons; its SHA-256 is part of the content digest.
    image: bytes = b""
    image_label: str = ""

    def content_text(self) -> str:
        """Everything printed but the issue details, one item a line, for the content digest."""
        lines = [f"種類\t{self.title}", f"様式\t{Layout(self.layout).label}", f"世帯番号\t{self.setai_no}"]
        if self.official_use:
            lines.append("公用\t公用")
        if self.as_of:
            lines.append(f"基準日\t{self.as_of.isoformat()}")
        if self.subtitle:
            lines.append(f"副題\t{self.subtitle}")
        for number, sheet in enumerate(self.sheets, 1):
            lines.append(f"[{number}]")
            lines += [f"{i.label}\t{i.value}" for i in sheet.household]
            lines += [line for block in sheet.blocks for line in block.lines()]
            for person in sheet.persons:
                lines.append(f"宛名番号\t{person.atena_no}")
                lines += [f"{i.label}\t{i.value}" for i in person.items()]
                if person.removed:
                    lines.append(f"記録\t{person.removed}")
                lines += [line for block in person.blocks for line in block.lines()]
        if self.image:
            lines.append(f"{self.image_label or '画像'}\t{hashlib.sha256(self.image).hexdigest()}")
        lines += [f"備考\t{note}" for note in self.notes]
        lines.append(f"認証文\t{self.attestation}")
        return "\n".join(lines) + "\n"


# --- formatting --------------------------------------------------------------------------


def wareki(value: date | None) -> str:
    if value is None:
        return ""
    try:
        return format_wareki(value)
    except WarekiError:  # before 明治6年: no 和暦 of an exact date (wareki.MIN_DATE)
        return value.isoformat()


def birth_text(record: ResidentRecord, foreign: bool) -> str:
    """生年月日 per §1.1.9: 和暦, 西暦 for a foreign resident; a 不詳 date as registered."""
    value = record.birth_date
    if value is None:
        try:
            value = parse_partial_date(record.birth_date_text)
        except (WarekiError, ValueError):
            return record.birth_date_text
    try:
        return format_date_for_resident(value, foreign=foreign)
    except WarekiError:
        return str(value)


def full_address(address: str, extra: str) -> str:
    return f"{address}　{extra}" if extra else address


def my_number_text(number: str) -> str:
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


# --- the request -------------------------------------------------------------------------


def build(request: CertificateRequest, *, visibility) -> Document:
    """The document of a request, read through the registry's door as ``visibility`` allows.

    Raises ``RuleViolation`` for a request that cannot be made and lets the door's
    ``NotFound`` through for unknown or hidden (支援措置) persons and 世帯.
    """
    kind, layout = _check_request(request, visibility)
    records = _records(request, kind, visibility)
    heads = _head_names(records, request, visibility)
    people = [_person(r, request, kind, heads, visibility) for r in records]
    if layout == Layout.HOUSEHOLD:
        first = records[0]
        household = [Item("address", "住所", full_address(first.address, first.address_extra), wide=True)]
        if request.head_and_relationship:
            household.append(Item("head", "世帯主", heads.get(first.setai_no, "")))
        sheets = [
            Sheet(tuple(household), tuple(people[i : i + PER_SHEET]), i + 1)
            for i in range(0, len(people), PER_SHEET)
        ]
    else:
        sheets = [
            Sheet(_own_household(r, request, heads), (p,), 1) for r, p in zip(records, people, strict=True)
        ]
    return Document(
        kind=kind,
        layout=layout,
        setai_no=request.setai_no or records[0].setai_no,
        atena_nos=[r.atena_no for r in records],
        sheets=sheets,
        title=TITLES[kind],
        attestation=ATTESTATIONS[kind],
        official_use=request.official_use,
        as_of=request.as_of,
    )


def _check_request(request: CertificateRequest, visibility) -> tuple[Kind, Layout]:
    errors: list[tuple[str, str]] = []
    kind = layout = None
    try:
        kind = Kind(request.kind)
    except ValueError:
        errors.append(("kind", f"証明書の種類が正しくありません: {request.kind}"))
    if kind is not None and kind not in TITLES:  # another app's certificate (所得・課税, 印鑑登録 …)
        errors.append(("kind", f"{kind.label}は住民票の証明書の画面では交付できません"))
    try:
        layout = Layout(request.layout)
    except ValueError:
        errors.append(("layout", f"様式が正しくありません: {request.layout}"))
    if kind in REMOVED_KINDS and layout == Layout.HOUSEHOLD:
        errors.append(("layout", "除票の写し・除票記載事項証明書は個人票でのみ交付できます"))
    if not request.setai_no and not request.atena_nos:
        errors.append(("setai_no", "世帯番号または宛名番号を指定してください"))
    if kind in REMOVED_KINDS and not request.atena_nos:
        errors.append(("atena_nos", "除票の写しは宛名番号で指定してください"))
    if request.my_number and not visibility.my_number:
        errors.append(("my_number", "個人番号を記載する権限がありません"))
    if request.domicile and not visibility.domicile:
        errors.append(("domicile", "本籍・筆頭者を記載する権限がありません"))
    if request.juminhyo_code and not visibility.juminhyo_code:
        errors.append(("juminhyo_code", "住民票コードを記載する権限がありません"))
    if request.as_of and kind in (*REMOVED_KINDS, Kind.MOVE_OUT_CERTIFICATE):
        errors.append(("as_of", "基準日を指定できるのは住民票の写し・記載事項証明書だけです"))
    if errors:
        raise RuleViolation(errors)
    return kind, layout


def _records(request: CertificateRequest, kind: Kind, visibility) -> list[ResidentRecord]:
    """The persons printed, in the certificate's order: the door's household order (§5.2)."""
    if kind in REMOVED_KINDS:
        return _persons(request, visibility, _removed_problem)
    if kind == Kind.MOVE_OUT_CERTIFICATE:
        if request.atena_nos:
            return _persons(request, visibility, _move_out_problem)
        members = registry.household(request.setai_no, visibility=visibility).members
        found = [m for m in members if m.status == MOVING_OUT]
        if not found:
            raise RuleViolation([("setai_no", "この世帯に転出予定の世帯員はいません")])
        return found
    if not request.setai_no:
        return _persons(request, visibility, _live_problem)
    members = registry.household(request.setai_no, as_of=request.as_of, visibility=visibility).members
    if not request.atena_nos:
        return list(members)
    wanted = set(request.atena_nos)
    errors = []
    for atena_no in sorted(wanted - {m.atena_no for m in members}):
        record = registry.get_resident(atena_no, as_of=request.as_of, visibility=visibility)  # NotFound
        errors.append(
            (
                "atena_nos",
                _live_problem(record) or f"{record.name}（{atena_no}）はこの世帯の世帯員ではありません",
            )
        )
    if errors:
        raise RuleViolation(errors)
    return [m for m in members if m.atena_no in wanted]


def _persons(request: CertificateRequest, visibility, problem) -> list[ResidentRecord]:
    records = [
        registry.get_resident(a, as_of=request.as_of, visibility=visibility) for a in request.atena_nos
    ]
    errors = [("atena_nos", message) for r in records if (message := problem(r))]
    if request.setai_no:
        errors += [
            ("atena_nos", f"{r.name}（{r.atena_no}）はこの世帯の世帯員ではありません")
            for r in records
            if r.setai_no != request.setai_no
        ]
    if errors:
        raise RuleViolation(errors)
    return records


def _live_problem(record: ResidentRecord) -> str:
    if record.status == REMOVED:
        return f"{record.name}（{record.atena_no}）は消除されています。住民票の除票の写しを請求してください"
    return ""


def _removed_problem(record: ResidentRecord) -> str:
    if record.status != REMOVED:
        return f"{record.name}（{record.atena_no}）は消除されていません。住民票の写しを請求してください"
    return ""


def _move_out_problem(record: ResidentRecord) -> str:
    if record.status == MOVING_OUT or (
        record.status == REMOVED and record.removal_reason in MOVE_OUT_REASONS
    ):
        return ""
    return f"{record.name}（{record.atena_no}）に転出の届出はありません"


def _head_names(records: list[ResidentRecord], request: CertificateRequest, visibility) -> dict[str, str]:
    """{世帯番号: 世帯主の氏名} of the printed persons, in the state printed: the 世帯 on the
    基準日, or for a 除票 the day before its removal (the 世帯 the person left)."""
    if not request.head_and_relationship:
        return {}
    heads: dict[str, str] = {}
    for record in records:
        if record.setai_no in heads:
            continue
        if record.relationship == "世帯主":
            heads[record.setai_no] = record.name
            continue
        as_of = request.as_of
        if record.status == REMOVED and record.removed_on:
            as_of = record.removed_on - timedelta(days=1)
        try:
            members = registry.household(record.setai_no, as_of=as_of, visibility=visibility).members
        except NotFound:
            if record.status != REMOVED:
                raise
            members = ()  # the 世帯 of a 除票 may be gone (or hidden): its head is not printed
        heads[record.setai_no] = next((m.name for m in members if m.relationship == "世帯主"), "")
    return heads


def _own_household(
    record: ResidentRecord, request: CertificateRequest, heads: dict[str, str]
) -> tuple[Item, ...]:
    items = [Item("address", "住所", full_address(record.address, record.address_extra), wide=True)]
    if request.head_and_relationship:
        items.append(Item("head", "世帯主", heads.get(record.setai_no, "")))
    return tuple(items)


# --- one person --------------------------------------------------------------------------


def _person(record: ResidentRecord, request: CertificateRequest, kind: Kind, heads, visibility) -> Person:
    foreign = record.resident_type == FOREIGN
    rows = _name_rows(record, request, foreign, visibility)
    first = [
        Item("birth", "生年月日", birth_text(record, foreign)),
        Item("sex", "性別", SEX.get(record.sex, "")),
    ]
    if request.head_and_relationship:
        first.append(Item("relationship", "続柄", record.relationship))
    rows.append(tuple(first))
    if kind != Kind.MOVE_OUT_CERTIFICATE:
        rows.append(
            (
                Item("date", "住民となった年月日", wareki(record.became_resident_on)),
                Item("date", "住所を定めた年月日", wareki(record.address_set_on)),
                Item("date", "届出日", wareki(record.notified_on)),
            )
        )
        if record.previous_address:
            rows.append((Item("address", "転入前住所", record.previous_address, wide=True),))
    if request.domicile and not foreign:
        rows.append(
            (
                Item("address", "本籍", record.domicile or ""),
                Item("name", "筆頭者", record.domicile_head or ""),
            )
        )
    numbers = []
    if request.juminhyo_code:
        numbers.append(Item("number", "住民票コード", record.juminhyo_code or ""))
    if request.my_number:
        numbers.append(Item("number", "個人番号", my_number_text(record.my_number or "")))
    if numbers:
        rows.append(tuple(numbers))
    if foreign and request.foreign_items:
        rows += _foreign_rows(record)
    rows += _move_rows(record, kind)
    return Person(record.atena_no, record.name, foreign, tuple(rows))


def _name_rows(record: ResidentRecord, request, foreign: bool, visibility) -> list[tuple[Item, ...]]:
    rows = [(Item("name", "氏名", record.name), Item("kana", "フリガナ", record.name_kana))]
    others = []
    if request.former_surname and record.former_surname:
        others.append(Item("name", "旧氏", record.former_surname))
    if foreign and record.alias:
        others.append(Item("name", "通称", record.alias))
    if others:
        rows.append(tuple(others))
    if foreign and request.alias_history and (entries := _alias_history(record, visibility)):
        rows.append((Item("history", "通称の履歴", entries, wide=True),))
    return rows


def _foreign_rows(record: ResidentRecord) -> list[tuple[Item, ...]]:
    expiry = (
        format_date_for_resident(record.residence_expiry, foreign=True) if record.residence_expiry else ""
    )
    return [
        (Item("short", "国籍・地域", record.nationality), Item("short", "在留資格", record.residence_status)),
        (
            Item("date", "在留期間等の満了の日", expiry),
            Item("number", "在留カード等の番号", record.residence_card_no),
        ),
    ]


def _move_rows(record: ResidentRecord, kind: Kind) -> list[tuple[Item, ...]]:
    """転出予定 (転出予定日・転出先), a 除票's 消除事由・消除年月日・転出先; the 転出証明書 says
    whether the person leaves Japan (国外転出: no receiving municipality)."""
    abroad = record.removal_reason == "move_out_abroad"
    leaving = [Item("date", "転出予定日", wareki(record.planned_move_out_on))]
    if kind == Kind.MOVE_OUT_CERTIFICATE:
        leaving.append(Item("short", "転出の区分", "国外転出" if abroad else "国内転出"))
    destination = (Item("address", "転出先住所", record.destination_address, wide=True),)
    if record.status == MOVING_OUT:
        return [tuple(leaving), destination]
    if record.status != REMOVED:
        return []
    removal = (
        Item("short", "消除事由", REMOVAL.get(record.removal_reason, record.removal_reason)),
        Item("date", "消除年月日", wareki(record.removed_on)),
    )
    if record.removal_reason not in MOVE_OUT_REASONS:
        return [removal]
    if kind == Kind.MOVE_OUT_CERTIFICATE:
        return [tuple(leaving), destination]
    return [removal, destination]


def _alias_history(record: ResidentRecord, visibility) -> str:
    """通称の記載・削除 with their dates (施行令第30条の27), from the person's history rows."""
    entries = []
    before = ""
    for row in registry.history(record.atena_no, visibility=visibility):
        if row.alias != before:
            if row.alias:
                entries.append(f"{wareki(row.move_date)} 記載 {row.alias}")
            else:
                entries.append(f"{wareki(row.move_date)} 削除 {before}")
            before = row.alias
        if row.history_no == record.history_no:
            break
    return "、".join(entries)
