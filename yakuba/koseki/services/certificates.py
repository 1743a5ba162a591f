"""The 戸籍's certificates through the certificates machinery (``yakuba.certificates.services.
issue_document``: who asked, 支援措置, the number, the QR code, the signature, the 交付履歴 and the
print audit, in the caller's transaction) — docs/koseki.md「証明書」.

- **Which** (``rules/requests.kind_problems``): 戸籍全部事項証明書 (謄本) of a 戸籍 in use,
  戸籍個人事項証明書 (抄本) of members chosen from it, 除籍全部事項証明書 of a closed 戸籍,
  改製原戸籍謄本 of the form an 改製 replaced.
- **Who asked** (``rules/requests.check_request``): the relation of the requester to the 戸籍 is
  read from the 戸籍 data here — their own rows (``requester_person_id``), their marriages, and
  both sides' 直系 through the father/mother links at any depth (one recursive query) — never
  taken from the form; 第三者, 公用 and 職務上請求 state their 請求事由; 広域交付 only for what
  戸籍法120条の2 allows.
- **What it shows** (the 法務省 全部事項証明 記載例): 本籍 and 氏名 of the 筆頭者 (with the 氏の振り仮名
  once recorded), the 戸籍事項, then each member in order (法14条) with 名, 振り仮名, 生年月日,
  父・母・続柄, 養父母 and their 続柄, then their 身分事項; a member who has left is marked 除籍.
- **支援措置**: the members who live here (their 宛名番号) are the machinery's subjects: a
  protected person's 戸籍 goes to them alone, or on a recorded override.
- **手数料**: 450円 / 750円 by kind (``certificates.services.fees``); 公用 is free.
"""

from __future__ import annotations

from dataclasses import replace

from django.db import connections

from yakuba.certificates import services as certificates
from yakuba.koseki.codes import Event, Role
from yakuba.koseki.models import Koseki, Member
from yakuba.koseki.rules import requests
from yakuba.koseki.services.queries import EntryView, MemberView, NotFound, koseki_of
from yakuba.platform.japanese.wareki import WarekiError, format_wareki
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.services import Visibility

TITLES = requests.KIND_LABELS
# The 認証文 as municipalities print them (戸籍法施行規則 付録の様式; wording as commonly printed).
ATTESTATIONS = {
    requests.FULL: "これは、戸籍に記録されている事項の全部を証明した書面である。",
    requests.INDIVIDUAL: "これは、戸籍中の一部の者について記録されている事項の全部を証明した書面である。",
    requests.JOSEKI: "これは、除籍に記録されている事項の全部を証明した書面である。",
    requests.ORIGINAL: "この謄本は、改製原戸籍の原本と相違ないことを認証する。",
}
LAYOUT = "koseki"
OFFICIAL_FEE_EXEMPTION = "公用"
# 身分事項 details printed, with their labels (the entries' keys, services/plans.py, kinship.py,
# names.py, remake.py); ids and bookkeeping keys are not printed. A kind that gives a key another
# meaning has its own labels (EVENT_LABELS).
DETAIL_LABELS = {
    "spouse": "配偶者氏名",
    "former_surname": "従前の氏",
    "from": "従前本籍",
    "old": "従前本籍",
    "new": "新本籍",
    "to": "入籍戸籍",
    "from_koseki": "従前戸籍",
    "reading": "振り仮名",
    "adopters": "養親氏名",
    "adoptee": "養子氏名",
    "basis": "改製事由",
}
EVENT_LABELS = {
    Event.SURNAME_CHANGE: {
        "old": "変更前の氏",
        "new": "変更後の氏",
        "old_kana": "変更前の氏の振り仮名",
        "new_kana": "変更後の氏の振り仮名",
    },
    Event.GIVEN_NAME_CHANGE: {
        "old": "変更前の名",
        "new": "変更後の名",
        "old_kana": "変更前の名の振り仮名",
        "new_kana": "変更後の名の振り仮名",
    },
    Event.ACKNOWLEDGEMENT: {
        "father": "認知者氏名",
        "father_koseki": "認知者の戸籍",
        "child": "認知した子の氏名",
        "child_koseki": "認知した子の戸籍",
    },
}
# The day's label where 「事項＋日」 is not what the 記載例 prints.
DAY_LABELS = {
    Event.FORMED: "編製日",
    Event.CLOSED: "消除日",
    Event.ADOPTION: "縁組日",
    Event.DISSOLUTION: "離縁日",
    Event.FURIGANA: "記録日",
    Event.REMADE: "改製日",
}
PARTS = {"surname": "氏の振り仮名", "given_name": "名の振り仮名"}


def issue_certificate(
    koseki_id: str,
    kind: str,
    *,
    person_ids: tuple[str, ...] | list[str] = (),
    requester: certificates.RequesterInfo,
    requester_person_id: str = "",
    wide_area: bool = False,
    photo_id: bool = False,
    visibility: Visibility,
    purpose_kind: str = "",
    profession: str = "",
    mandate: bool = False,
    fee_exempt_reason: str = "",
    reissue_of: str = "",
) -> certificates.Issued:
    """Issue a 戸籍 certificate (inside the caller's ``tenant_context`` and transaction). Raises
    ``NotFound`` for an unknown 戸籍 and the certificates door's ``RuleViolation`` with every broken
    rule at once, each at its field."""
    koseki = Koseki.objects.filter(koseki_id=koseki_id).first()
    if koseki is None:
        raise NotFound(f"戸籍ID {koseki_id} の戸籍は見つかりません")
    members = _members(koseki)
    person_ids = list(dict.fromkeys(person_ids))
    member_ids = [m["person_id"] for m in members]
    errors = requests.kind_problems(
        kind,
        closed=koseki.closed_on is not None,
        original=koseki.original,
        person_ids=person_ids,
        member_ids=member_ids,
    )
    atena, found = _relation(members, requester, requester_person_id)
    errors += requests.check_request(
        kind,
        requester.type,
        found=found,
        person_given=bool(requester_person_id),
        purpose_kind=purpose_kind,
        profession=profession,
        mandate=mandate,
        wide_area=wide_area,
        photo_id=photo_id,
    )
    if requester.type == requests.SELF and not requester.atena_no:
        # The 本人 known by the 戸籍: their 宛名番号 (if they live here) lets a protected person
        # have their own 戸籍 (the machinery's 支援措置 check).
        own = atena.get(requester_person_id, "")
        requester = replace(requester, atena_no=own, person_id=requester_person_id)
    printed = person_ids or member_ids
    if requester.type == requests.OFFICIAL and not fee_exempt_reason:
        fee_exempt_reason = OFFICIAL_FEE_EXEMPTION
    options = {
        "kind": kind,
        "koseki_id": koseki_id,
        "person_ids": person_ids,
        "requester_person_id": requester_person_id,
        "wide_area": wide_area,
        "photo_id": photo_id,
        "purpose_kind": purpose_kind,
        "profession": profession,
        "mandate": mandate,
    }
    return certificates.issue_document(
        kind,
        lambda _vis: document(koseki_id, kind, person_ids, atena),
        subjects={atena[p] for p in printed if atena.get(p)},
        options=options,
        requester=requester,
        visibility=visibility,
        fee_exempt_reason=fee_exempt_reason,
        reissue_of=reissue_of,
        problems=tuple(errors),
    )


def reissue(options: dict, **issue_options) -> certificates.Issued:
    """再発行 from the 交付履歴 (``register_reissue``): the same 戸籍 and persons, as written today;
    the request is checked again (a 広域交付 needs its photo ID again)."""
    return issue_certificate(
        options["koseki_id"],
        options["kind"],
        person_ids=tuple(options.get("person_ids", ())),
        requester_person_id=options.get("requester_person_id", ""),
        wide_area=options.get("wide_area", False),
        photo_id=options.get("photo_id", False),
        purpose_kind=options.get("purpose_kind", ""),
        profession=options.get("profession", ""),
        mandate=options.get("mandate", False),
        **issue_options,
    )


def register() -> None:
    """Lets the 交付履歴 issue each 戸籍 certificate again (called once when the app starts)."""
    for kind in TITLES:
        certificates.register_reissue(kind, reissue)


# --- who asked ---------------------------------------------------------------------------


def _members(koseki: Koseki) -> list[dict]:
    """What the rules and the certificate read of the members beyond the door's view: one query."""
    return list(
        Member.objects.filter(koseki=koseki)
        .order_by("position")
        .values(
            "person_id",
            "atena_no",
            "father",
            "mother",
            "adoptive_father",
            "adoptive_mother",
        )
    )


ANCESTORS = """
WITH RECURSIVE up(start, pid, depth) AS (
    SELECT m.person_id, p, 1
      FROM koseki_member m CROSS JOIN LATERAL unnest(ARRAY[m.father_id, m.mother_id]) AS p
     WHERE m.lg_code = %(lg)s AND m.person_id = ANY(%(ids)s) AND p <> ''
    UNION
    SELECT up.start, p, up.depth + 1
      FROM up JOIN koseki_member m ON m.lg_code = %(lg)s AND m.person_id = up.pid
      CROSS JOIN LATERAL unnest(ARRAY[m.father_id, m.mother_id]) AS p
     WHERE p <> '' AND up.depth < %(depth)s
)
SELECT start, array_agg(DISTINCT pid) FROM up GROUP BY start
"""
# Generations followed up the parent links: more than any living line needs, and a bound on a
# broken (cyclic) link.
DEPTH = 12
SPOUSES = """
SELECT DISTINCT o.person_id
  FROM koseki_member r JOIN koseki_member o
    ON o.lg_code = r.lg_code AND o.koseki_id = r.koseki_id AND o.person_id <> r.person_id
 WHERE r.lg_code = %(lg)s AND r.person_id = %(id)s
   AND r.role IN (%(head)s, %(spouse)s) AND o.role IN (%(head)s, %(spouse)s)
   AND r.removed_reason <> %(divorce)s AND o.removed_reason <> %(divorce)s
"""


def _relation(
    members: list[dict], requester: certificates.RequesterInfo, requester_person_id: str
) -> tuple[dict[str, str], requests.Relation | None]:
    """The members' 宛名番号 ({person_id: atena_no}, "" for one not living here) and how the requester (or the person a 代理人 acts for) stands to them:
    two queries (the 直系 of everyone involved, the requester's marriages)."""
    tenant = require_tenant()
    ids = [m["person_id"] for m in members] + ([requester_person_id] if requester_person_id else [])
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(ANCESTORS, {"lg": tenant.lg_code, "ids": ids, "depth": DEPTH})
        ancestors = {start: frozenset(found) for start, found in cursor.fetchall()}
        spouses: frozenset[str] = frozenset()
        if requester_person_id:
            cursor.execute(
                SPOUSES,
                {
                    "lg": tenant.lg_code,
                    "id": requester_person_id,
                    "head": Role.HEAD.value,
                    "spouse": Role.SPOUSE.value,
                    "divorce": Event.DIVORCE.value,
                },
            )
            spouses = frozenset(row[0] for row in cursor.fetchall())
    atena = {m["person_id"]: m["atena_no"] for m in members}
    rules_members = [
        requests.Kin(
            m["person_id"],
            m["father"],
            m["mother"],
            m["adoptive_father"],
            m["adoptive_mother"],
            ancestors.get(m["person_id"], frozenset()),
        )
        for m in members
    ]
    who = requests.Requester(
        requester_person_id,
        requester.name,
        spouses,
        ancestors.get(requester_person_id, frozenset()),
    )
    return atena, requests.relation(who, rules_members)


# --- what it shows -----------------------------------------------------------------------


def document(
    koseki_id: str, kind: str, person_ids: list[str], atena: dict[str, str]
) -> certificates.Document:
    """The certificate's content from the door's view of the 戸籍 (``koseki_of``, audited)."""
    view = koseki_of(koseki_id)
    chosen = [m for m in view.members if not person_ids or m.person_id in person_ids]
    header = [
        certificates.Item("address", "本籍", view.honseki),
        certificates.Item("name", "氏名", view.hittosha),
    ]
    if view.surname_kana:
        header.append(certificates.Item("kana", "氏の振り仮名", view.surname_kana))
    persons = tuple(_person(m, atena.get(m.person_id, "")) for m in chosen)
    sheet = certificates.Sheet(
        tuple(header), persons, blocks=tuple(_entry_block("戸籍事項", e) for e in view.entries)
    )
    return certificates.Document(
        kind=kind,
        layout=LAYOUT,
        setai_no="",
        atena_nos=sorted({atena[m.person_id] for m in chosen if atena.get(m.person_id)}),
        sheets=[sheet],
        title=TITLES[kind],
        attestation=ATTESTATIONS[kind],
    )


def _day(value) -> str:
    if value is None:
        return ""
    try:
        return format_wareki(value)
    except WarekiError:  # before 明治6年
        return value.isoformat()


def _person(member: MemberView, atena_no: str) -> certificates.Person:
    given = member.name.split("\u3000", 1)[-1]
    own = [certificates.Item("name", "名", given)]
    if member.name_kana:
        own.append(certificates.Item("kana", "名の振り仮名", member.name_kana.split("\u3000", 1)[-1]))
    own += [
        certificates.Item("date", "生年月日", _day(member.birth_date)),
        certificates.Item("name", "父", member.father),
        certificates.Item("name", "母", member.mother),
        certificates.Item("short", "続柄", member.relationship),
    ]
    if member.adoptive_father or member.adoptive_mother:
        own += [
            certificates.Item("name", "養父", member.adoptive_father),
            certificates.Item("name", "養母", member.adoptive_mother),
            certificates.Item("short", "続柄", member.adoptive_relationship),
        ]
    blocks = [certificates.Block("戸籍に記録されている者", tuple(i for i in own if i.value))]
    blocks += [_entry_block("身分事項", e) for e in member.entries]
    return certificates.Person(
        atena_no,
        member.name,
        False,
        (),
        tuple(blocks),
        # The rows of a 改製原戸籍 were closed by the 改製, not by the person leaving.
        "除籍" if member.removed_on and member.removed_reason != Event.REMADE else "",
    )


def _entry_block(title: str, entry: EntryView) -> certificates.Block:
    """One 身分事項 (or 戸籍事項): 【出生日】 … the day, what the entry says, 【届出日】 when filed."""
    event = Event(entry.event)
    items = [certificates.Item("date", DAY_LABELS.get(event, f"{event.label}日"), _day(entry.on))]
    detail = entry.detail
    if reason := detail.get("reason"):
        items.append(
            certificates.Item("short", "事由", Event(reason).label if reason in Event.values else reason)
        )
    for key, label in {**DETAIL_LABELS, **EVENT_LABELS.get(event, {})}.items():
        value = detail.get(key)
        if key == "reading" and value:
            label = PARTS.get(detail.get("part", ""), label)
        if isinstance(value, list):
            value = "、".join(v for v in value if isinstance(v, str))
        if value and isinstance(value, str):
            items.append(certificates.Item("name", label, value))
    if detail.get("abroad"):
        items.append(certificates.Item("short", "場所", "国外"))
    if entry.notification_no:
        items.append(certificates.Item("date", "届出日", _day(entry.recorded_on)))
    return certificates.Block(title, tuple(items), event.label)


__all__ = ["issue_certificate", "register", "reissue"]
