"""連携 (Webhook) screen for administrators: subscriptions, their state, dead letters, redelivery.

Dead letters are events a subscriber did not accept before the subscription's maximum age;
an administrator sends them again once the receiving system is back (docs/reference/contract.md#http-events).
Redelivery goes through ``webhooks.redeliver``, so the screen applies the same rules as the
worker: the destination is checked again (``safeurl``) and an event the client may no longer
receive is not sent; each dead letter's last error says why it stayed.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from yakuba.platform.identity.models import ApiClient
from yakuba.platform.identity.roles import Role
from yakuba.platform.linkage import webhooks
from yakuba.platform.linkage.models import DeadLetter, Subscription
from yakuba.platform.ui.staff import staff_view


@require_http_methods(["GET"])
@staff_view(roles=[Role.ADMIN])
def webhook_list(request):
    subscriptions = list(Subscription.objects.order_by("id"))
    clients = dict(
        ApiClient.objects.using("default").filter(lg_code=request.lg_code).values_list("id", "name")
    )
    dead = {}
    for letter in (
        DeadLetter.objects.filter(redelivered_at__isnull=True).select_related("event").order_by("id")
    ):
        dead.setdefault(letter.subscription_id, []).append(letter)
    rows = [
        {"sub": s, "client": clients.get(s.client_id, "（失効）"), "dead": dead.get(s.id, [])}
        for s in subscriptions
    ]
    return TemplateResponse(request, "ui/webhooks.html", {"rows": rows, "title": "連携（Webhook）"})


@require_http_methods(["POST"])
@staff_view(roles=[Role.ADMIN])
def webhook_redeliver(request, subscription_id: int):
    if not Subscription.objects.filter(id=subscription_id).exists():
        messages.error(request, "その Webhook はありません")
        return redirect("ui:webhooks")
    waiting = DeadLetter.objects.filter(subscription_id=subscription_id, redelivered_at__isnull=True).count()
    done = webhooks.redeliver(subscription_id=subscription_id)
    if done == waiting:
        messages.success(request, f"{done} 件を再送しました")
    else:
        messages.error(
            request, f"{waiting} 件のうち {done} 件を再送しました。残りは「最後のエラー」を確認してください"
        )
    return redirect("ui:webhooks")
