"""Registry fixtures: a municipality, a client with registry scopes, and 異動 helpers."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import AIZU

TODAY = timezone.localdate()


def days_ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


ADDRESS = {"postal_code": "9650872", "town_area": "東栄町", "block": "3番46号", "extra": ""}
ADDRESS_2 = {"postal_code": "9650871", "town_area": "栄町", "block": "1番1号", "extra": "コーポ栄101"}


def person(name="青木 太郎", kana="アオキ タロウ", birth="1960-01-07", sex=1, rel="世帯主", **extra) -> dict:
    data = {
        "atena_no": None,
        "name": name,
        "name_kana": kana,
        "birth_date": birth,
        "sex": sex,
        "relationship": rel,
        "resident_type": 1,
        "previous_address": "東京都千代田区千代田1番1号",
    }
    data.update(extra)
    return data


# 本人 at the counter with a 個人番号カード: what a 届出 records unless a test says otherwise.
NOTIFIER = {"kind": "self", "identity_document": "my_number_card"}
NOTIFIED = {
    "move_in",
    "move_out",
    "move_within",
    "household_split",
    "household_merge",
    "head_change",
    "household_change",
}


def move_body(kind: str, persons: list, *, household: dict | None = None, move_date=None, **extra) -> dict:
    """A 異動 body of any kind, yesterday by default; a 届出 filed by the person (``NOTIFIER``)."""
    body = {"kind": kind, "move_date": move_date or days_ago(1), **extra}
    if kind in NOTIFIED:
        body.setdefault("notifier", NOTIFIER)
    if household is not None:
        body["household"] = household
    body["persons"] = persons
    return body


def move_in_body(
    *persons: dict, address=ADDRESS, origin="domestic", move_date=None, notified_date=None, setai_no=None
) -> dict:
    """A 転入 body: one new 世帯 at ``address`` (or joining ``setai_no``), yesterday by default."""
    dates = {"notified_date": notified_date} if notified_date else {}
    household = {"setai_no": setai_no} if setai_no else {"address": address}
    return move_body(
        "move_in", list(persons), household=household, move_date=move_date, origin=origin, **dates
    )


class Registry:
    """Posts 異動 through the real API with a registry:write token."""

    def __init__(self, client, token: str, mynumber_token: str):
        self.client = client
        self.token = token
        self.mynumber_token = mynumber_token

    def post(self, body: dict, *, token: str | None = None):
        return self.client.post(
            f"/api/v1/{AIZU}/registry/moves",
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token or self.token}",
        )

    def move(self, body: dict) -> dict:
        response = self.post(body)
        assert response.status_code == 201, response.content.decode()
        return response.json()

    def errors(self, body: dict, status: int = 422) -> list[str]:
        response = self.post(body)
        assert response.status_code == status, response.content.decode()
        payload = response.json()
        return [e["message"] for e in payload.get("errors") or []] or [payload["detail"]]

    def get(self, path: str, *, token: str | None = None):
        return self.client.get(
            f"/api/v1/{AIZU}/registry/{path}", HTTP_AUTHORIZATION=f"Bearer {token or self.token}"
        )

    def move_in(
        self, *persons: dict, address=ADDRESS, setai_no=None, move_date=None, origin="domestic", **extra
    ) -> dict:
        body = move_in_body(
            *persons,
            address=address,
            setai_no=setai_no,
            origin=origin,
            move_date=move_date or days_ago(3),
            notified_date=days_ago(1),
        )
        return self.move({**body, **extra})


@pytest.fixture
def registry(aizu, client):
    from yakuba.platform.identity.services import issue_token

    token = issue_token(AIZU, "clerk-app", ["registry:read", "registry:write"], "lgwan")[1]
    mynumber = issue_token(AIZU, "mynumber-app", ["registry:read", "registry:mynumber"], "mynumber")[1]
    return Registry(client, token, mynumber)
