"""Linkage endpoints: the pull feed and webhook subscriptions of the calling client."""

from datetime import datetime
from typing import Annotated, Any

from ninja import Query, Router, Schema
from pydantic import Field, StringConstraints

from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem
from yakuba.platform.audit.log import Action, record
from yakuba.platform.linkage import feed, webhooks
from yakuba.platform.linkage.models import DeadLetter, Subscription

router = Router(tags=["linkage"])


class CloudEventOut(Schema):
    specversion: str
    id: str
    source: str
    type: str
    subject: str
    time: str
    datacontenttype: str
    lgcode: str
    data: dict[str, Any]


class FeedOut(Schema):
    events: list[CloudEventOut]
    next: str = Field(description="次回の after に渡すカーソル（新しいイベントがなくても常に返る）")


@router.get(
    "events", response={200: FeedOut, **ERRORS}, summary="イベントフィード（PULL型、古い順、少なくとも1回）"
)
@tenant_endpoint("events:read")
def events(
    request,
    lg_code: str = LG_CODE,
    after: str = Query("", pattern=r"^(\d{1,19}\.\d{1,19})?$", description="前回の next（省略時は最初から）"),
    type: str = Query("", max_length=120, pattern=r"^[a-z0-9.\-]*$", description="イベント種別の前方一致"),
    limit: int = Query(100, ge=1, le=feed.MAX_LIMIT),
):
    audience = feed.Audience.of(request.auth)
    try:
        page = feed.read(after, type_prefixes=[type], limit=limit, audience=audience)
    except feed.BadCursor as exc:
        raise ApiProblem(422, str(exc), errors=[{"field": "after", "message": str(exc)}]) from None
    if page.events:
        record(
            Action.DELIVER,
            "event",
            subjects=page.subjects,
            my_number_shown=audience.my_number,
            detail={"channel": "feed", "count": len(page.events), "next": page.next},
        )
    return {"events": page.events, "next": page.next}


# Deliberately a pattern rather than pydantic's URL type: the schema says exactly which spellings
# are read. Whether the destination may be used (https, a global address, the operator's allow
# list, how many the client has) is decided by ``webhooks.subscribe``: 422 naming the field.
WebhookUrl = Annotated[
    str, StringConstraints(pattern=r"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[!-~]*)?$", max_length=2000)
]
TypePrefix = Annotated[str, StringConstraints(pattern=r"^[a-z0-9.\-]{1,120}$")]


class SubscriptionIn(Schema):
    url: WebhookUrl = Field(description="送信先（https。内部向けのアドレスは運用者が許可したものに限る）")
    types: list[TypePrefix] = Field(
        default_factory=list, max_length=50, description="イベント種別の前方一致（空なら全種別）"
    )
    max_age_seconds: int = Field(24 * 3600, ge=60, le=30 * 24 * 3600)


class SubscriptionOut(Schema):
    id: int
    url: str
    types: list[str]
    max_age_seconds: int
    active: bool
    created_at: datetime
    cursor: str
    delivered_count: int
    attempts: int
    last_error: str
    dead_letters: int


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="署名用シークレット（この応答でのみ表示）")


def _out(sub: Subscription, **extra) -> dict:
    return {
        "id": sub.id,
        "url": sub.url,
        "types": sub.type_prefixes,
        "max_age_seconds": sub.max_age_seconds,
        "active": sub.active,
        "created_at": sub.created_at,
        "cursor": f"{sub.cursor_position}.{sub.cursor_seq}",
        "delivered_count": sub.delivered_count,
        "attempts": sub.attempts,
        "last_error": sub.last_error,
        "dead_letters": sub.dead_letters.filter(redelivered_at__isnull=True).count(),
        **extra,
    }


@router.post("webhooks", response={201: SubscriptionCreated, **ERRORS}, summary="Webhook を登録する")
@tenant_endpoint("events:read")
def create_subscription(request, payload: SubscriptionIn, lg_code: str = LG_CODE):
    try:
        sub, secret = webhooks.subscribe(request.auth.id, payload.url, payload.types, payload.max_age_seconds)
    except webhooks.SubscriptionError as exc:
        errors = [{"field": exc.field, "message": str(exc)}] if exc.field else None
        raise ApiProblem(422, str(exc), errors=errors) from None
    return 201, _out(sub, secret=secret)


@router.get("webhooks", response={200: list[SubscriptionOut], **ERRORS}, summary="このクライアントの Webhook")
@tenant_endpoint("events:read")
def list_subscriptions(request, lg_code: str = LG_CODE):
    return [_out(s) for s in Subscription.objects.filter(client_id=request.auth.id).order_by("id")]


@router.delete("webhooks/{subscription_id}", response={204: None, **ERRORS}, summary="Webhook を停止する")
@tenant_endpoint("events:read")
def delete_subscription(request, subscription_id: int, lg_code: str = LG_CODE):
    updated = Subscription.objects.filter(id=subscription_id, client_id=request.auth.id, active=True).update(
        active=False
    )
    if not updated:
        raise ApiProblem(404, "この URL にはリソースがありません")
    return 204, None


class DeadLetterOut(Schema):
    id: int
    event_id: str
    type: str
    subject: str
    attempts: int
    last_error: str
    dead_at: datetime


@router.get(
    "webhooks/{subscription_id}/dead-letters",
    response={200: list[DeadLetterOut], **ERRORS},
    summary="配信できなかったイベント",
)
@tenant_endpoint("events:read")
def dead_letters(request, subscription_id: int, lg_code: str = LG_CODE):
    sub = Subscription.objects.filter(id=subscription_id, client_id=request.auth.id).first()
    if sub is None:
        raise ApiProblem(404, "この URL にはリソースがありません")
    rows = DeadLetter.objects.filter(subscription=sub, redelivered_at__isnull=True).select_related("event")
    return [
        {
            "id": d.id,
            "event_id": str(d.event.event_id),
            "type": d.event.type,
            "subject": d.event.subject,
            "attempts": d.attempts,
            "last_error": d.last_error,
            "dead_at": d.dead_at,
        }
        for d in rows.order_by("id")
    ]


class RedeliveryOut(Schema):
    redelivered: int = Field(description="再送に成功した件数（失敗したものは一覧に残る）")


@router.post(
    "webhooks/{subscription_id}/dead-letters/redeliver",
    response={200: RedeliveryOut, **ERRORS},
    summary="配信できなかったイベントを再送する",
)
@tenant_endpoint("events:read")
def redeliver_dead_letters(request, subscription_id: int, lg_code: str = LG_CODE):
    if not Subscription.objects.filter(id=subscription_id, client_id=request.auth.id).exists():
        raise ApiProblem(404, "この URL にはリソースがありません")
    return {"redelivered": webhooks.redeliver(subscription_id=subscription_id)}
