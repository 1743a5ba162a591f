"""The registry following the 戸籍: what a 受理 in the 戸籍 means for the 住民票 of a resident.

The 本籍地 tells the 住所地 of every 届出 that changes a 住民票 item (住民基本台帳法 第9条第2項) and
the 住所地 writes it 職権 (施行令 第12条); here both are this town, and the telling is the 戸籍
app's events (``jp.yakuba.koseki.notification.accepted.v1`` with every person a 受理 wrote,
``jp.yakuba.koseki.furigana.recorded.v1``), read through the platform's shared consumer as any
outside client reads the feed — the registry imports nothing of the 戸籍 app.

- 出生 → a work item for the 出生 異動 (the child with its 氏名, 振り仮名, 生年月日, 性別, 本籍 and
  the parents' 世帯), when a parent lives here and the child is not yet recorded;
- 婚姻・離婚・転籍・入籍・分籍・縁組・氏名の変更 (any 受理 that leaves a resident with another 氏名,
  本籍 or 筆頭者 — a 管外転籍 or a 分籍 to another town too, with the new 本籍 the event names) → a
  proposed 職権修正 of those items;
- 死亡 → a proposed 死亡 消除 on the day of death;
- a 振り仮名 recorded → the 住民票's フリガナ copied at once (the 住民票's reading is the 戸籍's
  since 2025-05-26: docs/reference/civil-facts.md §3.4), as a 職権修正 with its history and
  event; if the 異動 cannot be made (a colleague holds the 世帯, a rule breaks) it waits as an
  open proposal instead. A reading that comes with a new 氏名 (氏・名の変更, whose 受理 is
  followed by the reading's own event) is not copied alone: the 職権修正 proposed for the 届出
  writes it with the 氏名 (a 住民票 of 山田 read ヤマモト would be wrong in between, and the
  copy, later than the proposal, would leave the proposal superseded).

The clerk applies or dismisses a proposal (``koseki_proposals``). Each (event, person) gives one
row at most: the page, its proposals and the cursor commit together, and a replay of the feed
writes nothing twice.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from yakuba.platform.audit.log import Action, record
from yakuba.platform.linkage.consumer import Consumer
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.codes import ProposalKind, ProposalStatus, ResidentType, Sex, Status
from yakuba.registry.errors import Conflict, NotFound, RuleViolation
from yakuba.registry.models import KosekiFeedPosition, KosekiProposal, Resident
from yakuba.registry.services.moves import apply_move
from yakuba.registry.services.records import Visibility

# The 戸籍 app's event types (its catalogue, docs/events.md), named here as strings: the registry
# reads the feed, not the 戸籍 package.
ACCEPTED = "jp.yakuba.koseki.notification.accepted.v1"
FURIGANA = "jp.yakuba.koseki.furigana.recorded.v1"
TYPES = ("jp.yakuba.koseki.notification.accepted.", "jp.yakuba.koseki.furigana.recorded.")
# The 戸籍's data (names, 本籍) and every person, those under 支援措置 too: the registry keeps
# their 住民票 like anyone's.
SCOPES = frozenset({"koseki:read", "registry:protected"})
RESOURCE = "registry.koseki_proposal"
PURPOSE = "戸籍の届出による住民票の記載・修正・消除（住民基本台帳法第9条第2項）"
# The registry's own rights when it writes what the 戸籍 says: every person, 本籍 included.
SYSTEM = Visibility(protected=True, domicile=True, juminhyo_code=True)
LIVING = (Status.RESIDENT, Status.MOVING_OUT)
SPACE = "\u3000"  # how the 戸籍 spaces 氏 and 名
SEX = {"male": Sex.MALE, "female": Sex.FEMALE}
# The 住民票 items a 受理 can change, with the 戸籍's name of each.
HEAD = "世帯主"
KANA_UNKNOWN = "戸籍に新しい氏名の振り仮名がありません。フリガナは変わらないため、確認してください"
ITEMS = (("name", "name"), ("name_kana", "name_kana"), ("domicile", "honseki"), ("domicile_head", "hittosha"))
# What a proposed 職権修正 may write: those items, and the 続柄 of a spouse (``_spouse_of_head``).
MODIFIED = frozenset({*(item for item, _key in ITEMS), "relationship"})


def plain(text: str) -> str:
    """A name without its spaces: the 戸籍 and the registry space names differently."""
    return "".join(text.split())


def spaced_as(value: str, current: str) -> str:
    """The 戸籍's ``value`` spaced as the registry wrote ``current`` (a half-width space unless
    the 住民票 uses the ideographic one), so that only what changed changes."""
    return value if SPACE in current else value.replace(SPACE, " ")


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class _Page:
    """One page of the 戸籍's events turned into proposals."""

    def __init__(self, events: list[dict]):
        self.events = events
        self.now = timezone.now()
        wanted = {p.get("atena_no") for e in events for p in _named(e)} - {None, ""}
        self.residents = {
            r.atena_no: r
            for r in Resident.objects.filter(atena_no__in=wanted).only(
                "atena_no",
                "status",
                "resident_type",
                "name",
                "name_kana",
                "domicile",
                "domicile_head",
                "setai_no",
                "relationship",
                "sex",
            )
        }
        self.seen = set(
            KosekiProposal.objects.filter(event_id__in=[e["id"] for e in events]).values_list(
                "event_id", "person_id"
            )
        )
        self.rows: list[KosekiProposal] = []
        self.copied: list[str] = []
        # 宛名番号 → the reading an open 職権修正 already proposes with its 氏名 (a 氏・名の変更's
        # reading comes as its own event too: not copied alone ahead of the name).
        self.proposed_kana: dict[str, str] = {}
        if any(e["type"] == FURIGANA for e in events):
            for atena_no, proposed in KosekiProposal.objects.filter(
                atena_no__in=wanted, kind=ProposalKind.MODIFY, status=ProposalStatus.OPEN
            ).values_list("atena_no", "proposed"):
                if proposed.get("name_kana"):
                    self.proposed_kana[atena_no] = plain(proposed["name_kana"])

    def living(self, atena_no: str | None) -> Resident | None:
        resident = self.residents.get(atena_no or "")
        if (
            resident is None
            or resident.status not in LIVING
            or resident.resident_type != ResidentType.JAPANESE
        ):
            return None
        return resident

    def add(
        self, event: dict, person_id: str, kind: str, resident: Resident | None, **fields
    ) -> KosekiProposal:
        data = event["data"]
        row = KosekiProposal(
            lg_code=require_tenant().lg_code,
            kind=kind,
            event_id=event["id"],
            person_id=person_id,
            notification_kind=data.get("kind", ""),
            notification_no=data.get("notification_no", ""),
            atena_no=resident.atena_no if resident else "",
            atena_nos=[resident.atena_no] if resident else [],
            event_on=_date(data.get("event_on") or data.get("recorded_on")),
            accepted_on=_date(data.get("accepted_on") or data.get("recorded_on")),
            created_at=self.now,
            **fields,
        )
        if (row.event_id, person_id) not in self.seen:
            self.seen.add((row.event_id, person_id))
            self.rows.append(row)
        return row

    # -- one event --------------------------------------------------------------------------

    def accepted(self, event: dict) -> None:
        data = event["data"]
        kind = data.get("kind", "")
        if kind == "furigana":
            return  # each reading comes as its own FURIGANA event
        changed: dict[str, tuple[dict, Resident, dict, dict]] = {}  # 宛名番号 → (person, row, before, after)
        for p in data.get("persons", []):
            if kind == "birth" and p["person_id"] == event["subject"]:
                self.birth(event, p)
                continue
            resident = self.living(p.get("atena_no"))
            if resident is None:
                continue
            if p.get("removed"):
                if kind == "death":
                    self.add(
                        event, p["person_id"], ProposalKind.DEATH, resident, before={"name": resident.name}
                    )
                    continue
                p = _divided_away(event, p)
                if p is None:
                    continue  # left for a 戸籍 this 受理 does not name: that town tells its own
            before, proposed = {}, {}
            for item, key in ITEMS:
                new, old = p.get(key) or "", getattr(resident, item)
                if new and plain(new) != plain(old):
                    before[item], proposed[item] = old, spaced_as(new, old)
            changed[resident.atena_no] = (p, resident, before, proposed)
        if kind == "marriage":
            _spouse_of_head(changed)
        for p, resident, before, proposed in changed.values():
            if not proposed:
                continue
            before.setdefault("name", resident.name)
            # A new 氏名 whose reading the 戸籍 does not give: the フリガナ would keep the old one.
            note = KANA_UNKNOWN if "name" in proposed and not p.get("name_kana") else ""
            self.add(
                event,
                p["person_id"],
                ProposalKind.MODIFY,
                resident,
                before=before,
                proposed=proposed,
                note=note,
            )
            if "name_kana" in proposed:
                self.proposed_kana[resident.atena_no] = plain(proposed["name_kana"])

    def birth(self, event: dict, child: dict) -> None:
        """The 出生 work item: the 住所地 records the child in a parent's 世帯 (住基法 第9条第2項)."""
        if self.living(child.get("atena_no")):
            return  # already recorded
        parents = [
            {"atena_no": p["atena_no"], "role": p.get("role", "")}
            for p in event["data"].get("parents", [])
            if self.living(p.get("atena_no"))
        ]
        if not parents:
            return  # no parent lives here: another town records the child
        row = self.add(
            event,
            child["person_id"],
            ProposalKind.BIRTH,
            None,
            before={},
            proposed={
                "name": child.get("name", "").replace(SPACE, " "),
                "name_kana": child.get("name_kana", ""),  # the registry spaces a フリガナ so too
                "birth_date": child.get("birth_date", ""),
                "sex": int(SEX.get(child.get("sex", ""), 0)),
                "domicile": child.get("honseki", ""),
                "domicile_head": child.get("hittosha", "").replace(SPACE, " "),
                "parents": parents,
            },
        )
        row.atena_nos = [p["atena_no"] for p in parents]

    def furigana(self, event: dict) -> None:
        """Copy the reading into the 住民票's フリガナ now, or leave it open for the clerk."""
        data = event["data"]
        resident = self.living(data.get("atena_no"))
        if resident is None or not (data.get("surname_kana") and data.get("given_name_kana")):
            return  # not a resident, or the reading of the whole 氏名 is not yet known
        kana = spaced_as(f"{data['surname_kana']}{SPACE}{data['given_name_kana']}", resident.name_kana)
        if plain(kana) in (plain(resident.name_kana), self.proposed_kana.get(resident.atena_no)):
            return  # the same already, or it comes with its 氏名 in the 職権修正 proposed
        if (event["id"], event["subject"]) in self.seen:
            return
        row = self.add(
            event,
            event["subject"],
            ProposalKind.FURIGANA,
            resident,
            before={"name": resident.name, "name_kana": resident.name_kana},
            proposed={"name_kana": kana},
        )
        try:
            with transaction.atomic(using=require_tenant().alias):
                result = apply_move(modify_request(row), visibility=SYSTEM)
        except (RuleViolation, Conflict, NotFound) as exc:
            row.note = "自動で反映できませんでした: " + _messages(exc)
            return
        resident.name_kana = kana  # a later event of this page compares with the new reading
        row.status, row.move_id = ProposalStatus.APPLIED, result.move_id
        row.decided_at, row.decided_by = self.now, "system"
        self.copied.append(resident.atena_no)


def _divided_away(event: dict, person: dict) -> dict | None:
    """A 分籍 to another town (戸籍法101条: that town makes the 戸籍) removes the person here; the
    event names their new 本籍 and 筆頭者 (``to``), which their 住民票 takes. (A 管外転籍 removes
    nobody: its persons already carry the new 本籍.)"""
    to = event["data"].get("to")
    if not to or person["person_id"] != event["subject"]:
        return None
    return {**person, "honseki": to["honseki"], "hittosha": to["hittosha"]}


def _spouse_of_head(changed: dict[str, tuple[dict, Resident, dict, dict]]) -> None:
    """A couple who marry in one 世帯 of which one is the 世帯主: the other's 続柄 becomes 妻 or
    夫 (住民記録システム標準仕様書 §1.1.11: the 続柄 to the 世帯主; 同居人 or 妻（未届） before)."""
    if len(changed) != 2:
        return
    one, two = (row for _p, row, _b, _a in changed.values())
    if one.setai_no != two.setai_no or HEAD not in (one.relationship, two.relationship):
        return
    spouse = two if one.relationship == HEAD else one
    term = "妻" if spouse.sex == Sex.FEMALE else "夫"
    if spouse.relationship != term:
        _p, _row, before, proposed = changed[spouse.atena_no]
        before["relationship"], proposed["relationship"] = spouse.relationship, term


def _named(event: dict) -> list[dict]:
    data = event["data"]
    return [*data.get("persons", []), *data.get("parents", []), data]


def _messages(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    return ("、".join(m for _f, m in errors) if errors else str(exc))[:250]


def modify_request(row: KosekiProposal) -> dict:
    """The 職権修正 of a proposal's items (氏名, フリガナ, 本籍, 筆頭者) on the day of the 届出's event."""
    items = {k: v for k, v in row.proposed.items() if k in MODIFIED}
    return {
        "kind": "ex_officio_modify",
        "move_date": row.event_on.isoformat(),
        "persons": [{"atena_no": row.atena_no, **items}],
    }


def _handle(events: list[dict], detail: dict) -> int:
    page = _Page(events)
    for event in events:
        if event["type"] == ACCEPTED:
            page.accepted(event)
        elif event["type"] == FURIGANA:
            page.furigana(event)
    if not page.rows:
        return 0
    KosekiProposal.objects.bulk_create(page.rows, ignore_conflicts=True)
    record(
        Action.CREATE,
        RESOURCE,
        purpose=PURPOSE,
        subjects=sorted({a for r in page.rows for a in r.atena_nos}),
        detail={**detail, "proposals": len(page.rows), "furigana_copied": len(page.copied)},
    )
    return len(page.rows)


CONSUMER = Consumer("registry.koseki", KosekiFeedPosition, _handle, TYPES, SCOPES)
# Handle pages until the 戸籍's feed is caught up (call with an audit actor bound).
follow_koseki = CONSUMER.follow
