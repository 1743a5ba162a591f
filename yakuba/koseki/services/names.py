"""分籍届 (戸籍法21・100条), 氏の変更届 (107条1項) and 名の変更届 (107条の2) examined: their 不受理
reasons and the writes of their 受理 (civil-facts §3.1–§3.2).

- 分籍: an adult who is neither 筆頭者 nor 配偶者 leaves for a new 戸籍 of their own, same 氏; with
  the new 本籍 in another town they are 除籍 here and that town makes the 戸籍 (100条・101条).
- 氏の変更: with the 家庭裁判所's permission, filed by the 筆頭者 and 配偶者; the whole 戸籍 — the
  筆頭者氏名 and every member — takes the new 氏, written in the 戸籍事項.
- 名の変更: with the court's permission (正当な事由), filed by the person (under 15 the 法定代理人).

From 2025-05-26 the new 氏 or 名 is filed with its 振り仮名 (改正戸籍法: the 戸籍 carries it, §3.4),
checked as any reading is (``rules/furigana.py``); the registry copies it into its フリガナ.
"""

from __future__ import annotations

from yakuba.koseki.codes import Event, Role
from yakuba.koseki.rules import characters, filers, furigana, kinship
from yakuba.koseki.services import forms
from yakuba.koseki.services.forms import Invalid
from yakuba.koseki.services.ledger import SPACE, Ledger, full_name, shown
from yakuba.koseki.services.plans import Plan, examine_reading, found, kana_of
from yakuba.koseki.services.transfers import heads_of, open_koseki
from yakuba.platform.japanese.wareki import turns_age_on
from yakuba.platform.tenancy.context import require_tenant

NEED_COURT = "{what}には家庭裁判所の許可が必要です（戸籍法{article}）"
NEED_READING = "2025年5月26日からの{what}の届には、新しい{part}の振り仮名を記載してください（改正戸籍法）"
UNCHANGED = "現在の{part}と同じです"
GUARDIAN_FILES = "15歳未満の方の名の変更は、法定代理人が届け出ます"
SELF_FILES = "15歳以上の方の名の変更は、本人が届け出ます"


def _permitted(court_permission: bool, what: str, article: str) -> list[tuple[str, str]]:
    return [] if court_permission else [("court_permission", NEED_COURT.format(what=what, article=article))]


def _new_reading(written: str, kana: str, part: str, what: str, form, errors: list, refusals: list) -> None:
    field = f"{part}_kana"
    if form.filed_on < furigana.START:
        return
    if not kana:
        errors.append((field, NEED_READING.format(what=what, part="氏" if part == "surname" else "名")))
    else:
        examine_reading(written, kana, field, form, errors, refusals)


def _renamed(ledger: Ledger, koseki, member, form, old: tuple[str, str], new: tuple[str, str]) -> None:
    """The 氏 (a 戸籍事項) or 名 (the member's 身分事項) changed: the old and new name and reading."""
    event = Event.SURNAME_CHANGE if member is None else Event.GIVEN_NAME_CHANGE
    ledger.entry(
        koseki, member, event, form.filed_on, old=old[0], new=new[0], old_kana=old[1], new_kana=new[1]
    )


# -- 分籍 -------------------------------------------------------------------------------------


def _division(form: forms.Division) -> Plan:
    errors: list[tuple[str, str]] = []
    member = found(form.person_id, "person_id", errors)
    if errors:
        raise Invalid(errors)
    refusals = kinship.division(member.role in (Role.HEAD, Role.SPOUSE), member.birth_date, form.filed_on)
    to_lg_code = form.to_lg_code or require_tenant().lg_code
    within = to_lg_code == require_tenant().lg_code

    def apply(ledger: Ledger) -> str:
        on, koseki = form.filed_on, member.koseki
        name = full_name(koseki, member)
        ledger.entry(koseki, member, Event.DIVISION, on, new=form.new_honseki, to_lg_code=to_lg_code)
        if not within:  # the 新本籍地 makes the 戸籍 (101条)
            ledger.remove(member, Event.DIVISION, on, to_koseki=f"{form.new_honseki}{SPACE}{name}")
            ledger.extra["to"] = {"honseki": form.new_honseki, "hittosha": name, "lg_code": to_lg_code}
            return member.person_id
        target = ledger.new_koseki(form.new_honseki, koseki.surname, name, Event.DIVISION, **kana_of(koseki))
        moved = ledger.move(member, target, Event.DIVISION, on, role=Role.HEAD)
        ledger.entry(target, moved, Event.DIVISION, on, from_koseki=shown(koseki))
        return moved.person_id

    return Plan(refusals, apply, member.person_id, form.filed_on)


# -- 氏の変更 ---------------------------------------------------------------------------------


def _surname(form: forms.SurnameChange) -> Plan:
    koseki = open_koseki(form.koseki_id)
    errors: list[tuple[str, str]] = []
    if form.surname == koseki.surname:
        errors.append(("surname", UNCHANGED.format(part="氏")))
    refusals = filers.couple_filers(heads_of(koseki), set(form.filer_ids), filers.SURNAME)
    refusals += _permitted(form.court_permission, "氏の変更", "107条1項")
    refusals += characters.check_name(form.surname, "surname")
    _new_reading(form.surname, form.surname_kana, "surname", "氏の変更", form, errors, refusals)
    if errors:
        raise Invalid(errors)

    def apply(ledger: Ledger) -> str:
        kana = furigana.normalise(form.surname_kana)
        _renamed(ledger, koseki, None, form, (koseki.surname, koseki.surname_kana), (form.surname, kana))
        # The 筆頭者氏名 is the 筆頭者's name under the 戸籍's 氏: only the 氏 changes.
        koseki.hittosha = form.surname + SPACE + koseki.hittosha.split(SPACE, 1)[-1]
        koseki.surname, koseki.surname_kana = form.surname, kana
        # A new 氏 filed before 2025-05-26 has no reading yet: the old one is not its reading.
        koseki.surname_kana_source = furigana.Source.FILED if kana else furigana.Source.NONE
        koseki.save(update_fields=["surname", "surname_kana", "surname_kana_source", "hittosha"])
        return ledger.everyone(koseki)

    return Plan(refusals, apply, "", form.filed_on)


# -- 名の変更 ---------------------------------------------------------------------------------


def _given_name(form: forms.GivenNameChange) -> Plan:
    errors: list[tuple[str, str]] = []
    member = found(form.person_id, "person_id", errors)
    if errors:
        raise Invalid(errors)
    if form.given_name == member.given_name:
        errors.append(("given_name", UNCHANGED.format(part="名")))
    refusals = _permitted(form.court_permission, "名の変更", "107条の2")
    refusals += characters.check_name(form.given_name, "given_name")
    fifteen = turns_age_on(member.birth_date, kinship.PROXY_BELOW)
    if form.filer == furigana.Filer.SELF and form.filed_on < fifteen:
        refusals.append(("filer", GUARDIAN_FILES))
    elif form.filer == furigana.Filer.GUARDIAN and form.filed_on >= fifteen:
        refusals.append(("filer", SELF_FILES))
    _new_reading(form.given_name, form.given_name_kana, "given_name", "名の変更", form, errors, refusals)
    if errors:
        raise Invalid(errors)

    def apply(ledger: Ledger) -> str:
        koseki, kana = member.koseki, furigana.normalise(form.given_name_kana)
        old_name = full_name(koseki, member)
        old = (member.given_name, member.given_name_kana)
        _renamed(ledger, koseki, member, form, old, (form.given_name, kana))
        member.given_name, member.given_name_kana = form.given_name, kana
        member.given_name_kana_source = furigana.Source.FILED if kana else furigana.Source.NONE
        member.save(update_fields=["given_name", "given_name_kana", "given_name_kana_source"])
        if member.role == Role.HEAD and koseki.hittosha == old_name:  # the 筆頭者氏名 follows
            koseki.hittosha = full_name(koseki, member)
            koseki.save(update_fields=["hittosha"])
        ledger.touched[member.person_id] = member
        return member.person_id

    return Plan(refusals, apply, member.person_id, form.filed_on)


PLANS = {"division": _division, "surname": _surname, "given_name": _given_name}
