"""氏名の振り仮名の届 through the door (civil-facts §3.4): the window's boundary days, who may file
the 氏 and the 名, the reading check (心愛=ココア, 太郎=マイケル), the second 届 and the 家庭裁判所,
and the reading copied to the registry by event."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.koseki.conftest import born, file, in_town, people
from yakuba.koseki import events
from yakuba.koseki.codes import Outcome
from yakuba.koseki.rules import furigana
from yakuba.koseki.services import Invalid, koseki_of
from yakuba.platform.linkage.models import Event as LinkageEvent
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(unread):
    return unread


def furigana_filed(person_id, filer_id, reading, on, part="given_name", **extra):
    return file(
        kind="furigana",
        filed_on=on,
        part=part,
        person_id=person_id,
        filer_id=filer_id,
        reading=reading,
        **extra,
    )


def test_a_filed_reading_is_recorded_and_copied_to_the_registry(family):
    koseki_id, ids = family
    filed = furigana_filed(ids["花子"], ids["太郎"], "やまだ", "2025-05-26", part="surname")  # the first day
    assert filed.outcome == Outcome.ACCEPTED
    view = in_town(koseki_of, koseki_id)
    assert view.surname_kana == "ヤマダ" and view.entries[-1].detail == {
        "part": "surname",
        "reading": "ヤマダ",
    }
    furigana_filed(ids["花子"], ids["花子"], "ハナコ", "2025-06-01")
    assert people(koseki_id)["花子"].name_kana == "ヤマダ\u3000ハナコ"
    with tenant_context(AIZU):
        copied = list(
            LinkageEvent.objects.filter(type=events.FURIGANA).order_by("seq").values_list("subject", "data")
        )
    assert [(s, d["surname_kana"], d["given_name_kana"]) for s, d in copied] == [
        (ids["太郎"], "ヤマダ", ""),  # the 氏 of everyone in the 戸籍
        (ids["花子"], "ヤマダ", ""),
        (ids["一郎"], "ヤマダ", ""),
        (ids["花子"], "ヤマダ", "ハナコ"),
    ]


def test_the_window_opens_on_the_26th_of_may_2025(family):
    _koseki_id, ids = family
    early = furigana_filed(ids["太郎"], ids["太郎"], "ヤマダ", "2025-05-25", part="surname")
    assert early.outcome == Outcome.REFUSED and early.reasons == [("filed_on", furigana.BEFORE_START)]


def test_the_surname_by_the_head_then_the_spouse(family):
    koseki_id, ids = family
    by_wife = furigana_filed(ids["太郎"], ids["花子"], "ヤマダ", "2025-06-01", part="surname")
    assert by_wife.outcome == Outcome.REFUSED and by_wife.reasons == [("filer_id", furigana.NOT_HEAD)]
    file(kind="death", filed_on="2025-06-02", person_id=ids["太郎"], died_on="2025-06-01")
    after = furigana_filed(ids["花子"], ids["花子"], "ヤマダ", "2025-06-03", part="surname")
    assert after.outcome == Outcome.ACCEPTED and in_town(koseki_of, koseki_id).surname_kana == "ヤマダ"


def test_the_given_name_by_the_person_from_fifteen(family):
    _koseki_id, ids = family
    fourteen = furigana_filed(ids["一郎"], ids["一郎"], "イチロウ", "2026-01-08")
    assert fourteen.reasons == [("filer", furigana.GUARDIAN_ONLY)]
    assert furigana_filed(ids["一郎"], ids["一郎"], "イチロウ", "2026-01-09").outcome == Outcome.ACCEPTED
    adult = furigana_filed(ids["花子"], ids["太郎"], "ハナコ", "2025-06-01", filer="guardian")
    assert adult.reasons == [("filer", furigana.SELF_ONLY)]
    with pytest.raises(Invalid) as caught:
        furigana_filed(ids["花子"], ids["太郎"], "ハナコ", "2025-06-01")  # 本人 named, another filed
    assert caught.value.errors[0][0] == "filer_id"


def test_once_in_the_window_then_only_with_the_court(family):
    _koseki_id, ids = family
    furigana_filed(ids["花子"], ids["花子"], "ハナコ", "2025-06-01")
    again = furigana_filed(ids["花子"], ids["花子"], "カコ", "2026-05-25")  # the window's last day
    assert again.reasons == [("filed_on", furigana.ALREADY_FILED)]
    after = furigana_filed(ids["花子"], ids["花子"], "カコ", "2026-05-26")
    assert after.reasons == [("court_permission", furigana.COURT_NEEDED)]
    permitted = furigana_filed(ids["花子"], ids["花子"], "カコ", "2026-05-26", court_permission=True)
    assert permitted.outcome == Outcome.ACCEPTED


def test_readings_generally_accepted_or_refused(family):
    koseki_id, ids = family
    child = born(ids["花子"], "心愛", "ココア", "2025-07-01", sex="female", father_id=ids["太郎"])
    assert child.outcome == Outcome.ACCEPTED and people(koseki_id)["心愛"].name_kana == ""  # 氏 not yet read
    refused = born(ids["花子"], "太郎", "マイケル", "2025-08-01", father_id=ids["太郎"])
    assert refused.outcome == Outcome.REFUSED and refused.reasons[0][0] == "given_name_kana"
    assert "太郎" not in people(koseki_id) or people(koseki_id)["太郎"].role == "head"
    proved = furigana_filed(ids["太郎"], ids["太郎"], "マイケル", "2025-06-01", proof_of_use=True)
    assert proved.outcome == Outcome.ACCEPTED
    with pytest.raises(Invalid) as caught:  # 龍 is not in the readings table: the clerk confirms
        born(ids["花子"], "龍", "リュウ", "2025-09-01", father_id=ids["太郎"])
    assert caught.value.errors[0][0] == "given_name_kana"
    confirmed = born(ids["花子"], "龍", "リュウ", "2025-09-01", father_id=ids["太郎"], reading_checked=True)
    assert confirmed.outcome == Outcome.ACCEPTED
