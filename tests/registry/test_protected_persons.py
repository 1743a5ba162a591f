"""支援措置 through the API, and nothing about a protected person reaching a client without
``registry:protected`` (issue 10, docs/reference/contract.md#protected-persons): feed, households, 異動, audit.

Each test here failed on the code before the fix: the feed carried the protected person's new
address, the household showed the protected head, a 異動 naming them was accepted, and refused
reads left no audit row.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import AIZU, CHIYODA
from tests.registry.conftest import ADDRESS_2, TODAY, days_ago, move_body
from tests.registry.test_move_rules import family
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.identity.services import issue_token
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

PROTECTION_EVENT = "jp.yakuba.registry.resident.protection-changed.v1"
# The feed serves committed events only: tests that read it commit for real.
committed = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tokens(aizu):
    """Clients as a town would issue them: the counter's own app with every registry right, a
    tax vendor with reads and events only, a welfare app trusted with protected persons."""

    def make(name: str, scopes: list[str]) -> str:
        return issue_token(AIZU, name, scopes, "lgwan")[1]

    return {
        "counter": make(
            "counter-app",
            ["registry:read", "registry:write", "registry:protection", "registry:protected", "events:read"],
        ),
        "vendor": make("tax-vendor", ["registry:read", "registry:write", "events:read"]),
        "trusted": make("welfare-app", ["registry:read", "registry:protected", "events:read"]),
        "events_only": make("events-only", ["events:read"]),
    }


def _post(client, path: str, body: dict, token: str):
    return client.post(
        f"/api/v1/{AIZU}/{path}",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _get(client, path: str, token: str):
    return client.get(f"/api/v1/{AIZU}/{path}", HTTP_AUTHORIZATION=f"Bearer {token}")


def protect(client, token: str, atena_no: str, **body):
    body = {"kind": "dv", "start_date": TODAY.isoformat(), **body}
    response = _post(client, f"registry/residents/{atena_no}/protection", body, token)
    assert response.status_code == 201, response.content.decode()
    return response.json()


def feed(client, token: str) -> list[dict]:
    response = _get(client, "events?limit=1000", token)
    assert response.status_code == 200, response.content.decode()
    return response.json()["events"]


def protected_mother_moves_away(registry, client, tokens) -> tuple[str, str, str]:
    """The 青木 family; 花子 is protected with her son 一郎, then moves with him to a new address
    in town as a new household (転居) — the address the abuser must not learn."""
    setai, (taro, hanako, ichiro) = family(registry)
    protect(client, tokens["counter"], hanako, covered_atena_nos=[ichiro])
    moved = _post(
        client,
        "registry/moves",
        {
            "kind": "move_within",
            "move_date": days_ago(1),
            "household": {"setai_no": None, "address": ADDRESS_2},
            "persons": [
                {"atena_no": hanako, "relationship": "世帯主"},
                {"atena_no": ichiro, "relationship": "子"},
            ],
        },
        tokens["counter"],
    )
    assert moved.status_code == 201, moved.content.decode()
    return taro, hanako, ichiro


def about(events: list[dict], atena_no: str) -> list[dict]:
    return [e for e in events if e["subject"] == atena_no or atena_no in json.dumps(e["data"])]


@committed
def test_protection_is_set_extended_and_ended_through_the_api(registry, client, tokens):
    setai, (taro, hanako, ichiro) = family(registry)
    measure = protect(
        client, tokens["counter"], hanako, covered_atena_nos=[ichiro], summary="配偶者からの暴力"
    )
    assert measure["atena_no"] == hanako and measure["covered_atena_nos"] == [ichiro]
    assert measure["start_date"] == TODAY.isoformat()
    assert measure["end_date"] == TODAY.replace(year=TODAY.year + 1).isoformat() or measure["end_date"]
    # Only a client with registry:protection manages measures.
    denied = _post(
        client,
        f"registry/residents/{taro}/protection",
        {"kind": "dv", "start_date": TODAY.isoformat()},
        tokens["vendor"],
    )
    assert denied.status_code == 403
    bad = _post(
        client,
        f"registry/residents/{taro}/protection",
        {"kind": "dv", "start_date": TODAY.isoformat(), "covered_atena_nos": [taro, "9999999999"]},
        tokens["counter"],
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["covered_atena_nos[0]", "covered_atena_nos[1]"]
    early = _post(
        client,
        f"registry/residents/{hanako}/protection/{measure['protection_id']}/extend",
        {},
        tokens["counter"],
    )
    assert early.status_code == 422 and "1か月前" in early.json()["errors"][0]["message"]
    wrong_person = _post(
        client, f"registry/residents/{taro}/protection/{measure['protection_id']}/end", {}, tokens["counter"]
    )
    assert wrong_person.status_code == 404
    ended = _post(
        client,
        f"registry/residents/{hanako}/protection/{measure['protection_id']}/end",
        {},
        tokens["counter"],
    )
    assert ended.status_code == 200 and ended.json()["end_date"] == TODAY.isoformat()
    assert _get(client, f"registry/residents/{hanako}", tokens["vendor"]).status_code == 200
    changes = [e["data"]["change"] for e in feed(client, tokens["trusted"]) if e["type"] == PROTECTION_EVENT]
    assert changes == ["set", "ended"]


@committed
def test_feed_withholds_every_event_about_a_protected_person_from_clients_without_the_scope(
    registry, client, tokens
):
    """The finding: after a 支援措置, a 転居 emitted the new address (方書 included) to every client."""
    taro, hanako, ichiro = protected_mother_moves_away(registry, client, tokens)

    for name in ("vendor", "events_only"):
        events = feed(client, tokens[name])
        assert about(events, hanako) == [] and about(events, ichiro) == [], name
        assert "コーポ栄101" not in json.dumps(events, ensure_ascii=False)
        assert [e for e in events if e["type"] == PROTECTION_EVENT] == []
        assert about(events, taro), "events about other people still flow"

    trusted = feed(client, tokens["trusted"])
    hers = [e for e in trusted if e["subject"] == hanako]
    # Her 転入 (written before the measure), the measure itself, and the split.
    assert [e["type"].split(".")[-2] for e in hers] == ["moved-in", "protection-changed", "moved-within"]
    assert all(e["data"]["protected"] is True for e in hers)
    assert hers[-1]["data"]["address_extra"] == "コーポ栄101"
    assert "protected" not in about(trusted, taro)[0]["data"]


@committed
def test_the_cursor_moves_past_withheld_events(registry, client, tokens):
    setai, (taro, hanako, ichiro) = family(registry)
    first = _get(client, "events?limit=1000", tokens["vendor"]).json()
    protect(client, tokens["counter"], hanako)
    page = _get(client, f"events?after={first['next']}&limit=10", tokens["vendor"]).json()
    assert page["events"] == [] and page["next"] != first["next"]
    assert _get(client, f"events?after={page['next']}", tokens["vendor"]).json()["events"] == []


@committed
def test_events_read_alone_receives_only_the_public_items(registry, client, tokens):
    """Data minimisation: name, address and birth date need registry:read as well."""
    setai, (taro, hanako, ichiro) = family(registry)
    (event, *_rest) = feed(client, tokens["events_only"])
    assert set(event["data"]) == {"atena_no", "history_no", "setai_no", "move_kind", "move_date", "status"}
    (full, *_rest) = feed(client, tokens["vendor"])
    assert full["data"]["name"] == "青木 太郎" and full["data"]["address"].endswith("東栄町3番46号")


def test_a_household_headed_by_a_protected_person_does_not_exist_for_others(registry, client, tokens):
    setai, (taro, hanako, ichiro) = family(registry)
    protect(client, tokens["counter"], taro)
    assert _get(client, f"registry/households/{setai}", tokens["vendor"]).status_code == 404
    shown = _get(client, f"registry/households/{setai}", tokens["trusted"]).json()
    assert shown["head_atena_no"] == taro
    assert [(m["atena_no"], m["protected"]) for m in shown["members"]] == [
        (taro, True),
        (hanako, False),
        (ichiro, False),
    ]


def test_a_move_naming_or_touching_a_protected_person_is_not_found(registry, client, tokens):
    setai, (taro, hanako, ichiro) = family(registry)
    protect(client, tokens["counter"], hanako)
    death = {"kind": "death", "move_date": days_ago(1), "persons": [{"atena_no": hanako}]}
    refused = _post(client, "registry/moves", death, tokens["vendor"])
    assert refused.status_code == 404
    missing = _post(
        client, "registry/moves", {**death, "persons": [{"atena_no": "9999999999"}]}, tokens["vendor"]
    )
    assert refused.json()["detail"] == missing.json()["detail"] == "この URL にはリソースがありません" or (
        missing.status_code == 422
    )
    # The whole household moves: she is among the members, so the 異動 is refused as well.
    whole = move_body(
        "move_within",
        [{"atena_no": taro}, {"atena_no": ichiro}],
        household={"setai_no": setai, "address": ADDRESS_2},
    )
    assert _post(client, "registry/moves", whole, tokens["vendor"]).status_code in (404, 422)
    with tenant_context(AIZU):
        refusals = list(AuditEntry.objects.filter(detail__refused="protected", resource="resident"))
    assert [(r.action, r.subject_ids, r.actor) for r in refusals][:1] == [("update", [hanako], "tax-vendor")]
    # The counter's own app may: it handles the protected person.
    assert _post(client, "registry/moves", death, tokens["counter"]).status_code == 201


def test_refused_reads_are_audited_in_their_own_transaction(registry, client, tokens):
    """The finding: four GETs of a protected person answered 404 and left nothing."""
    setai, (taro, hanako, ichiro) = family(registry)
    protect(client, tokens["counter"], hanako)
    protect(client, tokens["counter"], taro)
    for path in (
        f"registry/residents/{hanako}",
        f"registry/residents/{hanako}/history",
        f"registry/households/{setai}",
    ):
        assert _get(client, path, tokens["vendor"]).status_code == 404
    with tenant_context(AIZU):
        rows = list(AuditEntry.objects.filter(detail__refused="protected").order_by("chain_no"))
    assert [(r.action, r.resource, r.subject_ids, r.actor) for r in rows] == [
        ("read", "resident", [hanako], "tax-vendor"),
        ("read", "resident_history", [hanako], "tax-vendor"),
        ("read", "household", [setai, taro], "tax-vendor"),
    ]


def test_scope_and_tenant_refusals_are_audited(registry, client, tokens, chiyoda):
    setai, (taro, hanako, ichiro) = family(registry)
    assert _get(client, f"registry/residents/{taro}", tokens["events_only"]).status_code == 403
    other = client.get(
        f"/api/v1/{CHIYODA}/registry/residents/{taro}", HTTP_AUTHORIZATION=f"Bearer {tokens['vendor']}"
    )
    assert other.status_code == 404
    with tenant_context(AIZU):
        rows = list(AuditEntry.objects.filter(resource="api").order_by("chain_no"))
    assert [(r.detail["refused"], r.subject_ids, r.actor) for r in rows] == [
        ("scope", [taro], "events-only"),
        ("tenant", [taro], "tax-vendor"),
    ]
    assert rows[0].detail["scope"] == "registry:read"
    assert rows[1].detail["requested_lg_code"] == CHIYODA
    with tenant_context(CHIYODA):
        assert not AuditEntry.objects.filter(resource="api").exists()  # nothing in the other town's log


def test_a_start_date_out_of_range_is_a_field_error(registry, client, tokens):
    setai, (taro, hanako, ichiro) = family(registry)
    for start in ("9999-12-31", "0001-01-01", "2000-01-01"):
        response = _post(
            client,
            f"registry/residents/{hanako}/protection",
            {"kind": "dv", "start_date": start},
            tokens["counter"],
        )
        assert response.status_code == 422, start
        assert response.json()["errors"][0]["field"] == "start_date"


@committed
def test_the_protected_marker_reaches_a_client_without_registry_read(registry, client, tokens):
    setai, (taro, hanako, ichiro) = family(registry)
    protect(client, tokens["counter"], hanako)
    marker_only = issue_token(AIZU, "shelter-app", ["events:read", "registry:protected"], "lgwan")[1]
    hers = [e for e in feed(client, marker_only) if e["subject"] == hanako]
    assert hers and all(e["data"]["protected"] is True for e in hers)
    assert "name" not in hers[0]["data"]  # still only the public items without registry:read


@committed
def test_webhooks_withhold_protected_persons_per_client(registry, client, tokens, settings):
    """The finding, for webhooks: each subscription receives what its client may see, decided at
    delivery time — the 転入 sent before the measure existed is withheld too if still queued."""
    from tests.platform.linkage.receiver import Receiver
    from yakuba.platform.linkage import webhooks

    settings.WEBHOOK_ALLOW_HOSTS = [Receiver.HOST]  # the operator allows the local receivers
    plain, trusted = Receiver(), Receiver()
    try:
        subscriptions = {}
        for name, receiver in (("vendor", plain), ("trusted", trusted)):
            response = _post(client, "webhooks", {"url": receiver.url, "types": []}, tokens[name])
            assert response.status_code == 201, response.content.decode()
            subscriptions[name] = response.json()["id"]
        taro, hanako, ichiro = protected_mother_moves_away(registry, client, tokens)
        for subscription_id in subscriptions.values():
            assert not webhooks.deliver(AIZU, subscription_id).failed

        assert about(plain.events, hanako) == [] and about(plain.events, ichiro) == []
        assert "コーポ栄101" not in json.dumps(plain.events, ensure_ascii=False)
        assert about(plain.events, taro)
        hers = [e for e in trusted.events if e["subject"] == hanako]
        assert [e["type"].split(".")[-2] for e in hers] == ["moved-in", "protection-changed", "moved-within"]
        assert all(e["data"]["protected"] is True for e in hers)
        # Withheld events are passed, not retried: both subscriptions are at the head.
        with tenant_context(AIZU):
            from yakuba.platform.linkage.models import Subscription

            cursors = set(Subscription.objects.values_list("cursor_position", "cursor_seq"))
        assert len(cursors) == 1
    finally:
        plain.close()
        trusted.close()
