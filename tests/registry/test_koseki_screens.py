"""The 窓口's screens of 戸籍からの異動候補: the list (by kind, keyset pages), one proposal with its
apply and dismissal (errors at their input), the home screen's count, and who may use them."""

from __future__ import annotations

import re

import pytest

from tests.conftest import AIZU
from tests.koseki.conftest import born, file
from tests.registry.conftest import TODAY, registry  # noqa: F401 (fixture)
from tests.registry.test_koseki_follow import YESTERDAY, couple, follow, marry  # noqa: F401 (fixture)
from tests.registry.ui.test_home_screen import task
from tests.registry.ui.test_screens import page, staff_client
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.models import KosekiProposal, Resident

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def counter(aizu):
    return staff_client("madoguchi", ["counter"])


@pytest.fixture
def married(couple):  # noqa: F811
    atena, setai = couple
    ids = marry(atena)
    follow()
    with tenant_context(AIZU):
        by_atena = {p.atena_no: str(p.proposal_id) for p in KosekiProposal.objects.all()}
    return atena, setai, ids, by_atena


def _error(text: str, field: str) -> str:
    return re.search(rf'<p class="field-error" id="err-{field}">(.*?)</p>', text, re.S).group(1)


def test_the_list_shows_the_open_proposals_by_kind(counter, married, django_assert_max_num_queries):
    atena, _setai, _ids, _by = married
    # the session, user and roles (10), one page of proposals, its audit row, the session saved
    with django_assert_max_num_queries(15):
        text = page(counter.get("/registry/koseki/"))
    assert "婚姻届" in text and "山田 太郎" in text and "佐藤 花子" in text
    assert "本籍・筆頭者" in text and "氏名・フリガナ・本籍・筆頭者・続柄" in text
    assert "この条件の異動候補はありません" in page(counter.get("/registry/koseki/?kind=death"))
    bad = counter.get("/registry/koseki/?kind=x")
    assert bad.status_code == 422 and "種類を選択肢から選んでください" in _error(page(bad), "kind")


def test_applying_from_the_proposal_page(counter, married):
    atena, _setai, _ids, by_atena = married
    url = f"/registry/koseki/{by_atena[atena['花子']]}/"
    text = page(counter.get(url))
    assert "佐藤 花子" in text and "山田 花子" in text and "職権で修正する" in text
    response = counter.post(url, {"action": "apply"})
    assert response.status_code == 302
    with tenant_context(AIZU):
        assert Resident.objects.get(atena_no=atena["花子"]).name == "山田 花子"
    done = page(counter.get(url))
    assert "反映済み" in done and "職権で修正する" not in done
    again = counter.post(url, {"action": "apply"})
    assert again.status_code == 409 and "すでに処理されています" in page(again)


def test_a_dismissal_without_a_reason_is_refused_at_its_input(counter, married):
    atena, _setai, _ids, by_atena = married
    url = f"/registry/koseki/{by_atena[atena['太郎']]}/"
    refused = counter.post(url, {"action": "dismiss", "reason": ""})
    assert refused.status_code == 422 and "反映しない理由を入力してください" in _error(
        page(refused), "reason"
    )
    assert counter.post(url, {"action": "dismiss", "reason": "本人から申出"}).status_code == 302
    assert "本人から申出" in page(counter.get(url))


def test_a_birth_page_offers_the_parents_household_and_answers_at_its_inputs(counter, married):
    atena, setai, ids, _by = married
    born(ids["花子"], "一郎", "イチロウ", YESTERDAY, filed_on=TODAY.isoformat(), father_id=ids["太郎"])
    follow()
    with tenant_context(AIZU):
        birth = str(KosekiProposal.objects.get(kind="birth").proposal_id)
    url = f"/registry/koseki/{birth}/"
    text = page(counter.get(url))
    assert f'name="setai_no" value="{setai}"' in text and 'name="relationship" value="子"' in text
    refused = counter.post(
        url, {"action": "apply", "setai_no": setai, "relationship": "", "name_kana": "ヤマダ イチロウ"}
    )
    assert refused.status_code == 422 and _error(page(refused), "relationship").strip()
    ok = counter.post(
        url, {"action": "apply", "setai_no": setai, "relationship": "子", "name_kana": "ヤマダ イチロウ"}
    )
    assert ok.status_code == 302
    with tenant_context(AIZU):
        assert Resident.objects.filter(setai_no=setai, name="山田 一郎").exists()


def test_the_death_of_the_head_asks_for_the_new_head_at_its_input(counter, married):
    atena, _setai, ids, by_atena = married
    for proposal_id in by_atena.values():
        counter.post(f"/registry/koseki/{proposal_id}/", {"action": "apply"})
    file(kind="death", filed_on=TODAY.isoformat(), person_id=ids["太郎"], died_on=YESTERDAY)
    follow()
    with tenant_context(AIZU):
        death = str(KosekiProposal.objects.get(kind="death").proposal_id)
    url = f"/registry/koseki/{death}/"
    assert f'name="new_head" value="{atena["花子"]}"' in page(counter.get(url))
    refused = counter.post(url, {"action": "apply"})
    assert refused.status_code == 422 and "新しい世帯主を指定してください" in _error(
        page(refused), "new_head"
    )
    assert counter.post(url, {"action": "apply", "new_head": atena["花子"]}).status_code == 302
    with tenant_context(AIZU):
        assert Resident.objects.get(atena_no=atena["花子"]).relationship == "世帯主"


def test_the_home_screen_counts_them_and_other_roles_cannot_open_them(counter, married):
    waiting = task(page(counter.get("/")), "戸籍からの異動候補")
    assert "2件" in waiting and 'href="/registry/koseki/"' in waiting
    welfare = staff_client("fukushi", ["welfare"])
    assert welfare.get("/registry/koseki/").status_code == 403
    assert counter.get("/registry/koseki/01890000-0000-7000-8000-000000000000/").status_code == 404
