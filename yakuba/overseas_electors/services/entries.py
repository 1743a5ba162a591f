"""The 在外選挙人名簿 itself (公職選挙法30条の2〜30条の11; civil-facts §1.4): registering an
application, the 表示 that a voter has a 国内の住所 again (the 国内住所を定めた日 from the 戸籍の附票)
and the 抹消 — each with its history line, its 戸籍の附票 notice to the 本籍地 (住基法17条の2), its
event and its audit row, in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connections
from django.db.models import Max
from django.utils import timezone

from yakuba.koseki_annex import services as koseki_annex
from yakuba.overseas_electors import events
from yakuba.overseas_electors.codes import Change, Kind, Status, StruckOff
from yakuba.overseas_electors.models import AnnexNotice, Application, Entry, EntryChange
from yakuba.overseas_electors.rules import eligibility
from yakuba.overseas_electors.services.applications import Refused
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.linkage import outbox
from yakuba.platform.municipalities import master as municipalities
from yakuba.platform.tenancy.context import require_tenant

RESOURCE = "overseas_electors.entry"
PURPOSE = "在外選挙人名簿の登録・抹消"
IMMEDIATE = (StruckOff.DIED, StruckOff.NATIONALITY_LOST, StruckOff.WRONG)


@dataclass(frozen=True)
class Registration:
    """What the 選管 confirmed: the 在外公館 and the address abroad (from the 在留届 or the
    application), and the day it registers."""

    application_id: int
    on: date
    mission: str
    overseas_address: str


def registrable_from(app: Application) -> date:
    """The first day the application can be registered: the 転出予定日 for a 出国時申請 (the
    person lives abroad from then), the end of the three months abroad and 18 for a 在外公館申請."""
    if app.kind == Kind.DEPARTURE:
        return app.planned_move_out_on
    return eligibility.mission_qualifies_on(app.birth_date, app.arrived_on)


def check_registration(given: Registration) -> list[tuple[str, str]]:
    app = Application.objects.filter(pk=given.application_id, status=Status.PENDING).first()
    if app is None:
        return [("application", "審査中の申請が見つかりません")]
    errors = []
    if not (given.mission.strip() or app.mission):
        errors.append(("mission", "在外公館を入力してください"))
    if not (given.overseas_address.strip() or app.overseas_address):
        errors.append(("overseas_address", "国外の住所を入力してください（在留届で確認した住所）"))
    if len(given.mission.strip()) > 100:
        errors.append(("mission", "在外公館は100文字以内で入力してください"))
    if len(given.overseas_address.strip()) > 200:
        errors.append(("overseas_address", "国外の住所は200文字以内で入力してください"))
    start = registrable_from(app)
    if given.on < start:
        why = "転出予定日" if app.kind == Kind.DEPARTURE else "管轄区域内に3か月住所を有し、18歳に達する日"
        errors.append(("on", f"{start}（{why}）から登録できます"))
    if given.on > timezone.localdate():
        errors.append(("on", "登録日に未来の日は指定できません"))
    return errors


def _serialised() -> None:
    """One registration at a time in the municipality: the 在外選挙人証番号 is the next number."""
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{tenant.lg_code}/overseas_electors"])


def register(given: Registration) -> Entry:
    """Register the application: the entry, its 在外選挙人証番号, the 附票 notice, the event."""
    _serialised()
    errors = check_registration(given)
    if errors:
        raise Refused(errors)
    app = Application.objects.get(pk=given.application_id)
    now, actor = timezone.now(), current_actor().name
    last = Entry.objects.aggregate(n=Max("card_no"))["n"]
    entry = Entry.objects.create(
        lg_code=app.lg_code,
        application=app,
        atena_no=app.atena_no,
        name=app.name,
        birth_date=app.birth_date,
        basis=app.basis,
        domestic_address=app.domestic_address,
        mission=given.mission.strip() or app.mission,
        overseas_address=given.overseas_address.strip() or app.overseas_address,
        card_no=f"{int(last or 0) + 1:08d}",
        registered_on=given.on,
        updated_at=now,
    )
    app.status, app.decided_on = Status.REGISTERED, given.on
    app.save(update_fields=["status", "decided_on"])
    _changed([entry], Change.REGISTERED, given.on, {"kind": app.kind}, now, actor)
    outbox.emit(
        events.REGISTERED,
        subject=entry.card_no,
        data={"atena_no": entry.atena_no, "registered_on": given.on.isoformat(), "kind": app.kind,
              "basis": entry.basis},
    )  # fmt: skip
    record(Action.CREATE, RESOURCE, subjects=_subjects([entry]), purpose=PURPOSE,
           detail={"card_no": entry.card_no, "application": app.pk})  # fmt: skip
    return entry


def _open(card_no: str) -> Entry:
    entry = (
        Entry.objects.filter(card_no=card_no, struck_off_on__isnull=True)
        .select_related("application")
        .first()
    )
    if entry is None:
        raise Refused(
            [("card_no", f"在外選挙人証番号 {card_no} の登録（抹消されていないもの）は見つかりません")]
        )
    return entry


def mark_came_home(card_no: str, came_home_on: date) -> Entry:
    """The 国内住所を定めた日 recorded on the 戸籍の附票: the entry is marked, and may be struck
    off from ``eligibility.struck_off_from`` (30条の11第1項第2号)."""
    entry = _open(card_no)
    if came_home_on < entry.registered_on:
        raise Refused([("came_home_on", "国内住所を定めた日は登録日以後の日です")])
    entry.came_home_on, entry.updated_at = came_home_on, timezone.now()
    entry.save(update_fields=["came_home_on", "updated_at"])
    _changed([entry], Change.MARKED, came_home_on, {}, entry.updated_at, current_actor().name, notice=False)
    record(Action.UPDATE, RESOURCE, subjects=_subjects([entry]), purpose=PURPOSE,
           detail={"card_no": card_no, "came_home_on": came_home_on.isoformat()})  # fmt: skip
    return entry


def strike_off(card_no: str, on: date, reason: str) -> Entry:
    """抹消 of one entry: death, loss of nationality or a wrong registration at once; 国内に住所を定めた
    日後4か月経過 only from ``struck_off_from`` of the marked day."""
    entry = _open(card_no)
    if reason not in StruckOff.values:
        raise Refused([("reason", "抹消の事由を選んでください")])
    if reason == StruckOff.CAME_HOME:
        if entry.came_home_on is None:
            raise Refused(
                [("reason", "国内住所を定めた日が記録されていません（先に附票の日を記録してください）")]
            )
        start = eligibility.struck_off_from(entry.came_home_on)
        if on < start:
            raise Refused(
                [
                    (
                        "on",
                        f"国内住所を定めた日（{entry.came_home_on}）後4か月を経過する {start} から抹消できます",
                    )
                ]
            )
    if on < entry.registered_on:
        raise Refused([("on", "抹消日は登録日以後の日です")])
    _struck([entry], on, {entry.pk: reason})
    return entry


def strike_off_due(on: date) -> int:
    """Every marked entry whose four months have passed by ``on``, struck off in one go (a few a
    month: one query for the candidates, one statement per table)."""
    due = [
        e
        for e in Entry.objects.filter(
            struck_off_on__isnull=True, came_home_on__isnull=False, came_home_on__lte=on
        ).select_related("application")
        if eligibility.struck_off_from(e.came_home_on) <= on
    ]
    _struck(due, on, dict.fromkeys((e.pk for e in due), StruckOff.CAME_HOME))
    return len(due)


def _struck(entries: list[Entry], on: date, reasons: dict[int, str]) -> None:
    if not entries:
        return
    now, actor = timezone.now(), current_actor().name
    for e in entries:
        e.struck_off_on, e.struck_off_reason, e.updated_at = on, reasons[e.pk], now
    Entry.objects.bulk_update(entries, ["struck_off_on", "struck_off_reason", "updated_at"])
    _changed(entries, Change.STRUCK_OFF, on, None, now, actor)
    outbox.emit_many(
        [
            (
                events.STRUCK_OFF,
                e.card_no,
                {"atena_no": e.atena_no, "reason": e.struck_off_reason, "on": on.isoformat()},
            )
            for e in entries
        ]
    )
    record(Action.UPDATE, RESOURCE, subjects=_subjects(entries), purpose=PURPOSE,
           detail={"struck_off": len(entries), "on": on.isoformat()})  # fmt: skip


def _changed(entries, change, on, detail, now, actor, *, notice: bool = True) -> None:
    """History lines (one INSERT) and, for a 登録 or 抹消, the 戸籍の附票 notices (``_annex``)."""
    EntryChange.objects.bulk_create(
        EntryChange(lg_code=e.lg_code, entry=e, change=change, on=on,
                    detail=detail if detail is not None else {"reason": e.struck_off_reason},
                    created_at=now, created_by=actor)
        for e in entries
    )  # fmt: skip
    if notice:
        AnnexNotice.objects.bulk_create(_annex(e, change, on, now) for e in entries)


# The 附票 app's words for what is written (住基法17条の2).
ANNEX_CHANGE = {Change.REGISTERED: "registered", Change.STRUCK_OFF: "struck"}


def _annex(entry: Entry, change: str, on: date, now) -> AnnexNotice:
    """The 附票 notice of one entry: written at once through the 附票 app's door when the person
    (by 住民票コード) is on a 附票 of this town; else left to send to the 本籍地. One door call per
    entry (the door has no batch form; a 選管 registers or strikes off a few a month)."""
    row = AnnexNotice(lg_code=entry.lg_code, entry=entry, change=change, on=on,
                      domicile=entry.application.domicile, created_at=now)  # fmt: skip
    code = entry.application.juminhyo_code
    if code:
        try:
            koseki_annex.note_overseas_elector(
                code, ANNEX_CHANGE[change], on, municipality_name(entry.lg_code)
            )
        except koseki_annex.NotOnAnnex:
            return row
        row.recorded_here, row.sent_on = True, on
    return row


def municipality_name(lg_code: str) -> str:
    """The registering municipality's name as the 附票 records it (福島県会津若松市)."""
    info = municipalities.lookup(lg_code)
    return f"{info.prefecture}{info.name}"


def _subjects(entries) -> list[str]:
    return sorted({e.atena_no for e in entries if e.atena_no})
