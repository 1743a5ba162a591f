"""The events feed over HTTP: scope, cursor, type filter, 個人番号 redaction, audit, catalogue."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU, CHIYODA
from tests.platform.linkage.conftest import KV_TYPE, SECRET_TYPE
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage import catalogue
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)


def _emit(lg_code: str, type_: str, n: int = 1, **data) -> list[str]:
    with bind_actor(SYSTEM), tenant_context(lg_code):
        return [str(emit(type_, subject=f"{i:07d}", data={"i": i, **data})) for i in range(n)]


def _feed(api, token, query=""):
    response = api.get(f"/api/v1/{AIZU}/events{query}", token)
    assert response.status_code == 200, response.content
    return response.json()


def test_events_come_oldest_first_with_a_resumable_cursor(aizu, token_for, api):
    token = token_for(AIZU, scopes=["events:read"])
    ids = _emit(AIZU, KV_TYPE, 5)
    first = _feed(api, token, "?limit=2")
    assert [e["id"] for e in first["events"]] == ids[:2]
    rest = _feed(api, token, f"?after={first['next']}&limit=10")
    assert [e["id"] for e in rest["events"]] == ids[2:]
    empty = _feed(api, token, f"?after={rest['next']}")
    assert empty == {"events": [], "next": rest["next"]}
    event = first["events"][0]
    assert event | {"id": "x", "time": "t"} == {
        "specversion": "1.0",
        "id": "x",
        "source": f"/yakuba/{AIZU}/test",
        "type": KV_TYPE,
        "subject": "0000000",
        "time": "t",
        "datacontenttype": "application/json",
        "lgcode": AIZU,
        "data": {"i": 0},
    }


def test_rolled_back_work_emits_nothing(aizu, token_for, api):
    with pytest.raises(RuntimeError):
        with bind_actor(SYSTEM), tenant_context(AIZU):
            emit(KV_TYPE, subject="1", data={})
            raise RuntimeError("the change failed")
    assert _feed(api, token_for(AIZU, scopes=["events:read"]))["events"] == []


def test_type_prefix_filter(aizu, token_for, api):
    _emit(AIZU, KV_TYPE, 2)
    _emit(AIZU, SECRET_TYPE, 1, name="青木 太郎", my_number="123456789018")
    token = token_for(AIZU, scopes=["events:read"])
    assert {e["type"] for e in _feed(api, token, "?type=jp.yakuba.test.person")["events"]} == {SECRET_TYPE}
    assert len(_feed(api, token, "?type=jp.yakuba.test.")["events"]) == 3


def test_my_number_only_for_the_mynumber_scope_in_the_mynumber_zone(aizu, token_for, api):
    _emit(AIZU, SECRET_TYPE, 1, name="青木 太郎", my_number="123456789018")
    plain = token_for(AIZU, scopes=["events:read"])
    lgwan = token_for(AIZU, scopes=["events:read", "registry:read"], zone="lgwan")
    full = token_for(AIZU, scopes=["events:read", "registry:mynumber"], zone="mynumber")
    assert "my_number" not in _feed(api, plain)["events"][0]["data"]
    assert "my_number" not in _feed(api, lgwan)["events"][0]["data"]
    assert _feed(api, full)["events"][0]["data"]["my_number"] == "123456789018"


def test_every_delivered_page_is_audited_with_its_subjects(aizu, token_for, api):
    _emit(AIZU, SECRET_TYPE, 2, name="x", my_number="123456789018")
    full = token_for(AIZU, scopes=["events:read", "registry:mynumber"], zone="mynumber")
    page = _feed(api, full)
    _feed(api, full, f"?after={page['next']}")  # an empty page is not a delivery
    with tenant_context(AIZU):
        rows = list(AuditEntry.objects.filter(action="deliver"))
    assert len(rows) == 1
    assert rows[0].subject_ids == ["0000000", "0000001"] and rows[0].my_number_shown
    assert rows[0].detail["channel"] == "feed" and rows[0].detail["count"] == 2


def test_feed_is_confined_to_the_tokens_municipality(aizu, chiyoda, token_for, api):
    _emit(CHIYODA, KV_TYPE, 3)
    assert _feed(api, token_for(AIZU, scopes=["events:read"]))["events"] == []
    assert api.get(f"/api/v1/{CHIYODA}/events", token_for(AIZU, scopes=["events:read"])).status_code == 404


@pytest.mark.parametrize("after", ["abc", "1.2.3", "99999999999999999999999.1", "-1.0"])
def test_bad_cursor_is_422(aizu, token_for, api, after):
    response = api.get(f"/api/v1/{AIZU}/events?after={after}", token_for(AIZU, scopes=["events:read"]))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "after"


def test_emitting_an_uncatalogued_type_fails(aizu):
    with pytest.raises(catalogue.UnknownEventType):
        with bind_actor(SYSTEM), tenant_context(AIZU):
            emit("jp.yakuba.test.nothing.v1")


def test_emit_outside_a_tenant_context_fails():
    with pytest.raises(RuntimeError, match="tenant_context"):
        emit(KV_TYPE)


def test_committed_event_catalogue_matches_the_code():
    from yakuba.platform.linkage.catalogue import COMMITTED_CATALOGUE, render_markdown

    assert COMMITTED_CATALOGUE.read_text(encoding="utf-8") == render_markdown(), (
        "docs/events.md is stale: run `yakuba events --write`"
    )


def test_an_lgwan_deployment_never_serves_my_number(aizu, token_for, api, settings):
    _emit(AIZU, SECRET_TYPE, 1, name="x", my_number="123456789018")
    full = token_for(AIZU, scopes=["events:read", "registry:mynumber"], zone="mynumber")
    settings.ZONE = "lgwan"
    assert "my_number" not in _feed(api, full)["events"][0]["data"]


def test_one_transaction_emitting_for_two_municipalities_reaches_both_feeds(aizu, chiyoda, token_for, api):
    from django.db import transaction

    with transaction.atomic(), bind_actor(SYSTEM):
        with tenant_context(AIZU):
            emit(KV_TYPE, subject="a", data={})
        with tenant_context(CHIYODA):
            emit(KV_TYPE, subject="b", data={})
    assert [e["subject"] for e in _feed(api, token_for(AIZU, scopes=["events:read"]))["events"]] == ["a"]
    response = api.get(f"/api/v1/{CHIYODA}/events", token_for(CHIYODA, scopes=["events:read"]))
    assert [e["subject"] for e in response.json()["events"]] == ["b"]
