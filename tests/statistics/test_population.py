"""The 住基年報 of a small town filed by hand: every figure of contract §9.1 against a count made
by hand, in three statements; and the rules one by one (tests/statistics/conftest.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.statistics.conftest import TODAY, D, days_ago
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.statistics.services import population
from yakuba.tax.rules.inputs import age_on

ZERO = {"male": 0, "female": 0, "total": 0}


def _report(day=D) -> dict:
    with tenant_context(AIZU):
        return population.population_report(AIZU, day).json


def _bands(born, kind=None) -> list[dict]:
    """Age bands worked out from the 生年月日 with the tax app's age_on at the end of D − 1."""
    cells = {f"{low}-{low + 4}": dict(ZERO) for low in range(0, 100, 5)} | {"100+": dict(ZERO)}
    for resident_type, sex, birth in born:
        if kind not in (None, resident_type):
            continue
        age = age_on(birth, D - timedelta(days=1))
        name = "100+" if age >= 100 else f"{age // 5 * 5}-{age // 5 * 5 + 4}"
        cells[name]["male" if sex == 1 else "female"] += 1
        cells[name]["total"] += 1
    return [{"band": name, **cell} for name, cell in cells.items()]


def test_every_figure_of_the_report(small_town, system_actor, django_assert_num_queries):
    with tenant_context(AIZU), django_assert_num_queries(3):  # the census, the 異動, the audit row
        report = population.population_report(AIZU, D).json
    japanese = {
        "population": {"male": 5, "female": 4, "total": 9},
        "households": 6,  # 日本人のみ 5 + 複数国籍 1
        "recorded": {"move_in_domestic": 7, "move_in_abroad": 0, "birth": 1, "other": 1, "total": 9},
        "removed": {"move_out_domestic": 1, "move_out_abroad": 0, "death": 1, "other": 1, "total": 3},
        "natural_change": 0,
        "social_change": 6,
        "age_bands": _bands(small_town.born, 1),
    }
    foreign = {
        "population": {"male": 1, "female": 1, "total": 2},
        "households": 2,  # 外国人のみ 1 + 複数国籍 1
        "recorded": {"move_in_domestic": 1, "move_in_abroad": 2, "birth": 0, "other": 0, "total": 3},
        "removed": {"move_out_domestic": 0, "move_out_abroad": 1, "death": 0, "other": 0, "total": 1},
        "natural_change": 0,
        "social_change": 2,
        "age_bands": _bands(small_town.born, 2),
    }
    total = {
        "population": {"male": 6, "female": 5, "total": 11},
        "households": 7,  # the 複数国籍世帯 once
        "recorded": {"move_in_domestic": 8, "move_in_abroad": 2, "birth": 1, "other": 1, "total": 12},
        "removed": {"move_out_domestic": 1, "move_out_abroad": 1, "death": 1, "other": 1, "total": 4},
        "natural_change": 0,
        "social_change": 8,
        "age_bands": _bands(small_town.born),
    }
    first = (
        D.replace(year=D.year - 1)
        if not (D.month == 2 and D.day == 29)
        else D.replace(year=D.year - 1, day=28)
    )
    assert report == {
        "lg_code": AIZU,
        "as_of": D.isoformat(),
        "period": {"from": first.isoformat(), "to": TODAY.isoformat()},
        "tables": {"total": total, "japanese": japanese, "foreign": foreign},
    }
    bands = {b["band"]: b for b in report["tables"]["japanese"]["age_bands"]}
    assert bands["100+"] == {
        "band": "100+",
        "male": 0,
        "female": 1,
        "total": 1,
    }  # 100 on D: her birthday is D
    assert bands["95-99"]["female"] == 1  # her sister turns 100 only at the end of D
    assert bands["0-4"]["female"] == 1  # the child born in the period
    with tenant_context(AIZU):
        row = AuditEntry.objects.get(resource=population.RESOURCE)
    assert (row.action, row.detail["as_of"], row.detail["format"]) == ("export", D.isoformat(), "json")


def test_a_day_before_a_move_sees_the_registry_of_that_day(small_town, system_actor):
    """As of the 異動日 of the 出生 itself the child is not born yet (the registry at the start of
    the day); a day later she is, and the 転出予定 man is present on his 転出予定日, gone after."""
    birth_day = TODAY - timedelta(days=100)
    before, after = _report(birth_day), _report(birth_day + timedelta(days=1))
    assert (
        after["tables"]["japanese"]["population"]["female"]
        == before["tables"]["japanese"]["population"]["female"] + 1
    )
    assert (
        after["tables"]["japanese"]["recorded"]["birth"] == 1
        and before["tables"]["japanese"]["recorded"]["birth"] == 0
    )


@pytest.mark.parametrize("offset", [5, 6])
def test_a_moving_out_person_counts_until_the_planned_day(
    small_town, registry, system_actor, monkeypatch, offset
):
    """転出予定日 = today + 5: present at the start of that day, gone at the start of the next."""
    import yakuba.statistics.services.dates as dates

    monkeypatch.setattr(dates.timezone, "localdate", lambda: TODAY + timedelta(days=10))
    report = _report(TODAY + timedelta(days=offset))
    assert report["tables"]["japanese"]["population"]["male"] == (5 if offset == 5 else 4)
    assert report["tables"]["japanese"]["removed"]["move_out_domestic"] == (1 if offset == 5 else 2)


def test_a_canceled_move_in_never_happened(small_town, system_actor):
    """Filed 30 days ago, canceled with 異動日 25 days ago: not even present in between."""
    between, before = _report(TODAY - timedelta(days=27)), _report(TODAY - timedelta(days=31))
    assert between["tables"]["japanese"]["population"] == before["tables"]["japanese"]["population"]


def test_a_change_of_resident_type_moves_a_person_between_the_tables(small_town, registry, system_actor):
    """帰化 recorded by 職権修正: その他の消除 among 外国人住民, その他の記載 among 日本人住民, so each
    区分 still balances; the 総計 sees both."""
    found = registry.get("residents?name_kana=スミス").json()["residents"]
    smith = found[0]["atena_no"]
    registry.move(
        {
            "kind": "ex_officio_modify",
            "move_date": days_ago(3),
            "persons": [
                {
                    "atena_no": smith,
                    "resident_type": 1,
                    "name": "スミス 譲",
                    "domicile": "福島県会津若松市東栄町1番",
                    "nationality": "",
                    "residence_status": "",
                    "residence_card_no": "",
                }
            ],
        }
    )
    tables = _report()["tables"]
    assert tables["foreign"]["removed"]["other"] == 1 and tables["japanese"]["recorded"]["other"] == 2
    assert tables["foreign"]["population"]["total"] == 1 and tables["japanese"]["population"]["total"] == 10
    assert tables["total"]["recorded"]["other"] == 2 and tables["total"]["removed"]["other"] == 2
    # the 世帯 he heads alone is a 日本人 世帯 now
    assert (
        tables["japanese"]["households"],
        tables["foreign"]["households"],
        tables["total"]["households"],
    ) == (7, 1, 7)
