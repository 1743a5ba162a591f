"""The address master over HTTP (docs/address.md, "API"): scopes, other municipalities, the
postal code that fills an address, checks and loads with problem+json errors."""

from __future__ import annotations

import json

import pytest

from tests.conftest import AIZU, CHIYODA

pytestmark = pytest.mark.django_db

BASE = f"/api/v1/{AIZU}/address"


@pytest.fixture
def reader(token_for, master):
    return token_for(AIZU, scopes=["address:read"])


def _post(client, path, token, body, method="post"):
    return getattr(client, method)(
        path, data=json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_list_and_search(api, reader):
    response = api.get(f"{BASE}/town-areas?q=サカエ", reader)
    assert response.status_code == 200
    assert [t["name"] for t in response.json()["town_areas"]] == ["東栄町", "栄町"]
    first = response.json()["town_areas"][0]
    assert first["postal_codes"] == ["9650872"] and (first["block_from"], first["block_to"]) == (1, 12)
    assert first["addressing"] == "residence" and first["town_area_id"] == "0001001"
    paged = api.get(f"{BASE}/town-areas?limit=1", reader).json()
    after = api.get(f"{BASE}/town-areas?limit=1&after={paged['next']}", reader).json()
    assert [t["name"] for t in paged["town_areas"] + after["town_areas"]] == ["北会津町", "東栄町"]


def test_postal_code_fills_the_address(api, reader):
    response = api.get(f"{BASE}/postal-codes/9650871", reader)
    assert response.status_code == 200
    body = response.json()
    assert body["municipality"] == "福島県会津若松市" and [t["name"] for t in body["town_areas"]] == ["栄町"]
    missing = api.get(f"{BASE}/postal-codes/1000001", reader)
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    assert api.get(f"{BASE}/postal-codes/12-34", reader).status_code == 422


def test_check_names_field_and_reason(client, reader):
    good = _post(
        client,
        f"{BASE}/checks",
        reader,
        {"town_area": "東栄町", "block": "3番46号", "postal_code": "9650872"},
    )
    assert good.json() == {"valid": True, "errors": [], "address": "福島県会津若松市東栄町3番46号"}
    bad = _post(client, f"{BASE}/checks", reader, {"town_area": "存在しない町", "block": "1番1号"})
    assert bad.status_code == 200 and bad.json()["errors"] == [
        {"field": "town_area", "message": "町字「存在しない町」は住所辞書にありません"}
    ]
    assert _post(client, f"{BASE}/checks", reader, {"town_area": ""}).status_code == 422


def test_scopes_and_other_municipalities(api, client, token_for, reader, chiyoda):
    assert (
        _post(client, f"{BASE}/town-areas", reader, {"town_areas": [{"name": "新町"}]}, "put").status_code
        == 403
    )
    other = token_for(CHIYODA, scopes=["address:read"])
    assert api.get(f"{BASE}/town-areas", other).status_code == 404
    assert api.get(f"{BASE}/town-areas").status_code == 401
    assert api.get(f"{BASE}/town-areas", token_for(AIZU, scopes=["registry:read"])).status_code == 403


def test_put_loads_all_or_nothing(api, client, token_for, reader):
    writer = token_for(AIZU, scopes=["address:write"])
    bad = _post(
        client,
        f"{BASE}/town-areas",
        writer,
        {
            "town_areas": [
                {"name": "新町", "block_from": 9, "block_to": 3},
                {"name": "本町"},
                {"name": "本町"},
            ]
        },
        "put",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "town_areas[0].block_to", "message": "番地の範囲が逆です: 9〜3"},
        {"field": "town_areas[2].name", "message": "町字「本町」が重複しています"},
    ]
    assert api.get(f"{BASE}/town-areas?q=本町", reader).json()["town_areas"] == []
    good = _post(
        client,
        f"{BASE}/town-areas",
        writer,
        {"town_areas": [{"name": "本町", "postal_codes": ["9650000"]}, {"name": "東栄町"}], "replace": True},
        "put",
    )
    assert good.status_code == 200
    assert good.json() == {"added": 1, "changed": 1, "unchanged": 0, "abolished": 2}
