"""仮算定 (南伊勢町: 4月〜6月 each 1/12 of the previous 年度's tax, 百円未満切捨て; the 本算定 the 年税額
less the 仮算定 over the remaining 9 納期, the first taking the remainder): its own version, then
the 本算定 as the next version keeping the 仮算定's 納期."""

from __future__ import annotations

import json

import pytest

from tests.conftest import AIZU
from tests.health_insurance.conftest import RATES
from tests.health_insurance.test_annual import FILE, YEAR, town  # noqa: F401 (fixture)
from yakuba.health_insurance.codes import PremiumReason, RunKind
from yakuba.health_insurance.events import DECIDED
from yakuba.health_insurance.models import PremiumAssessment
from yakuba.health_insurance.services import annual, rates
from yakuba.platform.audit.log import SYSTEM
from yakuba.platform.errors import RunConflict
from yakuba.platform.installments import spread
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context

SCHEDULE = {"provisional_months": [4, 5, 6], "months": [7, 8, 9, 10, 11, 12, 1, 2, 3], "unit": 100}


def test_the_provisional_levy_then_the_annual_subtracts_it(town):  # noqa: F811
    annual.run_annual(AIZU, YEAR - 1, rates={"rates": RATES})  # last 年度's tax, the 仮算定's base
    rates.set_rates(AIZU, YEAR, {**FILE, "installments": SCHEDULE}, "仮算定あり", SYSTEM)
    with pytest.raises(rates.RatesRejected, match="仮算定の納期"):
        annual.run_levy(AIZU, YEAR, RunKind.PROVISIONAL, rates=FILE)
    status = annual.run_levy(AIZU, YEAR, RunKind.PROVISIONAL)
    with tenant_context(AIZU):
        last_year = {r.setai_no: r.total for r in PremiumAssessment.objects.filter(fiscal_year=YEAR - 1)}
        provisional = {r.setai_no: r for r in PremiumAssessment.objects.filter(fiscal_year=YEAR)}
        reasons = {e.data["reason"] for e in Event.objects.filter(type=DECIDED, data__fiscal_year=YEAR)}
    assert status.done == len(provisional) > 10 and reasons == {"provisional"}
    for setai_no, row in provisional.items():
        each = last_year[setai_no] // 12 // 100 * 100
        assert (row.version, row.reason) == (1, PremiumReason.PROVISIONAL)
        assert row.installments == [["2026-04", each], ["2026-05", each], ["2026-06", each]]
        assert (
            row.total == 3 * each and row.calculation["provisional"]["previous_total"] == last_year[setai_no]
        )
    assert annual.run_levy(AIZU, YEAR, RunKind.PROVISIONAL).done == status.done  # finished: nothing again

    annual.run_annual(AIZU, YEAR)
    with tenant_context(AIZU):
        decided = {
            r.setai_no: r
            for r in PremiumAssessment.objects.filter(fiscal_year=YEAR, reason=PremiumReason.ANNUAL)
        }
        assert PremiumAssessment.objects.filter(reason=PremiumReason.PROVISIONAL).count() == len(provisional)
    for setai_no, row in decided.items():
        assert sum(a for _m, a in row.installments) == row.total or row.calculation.get("overpaid")
        before = provisional.get(setai_no)
        if before is None:  # new to 国保 this 年度: all of it on the 本算定's 納期
            assert row.version == 1 and row.installments[0][0] == "2026-07"
            continue
        assert row.version == 2
        assert row.installments[:3] == before.installments
        rest = row.total - before.total
        if rest > 0:
            expected = spread(rest, YEAR, tuple(SCHEDULE["months"]), 100)
            assert [tuple(i) for i in row.installments[3:]] == [(m, a) for m, a in expected]
            assert row.installments[-1][0] == "2027-03" or len(row.installments) < 12
    with pytest.raises(RunConflict, match="本算定を始めている"):
        annual.run_levy(AIZU, YEAR, RunKind.PROVISIONAL)


def test_the_cli_runs_the_provisional_levy(town, tmp_path, capsys):  # noqa: F811
    from yakuba.cli import main

    annual.run_annual(AIZU, YEAR - 1, rates={"rates": RATES})
    without = tmp_path / "rates.json"
    without.write_text(json.dumps(FILE), encoding="utf-8")
    argv = ["insurance", "kokuho", "provisional", AIZU, "--year", str(YEAR), "--workers", "0"]
    assert main([*argv, "--rates", str(without)]) == 2
    assert (
        "rates.json: installments.provisional_months: 仮算定の納期が指定されていません"
        in capsys.readouterr().err
    )
    assert main(argv) == 2  # nothing stored yet
    assert "2026年度の税率が登録されていません" in capsys.readouterr().err
    rates.set_rates(AIZU, YEAR, {**FILE, "installments": SCHEDULE}, "仮算定あり", SYSTEM)
    assert main(argv) == 0
    assert "2026年度の仮算定:" in capsys.readouterr().out
