"""戸籍 over HTTP (docs/koseki.md "API"): a 届出 filed and read back, its refusal kept, bad input a
422 naming the field, scopes, and another municipality's 戸籍 not found."""

from __future__ import annotations

import json

import pytest

from tests.conftest import AIZU, CHIYODA
from tests.koseki.conftest import yamada_marriage
from tests.koseki.test_kinship import adopt, grandchild

pytestmark = pytest.mark.django_db
BASE = f"/api/v1/{AIZU}/koseki"
READ, WRITE = "koseki:read", "koseki:write"


def post(client, path, body, token):
    return client.post(
        f"{BASE}/{path}",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_file_and_read_back(client, aizu, token_for):
    write, read = token_for(AIZU, [WRITE]), token_for(AIZU, [READ])
    filed = post(client, "notifications", yamada_marriage(read=True), write)
    assert filed.status_code == 201, filed.content.decode()
    body = filed.json()
    assert body["outcome"] == "accepted" and body["reasons"] == []
    koseki = client.get(f"{BASE}/registers/{body['koseki_ids'][0]}", HTTP_AUTHORIZATION=f"Bearer {read}")
    assert koseki.status_code == 200
    assert [m["name"] for m in koseki.json()["members"]] == ["山田\u3000太郎", "山田\u3000花子"]
    person = koseki.json()["members"][1]["person_id"]
    entries = client.get(f"{BASE}/persons/{person}/entries", HTTP_AUTHORIZATION=f"Bearer {read}")
    assert [e["entry"]["event"] for e in entries.json()] == ["marriage"]
    again = post(client, "notifications", yamada_marriage(read=True) | {"new_honseki": "x"}, write)
    assert again.status_code == 201  # two new people of the same names: a new 戸籍, as filed
    refused = post(
        client,
        "notifications",
        {"kind": "death", "filed_on": "2026-04-01", "person_id": person, "died_on": "2026-04-02"},
        write,
    )
    assert refused.status_code == 422 and refused.json()["errors"] == [
        {"field": "died_on", "message": "届出日より後の日付です"}
    ]
    checked = post(client, "notifications/check", {"kind": "transfer", "filed_on": "2026-01-01"}, read)
    assert checked.status_code == 422  # the schema refuses before the door
    assert {e["field"] for e in checked.json()["errors"]} == {
        "new_honseki",
        "to_lg_code",
    }


def test_scopes_and_other_municipalities(client, aizu, chiyoda, token_for):
    assert (
        post(client, "notifications", yamada_marriage(read=True), token_for(AIZU, [READ])).status_code == 403
    )
    write = token_for(AIZU, [WRITE])
    koseki_id = post(client, "notifications", yamada_marriage(read=True), write).json()["koseki_ids"][0]
    other = token_for(CHIYODA, [READ])
    missing = client.get(
        f"/api/v1/{CHIYODA}/koseki/registers/{koseki_id}", HTTP_AUTHORIZATION=f"Bearer {other}"
    )
    assert missing.status_code == 404 and "見つかりません" in missing.json()["title"]


def test_the_new_kinds_over_http(client, suzuki, token_for):
    """An 認知届 naming the father twice is a 422 at ``father_id``; a 分籍届 of the 筆頭者 a kept 不受理."""
    _koseki_id, ids, _ = suzuki
    write = token_for(AIZU, [WRITE])
    both = {
        "kind": "acknowledge",
        "filed_on": "2026-06-01",
        "child_id": ids["次郎"],
        "father_id": ids["太郎"],
    }
    both["father"] = yamada_marriage(read=True)["husband"]["person"]
    twice = post(client, "notifications", both, write)
    assert twice.status_code == 422 and [e["field"] for e in twice.json()["errors"]] == ["father_id"]
    head = {
        "kind": "division",
        "filed_on": "2026-06-01",
        "person_id": ids["一郎"],
        "new_honseki": "福島県会津若松市城前1番",
    }
    refused = post(client, "notifications", head, write)
    assert refused.status_code == 201 and refused.json()["outcome"] == "refused"
    assert (
        refused.json()["reasons"][0]["message"]
        == "筆頭者及びその配偶者は分籍できません（戸籍法21条1項ただし書）"
    )


def test_a_member_carries_the_adoptive_parents_while_the_adoption_lasts(client, suzuki, token_for):
    """法13条: the 養父母 and the 続柄 to them are part of the member, as the door's MemberView."""
    koseki_id, ids, _ = suzuki
    child_id, _ = grandchild(ids)
    assert adopt(child_id, ids["一郎"], ids["和子"], proxy="鈴木\u3000花").outcome == "accepted"
    read = token_for(AIZU, [READ])
    members = client.get(f"{BASE}/registers/{koseki_id}", HTTP_AUTHORIZATION=f"Bearer {read}").json()[
        "members"
    ]
    adopted = next(m for m in members if m["person_id"] == child_id)
    assert (adopted["adoptive_father"], adopted["adoptive_mother"], adopted["adoptive_relationship"]) == (
        "鈴木\u3000一郎",
        "鈴木\u3000和子",
        "養子",
    )
    assert members[0]["adoptive_father"] == members[0]["adoptive_relationship"] == ""
