"""Two clerks on the same household: the second gets a clear conflict, never a lost update."""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.db import connections

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS_2, days_ago, person
from tests.registry.test_move_rules import family
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.models import Household

pytestmark = pytest.mark.django_db(transaction=True)


def test_second_clerk_gets_409_while_the_first_is_still_working(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    locked, release = threading.Event(), threading.Event()

    def first_clerk():
        with tenant_context(AIZU):
            Household.objects.select_for_update().get(setai_no=setai)  # 異動 in progress
            locked.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=first_clerk)
    thread.start()
    try:
        assert locked.wait(10)
        response = registry.post(
            {
                "kind": "move_within",
                "move_date": days_ago(1),
                "household": {"setai_no": setai, "address": ADDRESS_2},
                "persons": [{"atena_no": a} for a in (taro, hanako, ichiro)],
            }
        )
        assert response.status_code == 409
        assert (
            response.json()["detail"]
            == "他の職員が同じ世帯または住民を処理中です。少し待ってからやり直してください"
        )
    finally:
        release.set()
        thread.join()
    # Once the first clerk is done, the same 異動 goes through.
    registry.move(
        {
            "kind": "move_within",
            "move_date": days_ago(1),
            "household": {"setai_no": setai, "address": ADDRESS_2},
            "persons": [{"atena_no": a} for a in (taro, hanako, ichiro)],
        }
    )


def test_same_my_number_filed_twice_at_once_gives_the_second_409(registry):
    """The second 転入 passes the uniqueness check before the first commits (it cannot see it),
    waits for the number counters, then meets the first's row in the unique index: a clear
    conflict, nothing of it written, and the first 転入 stands."""
    from yakuba.platform.audit.log import Actor, bind_actor
    from yakuba.registry import services
    from yakuba.registry.models import Resident

    holding, release = threading.Event(), threading.Event()
    body = {
        "kind": "move_in",
        "move_date": days_ago(1),
        "origin": "domestic",
        "household": {"address": ADDRESS_2},
        "persons": [person(my_number="123456789018")],
    }

    def first_clerk():
        with bind_actor(Actor("staff", "counter-1")), tenant_context(AIZU):
            services.apply_move(json.loads(json.dumps(body)))
            holding.set()
            release.wait(10)  # filed, not yet committed
        connections.close_all()

    responses = []

    def second_clerk():
        responses.append(registry.post(body))
        connections.close_all()

    first = threading.Thread(target=first_clerk)
    second = threading.Thread(target=second_clerk)
    first.start()
    try:
        assert holding.wait(10)
        second.start()
        time.sleep(0.5)  # the second is past its checks, waiting for the counters
        assert second.is_alive()
    finally:
        release.set()
        first.join()
    second.join(10)
    assert responses[0].status_code == 409
    assert responses[0].json()["detail"] == "同時に行われた別の異動と番号が重複しました。やり直してください"
    with tenant_context(AIZU):
        assert list(Resident.objects.values_list("name", flat=True)) == ["青木 太郎"]
