"""The 児童扶養手当 records over HTTP: scopes, another municipality's token, 422 naming the field,
and 支援措置 — a protected 受給者 is not found without ``registry:protected``, nor named on the
list of 未提出 現況届."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.utils import timezone

from tests.child_support_allowance import town
from tests.conftest import AIZU, CHIYODA
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry

BASE = f"/api/v1/{AIZU}/child-support-allowance"
FULL = {"other_deductions": 50_000_000}


@pytest.fixture
def seeded(aizu, system_actor):
    town.build()
    return town.families(2)


def _claim(parent, kids, **more) -> dict:
    return json.loads(town.claim(parent, kids, **FULL, **more).model_dump_json())


def _post(client, path, body, token):
    return client.post(
        path, data=json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_a_claim_then_its_report_and_the_reading(client, token_for, seeded):
    (parent, kids), _other = seeded
    write = token_for(AIZU, scopes=["child_support_allowance:read", "child_support_allowance:write"])
    created = _post(client, f"{BASE}/entitlements", _claim(parent, kids), write)
    assert created.status_code == 201, created.content
    (row,) = created.json()
    assert (row["first_month"], row["determinations"][0]["benefit_year"]) == ("2025-07-01", 2024)
    assert row["determinations"][0]["category"] == "full" and row["determinations"][0]["steps"]
    listed = client.get(f"{BASE}/status-reports?benefit_year=2025", HTTP_AUTHORIZATION=f"Bearer {write}")
    assert listed.status_code == 200 and listed.json() == []
    report = {"atena_no": parent, "benefit_year": 2025, "received_on": "2025-08-20", **FULL}
    filed = _post(client, f"{BASE}/status-reports", report, write)
    assert filed.status_code == 201, filed.content
    assert (filed.json()["benefit_year"], filed.json()["reason"]) == (2025, "status_report")
    got = client.get(f"{BASE}/entitlements?atena_no={parent}", HTTP_AUTHORIZATION=f"Bearer {write}")
    assert [d["benefit_year"] for d in got.json()[0]["determinations"]] == [2025, 2024]


def test_scopes_tenant_and_field_errors(client, token_for, seeded, chiyoda):
    (parent, kids), _other = seeded
    read = token_for(AIZU, scopes=["child_support_allowance:read"])
    assert _post(client, f"{BASE}/entitlements", _claim(parent, kids), read).status_code == 403
    other = token_for(CHIYODA, scopes=["child_support_allowance:read", "child_support_allowance:write"])
    assert (
        client.get(f"{BASE}/entitlements?atena_no={parent}", HTTP_AUTHORIZATION=f"Bearer {other}").status_code
        == 404
    )
    write = token_for(AIZU, scopes=["child_support_allowance:write"])
    bad = _post(client, f"{BASE}/entitlements", _claim(parent, kids, claimed_on=date(2099, 1, 1)), write)
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    assert "claimed_on" in {e["field"] for e in bad.json()["errors"]}


def test_a_protected_claimant_is_not_found_without_the_scope_nor_named_on_the_list(client, token_for, seeded):
    (parent, kids), _other = seeded
    both = ["child_support_allowance:read", "child_support_allowance:write"]
    plain, protected = token_for(AIZU, scopes=both), token_for(AIZU, scopes=[*both, "registry:protected"])
    with tenant_context(AIZU):
        registry.set_measure(parent, starts_on=timezone.localdate(), kind="dv")
    refused = _post(client, f"{BASE}/entitlements", _claim(parent, kids), plain)
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} >= {"claimant_atena_no"}
    assert parent not in refused.content.decode().replace(f"宛名番号 {parent}", "")  # no name, no address
    assert _post(client, f"{BASE}/entitlements", _claim(parent, kids), protected).status_code == 201
    hidden = client.get(f"{BASE}/entitlements?atena_no={parent}", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert hidden.status_code == 404
    from yakuba.child_support_allowance.services import status_report
    from yakuba.platform.audit.log import SYSTEM, bind_actor

    with bind_actor(SYSTEM):
        status_report.open_reports(AIZU, 2025)
    listed = client.get(
        f"{BASE}/status-reports?benefit_year=2025", HTTP_AUTHORIZATION=f"Bearer {plain}"
    ).json()
    assert [(r["atena_no"], r["name"]) for r in listed] == [("", "（表示できません）")]
    shown = client.get(
        f"{BASE}/status-reports?benefit_year=2025", HTTP_AUTHORIZATION=f"Bearer {protected}"
    ).json()
    assert [r["atena_no"] for r in shown] == [parent]
    assert date.fromisoformat(shown[0]["first_month"]) == date(2025, 7, 1)


def test_a_loss_notice_ends_the_entitlement_through_its_month(client, token_for, seeded):
    (parent, kids), _other = seeded
    write = token_for(AIZU, scopes=["child_support_allowance:read", "child_support_allowance:write"])
    assert _post(client, f"{BASE}/entitlements", _claim(parent, kids), write).status_code == 201
    future = _post(client, f"{BASE}/endings", {"atena_no": parent, "ended_on": "2099-01-01"}, write)
    assert future.status_code == 422 and [e["field"] for e in future.json()["errors"]] == ["ended_on"]
    ended = _post(client, f"{BASE}/endings", {"atena_no": parent, "ended_on": "2025-09-15"}, write)
    assert ended.status_code == 200
    assert (ended.json()[0]["status"], ended.json()[0]["last_month"]) == ("ended", "2025-09-01")


def test_an_added_child_raises_the_amount_from_the_month_after_the_claim(client, token_for, seeded):
    (parent, kids), _other = seeded
    write = token_for(AIZU, scopes=["child_support_allowance:read", "child_support_allowance:write"])
    assert _post(client, f"{BASE}/entitlements", _claim(parent, kids[:1]), write).status_code == 201
    body = {"atena_no": parent, "child_atena_no": kids[1], "claimed_on": "2025-08-05"}
    added = _post(client, f"{BASE}/children", body, write)
    assert added.status_code == 201, added.content
    latest = added.json()[0]["determinations"][0]
    assert (latest["benefit_year"], latest["version"], latest["reason"]) == (2024, 2, "revised")
    assert [(p["from_month"], len(p["per_child"])) for p in latest["periods"]] == [
        ("2025-07-01", 1),
        ("2025-09-01", 2),
    ]
    again = _post(client, f"{BASE}/children", body, write)
    assert again.status_code == 422 and [e["field"] for e in again.json()["errors"]] == ["child_atena_no"]
