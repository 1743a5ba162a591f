"""The notified 振り仮名 and their 職権記載 (改正戸籍法附則; civil-facts §3.4).

From 2025-05-26 the 本籍地 mailed each 戸籍 the readings it planned to record, built from the
office-use フリガナ of the 住民記録 (the notices were prepared centrally: the 本籍地 receives the
planned readings, one line per person — ``note_notified``). Whoever filed nothing by 2026-05-25
gets the notified reading recorded by 職権 from 2026-05-26 (``record_ex_officio``), which they
may then change once by 届 without the 家庭裁判所 (``rules/furigana.py``). Each recorded reading
is an event the registry copies into its フリガナ.

Both are set-based: one read of the members, one UPDATE per table, one INSERT of the entries,
one of the events, one audit row — whatever the town's size.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from yakuba.koseki.codes import Event
from yakuba.koseki.models import Entry, Koseki, Member
from yakuba.koseki.rules import furigana
from yakuba.koseki.services.ledger import furigana_event
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.japanese.kana import is_katakana_name
from yakuba.platform.linkage import outbox
from yakuba.platform.tenancy.context import require_tenant

RESOURCE = "koseki"
HEADER = ["person_id", "surname_kana", "given_name_kana"]

BAD_HEADER = "1行目: 見出しは person_id,surname_kana,given_name_kana にしてください"
BAD_COLUMNS = "{line}行目: 項目の数が3ではありません"
UNKNOWN = "{line}行目 person_id: 個人ID {person_id} の方は、この市町村の戸籍に在籍していません"
NOT_KANA = "{line}行目 {field}: カタカナで入力してください（{value}）"
TOO_EARLY = "職権記載は2026年5月26日から行います（{day}）"


class Rejected(ValueError):
    """The file is refused whole: every bad line at once (``errors``); nothing is kept."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def note_notified(text: str) -> int:
    """Keep the notified readings of a CSV (UTF-8; header ``person_id,surname_kana,
    given_name_kana``); all or nothing. Returns the number of persons."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or [c.strip() for c in rows[0]] != HEADER:
        raise Rejected([BAD_HEADER])
    errors: list[str] = []
    lines: dict[str, tuple[str, str]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(HEADER):
            errors.append(BAD_COLUMNS.format(line=line))
            continue
        person_id, *readings = (c.strip() for c in row)
        kana = [furigana.normalise(r) for r in readings]
        for field, value, raw in zip(HEADER[1:], kana, readings, strict=True):
            if value and not is_katakana_name(value):
                errors.append(NOT_KANA.format(line=line, field=field, value=raw))
        lines[person_id] = (line, *kana)
    with transaction.atomic(using=require_tenant().alias):
        members = {m.person_id: m for m in Member.objects.filter(person_id__in=lines, removed_on=None)}
        errors += [UNKNOWN.format(line=n, person_id=p) for p, (n, *_k) in lines.items() if p not in members]
        if errors:
            raise Rejected(sorted(errors, key=lambda e: int(e.split("行目")[0])))
        for person_id, (_line, surname, given) in lines.items():
            members[person_id].notified_surname_kana = surname
            members[person_id].notified_given_name_kana = given
        Member.objects.bulk_update(members.values(), ["notified_surname_kana", "notified_given_name_kana"])
        record(Action.CREATE, RESOURCE, subjects=sorted(members), purpose="戸籍に記載する振り仮名の通知")
    return len(members)


@dataclass(frozen=True)
class Recorded:
    surnames: int  # 戸籍 whose 氏 reading was recorded
    given_names: int  # persons whose 名 reading was recorded


def record_ex_officio(on: date | None = None) -> Recorded:
    """Record by 職権 the notified reading of every 氏 and 名 still without one (from 2026-05-26)."""
    on = on or timezone.localdate()
    if not furigana.may_record_ex_officio(furigana.Source.NONE, on):
        raise ValueError(TOO_EARLY.format(day=on.isoformat()))
    now, actor = timezone.now(), current_actor().name
    none = furigana.Source.NONE.value
    with transaction.atomic(using=require_tenant().alias):
        members = list(
            Member.objects.select_related("koseki")
            .filter(removed_on=None, koseki__closed_on=None)
            .exclude(notified_surname_kana="", notified_given_name_kana="")
            .order_by("koseki_id", "position")
        )
        kosekis: dict[int, Koseki] = {}
        for m in members:  # the 氏 of a 戸籍: what was notified to its first member still in it
            koseki = m.koseki
            if koseki.surname_kana_source == none and m.notified_surname_kana and koseki.pk not in kosekis:
                koseki.surname_kana, koseki.surname_kana_source = (
                    m.notified_surname_kana,
                    furigana.Source.EX_OFFICIO,
                )
                kosekis[koseki.pk] = koseki
        named = [m for m in members if m.given_name_kana_source == none and m.notified_given_name_kana]
        for m in named:
            m.given_name_kana, m.given_name_kana_source = (
                m.notified_given_name_kana,
                furigana.Source.EX_OFFICIO,
            )
        Koseki.objects.bulk_update(kosekis.values(), ["surname_kana", "surname_kana_source"])
        Member.objects.bulk_update(named, ["given_name_kana", "given_name_kana_source"])
        entry = {"on": on, "recorded_on": on, "created_at": now, "created_by": actor, "event": Event.FURIGANA}
        Entry.objects.bulk_create(
            [
                Entry(
                    lg_code=k.lg_code,
                    koseki=k,
                    detail={"part": "surname", "reading": k.surname_kana, "source": "ex_officio"},
                    **entry,
                )
                for k in kosekis.values()
            ]
            + [
                Entry(
                    lg_code=m.lg_code,
                    koseki=m.koseki,
                    member=m,
                    detail={"part": "given_name", "reading": m.given_name_kana, "source": "ex_officio"},
                    **entry,
                )
                for m in named
            ]
        )
        named_ids = {m.pk for m in named}
        changed = [m for m in members if m.koseki_id in kosekis or m.pk in named_ids]
        outbox.emit_many(
            [
                furigana_event(m, kosekis.get(m.koseki_id, m.koseki).surname_kana, "ex_officio", on)
                for m in changed
            ]
        )
        record(
            Action.UPDATE,
            RESOURCE,
            subjects=sorted(m.person_id for m in changed),
            purpose="氏名の振り仮名の職権記載",
        )
    return Recorded(len(kosekis), len(named))
