"""``GET /api/v1/{lg}/koseki/registers/{koseki_id}/annex`` (contract §9.9): a 婚姻届 makes the 山田
戸籍 here (through the 戸籍's door), the couple live here with that 本籍 (through the registry's
API), the 附票 follows the registry — and the endpoint answers it with the 戸籍's person_id."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU, CHIYODA
from tests.koseki.conftest import HONSEKI, yamada
from tests.koseki_annex.conftest import code
from tests.registry.conftest import days_ago, person
from yakuba.koseki_annex.services import follow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def married(registry, system_actor):
    """The 山田 戸籍 and the couple moved in 3 days ago with its 本籍: (koseki_id, {名: person_id})."""
    from yakuba.koseki.services import koseki_of
    from yakuba.platform.tenancy.context import tenant_context

    with tenant_context(AIZU):
        view = koseki_of(yamada(read=True).koseki_ids[0])
    registry.move_in(
        person(
            "山田 太郎",
            "ヤマダ タロウ",
            "1990-05-05",
            1,
            "世帯主",
            juminhyo_code=code(11),
            domicile=HONSEKI,
            domicile_head="山田 太郎",
        ),
        person(
            "山田 花子",
            "ヤマダ ハナコ",
            "1992-07-07",
            2,
            "妻",
            juminhyo_code=code(12),
            domicile=HONSEKI,
            domicile_head="山田 太郎",
        ),
    )
    follow(AIZU)
    return view.koseki_id, {m.name.split("\u3000")[1]: m.person_id for m in view.members}


def _get(client, token: str, koseki_id: str, lg: str = AIZU):
    return client.get(
        f"/api/v1/{lg}/koseki/registers/{koseki_id}/annex", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_the_annex_of_a_koseki_with_its_members_person_ids(client, token_for, married):
    koseki_id, ids = married
    response = _get(client, token_for(AIZU, scopes=["koseki:read"]), koseki_id)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["koseki_id"], body["honseki"], body["closed"]) == (koseki_id, HONSEKI, False)
    moved_in = days_ago(3)
    assert [(e["person_id"], e["name"], e["birth_date"], e["left_on"], e["rows"]) for e in body["entries"]] == [
        (ids["太郎"], "山田 太郎", "1990-05-05", None, [{"address": "福島県会津若松市東栄町3番46号", "address_since": moved_in, "overseas": False, "country": ""}]),
        (ids["花子"], "山田 花子", "1992-07-07", None, [{"address": "福島県会津若松市東栄町3番46号", "address_since": moved_in, "overseas": False, "country": ""}]),
    ]  # fmt: skip


def test_scope_other_town_and_unknown_koseki(client, token_for, married, chiyoda):
    koseki_id, _ = married
    assert _get(client, token_for(AIZU, scopes=["registry:read"]), koseki_id).status_code == 403
    assert _get(client, token_for(CHIYODA, scopes=["koseki:read"]), koseki_id).status_code == 404
    missing = _get(client, token_for(AIZU, scopes=["koseki:read"]), "K999999999")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


def _copy(client, token: str, koseki_id: str, body: dict):
    return client.post(
        f"/api/v1/{AIZU}/koseki/registers/{koseki_id}/annex/copies",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_the_copy_is_a_signed_pdf_and_each_refusal_is_named(client, token_for, married):
    """POST …/annex/copies: koseki:read and certificates:issue; 422 naming each field."""
    from yakuba.certificates.services import seal, settings
    from yakuba.platform.tenancy.context import tenant_context

    with tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    koseki_id, _ = married
    token = token_for(AIZU, scopes=["koseki:read", "certificates:issue"])
    asked = {"items": ["domicile"], "requester": {"type": "lineal", "name": "山田 一"}}
    response = _copy(client, token, koseki_id, asked)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf" and response["X-Certificate-Number"]
    third = _copy(
        client,
        token,
        koseki_id,
        {"requester": {"type": "third_party", "name": "債権 太郎"}, "wide_area": True},
    )
    assert third.status_code == 422
    assert [e["field"] for e in third.json()["errors"]] == ["counter", "requester.purpose"]
    assert _copy(client, token_for(AIZU, scopes=["koseki:read"]), koseki_id, asked).status_code == 403
    assert _copy(client, token, "K999999999", asked).status_code == 404
    assert _copy(client, token, koseki_id, {**asked, "items": ["name"]}).status_code == 422


def test_self_by_juminhyo_code(client, token_for, married):
    """本人 named by their 住民票コード on the 附票 (one who lives in another town has no 宛名番号
    here); a code not on it is refused at ``requester.juminhyo_code``."""
    from yakuba.certificates.services import seal, settings
    from yakuba.platform.tenancy.context import tenant_context

    with tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    koseki_id, _ = married
    token = token_for(AIZU, scopes=["koseki:read", "certificates:issue"])
    mine = _copy(client, token, koseki_id, {"requester": {"type": "self", "juminhyo_code": code(12)}})
    assert mine.status_code == 200, mine.content
    other = _copy(client, token, koseki_id, {"requester": {"type": "self", "juminhyo_code": code(13)}})
    assert other.status_code == 422
    assert [e["field"] for e in other.json()["errors"]] == ["requester.juminhyo_code"]
