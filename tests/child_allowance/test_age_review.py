"""The monthly age review: a child's 3rd birthday lowers the amount from the month after its
birthday's month with no 届 (児童手当法 第6条; facts §6), dated right even when the review runs
months later; run again it changes nothing; a month after this one is refused."""

from __future__ import annotations

from datetime import date

import pytest

from tests.child_allowance.conftest import claim_body
from tests.conftest import AIZU
from tests.registry.conftest import TODAY, person, registry  # noqa: F401 (fixture)
from yakuba.child_allowance import services as allowance
from yakuba.child_allowance.models import AmountPeriod
from yakuba.child_allowance.services.timing import month_of, next_month
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry_door

pytestmark = pytest.mark.django_db


def test_the_third_birthday_lowers_the_amount_from_the_month_after(registry, system_actor):  # noqa: F811
    filed = registry.move_in(
        person("年齢 一郎", "ネンレイ イチロウ", "1984-01-10", 1, "世帯主"),
        person("年齢 高校", "ネンレイ コウコウ", "2010-05-01", 1, "子"),
        person("年齢 幼児", "ネンレイ ヨウジ", "2023-06-10", 2, "子"),
        move_date="2026-03-01",
    )
    head = filed["persons"][0]["atena_no"]
    with tenant_context(AIZU):
        done = allowance.certification.certify(
            allowance.ClaimIn.model_validate(claim_body(head, date(2026, 3, 10))),
            visibility=registry_door.Visibility(),
        )
    assert done.plan.first_month == date(2026, 4, 1) and done.plan.amount.total == 25000
    reviewed = allowance.revision.age_review(AIZU, TODAY)
    assert (reviewed.entitlements, reviewed.revised, reviewed.ended) == (1, 1, 0)
    with tenant_context(AIZU):
        rows = list(
            AmountPeriod.objects.order_by("from_month").values_list(
                "from_month", "until_month", "monthly_total", "reason"
            )
        )
    # 第2子 under 3: 15,000 through June (the birthday's month), 10,000 from July
    assert rows == [
        (date(2026, 4, 1), date(2026, 6, 1), 25000, "certified"),
        (date(2026, 7, 1), None, 20000, "age"),
    ]
    assert allowance.revision.age_review(AIZU, TODAY).revised == 0
    with pytest.raises(allowance.Rejected) as exc:
        allowance.revision.age_review(AIZU, next_month(month_of(TODAY)))
    assert exc.value.errors[0]["field"] == "month"


def test_the_confirmation_counts_a_young_person_again_after_the_18th_year_end(registry, system_actor):  # noqa: F811
    """A 高校3年 counted at the 認定 leaves the count after his 18歳年度末 (the third child drops
    to 第2子); the 確認書 brought with a 額改定認定請求 counts him again from the month after."""
    filed = registry.move_in(
        person("確認 一郎", "カクニン イチロウ", "1980-01-10", 1, "世帯主"),
        person("確認 長男", "カクニン チョウナン", "2007-06-15", 1, "子"),
        person("確認 次男", "カクニン ジナン", "2012-08-01", 1, "子"),
        person("確認 三男", "カクニン サンナン", "2015-09-01", 1, "子"),
        move_date="2026-01-05",
    )
    head, eldest = filed["persons"][0]["atena_no"], filed["persons"][1]["atena_no"]
    with tenant_context(AIZU):
        allowance.certification.certify(
            allowance.ClaimIn.model_validate(claim_body(head, date(2026, 1, 20))),
            visibility=registry_door.Visibility(),
        )
    allowance.revision.age_review(AIZU, date(2026, 5, 1))
    with tenant_context(AIZU):
        allowance.revision.apply_revision(
            allowance.RevisionIn.model_validate(
                {
                    "claimant_atena_no": head,
                    "child": {"atena_no": eldest, "bears_costs": True},
                    "claimed_on": "2026-05-12",
                }
            ),
            visibility=registry_door.Visibility(),
        )
        rows = list(
            AmountPeriod.objects.order_by("from_month").values_list(
                "from_month", "until_month", "monthly_total", "reason"
            )
        )
    # 10,000 + 10,000 + 30,000 (第3子); from April the eldest is out: 10,000 + 10,000; the
    # 確認書 claimed in May counts him from June: the youngest is 第3子 again.
    assert rows == [
        (date(2026, 2, 1), date(2026, 3, 1), 50000, "certified"),
        (date(2026, 4, 1), date(2026, 5, 1), 20000, "age"),
        (date(2026, 6, 1), None, 40000, "child_added"),
    ]
