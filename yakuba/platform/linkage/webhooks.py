"""Webhook delivery: the feed, followed on a subscriber's behalf, pushed over HTTP.

Each subscription keeps a cursor in the feed. A delivery run locks the subscription row (so
two workers never deliver the same subscription at once), POSTs the events after the cursor
one by one, and commits the cursor every ``COMMIT_EVERY`` events: a worker killed mid-batch
loses nothing — the uncommitted events are sent again (at-least-once; the ``X-Yakuba-Event-Id``
header and the CloudEvent ``id`` let receivers drop duplicates).

A failing event is retried with exponential backoff (``BACKOFF_BASE`` doubling up to
``BACKOFF_MAX``) while it is younger than the subscription's maximum age; older, it goes to the
dead-letter list (redeliverable from the staff UI, CLI and API) and the queue moves on.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from django.db import connections, transaction
from django.utils import timezone

from yakuba.platform import crypto
from yakuba.platform.audit.log import Action, Actor, bind_actor, record
from yakuba.platform.audit.models import ActorType
from yakuba.platform.identity.models import ApiClient
from yakuba.platform.linkage import feed
from yakuba.platform.linkage.models import DeadLetter, Subscription
from yakuba.platform.tenancy.context import require_tenant, tenant_context

BACKOFF_BASE = 5.0  # seconds
BACKOFF_MAX = 600.0
COMMIT_EVERY = 50
SIGNATURE_HEADER = "X-Yakuba-Signature"
EVENT_ID_HEADER = "X-Yakuba-Event-Id"
_TYPE_PREFIX = re.compile(r"^[a-z0-9.\-]{1,120}$")


class SubscriptionError(ValueError):
    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def backoff(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failure: 5, 10, 20 … capped at 10 minutes."""
    return min(BACKOFF_MAX, BACKOFF_BASE * 2 ** max(0, attempts - 1))


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """``t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>``; the timestamp defeats replays."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(
    secret: str, body: bytes, header: str, *, tolerance: int = 300, now: float | None = None
) -> bool:
    """Receiver side (used by examples/ and tests): signature valid and fresh."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, timestamp), header)


def _secret_context(lg_code: str) -> str:
    return f"{lg_code}/webhook-secret"


def _feed_head() -> feed.Position:
    """The position of the newest committed event of the current municipality."""
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            "SELECT c.position, max(e.seq) FROM linkage_commit c"
            " JOIN linkage_event e ON e.lg_code = c.lg_code AND e.txid = c.txid"
            " WHERE c.position = (SELECT max(position) FROM linkage_commit) GROUP BY c.position"
        )
        row = cursor.fetchone()
    return feed.Position(row[0], row[1]) if row else feed.Position(0, 0)


def subscribe(client_id: int, url: str, types: list[str], max_age_seconds: int) -> tuple[Subscription, str]:
    """New subscription for ``client_id`` in the current municipality; the secret is shown once.

    Delivery starts with events written after this moment (the cursor starts at the head).
    """
    tenant = require_tenant()
    if not url.startswith(("http://", "https://")):
        raise SubscriptionError("送信先は http:// または https:// の URL です", "url")

    bad = [t for t in types if not _TYPE_PREFIX.match(t)]
    if bad:
        raise SubscriptionError(f"イベント種別の指定が不正です: {', '.join(bad)}", "types")
    secret = secrets.token_urlsafe(32)
    head = _feed_head()
    sub = Subscription.objects.create(
        lg_code=tenant.lg_code,
        client_id=client_id,
        url=url,
        type_prefixes=sorted(set(types)),
        max_age_seconds=max_age_seconds,
        secret_encrypted=crypto.encrypt(secret, context=_secret_context(tenant.lg_code)),
        cursor_position=head.position,
        cursor_seq=head.seq,
    )
    return sub, secret


@dataclass
class DeliveryReport:
    delivered: int = 0
    dead_lettered: int = 0
    failed: bool = False
    retry_at: datetime | None = None
    more: bool = False  # stopped by the batch limit with events left


def _post(session: requests.Session, url: str, event: dict, secret: str, now: datetime) -> str | None:
    """POST one event; None on 2xx, else a short error text."""
    body = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/cloudevents+json; charset=utf-8",
        EVENT_ID_HEADER: event["id"],
        SIGNATURE_HEADER: sign(secret, body, int(now.timestamp())),
        "User-Agent": "Yakuba-Webhook/1",
    }
    try:
        response = session.post(url, data=body, headers=headers, timeout=(3, 10), allow_redirects=False)
    except requests.RequestException as exc:
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}"


def _session() -> requests.Session:
    # No per-request look-ups of proxy variables and .netrc: a quarter of the cost of a POST.
    session = requests.Session()
    session.trust_env = False
    return session


def deliver(
    lg_code: str,
    subscription_id: int,
    *,
    clock: Callable[[], datetime] = timezone.now,
    session: requests.Session | None = None,
    max_events: int = 1000,
) -> DeliveryReport:
    """Deliver what is due for one subscription; safe to call from any number of workers."""
    report = DeliveryReport()
    own_session = session is None
    session = session or _session()
    try:
        with bind_actor(Actor(ActorType.SYSTEM, f"webhook:{subscription_id}")):
            while report.delivered + report.dead_lettered < max_events:
                chunk_done = _deliver_chunk(lg_code, subscription_id, clock, session, report, max_events)
                if chunk_done:
                    break
    finally:
        if own_session:
            session.close()
    return report


def _deliver_chunk(lg_code, subscription_id, clock, session, report, max_events) -> bool:
    """One transaction: up to COMMIT_EVERY events. True when the run should stop."""
    with tenant_context(lg_code):
        sub = (
            Subscription.objects.select_for_update(skip_locked=True)
            .filter(id=subscription_id, active=True)
            .first()
        )
        if sub is None:
            return True  # gone, inactive, or another worker is on it
        now = clock()
        if sub.next_attempt_at and now < sub.next_attempt_at:
            report.failed, report.retry_at = True, sub.next_attempt_at
            return True
        client = ApiClient.objects.filter(id=sub.client_id, revoked_at__isnull=True).first()
        if client is None:
            sub.active = False
            sub.last_error = "APIクライアントが失効したため停止しました"
            sub.save(update_fields=["active", "last_error"])
            return True
        include_restricted = client.may_see_my_number()
        secret = crypto.decrypt(sub.secret_encrypted, context=_secret_context(lg_code))
        limit = min(COMMIT_EVERY, max_events - report.delivered - report.dead_lettered)
        page = feed.read(
            feed.Position(sub.cursor_position, sub.cursor_seq),
            type_prefixes=sub.type_prefixes,
            limit=limit,
            include_restricted=include_restricted,
        )
        sent_subjects: list[str] = []
        sent = 0
        stop = len(page.events) < limit
        for event, position in zip(page.events, page.positions, strict=True):
            now = clock()
            error = _post(session, sub.url, event, secret, now)
            if error is None:
                sub.cursor_position, sub.cursor_seq = position.position, position.seq
                sub.attempts, sub.next_attempt_at, sub.last_error = 0, None, ""
                sub.delivered_count += 1
                report.delivered += 1
                sent += 1
                if event["subject"]:
                    sent_subjects.append(event["subject"])
                continue
            sub.attempts += 1
            sub.last_error = error
            age = now - datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
            if age > timedelta(seconds=sub.max_age_seconds):
                DeadLetter.objects.create(
                    lg_code=lg_code,
                    subscription=sub,
                    event_id=position.seq,
                    attempts=sub.attempts,
                    last_error=error,
                )
                sub.cursor_position, sub.cursor_seq = position.position, position.seq
                sub.attempts, sub.next_attempt_at = 0, None
                report.dead_lettered += 1
                continue
            sub.next_attempt_at = now + timedelta(seconds=backoff(sub.attempts))
            report.failed, report.retry_at = True, sub.next_attempt_at
            stop = True
            break
        sub.save()
        if sent:  # every delivery is audited, with or without subjects
            record(
                Action.DELIVER,
                "event",
                subjects=sent_subjects,
                my_number_shown=include_restricted,
                detail={"channel": "webhook", "subscription": sub.id},
            )
        report.more = not stop
        return stop


def redeliver(dead_letter_ids: list[int] | None = None, *, subscription_id: int | None = None) -> int:
    """Send dead letters again now (inside the municipality's tenant_context); returns how many.

    Each is POSTed immediately; success marks it redelivered, failure leaves it in the list.
    """
    qs = DeadLetter.objects.filter(redelivered_at__isnull=True).select_related("subscription", "event")
    if dead_letter_ids is not None:
        qs = qs.filter(id__in=dead_letter_ids)
    if subscription_id is not None:
        qs = qs.filter(subscription_id=subscription_id)
    tenant = require_tenant()
    done = 0
    with _session() as session:
        for dead in qs.order_by("id"):
            sub = dead.subscription
            client = ApiClient.objects.filter(id=sub.client_id, revoked_at__isnull=True).first()
            if client is None:
                continue
            include = client.may_see_my_number()
            e = dead.event
            event = feed.cloud_event(
                tenant.lg_code,
                (e.seq, e.txid, e.event_id, e.type, e.source, e.subject, e.time, e.data),
                include_restricted=include,
            )
            secret = crypto.decrypt(sub.secret_encrypted, context=_secret_context(tenant.lg_code))
            now = timezone.now()
            error = _post(session, sub.url, event, secret, now)
            with transaction.atomic(using=tenant.alias):
                if error is None:
                    dead.redelivered_at = now
                    dead.save(update_fields=["redelivered_at"])
                    record(
                        Action.DELIVER,
                        "event",
                        subjects=[e.subject] if e.subject else [],
                        my_number_shown=include,
                        detail={"channel": "webhook-redelivery", "subscription": sub.id},
                    )
                    done += 1
                else:
                    dead.attempts += 1
                    dead.last_error = error
                    dead.save(update_fields=["attempts", "last_error"])
    return done
