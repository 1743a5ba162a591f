"""The 在外選挙人名簿 API: scopes, a 出国時申請 through registration and 抹消, the book in pages,
broken rules as 422 naming the field, another municipality's token refused."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.conftest import AIZU, CHIYODA
from tests.overseas_electors.conftest import MISSION, TODAY
from yakuba.overseas_electors.rules.eligibility import months_on

pytestmark = pytest.mark.django_db

BASE = f"/api/v1/{AIZU}/overseas-electors"


@pytest.fixture
def call(client, token_for, aizu):
    write = token_for(AIZU, scopes=["overseas_electors:read", "overseas_electors:write"])

    def post(path: str, body: dict, token: str = write):
        return client.post(f"{BASE}/{path}", data=json.dumps(body, default=str), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip

    return post


MISSION_BODY = {
    "applied_on": TODAY.isoformat(),
    "name": "在外 通信",
    "birth_date": "1985-06-06",
    "domicile": "福島県会津若松市東栄町3番",
    "mission": MISSION,
    "overseas_address": "アメリカ合衆国ニューヨーク州",
    "arrived_on": months_on(TODAY, -3).isoformat(),
}


def test_apply_register_page_and_strike_off(call, api, token_for, system_actor):
    made = call("applications/mission", MISSION_BODY)
    assert made.status_code == 201, made.content.decode()
    assert made.json()["basis"] == "domicile" and made.json()["registrable_from"] == TODAY.isoformat()
    entry = call("entries", {"application_id": made.json()["id"], "on": TODAY.isoformat()})
    assert entry.status_code == 201 and entry.json()["card_no"] == "00000001"
    book = api.get(f"{BASE}/book?as_of={TODAY}", token_for(AIZU, scopes=["overseas_electors:read"]))
    assert book.status_code == 200
    assert [(e["card_no"], e["name"], e["basis"]) for e in book.json()["entries"]] == [
        ("00000001", "在外 通信", "domicile")
    ]
    home = call("came-home", {"card_no": "00000001", "came_home_on": TODAY.isoformat()})
    assert home.status_code == 200
    early = call("strike-off", {"card_no": "00000001", "on": TODAY.isoformat(), "reason": "came_home"})
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "on"
    died = call("strike-off", {"card_no": "00000001", "on": TODAY.isoformat(), "reason": "died"})
    assert died.status_code == 200 and died.json()["struck_off_reason"] == "died"


def test_scopes_rules_and_other_municipalities(call, api, token_for, system_actor, chiyoda):
    read_only = token_for(AIZU, scopes=["overseas_electors:read"])
    assert call("applications/mission", MISSION_BODY, read_only).status_code == 403
    assert api.get(f"{BASE}/book?as_of={TODAY}", token_for(AIZU, scopes=["registry:read"])).status_code == 403
    refused = call("applications/mission", {**MISSION_BODY, "mission": "", "arrived_on": None})
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"mission", "arrived_on"}
    late = call(
        "applications/departure",
        {"atena_no": "0000000001", "applied_on": (TODAY + timedelta(days=1)).isoformat()},
    )
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "atena_no"
    other = token_for(CHIYODA, scopes=["overseas_electors:read"])
    assert api.get(f"{BASE}/book?as_of={TODAY}", other).status_code == 404


def test_unstorable_text_is_a_422_naming_the_field(call, system_actor):
    bad = call("applications/mission", {**MISSION_BODY, "name": "青木\x00", "mission": "\ud800"})
    assert bad.status_code == 422
    assert {"name", "mission"} <= {e["field"].rsplit(".", 1)[-1] for e in bad.json()["errors"]}
