"""The 附票 made, renamed and closed with its 戸籍 (registry-facts §17.5; docs/koseki_annex.md): the
戸籍 app's own 転籍届 (管内: the 附票 keeps its rows under the new 本籍; 管外: a 除附票), and a
戸籍 formed here opening its 附票 with the registry's 住所 of the persons who live here."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import AIZU
from tests.koseki.conftest import couple, file  # noqa: F401 (fixture)
from tests.koseki_annex.conftest import HITTOSHA, HONSEKI, code, notice_file, notice_line
from yakuba.koseki.events import ACCEPTED
from yakuba.koseki_annex.models import Entry
from yakuba.koseki_annex.services import NotOnAnnex, annex_of, follow, follow_koseki, take_in
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)

OTEMACHI = "福島県会津若松市追手町1番"


def _read(honseki: str, hittosha: str = "山田 太郎"):
    with tenant_context(AIZU):
        return annex_of(honseki, hittosha, purpose="附票照会")


def _transfer(view, ids, new_honseki: str, to_lg_code: str, filed_on: str) -> None:
    accepted = file(
        kind="transfer", filed_on=filed_on, koseki_id=view.koseki_id, new_honseki=new_honseki,
        to_lg_code=to_lg_code, filer_ids=list(ids.values()),
    )  # fmt: skip
    assert accepted.outcome == "accepted"


def test_a_transfer_within_the_town_keeps_the_rows_and_one_out_of_it_closes_the_annex(couple):  # noqa: F811
    view, ids = couple
    taro = {"住民票コード": code(101), "氏名": "山田 太郎", "生年月日": "1990-05-05", "性別": "1"}
    hanako = {"住民票コード": code(202), "氏名": "山田 花子", "生年月日": "1992-07-07"}
    with tenant_context(AIZU):
        take_in(
            notice_file(
                *(notice_line(**{"本籍": HONSEKI, "筆頭者": "山田 太郎", **p}) for p in (taro, hanako))
            ),
            file_name="n.csv",
        )
    follow_koseki(AIZU)  # the marriage: a 戸籍 formed, none of its persons a resident here
    _transfer(view, ids, OTEMACHI, AIZU, "2026-02-01")
    assert follow_koseki(AIZU).changes == 1
    with pytest.raises(NotOnAnnex):
        _read(HONSEKI)
    moved = _read(OTEMACHI)
    assert [p.name for p in moved.persons] == ["山田 太郎", "山田 花子"] and not moved.closed

    _transfer(view, ids, "東京都千代田区千代田1番", "131016", "2026-03-01")
    assert follow_koseki(AIZU).changes == 2
    gone = _read(OTEMACHI)
    assert gone.closed and {p.left_on for p in gone.persons} == {date(2026, 3, 1)}
    # a notice for them afterwards writes nothing on the 除附票
    with tenant_context(AIZU):
        take_in(notice_file(notice_line(**{"本籍": OTEMACHI, "筆頭者": "山田 太郎", "住所を定めた年月日": "2026-11-02", **taro})), file_name="late.csv")  # fmt: skip
        assert Entry.objects.count() == 2


def test_a_transfer_within_the_town_is_followed_from_its_event_alone(aizu, system_actor):
    """The event's ``moved`` names both 本籍: the 附票 renames without reading the 戸籍 (here the
    戸籍 app has no such 戸籍 at all, so a read of its door would find nothing)."""
    taro = {"住民票コード": code(101), "氏名": "山田 太郎", "生年月日": "1990-05-05", "性別": "1"}
    with tenant_context(AIZU):
        take_in(
            notice_file(notice_line(**{"本籍": HONSEKI, "筆頭者": "山田 太郎", **taro})), file_name="n.csv"
        )
        emit(
            ACCEPTED,
            subject="0000000001",
            data={
                "notification_no": "1", "kind": "transfer", "accepted_on": "2026-02-01", "event_on": "2026-02-01",
                "persons": [{"person_id": "0000000001", "atena_no": "", "name": "山田\u3000太郎", "name_kana": "",
                             "birth_date": "1990-05-05", "sex": "male", "koseki_id": "0000000099",
                             "honseki": OTEMACHI, "hittosha": "山田\u3000太郎", "removed": False}],
                "formed": [], "closed": [], "moved": {"from": HONSEKI, "to": OTEMACHI},
            },
        )  # fmt: skip
    assert follow_koseki(AIZU).changes == 1
    assert [p.name for p in _read(OTEMACHI).persons] == ["山田 太郎"]
    with pytest.raises(NotOnAnnex):
        _read(HONSEKI)


def test_a_koseki_formed_here_opens_its_annex_with_the_registry_address_of_its_residents(
    registry, family, system_actor
):
    follow(AIZU)  # 会津's 附票 under 東栄町3番 from the registry
    persons = [
        {"person_id": f"000000000{n}", "atena_no": atena, "name": name.replace(" ", "\u3000"), "name_kana": "",
         "birth_date": "1980-05-05", "sex": "1", "koseki_id": "0000000009", "honseki": OTEMACHI,
         "hittosha": HITTOSHA, "removed": False}
        for n, (name, (atena, _code)) in enumerate(family.items(), 1)
    ]  # fmt: skip
    with tenant_context(AIZU):
        emit(
            ACCEPTED,
            subject="0000000001",
            data={
                "notification_no": "1", "kind": "transfer", "accepted_on": "2026-12-01", "event_on": "2026-12-01",
                "persons": persons,
                "formed": [{"koseki_id": "0000000009", "honseki": OTEMACHI, "hittosha": HITTOSHA,
                            "reason": "transfer", "from": "東京都千代田区千代田1番　会津　太郎"}],
                "closed": [],
            },
        )  # fmt: skip
    assert follow_koseki(AIZU).changes == 2
    opened = _read(OTEMACHI, "会津 太郎")
    assert [(p.name, p.rows[0].address, p.rows[0].source) for p in opened.persons] == [
        ("会津 太郎", "福島県会津若松市東栄町3番46号", "koseki"),
        ("会津 花子", "福島県会津若松市東栄町3番46号", "koseki"),
    ]
    assert opened.persons[0].juminhyo_code == family["会津 太郎"][1]
    assert not _read(HONSEKI, "会津 太郎").closed  # the old 附票 is not this event's


def test_a_transfer_into_the_town_opens_the_annex_with_the_residents_address(
    registry, newcomer, system_actor
):
    """The 戸籍 app's own 転籍届 from 千代田区: the 戸籍 formed here names its resident (宛名番号), whose
    registry 住所 is the first row of the new 附票 — before the registry's 本籍 is corrected."""
    atena_no, juminhyo_code = newcomer
    accepted = file(
        kind="transfer", filed_on="2026-12-01", new_honseki=OTEMACHI, to_lg_code=AIZU,
        from_honseki="東京都千代田区千代田1番", surname="千代田",
        members=[{"role": "head", "given_name": "一郎", "birth_date": "1975-03-03", "sex": "male",
                  "relationship": "長男", "entered_on": "2000-01-01", "atena_no": atena_no, "filer": True}],
    )  # fmt: skip
    assert accepted.outcome == "accepted", accepted
    assert follow_koseki(AIZU).changes == 1
    opened = _read(OTEMACHI, "千代田 一郎")
    assert [(p.name, p.juminhyo_code, p.rows[0].address) for p in opened.persons] == [
        ("千代田 一郎", juminhyo_code, "福島県会津若松市東栄町3番46号")
    ]
