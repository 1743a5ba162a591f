"""Webhooks deliver what the client may receive, decided per event at delivery time (the pull
feed's ``feed.Audience``): events about a protected person are skipped for a client without the
guard's scope — the cursor moves past them, they are neither retried nor audited as delivered —
and a dead letter about a person protected since is not redelivered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.platform.linkage.test_webhooks import _emit, _subscribe
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage import feed, webhooks
from yakuba.platform.linkage.models import DeadLetter, Subscription
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)

SCOPE = "registry:protected"


@pytest.fixture
def protected(monkeypatch) -> set[str]:
    """Subjects of test events under protection now: add to the returned set."""
    subjects: set[str] = set()
    monkeypatch.setattr(feed, "_GUARDS", list(feed._GUARDS))
    feed.register_guard(feed.Guard("jp.yakuba.test.kv.", SCOPE, lambda wanted: wanted & subjects))
    return subjects


def _state(sub_id: int) -> Subscription:
    with tenant_context(AIZU):
        return Subscription.objects.get(id=sub_id)


def _delivery_audits() -> list[list[str]]:
    with tenant_context(AIZU):
        return [row.subject_ids for row in AuditEntry.objects.filter(action="deliver").order_by("id")]


def test_events_about_a_protected_person_are_skipped(aizu, receiver, protected):
    sub_id, _ = _subscribe(receiver)
    protected.add("0000001")
    ids = _emit(3)  # subjects 0000000, 0000001 (protected), 0000002
    report = webhooks.deliver(AIZU, sub_id)
    assert report.delivered == 2 and not report.failed
    assert receiver.ids == [ids[0], ids[2]]
    assert _delivery_audits() == [["0000000", "0000002"]]
    assert _state(sub_id).delivered_count == 2


def test_the_cursor_moves_past_withheld_events_at_the_end(aizu, receiver, protected):
    sub_id, _ = _subscribe(receiver)
    protected.update({"0000000", "0000001"})
    _emit(2)
    assert webhooks.deliver(AIZU, sub_id).delivered == 0
    with tenant_context(AIZU):
        head = feed.read(None, limit=1000, audience=feed.Audience(scopes=frozenset([SCOPE])))
    sub = _state(sub_id)
    assert f"{sub.cursor_position}.{sub.cursor_seq}" == head.next  # skipped, not pending
    assert _delivery_audits() == [] and receiver.ids == []
    protected.clear()  # the measure ends: what was withheld is not sent afterwards
    assert webhooks.deliver(AIZU, sub_id).delivered == 0


def test_a_chunk_of_withheld_events_does_not_end_the_run(aizu, receiver, protected):
    sub_id, _ = _subscribe(receiver)
    protected.update(f"{i:07d}" for i in range(webhooks.COMMIT_EVERY))
    ids = _emit(webhooks.COMMIT_EVERY + 1)
    assert webhooks.deliver(AIZU, sub_id).delivered == 1
    assert receiver.ids == ids[-1:]


def test_a_client_with_the_scope_receives_them_marked(aizu, receiver, protected):
    sub_id, _ = _subscribe(receiver, scopes=("events:read", SCOPE))
    protected.add("0000000")
    ids = _emit(1)
    webhooks.deliver(AIZU, sub_id)
    assert receiver.ids == ids and receiver.events[0]["data"]["protected"] is True


def test_a_failure_after_a_withheld_event_keeps_the_failing_one_pending(aizu, receiver, protected):
    sub_id, _ = _subscribe(receiver)
    protected.add("0000000")
    ids = _emit(2)
    receiver.status = 503
    assert webhooks.deliver(AIZU, sub_id).failed
    receiver.status = 200
    with tenant_context(AIZU):
        Subscription.objects.filter(id=sub_id).update(next_attempt_at=None)
    assert webhooks.deliver(AIZU, sub_id).delivered == 1 and receiver.ids == ids[1:]


def test_a_dead_letter_about_a_person_protected_since_is_not_redelivered(aizu, receiver, protected):
    sub_id, _ = _subscribe(receiver, max_age=60)
    _emit(1)
    receiver.status = 503
    webhooks.deliver(AIZU, sub_id, clock=lambda: timezone.now() + timedelta(minutes=5))
    receiver.status = 200
    protected.add("0000000")
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert webhooks.redeliver(subscription_id=sub_id) == 0
        dead = DeadLetter.objects.get()
    assert dead.redelivered_at is None and dead.last_error == webhooks.WITHHELD and dead.attempts == 1
    assert receiver.ids == [] and _delivery_audits() == []
