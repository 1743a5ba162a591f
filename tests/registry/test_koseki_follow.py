"""The registry follows the 戸籍 (住民基本台帳法 第9条第2項, 施行令 第12条; civil-facts §3.4): a 受理
in the 戸籍 becomes a proposal for the 住民票 of the residents it names — 出生 a work item, 婚姻
a 職権修正 of 氏名・本籍・筆頭者, 死亡 a 消除 — and a 振り仮名 is copied into the フリガナ at once.
The 届出 are filed through the 戸籍 app's door, so the events are the ones it really emits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.koseki.conftest import HONSEKI, born, elsewhere, file, people
from tests.registry.conftest import TODAY, person, registry  # noqa: F401 (fixture)
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services
from yakuba.registry.codes import ProposalKind, ProposalStatus, Status
from yakuba.registry.errors import Conflict, NotFound, RuleViolation
from yakuba.registry.models import KosekiProposal, Resident
from yakuba.registry.services.koseki_follow import ACCEPTED, FURIGANA, follow_koseki
from yakuba.registry.services.koseki_proposals import (
    Inputs,
    apply_proposal,
    count_open,
    dismiss_proposal,
    proposal,
    proposals_page,
)
from yakuba.registry.services.records import Visibility

pytestmark = pytest.mark.django_db(transaction=True)

CLERK = Visibility(protected=True)
OTHERS = Visibility()
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()
FORMER = "東京都千代田区千代田1番"


def in_town(fn, *args, **kwargs):
    with tenant_context(AIZU):
        return fn(*args, **kwargs)


@pytest.fixture
def couple(registry, system_actor):  # noqa: F811
    """山田 太郎 and 佐藤 花子 living together here ({名: 宛名番号}, and their 世帯番号)."""
    filed = registry.move_in(
        person(
            "山田 太郎",
            "ヤマダ\u3000タロウ",
            "1990-05-05",
            1,
            "世帯主",
            domicile=FORMER,
            domicile_head="山田 一郎",
        ),
        person(
            "佐藤 花子",
            "サトウ ハナコ",
            "1992-07-07",
            2,
            "同居人",
            domicile=FORMER,
            domicile_head="佐藤 一郎",
        ),
    )
    taro, hanako = (p["atena_no"] for p in filed["persons"])
    return {"太郎": taro, "花子": hanako}, filed["setai_no"]


def marry(atena: dict, her_surname_kana: str = "サトウ") -> dict:
    """They marry yesterday, taking his 氏, 本籍 here: {名: 戸籍の個人ID}."""
    filed = file(
        kind="marriage",
        filed_on=YESTERDAY,
        husband=elsewhere("山田", "太郎", "ヤマダ", "タロウ", "1990-05-05", "male", atena_no=atena["太郎"]),
        wife=elsewhere(
            "佐藤", "花子", her_surname_kana, "ハナコ", "1992-07-07", "female", "長女", atena_no=atena["花子"]
        ),
        surname_of="husband",
        new_honseki=HONSEKI,
    )
    from yakuba.koseki.services import koseki_of

    view = in_town(koseki_of, filed.koseki_ids[0])
    return {m.name.split("\u3000")[1]: m.person_id for m in view.members}


def follow():
    return follow_koseki(AIZU)


def open_proposals(kind=""):
    return in_town(proposals_page, kind=kind, visibility=CLERK).proposals


def resident(atena_no):
    return in_town(services.get_resident, atena_no, visibility=CLERK)


def test_a_marriage_proposes_the_new_name_domicile_and_head_for_each_resident(couple):
    atena, _setai = couple
    marry(atena)
    assert follow().changes == 2
    by_atena = {p.atena_no: p for p in open_proposals()}
    taro, hanako = by_atena[atena["太郎"]], by_atena[atena["花子"]]
    assert taro.kind == hanako.kind == ProposalKind.MODIFY
    assert taro.notification_kind == "marriage"
    # his name and reading stay: only the 本籍 and 筆頭者, spaced as the registry spaces them
    # (a half-width space in names, the ideographic one in フリガナ)
    assert taro.proposed == {"domicile": HONSEKI, "domicile_head": "山田 太郎"}
    assert taro.before == {"domicile": FORMER, "domicile_head": "山田 一郎", "name": "山田 太郎"}
    assert hanako.proposed == {
        "name": "山田 花子",
        "name_kana": "ヤマダ\u3000ハナコ",
        "domicile": HONSEKI,
        "domicile_head": "山田 太郎",
        "relationship": "妻",  # they live in his 世帯: 同居人 → 妻
    }
    assert hanako.before["relationship"] == "同居人"
    # nothing is written until the clerk applies it
    assert resident(atena["花子"]).name == "佐藤 花子"


def test_applying_a_proposal_is_a_ex_officio_modify_with_history_and_once_only(couple):
    atena, _setai = couple
    marry(atena)
    follow()
    hanako = next(p for p in open_proposals() if p.atena_no == atena["花子"])
    result = in_town(apply_proposal, hanako.proposal_id, visibility=CLERK)
    assert result.kind == "ex_officio_modify"
    record = resident(atena["花子"])
    assert (record.name, record.name_kana, record.domicile, record.domicile_head, record.relationship) == (
        "山田 花子",
        "ヤマダ\u3000ハナコ",
        HONSEKI,
        "山田 太郎",
        "妻",
    )
    assert record.history_no == 2
    done = in_town(proposal, hanako.proposal_id, visibility=CLERK).proposal
    assert (done.status, done.move_id, done.decided_by) == (ProposalStatus.APPLIED, result.move_id, "system")
    with pytest.raises(Conflict, match="すでに処理"):
        in_town(apply_proposal, hanako.proposal_id, visibility=CLERK)
    with pytest.raises(Conflict):
        in_town(dismiss_proposal, hanako.proposal_id, "重複", visibility=CLERK)


def test_following_again_writes_nothing_twice(couple):
    atena, _setai = couple
    marry(atena)
    follow()
    with tenant_context(AIZU):
        from yakuba.registry.models import KosekiFeedPosition

        KosekiFeedPosition.objects.update(cursor="", events=0)  # replay the whole feed
    assert follow().changes == 0
    assert in_town(KosekiProposal.objects.count) == 2


def test_the_cli_follows_and_resumes_where_it_stopped(couple, capsys):
    from yakuba.cli import main

    atena, _setai = couple
    marry(atena)
    assert main(["registry", "follow-koseki", AIZU, "--until-caught-up"]) == 0
    assert "処理したイベント: 累計 1 件（異動候補 2 件）" in capsys.readouterr().out
    assert main(["registry", "follow-koseki", AIZU, "--until-caught-up"]) == 0
    assert "累計 1 件（異動候補 0 件）" in capsys.readouterr().out


def test_a_dismissal_needs_a_reason_and_keeps_it(couple):
    atena, _setai = couple
    marry(atena)
    follow()
    taro = next(p for p in open_proposals() if p.atena_no == atena["太郎"])
    with pytest.raises(RuleViolation) as exc:
        in_town(dismiss_proposal, taro.proposal_id, "  ", visibility=CLERK)
    assert exc.value.errors == [("reason", "反映しない理由を入力してください")]
    done = in_town(dismiss_proposal, taro.proposal_id, "転出済みのため", visibility=CLERK)
    assert (done.status, done.reason) == (ProposalStatus.DISMISSED, "転出済みのため")
    with tenant_context(AIZU):  # both decisions are audited, naming the person
        from yakuba.platform.audit.models import AuditEntry

        rows = AuditEntry.objects.filter(resource="registry.koseki_proposal", action="update")
        assert [(r.subject_ids, r.detail["dismissed"]) for r in rows] == [([atena["太郎"]], "転出済みのため")]
    assert [p.atena_no for p in open_proposals()] == [atena["花子"]]
    assert resident(atena["太郎"]).domicile == FORMER


def test_a_birth_is_a_work_item_recorded_in_a_parents_household(couple):
    atena, setai = couple
    ids = marry(atena)
    follow()
    born(ids["花子"], "一郎", "イチロウ", YESTERDAY, filed_on=TODAY.isoformat(), father_id=ids["太郎"])
    follow()
    (work,) = open_proposals(ProposalKind.BIRTH)
    assert work.proposed["name"] == "山田 一郎" and work.proposed["name_kana"] == "ヤマダ\u3000イチロウ"
    assert (work.proposed["sex"], work.proposed["domicile"], work.event_on.isoformat()) == (
        1,
        HONSEKI,
        YESTERDAY,
    )
    assert sorted(work.atena_nos) == sorted(atena.values())
    households = in_town(proposal, work.proposal_id, visibility=CLERK).households
    assert [(h.setai_no, h.relationship) for h in households] == [(setai, "子")]
    # 続柄 is the clerk's to confirm: the 異動's own rule answers at its field
    with pytest.raises(RuleViolation) as exc:
        in_town(apply_proposal, work.proposal_id, visibility=CLERK, inputs=Inputs(setai_no=setai))
    assert any(f == "persons[0].relationship" for f, _m in exc.value.errors)
    child_of_taro = Inputs(setai_no=setai, relationship="子")
    result = in_town(apply_proposal, work.proposal_id, visibility=CLERK, inputs=child_of_taro)
    (child, _h) = result.persons[0]
    record = resident(child)
    assert (record.name, record.setai_no, record.relationship, str(record.birth_date)) == (
        "山田 一郎",
        setai,
        "子",
        YESTERDAY,
    )
    assert record.domicile == HONSEKI


def test_a_death_proposes_the_removal_on_the_day_of_death(couple):
    atena, setai = couple
    ids = marry(atena)
    follow()
    file(kind="death", filed_on=TODAY.isoformat(), person_id=ids["花子"], died_on=YESTERDAY)
    follow()
    (death,) = open_proposals(ProposalKind.DEATH)
    assert (death.atena_no, death.event_on.isoformat()) == (atena["花子"], YESTERDAY)
    in_town(apply_proposal, death.proposal_id, visibility=CLERK)
    with tenant_context(AIZU):
        row = Resident.objects.get(atena_no=atena["花子"])
    assert (row.status, row.removal_reason, row.removed_on.isoformat()) == (
        Status.REMOVED,
        "death",
        YESTERDAY,
    )


def married_and_applied(atena: dict, her_surname_kana: str = "サトウ") -> dict:
    """They marry and the clerk applies both proposals: {名: 戸籍の個人ID}."""
    ids = marry(atena, her_surname_kana)
    follow()
    for p in open_proposals():
        in_town(apply_proposal, p.proposal_id, visibility=CLERK)
    return ids


def _modified(atena: dict) -> dict:
    """{名: proposed} of the open 職権修正 proposals."""
    names = {v: k for k, v in atena.items()}
    return {names[p.atena_no]: p.proposed for p in open_proposals(ProposalKind.MODIFY)}


def test_a_transfer_proposes_the_new_domicile_here_or_in_another_town(couple):
    atena, _setai = couple
    ids = married_and_applied(atena)
    koseki_id = _koseki_id()
    base = {
        "kind": "transfer",
        "filed_on": TODAY.isoformat(),
        "koseki_id": koseki_id,
        "filer_ids": list(ids.values()),
    }
    file(**base, new_honseki="福島県会津若松市追手町1番", to_lg_code=AIZU)
    follow()
    assert _modified(atena) == {
        "太郎": {"domicile": "福島県会津若松市追手町1番"},
        "花子": {"domicile": "福島県会津若松市追手町1番"},
    }
    for p in open_proposals():
        in_town(dismiss_proposal, p.proposal_id, "試験", visibility=CLERK)
    file(**base, new_honseki=FORMER, to_lg_code="131016")  # 管外転籍: the 戸籍 is kept elsewhere now
    follow()
    assert _modified(atena) == {"太郎": {"domicile": FORMER}, "花子": {"domicile": FORMER}}


@pytest.mark.parametrize("to_lg_code", [AIZU, "131016"])
def test_a_division_proposes_the_new_domicile_here_or_in_another_town(registry, system_actor, to_lg_code):  # noqa: F811
    """分籍 (戸籍法21・100条): 一郎's 住民票 takes the new 本籍 with himself as 筆頭者 — in another
    town too, where he is only 除籍 here and the event names the new 本籍 (``to``)."""
    filed = registry.move_in(
        person(
            "山田 一郎",
            "ヤマダ\u3000イチロウ",
            "2000-01-01",
            1,
            "世帯主",
            domicile=HONSEKI,
            domicile_head="山田 太郎",
        )
    )
    ichiro = filed["persons"][0]["atena_no"]
    came = file(
        kind="transfer", filed_on=YESTERDAY, new_honseki=HONSEKI, to_lg_code=AIZU, from_honseki=FORMER,
        surname="山田", surname_kana="ヤマダ",
        members=[
            {"role": "head", "given_name": "太郎", "birth_date": "1970-01-01", "sex": "male",
             "relationship": "長男", "entered_on": "1999-01-01", "filer": True},
            {"role": "child", "given_name": "一郎", "given_name_kana": "イチロウ", "birth_date": "2000-01-01",
             "sex": "male", "relationship": "長男", "entered_on": "2000-01-01", "atena_no": ichiro},
        ],
    )  # fmt: skip
    assert came.outcome == "accepted"
    follow()
    assert _modified({"一郎": ichiro}) == {}  # the 住民票 says so already
    person_id = people(came.koseki_ids[0])["一郎"].person_id
    new_honseki = "東京都千代田区丸の内1番" if to_lg_code != AIZU else "福島県会津若松市追手町1番"
    divided = file(
        kind="division", filed_on=TODAY.isoformat(), person_id=person_id, new_honseki=new_honseki,
        to_lg_code=to_lg_code,
    )  # fmt: skip
    assert divided.outcome == "accepted"
    assert follow().changes == 1
    assert _modified({"一郎": ichiro}) == {"一郎": {"domicile": new_honseki, "domicile_head": "山田 一郎"}}


def test_an_earlier_proposal_is_not_applied_over_a_later_one(couple):
    atena, _setai = couple
    marry(atena)
    follow()
    _furigana(atena["花子"], "ヤマダ", "ハナ")  # a later 振り仮名 (copied at once)
    follow()
    assert resident(atena["花子"]).name_kana == "ヤマダ\u3000ハナ"
    (older,) = [p for p in open_proposals() if p.atena_no == atena["花子"]]
    with pytest.raises(RuleViolation) as exc:
        in_town(apply_proposal, older.proposal_id, visibility=CLERK)
    assert "後の届出による候補があります" in exc.value.errors[0][1]
    assert resident(atena["花子"]).name_kana == "ヤマダ\u3000ハナ"


def _koseki_id() -> str:
    """The 山田 戸籍 (本籍 here)."""
    from yakuba.koseki.services import koseki_ids

    return in_town(koseki_ids, HONSEKI)[0][0]


@pytest.mark.parametrize("her_surname_kana", ["サトウ", ""])
def test_a_divorce_into_a_new_koseki_proposes_her_former_surname_and_domicile(couple, her_surname_kana):
    atena, _setai = couple
    ids = married_and_applied(atena, her_surname_kana)
    file(
        kind="divorce",
        filed_on=TODAY.isoformat(),
        husband_id=ids["太郎"],
        wife_id=ids["花子"],
        restore_former=False,
        new_honseki="福島県会津若松市城東町5番",
    )
    follow()
    # his 戸籍 stays as it was: nothing for him; her new 戸籍 reads 佐藤 as her 婚姻届 gave it
    moved = {"name": "佐藤 花子", "domicile": "福島県会津若松市城東町5番", "domicile_head": "佐藤 花子"}
    (hanako,) = open_proposals()
    if her_surname_kana:
        assert _modified(atena) == {"花子": {**moved, "name_kana": "サトウ\u3000ハナコ"}}
        assert hanako.note == ""
    else:  # no reading of 佐藤 known: the clerk is told that the フリガナ would keep 「ヤマダ」
        assert _modified(atena) == {"花子": moved}
        assert "フリガナは変わらない" in hanako.note


def test_an_adoption_proposes_the_adoptive_surname_domicile_and_head(couple, registry):  # noqa: F811
    """養子縁組 (民法810条, 戸籍法18条3項): 健 of another town's 戸籍 takes the 養親's 氏 and enters
    their 戸籍 here: his 住民票 takes 山田, its reading, the 本籍 and the 筆頭者."""
    atena, _setai = couple
    ids = married_and_applied(atena)
    filed = registry.move_in(
        person(
            "佐藤 健",
            "サトウ\u3000ケン",
            "2001-02-02",
            1,
            "世帯主",
            domicile=FORMER,
            domicile_head="佐藤 一郎",
        )
    )
    atena["健"] = filed["persons"][0]["atena_no"]
    adopted = file(
        kind="adoption", filed_on=TODAY.isoformat(), adopter_ids=[ids["太郎"], ids["花子"]],
        adoptee={"surname": "佐藤", "given_name": "健", "surname_kana": "サトウ", "given_name_kana": "ケン",
                 "birth_date": "2001-02-02", "sex": "male", "relationship": "長男",
                 "from_koseki": "東京都千代田区千代田1番\u3000佐藤\u3000一郎", "atena_no": atena["健"]},
    )  # fmt: skip
    assert adopted.outcome == "accepted", adopted.reasons
    follow()
    assert _modified(atena) == {
        "健": {
            "name": "山田 健",
            "name_kana": "ヤマダ\u3000ケン",
            "domicile": HONSEKI,
            "domicile_head": "山田 太郎",
        }
    }


def test_a_surname_change_proposes_the_new_name_and_reading_of_the_whole_koseki_together(couple):
    """氏の変更 (戸籍法107条1項): every resident of the 戸籍 gets one 職権修正 of 氏名, its reading and
    the 筆頭者 — the reading is not copied alone ahead of the 氏 (a 住民票 of 山田 read ヤマモト),
    and the clerk can apply it."""
    atena, _setai = couple
    ids = married_and_applied(atena)
    changed = file(
        kind="surname", filed_on=TODAY.isoformat(), koseki_id=_koseki_id(), surname="山本",
        surname_kana="ヤマモト", reading_checked=True, court_permission=True, filer_ids=[ids["太郎"], ids["花子"]],
    )  # fmt: skip
    assert changed.outcome == "accepted", changed.reasons
    follow()
    assert _modified(atena) == {
        name: {"name": f"山本 {name}", "name_kana": f"ヤマモト\u3000{kana}", "domicile_head": "山本 太郎"}
        for name, kana in (("太郎", "タロウ"), ("花子", "ハナコ"))
    }
    for p in open_proposals():
        in_town(apply_proposal, p.proposal_id, visibility=CLERK)
    assert (resident(atena["花子"]).name, resident(atena["花子"]).name_kana) == (
        "山本 花子",
        "ヤマモト\u3000ハナコ",
    )


def test_a_given_name_change_proposes_the_new_name_and_reading(couple):
    """名の変更 (戸籍法107条の2): the person's 氏名 and its reading, in one 職権修正 the clerk applies."""
    atena, _setai = couple
    ids = married_and_applied(atena)
    changed = file(
        kind="given_name", filed_on=TODAY.isoformat(), person_id=ids["花子"], given_name="華子",
        given_name_kana="ハナコ", reading_checked=True, court_permission=True,
    )  # fmt: skip
    assert changed.outcome == "accepted", changed.reasons
    follow()
    assert _modified(atena) == {"花子": {"name": "山田 華子"}}  # the same reading: the フリガナ stays
    (renamed,) = open_proposals()
    assert renamed.note == ""
    in_town(apply_proposal, renamed.proposal_id, visibility=CLERK)
    assert resident(atena["花子"]).name == "山田 華子"


def test_the_death_of_the_head_names_the_new_head_in_the_same_removal(couple):
    atena, setai = couple
    ids = married_and_applied(atena)
    file(kind="death", filed_on=TODAY.isoformat(), person_id=ids["太郎"], died_on=YESTERDAY)
    follow()
    (death,) = open_proposals(ProposalKind.DEATH)
    view = in_town(proposal, death.proposal_id, visibility=CLERK)
    assert [(m.atena_no, m.relationship) for m in view.remaining] == [(atena["花子"], "妻")]
    with pytest.raises(RuleViolation) as exc:
        in_town(apply_proposal, death.proposal_id, visibility=CLERK)
    assert [f for f, _m in exc.value.errors] == ["household.new_head"]
    in_town(apply_proposal, death.proposal_id, visibility=CLERK, inputs=Inputs(new_head=atena["花子"]))
    assert resident(atena["花子"]).relationship == "世帯主"
    assert resident(atena["太郎"]).status == Status.REMOVED


def _furigana(atena_no: str, surname: str, given: str, subject: str = "P9") -> None:
    with tenant_context(AIZU):
        emit(
            FURIGANA,
            subject=subject,
            data={
                "atena_no": atena_no,
                "surname_kana": surname,
                "given_name_kana": given,
                "source": "ex_officio",
                "recorded_on": YESTERDAY,
            },
        )


def test_a_furigana_is_copied_into_the_resident_kana_at_once(couple):
    atena, _setai = couple
    _furigana(atena["太郎"], "ヤマダ", "タロー")
    _furigana(atena["花子"], "サトウ", "ハナコ", subject="P8")  # the same reading: nothing to do
    _furigana(atena["花子"], "サトウ", "", subject="P7")  # the 名's not yet recorded: nothing
    _furigana(atena["太郎"], "ヤマダ", "タロー", subject="P6")  # the same again in the page: nothing
    assert follow().changes == 1
    assert resident(atena["太郎"]).name_kana == "ヤマダ\u3000タロー"
    with tenant_context(AIZU):  # the registry's own event of the 職権修正, as for any 異動
        from yakuba.platform.linkage.models import Event

        modified = Event.objects.filter(type="jp.yakuba.registry.resident.modified.v1", subject=atena["太郎"])
        assert modified.count() == 1
    assert resident(atena["太郎"]).history_no == 2
    assert open_proposals() == []
    (row,) = in_town(lambda: list(KosekiProposal.objects.all()))
    assert (row.kind, row.status, row.decided_by, row.before["name_kana"]) == (
        ProposalKind.FURIGANA,
        ProposalStatus.APPLIED,
        "system",
        "ヤマダ\u3000タロウ",
    )


def test_a_protected_resident_is_followed_the_same_but_hidden_from_who_may_not_see_them(couple):
    atena, _setai = couple
    in_town(
        services.set_measure,
        atena["花子"],
        kind="dv",
        starts_on=TODAY - timedelta(days=5),
    )
    _furigana(atena["花子"], "サトウ", "ハナコー")
    marry(atena)
    follow()
    assert resident(atena["花子"]).name_kana == "サトウ\u3000ハナコー"
    assert {p.atena_no for p in open_proposals()} == {atena["太郎"], atena["花子"]}
    hidden = in_town(proposals_page, visibility=OTHERS).proposals
    assert [p.atena_no for p in hidden] == [atena["太郎"]]
    hanako = next(p for p in open_proposals() if p.atena_no == atena["花子"])
    with pytest.raises(NotFound):
        in_town(proposal, hanako.proposal_id, visibility=OTHERS)
    with pytest.raises(NotFound):
        in_town(apply_proposal, hanako.proposal_id, visibility=OTHERS)
    assert in_town(count_open) == 2


def test_a_resident_the_koseki_does_not_name_and_a_non_resident_get_nothing(couple, registry):  # noqa: F811
    atena, _setai = couple
    marry({"太郎": "", "花子": ""})  # the 戸籍 did not know where they live
    assert follow().changes == 0


def _accepted(n: int, atena: dict) -> None:
    """``n`` 転籍 受理 naming both residents, as the 戸籍 app writes them."""
    persons = [
        {"person_id": f"P{name}", "atena_no": a, "name": "", "name_kana": "", "honseki": HONSEKI, "hittosha": "山田\u3000太郎", "removed": False}
        for name, a in atena.items()
    ]  # fmt: skip
    with tenant_context(AIZU):
        for i in range(n):
            data = {
                "notification_no": str(i),
                "kind": "transfer",
                "accepted_on": YESTERDAY,
                "event_on": YESTERDAY,
            }
            emit(ACCEPTED, subject=f"P{i}", data={**data, "persons": persons})


def test_a_page_of_events_costs_the_same_queries_whatever_its_size(couple):
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    atena, _setai = couple
    follow()  # the consumer's row made (the 転入's own events are not the 戸籍's)
    counts = []
    for n in (2, 40):
        _accepted(n, atena)
        with CaptureQueriesContext(connections["default"]) as queries:
            assert follow().changes == 2 * n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
