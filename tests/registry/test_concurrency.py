"""Two clerks on the same household: the second gets a clear conflict, never a lost update."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS_2, days_ago
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
