"""Outbox events, webhook subscriptions, their dead letters."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Func

from yakuba.platform.ids import uuid7
from yakuba.platform.tenancy.models import TenantModel


class Xid8Field(models.Field):
    """PostgreSQL ``xid8`` (64-bit transaction id); kept as text in Python."""

    def db_type(self, connection):
        return "xid8"

    def from_db_value(self, value, expression, connection):
        return None if value is None else str(value)


class Event(TenantModel):
    """One CloudEvents 1.0 event, written in the same transaction as the change it describes.

    ``txid`` is the writing transaction's id; at commit, the transaction gets a position in
    the municipality's commit log (``Commit``), and the feed orders by (position, seq).
    """

    seq = models.BigAutoField(primary_key=True)
    event_id = models.UUIDField(default=uuid7, editable=False)
    txid = Xid8Field(db_default=Func(function="pg_current_xact_id"), editable=False)
    type = models.CharField(max_length=120)
    source = models.CharField(max_length=120)
    subject = models.CharField(max_length=40, blank=True, default="")
    time = models.DateTimeField()
    data = models.JSONField(default=dict)

    class Meta:
        db_table = "linkage_event"
        indexes = [models.Index(fields=["lg_code", "txid", "seq"], name="linkage_event_feed")]
        constraints = [models.UniqueConstraint(fields=["lg_code", "event_id"], name="linkage_event_id")]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class Commit(TenantModel):
    """Commit log: one row per committed transaction that emitted events, numbered in commit order.

    Written by a deferred constraint trigger at COMMIT under a per-municipality lock held until
    the commit completes, so a transaction that commits later always has a higher position
    (positions come from one sequence: gaps, never reordering). The pull feed therefore never skips an event, however transactions
    interleave, and never waits for unrelated transactions (see ``feed.py``).
    """

    position = models.BigIntegerField()
    txid = Xid8Field()
    committed_at = models.DateTimeField()

    class Meta:
        db_table = "linkage_commit"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "position"], name="linkage_commit_position"),
            models.UniqueConstraint(fields=["lg_code", "txid"], name="linkage_commit_txid"),
        ]

    def __str__(self) -> str:
        return f"{self.lg_code}#{self.position}"


class Subscription(TenantModel):
    """A client app's webhook: which event types to send where, and how far it has got.

    ``cursor_position``/``cursor_seq`` is the feed position of the last event delivered (or
    dead-lettered); delivery is the feed followed by the platform on the client's behalf.
    """

    client_id = models.BigIntegerField("APIクライアント")
    url = models.TextField("送信先URL")
    type_prefixes = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    secret_encrypted = models.TextField()
    max_age_seconds = models.PositiveIntegerField("最大保持秒数", default=24 * 3600)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cursor_position = models.BigIntegerField(default=0)
    cursor_seq = models.BigIntegerField(default=0)
    # Retry state of the event at the head of the queue.
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    delivered_count = models.BigIntegerField(default=0)

    class Meta:
        db_table = "linkage_subscription"

    def __str__(self) -> str:
        return f"{self.lg_code} → {self.url}"


class DeadLetter(TenantModel):
    """An event a subscriber did not accept before its maximum age: kept for redelivery."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="dead_letters")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="+")
    attempts = models.PositiveIntegerField()
    last_error = models.TextField()
    dead_at = models.DateTimeField(auto_now_add=True)
    redelivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "linkage_dead_letter"
        indexes = [
            models.Index(fields=["lg_code", "subscription", "redelivered_at"], name="linkage_dead_open")
        ]

    def __str__(self) -> str:
        return f"dead {self.event_id} for {self.subscription_id}"


class LinkageFile(TenantModel):
    """A 全件/差分 file written for file linkage (its manifest lies beside it)."""

    domain = models.CharField(max_length=40)
    kind = models.CharField(max_length=4)  # full | diff
    period_from = models.DateTimeField(null=True, blank=True)
    period_to = models.DateTimeField()
    rows = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    path = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "linkage_file"
        indexes = [models.Index(fields=["lg_code", "domain", "period_to"], name="linkage_file_period")]

    def __str__(self) -> str:
        return self.path
