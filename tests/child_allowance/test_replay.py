"""Event-driven 額改定 on a generated town (issue 17, "Must show"): a year of real registry 異動
replayed day by day — the town's own births, 転入 and 転出 drawn at random, and one family's
story filed on fixed days — with the 児童手当 consumer following the feed after each day's 異動
and the age review run on the 1st of each month, "today" being the replayed day.

The family (facts §6; ``services/timing.py`` for the months):

- moves in on 2025-05-30 (転出予定日 at the old address 5月29日) with a 高校3年 (born 2007-06-15)
  and a 小学生 (2015-09-01): a 認定請求 work item due 6月13日 (15日特例);
- claims on 6月10日 — within the 15 days, so paid from 6月分 (not 7月): 10,000 + 10,000;
- a third child is born on 10月30日: a 額改定認定請求 item (the increase is not automatic);
  claimed on 11月10日 — within the 15 days of the birth, so 11月分 (not 12月): + 30,000 (第3子
  under 3) = 50,000;
- the eldest's 18歳年度末 is 2026-03-31: from 4月分 he is neither paid nor counted (no 確認書),
  the baby becomes 第2子 (15,000): 10,000 + 15,000 = 25,000 — by the age review, no 届;
- the family moves out on 2026-05-20: paid through 5月分 (the 転出予定日's month), 消滅.

Every other birth and family 転入 of the town raises a 認定請求 item with its deadline; the
expectation is built from what the test filed, not from the app's tables.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.child_allowance.conftest import claim_body
from tests.conftest import AIZU
from yakuba.child_allowance import services as allowance
from yakuba.child_allowance.events import AMOUNT_REVISED, CERTIFIED, ENDED
from yakuba.child_allowance.models import AmountPeriod, Entitlement, WorkItem
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry
from yakuba.registry.generate import generate_population

pytestmark = pytest.mark.django_db(transaction=True)

D0 = date(2025, 5, 1)
LAST = date(2026, 6, 30)
RESIDENTS = 150
SEE_ALL = registry.Visibility(protected=True)
NOTIFIER = {"kind": "self", "identity_document": "my_number_card"}
ELSEWHERE = "東京都千代田区千代田1番1号"
MOVE_IN, CLAIM, BIRTH, REVISION, MOVE_OUT = (
    date(2025, 5, 30),
    date(2025, 6, 10),
    date(2025, 10, 30),
    date(2025, 11, 10),
    date(2026, 5, 20),
)
SCRIPTED = {MOVE_IN, CLAIM, BIRTH, REVISION, MOVE_OUT}


def file(body: dict, day: date) -> registry.MoveResult:
    with tenant_context(AIZU):
        return registry.apply_move({**body, "move_date": day.isoformat()}, today=day, visibility=SEE_ALL)


class Town:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.counter = 0
        self.claims: dict[tuple[str, str], date] = {}  # (atena_no, event) → 異動日: expected items
        self.family_setai = ""

    def person(self, birth: date, sex: int, relationship: str, **extra) -> dict:
        self.counter += 1
        return {
            "atena_no": None,
            "name": f"町民 {self.counter}",
            "name_kana": "チョウミン " + "ア" * (self.counter % 7 + 1) + "イ" * (self.counter // 7 % 7 + 1),
            "birth_date": birth.isoformat(),
            "sex": sex,
            "relationship": relationship,
            "resident_type": 1,
            "previous_address": ELSEWHERE,
            **extra,
        }

    def address(self) -> dict:
        self.counter += 1
        return {
            "postal_code": "9650871",
            "town_area": "栄町",
            "block": f"{self.counter % 40 + 1}番{self.counter}号",
        }

    def households(self, day: date) -> dict[str, list]:
        found: dict[str, list] = {}
        with tenant_context(AIZU), registry.inhabitants_on(day, purpose="テスト（児童手当の検証）") as people:
            for p in people:
                if p.setai_no != self.family_setai:
                    found.setdefault(p.setai_no, []).append(p)
        return found

    def random_day(self, day: date) -> None:
        kind = self.rng.choice(["birth", "birth", "move_in_family", "move_out"])
        households = self.households(day - timedelta(days=1))
        if kind == "birth":
            setai_no = self.rng.choice(sorted(households))
            baby = file(
                {
                    "kind": "birth",
                    "household": {"setai_no": setai_no},
                    "persons": [self.person(day, self.rng.choice((1, 2)), "子", previous_address="")],
                },
                day,
            ).persons[0][0]
            self.claims[(baby, "born")] = day
        elif kind == "move_in_family":
            head = self.person(day - timedelta(days=365 * 35), 1, "世帯主")
            child = self.person(day - timedelta(days=365 * 6 + self.rng.randrange(300)), 2, "子")
            result = file(
                {
                    "kind": "move_in",
                    "origin": "domestic",
                    "household": {"address": self.address()},
                    "persons": [head, child],
                    "notifier": NOTIFIER,
                    "notified_date": day.isoformat(),
                },
                day,
            )
            self.claims[(result.persons[1][0], "moved-in")] = day
        else:
            alone = [s[0] for s in households.values() if len(s) == 1]
            who = self.rng.choice(alone)
            file(
                {
                    "kind": "move_out",
                    "persons": [{"atena_no": who.atena_no}],
                    "destination": "domestic",
                    "destination_address": ELSEWHERE,
                    "notifier": NOTIFIER,
                },
                day,
            )


def periods(entitlement_id: int) -> list[tuple]:
    with tenant_context(AIZU):
        return list(
            AmountPeriod.objects.filter(entitlement_id=entitlement_id)
            .order_by("from_month")
            .values_list("from_month", "until_month", "monthly_total", "reason")
        )


def item(atena_no: str) -> tuple:
    with tenant_context(AIZU):
        return WorkItem.objects.values_list("kind", "event_date", "deadline", "status").get(atena_no=atena_no)


def test_a_year_of_moves_drives_the_family_amount(aizu, system_actor, monkeypatch):
    today = {"day": D0}
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today["day"])
    with tenant_context(AIZU):
        generate_population(RESIDENTS, seed=7, as_of=D0)
    allowance.follow.CONSUMER.start_at_head(AIZU)
    town = Town(7)
    random_days = set(town.rng.sample(range(1, (LAST - D0).days + 1), 36))
    family: dict[str, str] = {}
    entitlement_id = 0
    day = D0
    while day < LAST:
        day += timedelta(days=1)
        today["day"] = day
        if day.day == 1:
            allowance.revision.age_review(AIZU, day)
        if day == MOVE_IN:
            result = file(
                {
                    "kind": "move_in",
                    "origin": "domestic",
                    "household": {"address": town.address()},
                    "persons": [
                        town.person(date(1985, 4, 4), 1, "世帯主"),
                        town.person(date(1987, 7, 7), 2, "妻"),
                        town.person(date(2007, 6, 15), 1, "子"),
                        town.person(date(2015, 9, 1), 2, "子"),
                    ],
                    "notifier": NOTIFIER,
                    "notified_date": day.isoformat(),
                },
                day,
            )
            family = dict(
                zip(("father", "mother", "eldest", "second"), (p[0] for p in result.persons), strict=True)
            )
            town.family_setai = result.setai_no
        elif day == CLAIM:
            assert item(family["eldest"]) == ("claim", MOVE_IN, date(2025, 6, 14), "open")
            with tenant_context(AIZU):
                done = allowance.certification.certify(
                    # moved in after 1月1日: no 所得 here, the household's choice (claim_body)
                    allowance.ClaimIn.model_validate(
                        claim_body(family["father"], day, event_on="2025-05-29")  # the 転出予定日
                    ),
                    visibility=SEE_ALL,
                )
            entitlement_id = done.entitlement_id
            assert done.plan.first_month == date(2025, 6, 1)  # 15日特例: not 7月
        elif day == BIRTH:
            family["third"] = file(
                {
                    "kind": "birth",
                    "household": {"setai_no": town.family_setai},
                    "persons": [town.person(day, 1, "子", previous_address="")],
                },
                day,
            ).persons[0][0]
        elif day == REVISION:
            assert item(family["third"]) == ("revision", BIRTH, date(2025, 11, 14), "open")
            with tenant_context(AIZU):
                allowance.revision.apply_revision(
                    allowance.RevisionIn.model_validate(
                        {
                            "claimant_atena_no": family["father"],
                            "child": {"atena_no": family["third"]},
                            "claimed_on": day.isoformat(),
                        }
                    ),
                    visibility=SEE_ALL,
                )
        elif day == MOVE_OUT:
            file(
                {
                    "kind": "move_out",
                    "persons": [{"atena_no": a} for a in family.values()],
                    "destination": "domestic",
                    "destination_address": ELSEWHERE,
                    "notifier": NOTIFIER,
                },
                day,
            )
        elif (day - D0).days in random_days:
            town.random_day(day)
        else:
            continue
        allowance.follow.follow(AIZU)

    assert periods(entitlement_id) == [
        (date(2025, 6, 1), date(2025, 10, 1), 20000, "certified"),
        (date(2025, 11, 1), date(2026, 3, 1), 50000, "child_added"),  # 15日特例: not 12月
        (date(2026, 4, 1), date(2026, 5, 1), 25000, "age"),  # the 18歳年度末 lowers it
    ]
    with tenant_context(AIZU):
        entitlement = Entitlement.objects.get(id=entitlement_id)
        assert (entitlement.status, entitlement.end_reason, entitlement.last_month) == (
            "ended",
            "move_out",
            date(2026, 5, 1),
        )
        payable = {
            m: allowance.lookup.payable(entitlement_id, date(*m, 1))
            for m in (
                (2025, 5),
                (2025, 6),
                (2025, 10),
                (2025, 11),
                (2026, 3),
                (2026, 4),
                (2026, 5),
                (2026, 6),
            )
        }
        assert payable == {
            (2025, 5): 0,
            (2025, 6): 20000,
            (2025, 10): 20000,
            (2025, 11): 50000,
            (2026, 3): 50000,
            (2026, 4): 25000,
            (2026, 5): 25000,
            (2026, 6): 0,
        }
        kinds = [
            t
            for t in Event.objects.filter(subject=family["father"])
            .order_by("seq")
            .values_list("type", flat=True)
            if "child_allowance" in t
        ]
        assert kinds == [CERTIFIED, AMOUNT_REVISED, AMOUNT_REVISED, ENDED]
        # Every birth and family 転入 of the rest of the town: a 認定請求 item with its deadline, open.
        found = {
            (a, e): (k, d, dl, s)
            for a, e, k, d, dl, s in WorkItem.objects.exclude(setai_no=town.family_setai).values_list(
                "atena_no", "event", "kind", "event_date", "deadline", "status"
            )
        }
    assert town.claims and found == {
        key: ("claim", on, on + timedelta(days=15), "open") for key, on in town.claims.items()
    }
    assert item(family["eldest"])[-1] == "done" and item(family["third"])[-1] == "done"


def test_a_consumer_page_takes_the_same_statements_for_3_or_30_births(aizu, system_actor):
    """No N+1: a page of births into households without a 受給者 is a fixed number of statements."""
    with tenant_context(AIZU):
        generate_population(120, seed=3, as_of=date(2026, 1, 1))
        with registry.inhabitants_on(date(2026, 1, 1), purpose="テスト") as people:
            heads = sorted({p.setai_no for p in people})
    allowance.follow.CONSUMER.start_at_head(AIZU)
    counts = []
    for n, start in ((3, 0), (30, 3)):
        for i, setai_no in enumerate(heads[start : start + n]):
            day = timezone.localdate() - timedelta(days=40 - i % 30)
            file(
                {
                    "kind": "birth",
                    "household": {"setai_no": setai_no},
                    "persons": [
                        {
                            "atena_no": None,
                            "name": f"出生 {start + i}",
                            "name_kana": "シュッセイ " + "ア" * (start + i + 1),
                            "birth_date": day.isoformat(),
                            "sex": 1,
                            "relationship": "子",
                            "resident_type": 1,
                            "previous_address": "",
                        }
                    ],
                },
                day,
            )
        with CaptureQueriesContext(connections["default"]) as queries:
            allowance.follow.follow(AIZU)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
