"""Two clerks on the same household: the second gets a clear conflict, never a lost update."""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.db import connections

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS_2, days_ago, move_body, move_in_body, person
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
            move_body(
                "move_within",
                [{"atena_no": a} for a in (taro, hanako, ichiro)],
                household={"setai_no": setai, "address": ADDRESS_2},
            )
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
        move_body(
            "move_within",
            [{"atena_no": a} for a in (taro, hanako, ichiro)],
            household={"setai_no": setai, "address": ADDRESS_2},
        )
    )


def test_same_my_number_filed_twice_at_once_gives_the_second_409(registry):
    """The second 転入 passes the uniqueness check before the first commits (it cannot see it),
    waits for the number counters, then meets the first's row in the unique index: a clear
    conflict, nothing of it written, and the first 転入 stands."""
    from yakuba.platform.audit.log import Actor, bind_actor
    from yakuba.registry import services
    from yakuba.registry.models import Resident

    holding, release = threading.Event(), threading.Event()
    body = move_in_body(person(my_number="123456789018"), address=ADDRESS_2)

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


def _hold(statement: str, params: list) -> tuple[threading.Event, threading.Event, threading.Thread]:
    """Another clerk's transaction holding the rows ``statement`` locks until released."""
    holding, release = threading.Event(), threading.Event()

    def other_clerk():
        with tenant_context(AIZU), connections["default"].cursor() as cursor:
            cursor.execute(statement, params)
            holding.set()
            release.wait(20)
        connections.close_all()

    thread = threading.Thread(target=other_clerk)
    thread.start()
    assert holding.wait(10)
    return holding, release, thread


def test_checking_a_move_takes_no_lock_and_no_number(registry, aizu):
    """The htmx field check runs every rule but locks nothing and issues no number: while a
    colleague holds the household and the number counters, it answers at once, with no 409
    (a false 「他の職員が…処理中です」 came from the check taking the same locks as a write)."""
    from tests.registry.ui.test_screens import staff_client, wareki_short
    from yakuba.registry import services
    from yakuba.registry.models import NumberCounter

    setai, (taro, hanako, ichiro) = family(registry)
    counter = staff_client("madoguchi", ["counter"])
    with tenant_context(AIZU):
        counters = dict(NumberCounter.objects.values_list("kind", "last"))
    moving = move_body(
        "move_within",
        [{"atena_no": a} for a in (taro, hanako, ichiro)],
        household={"setai_no": setai, "address": ADDRESS_2},
    )
    _holding, release, thread = _hold(
        "SELECT 1 FROM registry_household WHERE setai_no = %s FOR UPDATE;"
        " UPDATE registry_number_counter SET last = last",
        [setai],
    )
    try:
        started = time.monotonic()
        with tenant_context(AIZU):
            assert services.check_move(moving) == []
            alone = {**moving, "household": {"setai_no": None, "address": ADDRESS_2}}
            assert services.check_move(
                {**alone, "persons": [{"atena_no": taro, "relationship": "世帯主"}]}
            ) == [
                (
                    "household.new_head",
                    "世帯主が世帯を離れるため、残る世帯員から新しい世帯主を指定してください",
                )
            ]
            newcomer = {
                "kind": "move_in",
                "move_date": days_ago(1),
                "origin": "domestic",
                "household": {"setai_no": None, "address": ADDRESS_2},
                "persons": [
                    person("佐藤 一", "サトウ ハジメ", previous_address="東京都千代田区千代田1番1号")
                ],
            }
            assert services.check_move(newcomer) == []
        response = counter.post(
            f"/registry/moves/new/death/validate/?setai_no={setai}",
            {
                "source_setai_no": setai,
                "move_date": wareki_short(days_ago(1)),
                "persons[0].atena_no": ichiro,
            },
            HTTP_HX_REQUEST="true",
            HTTP_HX_TRIGGER_NAME="move_date",
        )
        assert response.status_code == 200 and "処理中" not in response.content.decode()
        assert time.monotonic() - started < 5  # nothing waited for the colleague's locks
        with pytest.raises(services.Conflict), tenant_context(AIZU):
            services.apply_move(moving)  # the write itself still refuses to overwrite
    finally:
        release.set()
        thread.join()
    with tenant_context(AIZU):
        assert dict(NumberCounter.objects.values_list("kind", "last")) == counters


def test_checking_a_move_against_a_changed_household_answers_a_message(registry, aizu):
    """An htmx check that arrives after its own form was submitted carries the version read
    before the 異動: the check answers the message (a 500 on the screen came from raising it),
    while the write still refuses with 409."""
    from yakuba.registry import services

    setai, members = family(registry)
    with tenant_context(AIZU):
        stale = services.household(setai).version - 1
    moving = move_body(
        "move_within",
        [{"atena_no": a} for a in members],
        household={"setai_no": setai, "address": ADDRESS_2, "version": stale},
    )
    with tenant_context(AIZU):
        assert services.check_move(moving) == [
            (
                "household.version",
                "他の職員が先にこの世帯を更新しました。画面を開き直して内容を確認してください",
            )
        ]
        with pytest.raises(services.Conflict):
            services.apply_move(moving)
