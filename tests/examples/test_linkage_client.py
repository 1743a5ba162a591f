"""examples/linkage_client.py against a real server: follows the feed, resumes from its cursor
file without duplicates, explains errors, and its webhook receiver checks Yakuba's signatures."""

from __future__ import annotations

import json
import time

import pytest
import requests
from django.db import connections

from examples import linkage_client as lc
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.identity.services import issue_token
from yakuba.platform.linkage import catalogue, webhooks
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import tenant_context
from yakuba.platform.tenancy.services import register_municipality

pytestmark = pytest.mark.django_db(transaction=True)

LG = "072028"
OTHER_LG = "131016"
TYPE = "jp.yakuba.test.example.noted.v1"


@pytest.fixture(autouse=True)
def example_type():
    catalogue.register(catalogue.EventType(TYPE, "テスト: 例", "An example event.", subject="key"))
    yield
    catalogue.unregister(TYPE)


@pytest.fixture(autouse=True)
def no_leftover_jobs(transactional_db):
    """emit queues a procrastinate job; its tables are not flushed between tests."""
    yield
    with connections["default"].cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")


@pytest.fixture
def token():
    register_municipality(LG)
    return issue_token(LG, "example-vendor", ["events:read"], "lgwan")[1]


def _emit(n: int, start: int = 0) -> list[str]:
    with bind_actor(SYSTEM), tenant_context(LG):
        return [str(emit(TYPE, subject=f"{i:07d}", data={"i": i})) for i in range(start, start + n)]


def _follow(live_server, token, cursor_file, **kwargs) -> list[dict]:
    got: list[dict] = []
    lc.follow(live_server.url, LG, token, cursor_file, handle=got.append, once=True, **kwargs)
    return got


def test_follows_the_feed_and_resumes_from_the_cursor_file(live_server, token, tmp_path, capsys):
    cursor_file = tmp_path / "cursor.json"
    first = _emit(5)
    got = _follow(live_server, token, cursor_file, limit=2)  # three pages
    assert [e["id"] for e in got] == first
    assert {e["type"] for e in got} == {TYPE} and got[0]["subject"] == "0000000"
    saved = json.loads(cursor_file.read_text())
    assert saved["cursor"] and saved["recent_ids"] == first

    # A restart: a new process reads the file and gets only what is new.
    second = _emit(3, start=5)
    assert [e["id"] for e in _follow(live_server, token, cursor_file)] == second
    assert _follow(live_server, token, cursor_file) == []

    # The default handler prints type, subject and id.
    lc.follow(live_server.url, LG, token, tmp_path / "other.json", once=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{TYPE}\t0000000\t{first[0]}" and len(lines) == 8


def test_events_seen_again_are_not_handled_twice(live_server, token, tmp_path):
    cursor_file = tmp_path / "cursor.json"
    ids = _emit(4)
    _follow(live_server, token, cursor_file)
    # As after a crash between handling and saving the cursor: the feed sends them again.
    saved = json.loads(cursor_file.read_text())
    cursor_file.write_text(json.dumps({"cursor": "", "recent_ids": saved["recent_ids"]}))
    assert _follow(live_server, token, cursor_file) == []
    more = _emit(1, start=4)
    assert [e["id"] for e in _follow(live_server, token, cursor_file)] == more
    assert len(set(ids + more)) == 5


def test_a_failing_handler_keeps_what_it_handled(live_server, token, tmp_path):
    cursor_file = tmp_path / "cursor.json"
    ids = _emit(3)
    handled: list[str] = []

    def flaky(event):
        if len(handled) == 2:
            raise RuntimeError("disk full")
        handled.append(event["id"])

    with pytest.raises(RuntimeError):
        lc.follow(live_server.url, LG, token, cursor_file, handle=flaky, once=True)
    # After the restart only the third event is handled.
    assert [e["id"] for e in _follow(live_server, token, cursor_file)] == ids[2:]


def test_problems_are_explained(live_server, token, tmp_path):
    with pytest.raises(lc.FatalError, match="token rejected"):
        _follow(live_server, "yk_nope_nope", tmp_path / "a.json")
    register_municipality(OTHER_LG)
    with pytest.raises(lc.FatalError, match=f"municipality {OTHER_LG} not found"):
        lc.follow(live_server.url, OTHER_LG, token, tmp_path / "b.json", once=True)
    bad = tmp_path / "c.json"
    bad.write_text(json.dumps({"cursor": "not-a-cursor", "recent_ids": []}))
    with pytest.raises(lc.FatalError, match="cursor file.*after"):
        _follow(live_server, token, bad)
    no_scope = issue_token(LG, "no-scope", ["municipality:read"], "lgwan")[1]
    with pytest.raises(lc.FatalError, match="events:read"):
        _follow(live_server, no_scope, tmp_path / "d.json")


def test_network_errors_are_retried_then_reported():
    sleeps: list[float] = []
    with requests.Session() as session, pytest.raises(lc.FatalError, match="giving up after 3 attempts"):
        lc.fetch_page(
            session, "http://127.0.0.1:9/api/v1/072028/events", {}, LG, max_retries=2, sleep=sleeps.append
        )
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0]


def test_receiver_checks_the_signature_and_drops_duplicates():
    handled: list[dict] = []
    receiver = lc.WebhookReceiver("s3cret", handle=handled.append, port=0)
    try:
        body = json.dumps({"id": "e-1", "type": TYPE, "subject": "1"}).encode()
        now = int(time.time())
        assert receiver.accept(body, webhooks.sign("s3cret", body, now)) == 204
        assert receiver.accept(body, webhooks.sign("s3cret", body, now)) == 204  # a retry
        assert [e["id"] for e in handled] == ["e-1"]
        tampered = body.replace(b'"1"', b'"2"')
        assert receiver.accept(tampered, webhooks.sign("s3cret", body, now)) == 401
        assert receiver.accept(body, webhooks.sign("other", body, now)) == 401
        assert receiver.accept(body, webhooks.sign("s3cret", body, now - 301)) == 401  # too old
        assert receiver.accept(body, "") == 401
        assert len(handled) == 1
    finally:
        receiver.server.server_close()


def test_receiver_takes_real_deliveries(token, settings):
    settings.WEBHOOK_ALLOW_HOSTS = ["127.0.0.1"]  # the operator allows the receiver on loopback
    handled: list[dict] = []
    receiver = lc.WebhookReceiver("placeholder", handle=handled.append, port=0).start()
    try:
        client, _ = issue_token(LG, "example-hook", ["events:read"], "lgwan")
        with bind_actor(SYSTEM), tenant_context(LG):
            sub, secret = webhooks.subscribe(client.id, receiver.url, [TYPE], 3600)
        receiver.secret = secret
        ids = _emit(3)
        assert webhooks.deliver(LG, sub.id).delivered == 3
        assert [e["id"] for e in handled] == ids
        # Delivered again (at-least-once): acknowledged, not handled twice.
        body = json.dumps(handled[0]).encode()
        response = requests.post(
            receiver.url,
            data=body,
            headers={"X-Yakuba-Signature": webhooks.sign(secret, body, int(time.time()))},
            timeout=5,
        )
        assert response.status_code == 204 and len(handled) == 3
        assert requests.post(receiver.url, data=body, timeout=5).status_code == 401
    finally:
        receiver.close()
