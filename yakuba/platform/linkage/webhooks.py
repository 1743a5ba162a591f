"""Webhook delivery: the feed, followed on a subscriber's behalf, pushed over HTTP.

Each subscription keeps a cursor in the feed. A delivery run locks the subscription row (so
two workers never deliver the same subscription at once), POSTs the events after the cursor
one by one, and commits the cursor every ``COMMIT_EVERY`` events: a worker killed mid-batch
loses nothing — the uncommitted events are sent again (at-least-once; the ``X-Yakuba-Event-Id``
header and the CloudEvent ``id`` let receivers drop duplicates).

A failing event is retried with exponential backoff (``BACKOFF_BASE`` doubling up to
``BACKOFF_MAX``) while it is younger than the subscription's maximum age; older, it goes to the
dead-letter list (redeliverable from the staff UI, CLI and API) and the queue moves on.

What each client receives is decided per event by ``feed.Audience`` (個人番号, persons under
支援措置): a withheld event is skipped — the cursor moves past it, it is neither retried nor
audited as delivered.

Destinations are checked when subscribed and again, resolved afresh, before each chunk and each
redelivery (``safeurl``: no loopback, link-local or private address unless the operator allowed
it), and the connection goes to the address that was checked. A client's subscriptions are
delivered together by ``deliver_client``, which the worker runs at most once per client at a
time (``tasks.py``), so one client's hanging receivers hold one worker slot, not all of them.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import urllib3
from django.db import connections, transaction
from django.utils import timezone

from yakuba.platform import crypto
from yakuba.platform.audit.log import Action, Actor, bind_actor, record
from yakuba.platform.audit.models import ActorType
from yakuba.platform.identity.models import ApiClient
from yakuba.platform.linkage import feed, safeurl
from yakuba.platform.linkage.models import DeadLetter, Subscription
from yakuba.platform.tenancy.context import require_tenant, tenant_context

BACKOFF_BASE = 5.0  # seconds
BACKOFF_MAX = 600.0
COMMIT_EVERY = 50
MAX_PER_CLIENT = 20  # active subscriptions of one client (issue 10, finding 9)
RUN_SECONDS = 10.0  # a client's delivery run then yields its worker slot (tasks.py)
SIGNATURE_HEADER = "X-Yakuba-Signature"
EVENT_ID_HEADER = "X-Yakuba-Event-Id"
_TYPE_PREFIX = re.compile(r"^[a-z0-9.\-]{1,120}$")


class SubscriptionError(ValueError):
    def __init__(self, message: str, field: str | None):
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
    try:
        safeurl.check(url)
    except safeurl.UnsafeUrl as exc:
        raise SubscriptionError(str(exc), "url") from None
    bad = [t for t in types if not _TYPE_PREFIX.match(t)]
    if bad:
        raise SubscriptionError(f"イベント種別の指定が不正です: {', '.join(bad)}", "types")
    with connections[tenant.alias].cursor() as cursor:
        # Two simultaneous requests of one client must not both pass the count below.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"webhook:{tenant.lg_code}:{client_id}"]
        )
    if Subscription.objects.filter(client_id=client_id, active=True).count() >= MAX_PER_CLIENT:
        raise SubscriptionError(
            f"1つのクライアントに登録できる Webhook は {MAX_PER_CLIENT} 件までです（不要なものを停止してください）",
            None,
        )
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

    def add(self, other: DeliveryReport) -> None:
        self.delivered += other.delivered
        self.dead_lettered += other.dead_lettered
        self.failed = self.failed or other.failed
        if other.retry_at is not None:
            self.retry_at = min(self.retry_at or other.retry_at, other.retry_at)


def _target(url: str) -> safeurl.Target | str:
    """The destination, resolved and checked now (DNS rebinding), or why it may not be used."""
    try:
        return safeurl.check(url)
    except safeurl.UnsafeUrl as exc:
        return f"送信先が許可されていません: {exc}"


def _post(
    transport: safeurl.Transport, target: safeurl.Target | str, event: dict, secret: str, now: datetime
) -> str | None:
    """POST one event; None on 2xx, else a short error text."""
    if isinstance(target, str):
        return target
    body = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/cloudevents+json; charset=utf-8",
        EVENT_ID_HEADER: event["id"],
        SIGNATURE_HEADER: sign(secret, body, int(now.timestamp())),
        "User-Agent": "Yakuba-Webhook/1",
    }
    try:
        status = transport.post(target, body, headers)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    if 200 <= status < 300:
        return None
    return f"HTTP {status}"


def deliver(
    lg_code: str,
    subscription_id: int,
    *,
    clock: Callable[[], datetime] = timezone.now,
    transport: safeurl.Transport | None = None,
    max_events: int = 1000,
) -> DeliveryReport:
    """Deliver what is due for one subscription; safe to call from any number of workers."""
    report = DeliveryReport()
    with contextlib.ExitStack() as stack:
        transport = transport or stack.enter_context(safeurl.Transport())
        with bind_actor(Actor(ActorType.SYSTEM, f"webhook:{subscription_id}")):
            while report.delivered + report.dead_lettered < max_events:
                chunk_done = _deliver_chunk(lg_code, subscription_id, clock, transport, report, max_events)
                if chunk_done:
                    break
    return report


def deliver_client(
    lg_code: str,
    client_id: int,
    *,
    clock: Callable[[], datetime] = timezone.now,
    max_events: int = 1000,
    max_seconds: float = RUN_SECONDS,
) -> DeliveryReport:
    """Deliver what is due for every subscription of one client: a chunk of each in turn, those
    without failures first, until nothing is due or ``max_events``/``max_seconds`` are used up
    (then ``more``: the worker queues the next run behind the other clients' jobs). ``retry_at``
    is the earliest retry any of them waits for.
    """
    with tenant_context(lg_code):
        pending = list(
            Subscription.objects.filter(client_id=client_id, active=True)
            .order_by("attempts", "id")
            .values_list("id", flat=True)
        )
    total = DeliveryReport()
    deadline = time.monotonic() + max_seconds
    with safeurl.Transport() as transport:
        while pending:
            for subscription_id in list(pending):
                if total.delivered + total.dead_lettered >= max_events or time.monotonic() >= deadline:
                    total.more = True
                    return total
                report = deliver(
                    lg_code, subscription_id, clock=clock, transport=transport, max_events=COMMIT_EVERY
                )
                total.add(report)
                if not report.more:
                    pending.remove(subscription_id)
    return total


def _deliver_chunk(lg_code, subscription_id, clock, transport, report, max_events) -> bool:
    """One transaction: up to COMMIT_EVERY feed rows. True when the run should stop."""
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
        audience = feed.Audience.of(client)
        secret = crypto.decrypt(sub.secret_encrypted, context=_secret_context(lg_code))
        limit = min(COMMIT_EVERY, max_events - report.delivered - report.dead_lettered)
        page = feed.read(
            feed.Position(sub.cursor_position, sub.cursor_seq),
            type_prefixes=sub.type_prefixes,
            limit=limit,
            audience=audience,
        )
        target = _target(sub.url) if page.events else None  # resolved only when there is something to send
        sent_subjects: list[str] = []
        sent = 0
        failed = False
        for event, position in zip(page.events, page.positions, strict=True):
            now = clock()
            error = _post(transport, target, event, secret, now)
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
            failed = True
            break
        if not failed:  # past the events withheld from this client too
            past = feed.parse_cursor(page.next)
            sub.cursor_position, sub.cursor_seq = past.position, past.seq
        sub.save()
        if sent:  # every delivery is audited, with or without subjects
            record(
                Action.DELIVER,
                "event",
                subjects=sent_subjects,
                my_number_shown=audience.my_number,
                detail={"channel": "webhook", "subscription": sub.id},
            )
        stop = failed or page.scanned < limit
        report.more = not stop
        return stop


WITHHELD = "このクライアントには現在送信できないイベントです（支援措置の対象者に関するもの）"


def redeliver(dead_letter_ids: list[int] | None = None, *, subscription_id: int | None = None) -> int:
    """Send dead letters again now (inside the municipality's tenant_context); returns how many.

    Each is POSTed immediately; success marks it redelivered, failure leaves it in the list. The
    audience is decided now: an event the client may no longer receive (its person came under
    支援措置 meanwhile) is not sent and stays in the list with the reason.
    """
    qs = DeadLetter.objects.filter(redelivered_at__isnull=True).select_related("subscription", "event")
    if dead_letter_ids is not None:
        qs = qs.filter(id__in=dead_letter_ids)
    if subscription_id is not None:
        qs = qs.filter(subscription_id=subscription_id)
    tenant = require_tenant()
    targets: dict[int, safeurl.Target | str] = {}
    done = 0
    with safeurl.Transport() as transport:
        for dead in qs.order_by("id"):
            sub = dead.subscription
            client = ApiClient.objects.filter(id=sub.client_id, revoked_at__isnull=True).first()
            if client is None:
                continue
            audience = feed.Audience.of(client)
            e = dead.event
            row = (e.seq, 0, e.event_id, e.type, e.source, e.subject, e.time, e.data)
            allowed = feed.deliverable(tenant.lg_code, [row], audience)
            event = allowed[0][1] if allowed else None
            now = timezone.now()
            if event is None:
                error = WITHHELD
            else:
                secret = crypto.decrypt(sub.secret_encrypted, context=_secret_context(tenant.lg_code))
                if sub.id not in targets:
                    targets[sub.id] = _target(sub.url)
                error = _post(transport, targets[sub.id], event, secret, now)
            with transaction.atomic(using=tenant.alias):
                if error is None:
                    dead.redelivered_at = now
                    dead.save(update_fields=["redelivered_at"])
                    record(
                        Action.DELIVER,
                        "event",
                        subjects=[e.subject] if e.subject else [],
                        my_number_shown=audience.my_number,
                        detail={"channel": "webhook-redelivery", "subscription": sub.id},
                    )
                    done += 1
                else:
                    if event is not None:  # a withheld event was not attempted
                        dead.attempts += 1
                    dead.last_error = error
                    dead.save(update_fields=["attempts", "last_error"])
    return done
