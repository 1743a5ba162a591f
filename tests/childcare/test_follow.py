"""The registry's 転出 of a child in care, through the real registry API and feed: the 保育
consumer ends the 認定 on the day (a new version), the 利用者負担 from the next month (a 決定 of
0円), and leaves the clerk a work item; following again changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import AIZU
from tests.registry.conftest import TODAY, days_ago, move_body
from tests.registry.ui.test_screens import staff_client
from yakuba.childcare import services
from yakuba.childcare.events import CERTIFIED, FEE_DECIDED
from yakuba.childcare.models import Certification, FeeDetermination, WorkItem
from yakuba.childcare.rules.ages import fiscal_year_of, next_month
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.tax.services import assessment

pytestmark = pytest.mark.django_db(transaction=True)
YEAR = fiscal_year_of(TODAY.year, TODAY.month)


def _past_day() -> str:
    """A past day of this 年度 before its last month (months of 利用者負担 remain after it)."""
    return max(min(TODAY - timedelta(days=1), date(YEAR + 1, 2, 15)), date(YEAR, 4, 1)).isoformat()


@pytest.fixture
def in_care(family):
    """次郎 (2号 this 年度) with a 決定 of every month of the 年度 on the 当初課税 of its taxes."""
    for year in (YEAR - 1, YEAR):
        assessment.run_initial(AIZU, year)
    with tenant_context(AIZU):
        body = {
            "child_atena_no": family[3],
            "base_date": f"{YEAR}-04-01",
            "parents": [{"atena_no": p, "reason": "work", "monthly_hours": 160} for p in family[:2]],
        }
        cert = services.apply_certification(services.CertificationIn.model_validate(body))
        services.decide_fee(services.FeeDecisionIn(certificate_no=cert.certificate_no, fiscal_year=YEAR))
    return family, cert.certificate_no


def test_a_childs_move_out_ends_the_certification_and_the_fee_after_the_month(in_care, registry):
    family, number = in_care
    moved = _past_day()
    registry.move(
        move_body(
            "move_out",
            [{"atena_no": family[3]}],
            move_date=moved,
            destination="domestic",
            destination_address="東京都千代田区千代田1番1号",
        )
    )
    on = date.fromisoformat(moved)
    done = services.follow.follow(AIZU)
    assert done.changes == 3  # the version, the 決定, the work item
    with tenant_context(AIZU):
        first, ended = Certification.objects.filter(certificate_no=number).order_by("version")
        assert first.valid_until == date(2029, 3, 31) and (ended.version, ended.valid_until) == (2, on)
        assert (ended.kind, ended.parents, ended.note) == (first.kind, first.parents, "転出により終了")
        assert Event.objects.filter(type=CERTIFIED, data__version=2).get().data["valid_until"] == moved
        latest = FeeDetermination.objects.order_by("-decision_no").values_list("decision_no", flat=True)[0]
        ending = list(FeeDetermination.objects.filter(decision_no=latest).order_by("from_month"))
        # 0円 from the month after the 転出 to the end of the 年度's 決定; the month itself stays
        assert ending[0].from_month == next_month(on) and ending[-1].until_month == date(YEAR + 1, 3, 1)
        assert {(r.amount, r.tier, r.free) for r in ending} == {(0, "終了", "支給認定の終了（転出）")}
        assert (
            FeeDetermination.objects.filter(until_month__gte=on.replace(day=1), from_month__lte=on)
            .exclude(decision_no=latest)
            .exists()
        )
        assert Event.objects.filter(type=FEE_DECIDED, data__decision_no=latest).count() == 1
        item = WorkItem.objects.get()
        assert (item.atena_no, item.certificate_no, item.event, item.event_date, item.status) == (
            family[3],
            number,
            "moved-out",
            on,
            "open",
        )
    # following again (nothing new) changes nothing
    assert services.follow.follow(AIZU).changes == 0
    with tenant_context(AIZU):
        assert Certification.objects.filter(certificate_no=number).count() == 2
    # the clerk's list names the child and the last month of 利用者負担; 処理済 closes the item
    welfare = staff_client("hoiku", ["welfare"])
    page = welfare.get("/childcare/work/").content.decode()
    assert "保育 次郎" in page and f"{on.year}年{on.month}月分" in page and "転出" in page
    assert "転出・死亡で終了した認定（未処理）" in welfare.get("/").content.decode()
    assert welfare.post("/childcare/work/", {"item": str(item.id)}).status_code == 302
    assert welfare.post("/childcare/work/", {"item": "x" * 30}).status_code == 302
    assert welfare.get("/childcare/work/?after=²").status_code == 200  # a digit int() refuses
    assert "未処理のものはありません" in welfare.get("/childcare/work/").content.decode()
    with tenant_context(AIZU):
        assert WorkItem.objects.get().status == "closed"


def test_a_childs_death_ends_the_certification_and_a_parents_move_out_does_not(in_care, registry):
    family, number = in_care
    registry.move(
        move_body(
            "move_out",
            [{"atena_no": family[1]}],
            move_date=days_ago(3),
            destination="domestic",
            destination_address="東京都千代田区千代田1番1号",
        )
    )
    assert services.follow.follow(AIZU).changes == 0  # the 認定 is the child's: the clerk decides
    died = _past_day()
    registry.move({"kind": "death", "move_date": died, "persons": [{"atena_no": family[3]}]})
    assert services.follow.follow(AIZU).changes == 3
    with tenant_context(AIZU):
        ended = Certification.objects.filter(certificate_no=number).order_by("-version").first()
        assert (ended.version, ended.valid_until, ended.note) == (
            2,
            date.fromisoformat(died),
            "死亡により終了",
        )
        latest = FeeDetermination.objects.order_by("-decision_no").first()
        assert (latest.amount, latest.free) == (0, "支給認定の終了（死亡）")
        assert WorkItem.objects.get().event == "died"
