"""The feed, both ways (it serves committed events only, hence transactional tests): the 受給者's
死亡 read from it ends the 認定 with the month of death; the app's own events about a 受給者 under
支援措置 reach only clients that may see protected persons."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tests.child_support_allowance import town
from tests.child_support_allowance.test_flow import FULL, paid
from tests.conftest import AIZU
from tests.registry.conftest import move_body, registry  # noqa: F401 - the fixture
from yakuba.child_support_allowance.codes import EndReason, Status
from yakuba.child_support_allowance.events import ENDED, REVISED
from yakuba.child_support_allowance.models import Determination, Entitlement
from yakuba.child_support_allowance.services import entitlement, follow, payments
from yakuba.platform.linkage import feed
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry_door

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def certified(aizu, system_actor):
    town.build()
    parent, kids = town.families(1)[0]
    with tenant_context(AIZU):
        return [(entitlement.apply_claim(town.claim(parent, kids, **FULL)), kids)]


def test_a_death_in_the_registry_ends_the_allowance_with_that_month(certified, registry):  # noqa: F811
    ((a, kids),) = certified
    with tenant_context(AIZU):
        setai_no = registry_door.get_resident(a.claimant_atena_no).setai_no
        others = registry_door.household_members(setai_no) - {a.claimant_atena_no, kids[0]}
    household = {"new_head": kids[0], "relationships": dict.fromkeys(others, "縁故者")}
    registry.move(
        move_body("death", [{"atena_no": a.claimant_atena_no}], household=household, move_date="2025-08-15")
    )
    done = follow(AIZU)
    assert done.changes == 1
    with tenant_context(AIZU):
        row = Entitlement.objects.get(id=a.id)
        event = Event.objects.get(type=ENDED)
    assert (row.status, row.end_reason, row.last_month) == (Status.ENDED, EndReason.DEATH, date(2025, 8, 1))
    assert event.data["last_month"] == "2025-08"
    assert follow(AIZU).changes == 0  # read again: nothing more
    payments.pay(AIZU, date(2025, 9, 1))
    payments.pay(AIZU, date(2025, 11, 1))
    assert [m for m, _y in paid(date(2025, 9, 1))[a.claimant_atena_no]] == ["2025-07", "2025-08"]
    assert a.claimant_atena_no not in paid(date(2025, 11, 1))


def test_a_protected_recipients_events_reach_only_clients_that_see_protected_persons(aizu, system_actor):
    """The feed guard (apps.py): an 認定 of a 受給者 under 支援措置 is withheld from a client without
    ``registry:protected`` — the 児童扶養手当 often exists because of the DV that the 支援措置 hides."""
    town.build()
    parent, kids = town.families(1)[0]
    with tenant_context(AIZU):
        registry_door.set_measure(parent, starts_on=timezone.localdate(), kind="dv")
    with tenant_context(AIZU):
        entitlement.apply_claim(
            town.claim(parent, kids, **FULL), visibility=registry_door.Visibility(protected=True)
        )

    def subjects(*scopes: str) -> list[str]:
        with tenant_context(AIZU):
            page = feed.read(
                "",
                type_prefixes=["jp.yakuba.child_support_allowance."],
                audience=feed.Audience(frozenset(scopes)),
            )
        return [e["subject"] for e in page.events]

    assert subjects("events:read") == []
    assert subjects("events:read", "registry:protected") == [parent]


def test_a_child_moving_out_lowers_the_amount_from_the_next_month(certified, registry):  # noqa: F811
    ((a, kids),) = certified
    leaving = kids[-1]
    registry.move(
        move_body(
            "move_out",
            [{"atena_no": leaving}],
            move_date="2025-08-10",
            destination="domestic",
            destination_address="東京都千代田区千代田1番1号",
        )
    )
    assert follow(AIZU).changes == 1
    with tenant_context(AIZU):
        versions = list(
            Determination.objects.filter(entitlement_id=a.id, benefit_year=2024).order_by("version")
        )
        periods = [
            (p.from_month, p.until_month, len(p.per_child))
            for p in versions[-1].periods.order_by("from_month")
        ]
        event = Event.objects.get(type=REVISED)
    assert [v.reason for v in versions] == ["certified", "revised"]
    assert periods == [
        (date(2025, 7, 1), date(2025, 8, 1), len(kids)),
        (date(2025, 9, 1), date(2025, 10, 1), len(kids) - 1),
    ]
    assert event.data["monthly"][1][0] == "2025-09"
    assert follow(AIZU).changes == 0
