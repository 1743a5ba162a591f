"""児童手当 driven by the registry's events: 出生 and 転入 raise work items with the 15日特例's
deadline, closed by the 請求; the 額改定認定請求 raises the amount; a child's death lowers it; the
受給者's 転出 ends it with the 転出予定日's month — each through the real registry API and feed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.child_allowance.conftest import claim_body
from tests.conftest import AIZU
from tests.registry.conftest import TODAY, days_ago, move_body, person, registry  # noqa: F401 (fixture)
from yakuba.child_allowance import services as allowance
from yakuba.child_allowance.codes import WorkKind
from yakuba.child_allowance.events import AMOUNT_REVISED, ENDED
from yakuba.child_allowance.models import AmountPeriod, Entitlement, WorkItem
from yakuba.child_allowance.services.timing import first_month, month_of, next_month
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry_door

pytestmark = pytest.mark.django_db(transaction=True)
SEE = registry_door.Visibility()


def items() -> list[tuple]:
    with tenant_context(AIZU):
        return list(
            WorkItem.objects.order_by("id").values_list(
                "kind", "atena_no", "event", "event_date", "deadline", "status"
            )
        )


def test_moves_births_and_the_claimants_move_out(registry, system_actor):  # noqa: F811
    moved = days_ago(10)
    filed = registry.move_in(
        person("手当 次郎", "テアテ ジロウ", "1984-01-10", 1, "世帯主"),
        person("手当 桃子", "テアテ モモコ", "1986-03-03", 2, "妻"),
        person("手当 長男", "テアテ チョウナン", "2014-04-10", 1, "子"),
        person("手当 長女", "テアテ チョウジョ", "2018-08-08", 2, "子"),
        move_date=moved,
    )
    head, _wife, son, daughter = (p["atena_no"] for p in filed["persons"])
    allowance.follow.follow(AIZU)
    # one 認定請求 item for the 世帯's 転入, its deadline 15 days from the day after
    moved_on = date.fromisoformat(moved)
    assert items() == [("claim", son, "moved-in", moved_on, moved_on + timedelta(days=15), "open")]

    with tenant_context(AIZU):
        claimed = allowance.ClaimIn.model_validate(claim_body(head, TODAY))
        done = allowance.certification.certify(claimed, visibility=SEE)
    assert items()[0][-1] == "done"
    start = next_month(TODAY)

    born = days_ago(2)
    baby = registry.move(
        move_body(
            "birth",
            [person("手当 三郎", "テアテ サブロウ", born, 1, "子", previous_address="")],
            household={"setai_no": filed["setai_no"]},
            move_date=born,
        )
    )["persons"][0]["atena_no"]
    with CaptureQueriesContext(connections["default"]) as queries:
        allowance.follow.follow(AIZU)
    assert len(queries) < 40  # a page: a fixed number of statements
    born_on = date.fromisoformat(born)
    assert items()[1] == ("revision", baby, "born", born_on, born_on + timedelta(days=15), "open")

    with tenant_context(AIZU):
        revision = allowance.RevisionIn.model_validate(
            {"claimant_atena_no": head, "child": {"atena_no": baby}, "claimed_on": TODAY.isoformat()}
        )
        period = allowance.revision.apply_revision(revision, visibility=SEE)
        # the birth is the 15日特例's event: from the month after it (here the 認定's first month)
        assert period.from_month == max(first_month(TODAY, born_on), start)
        # 第3子 under 3: 30,000 (facts §6); 10,000 + 10,000 before
        assert [c["monthly"] for c in period.children] == [10000, 10000, 30000]
        assert period.monthly_total == 50000
        # The first month is not yet past: its period is replaced (one period), announced.
        assert AmountPeriod.objects.filter(entitlement_id=done.entitlement_id).count() == 1
        assert Event.objects.get(type=AMOUNT_REVISED).data["previous_total"] == 20000
    assert items()[1][-1] == "done"

    # The 受給者 moves out: paid through the month of the 転出予定日.
    planned = days_ago(1)
    registry.move(
        move_body(
            "move_out",
            [{"atena_no": head}],
            household={"new_head": _wife, "relationships": {son: "子", daughter: "子", baby: "子"}},
            move_date=planned,
            destination="domestic",
            destination_address="東京都千代田区千代田1番1号",
        )
    )
    allowance.follow.follow(AIZU)
    with tenant_context(AIZU):
        entitlement = Entitlement.objects.get(id=done.entitlement_id)
        assert (entitlement.status, entitlement.end_reason) == ("ended", "move_out")
        assert entitlement.last_month == month_of(date.fromisoformat(planned))
        assert Event.objects.get(type=ENDED).data["last_month"] == planned[:7]
        # It ends before its first month (next month): nothing was ever payable.
        assert entitlement.last_month < entitlement.first_month == start
        assert [allowance.lookup.payable(entitlement.id, m) for m in (entitlement.last_month, start)] == [
            0,
            0,
        ]
    # The children are free to be counted by the other parent now.
    with tenant_context(AIZU):
        plan = allowance.certification.check_claim(
            allowance.ClaimIn.model_validate(claim_body(_wife, TODAY)),
            visibility=SEE,
        )
    assert {c.counted.atena_no for c in plan.children} == {son, daughter, baby}
    assert WorkKind.CLAIM in {i[0] for i in items()}
