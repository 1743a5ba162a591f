"""``GET /api/v1/{lg}/elections/roll?as_of=D`` (contract §4 "Elections", §9.7): its scope, the
JSON and CSV, and a missing day named."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.elections.conftest import TODAY, ago, file_move_in
from yakuba.elections import services
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


def test_the_roll_needs_its_scope_and_follows_the_contract(registry, system_actor, api, token_for):
    voter = file_move_in(registry, "選挙 二郎", "1975-04-05", moved=ago(400), notified=ago(400))
    with tenant_context(AIZU):
        services.register("election", ago(10), ago(-7))
    path = f"/api/v1/{AIZU}/elections/roll?as_of={TODAY}"
    assert api.get(path, token_for(AIZU, scopes=["registry:read"])).status_code == 403
    response = api.get(path, token_for(AIZU, scopes=["elections:read"]))
    assert response.status_code == 200
    assert response.json() == {
        "lg_code": AIZU,
        "as_of": TODAY.isoformat(),
        "entries": [
            {
                "atena_no": voter,
                "status": "registered",
                "registered_on": ago(10).isoformat(),
                "tohyoku": "第1投票区",
                "moved_out_on": None,
            }
        ],
    }
    csv = api.get(path + "&format=csv", token_for(AIZU, scopes=["elections:read"]))
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode("utf-8-sig").splitlines()[1].startswith(f"{voter},登録,")
    missing = api.get(f"/api/v1/{AIZU}/elections/roll", token_for(AIZU, scopes=["elections:read"]))
    assert missing.status_code == 422 and "as_of" in missing.content.decode()
