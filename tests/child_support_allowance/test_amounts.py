"""A 年度's 手当額 registered by the 管理者 (services/amounts.py): today is 2026-12 and 令和8年度
(2026-04〜2027-03) is not in the packaged data — without it a claim dated today is refused with
how to register the year; with it the claim is decided and paid, the determination saying which
source it used. The 係数 is checked against the other figures (facts §7), every bad field named.

THE 令和8年度 FIGURES BELOW ARE FICTITIOUS TEST DATA — round numbers a little above 令和7年度
(46,690 / 11,030 円), with the 令和7年度 limits and 所得額 rules; the 係数 follow from them by
the facts §7 rule. They are not the 告示's amounts and never go into rules/data/jifu.toml.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.child_support_allowance import town
from tests.conftest import AIZU
from yakuba.child_support_allowance.models import AmountsVersion, Determination
from yakuba.child_support_allowance.services import (
    Rejected,
    SupportAllowanceIn,
    amounts,
    calculate_support_allowance,
    entitlement,
    payments,
)
from yakuba.cli import main
from yakuba.platform.audit.log import SYSTEM
from yakuba.platform.payments.models import Payment
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry
from yakuba.tax.services import assessment, income_generate

FULL = {"other_deductions": 50_000_000}
# Fictitious (see the module's docstring): 係数 = (上限 − 下限) ÷ (2,080,000 − 690,000).
R8_TEST = {
    "first": {"full": 50_000, "partial_max": 49_990, "partial_min": 11_200, "coefficient": "0.0279065"},
    "second": {"full": 12_000, "partial_max": 11_990, "partial_min": 6_000, "coefficient": "0.0043094"},
    "limits": {
        "full": 690_000,
        "partial": 2_080_000,
        "per_dependant": 380_000,
        "elderly": 100_000,
        "specific": 150_000,
    },
    "income": {"salary_pension_deduction": 100_000, "child_support_share": "0.8", "flat_deduction": 80_000},
}
SOURCE = "テスト用の架空の額（令和8年度の告示ではない）"
TODAY = date(2026, 12, 15)


@pytest.fixture
def today_2026_12(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def seeded(aizu, system_actor, today_2026_12):
    """The town with the 住民税 of 2026 too (所得 of 2025: the 支給年度 from 2026-11)."""
    town.build()
    with tenant_context(AIZU):
        income_generate.generate(2026)
    assessment.run_initial(AIZU, 2026)
    return town.families()


def _with(**changes) -> dict:
    given = json.loads(json.dumps(R8_TEST))
    for dotted, value in changes.items():
        rank, key = dotted.split("__")
        given[rank][key] = value
    return given


def test_without_the_year_a_claim_dated_today_is_refused_saying_how_to_register_it(seeded):
    parent, kids = seeded[0]
    with tenant_context(AIZU), pytest.raises(Rejected) as refused:
        entitlement.apply_claim(town.claim(parent, kids, claimed_on=date(2026, 12, 1), **FULL))
    (error,) = [e for e in refused.value.errors if e["field"] == "claimed_on"]
    assert "2027年1月の児童扶養手当の手当額が登録されていません" in error["message"]
    assert f"yakuba child support-allowance amounts set {AIZU} --year 2026" in error["message"]


def test_with_the_year_registered_a_claim_dated_today_is_decided_and_paid(seeded):
    parent, kids = seeded[0]
    amounts.set_amounts(AIZU, 2026, R8_TEST, SOURCE, SYSTEM)
    with tenant_context(AIZU):
        row = entitlement.apply_claim(town.claim(parent, kids, claimed_on=date(2026, 12, 1), **FULL))
        det = Determination.objects.get(entitlement=row)
        periods = list(
            det.periods.order_by("from_month").values_list("from_month", "until_month", "monthly_total")
        )
    monthly = 50_000 + 12_000 * (len(kids) - 1)
    # 2027-01〜03 from the registered 令和8年度; 令和9年度 (from 2027-04) is not registered yet.
    assert periods == [(date(2027, 1, 1), date(2027, 3, 1), monthly)]
    assert det.amount_sources == [
        {"from_month": "2027-01", "source": "registered", "fiscal_year": 2026, "version": 1}
    ]
    assert "手当額: 2026年度 登録 第1版" in det.steps
    assert "2027年4月分以降の手当額は未登録です" in det.note
    payments.pay(AIZU, date(2027, 3, 1))
    with tenant_context(AIZU):
        months = Payment.objects.get(run__domain=payments.DOMAIN, run__month=date(2027, 3, 1)).months
    assert months == [["2027-01", monthly], ["2027-02", monthly]]


def test_the_registered_coefficient_gives_the_partial_amounts():
    """一部支給 with the registered figures through the engine: 所得額 1,000,000円, no 扶養親族等 —
    49,990 − round₁₀(310,000 × 0.0279065 = 8,651.0) = 41,340; 11,990 − round₁₀(1,335.9) = 10,650."""
    figures = amounts._tables(amounts.AmountsLine(2026, 1, R8_TEST, SOURCE, None, "test"))
    body = SupportAllowanceIn(
        month="2027-01", children=2, income={"other_income": 1_080_000}, claimant="mother"
    )
    assert calculate_support_allowance(body, figures)["per_child"] == [41_340, 10_650]


def test_versions_are_kept_and_the_latest_is_used(aizu, system_actor, today_2026_12):
    amounts.set_amounts(AIZU, 2026, R8_TEST, "第1版", SYSTEM)
    corrected = _with(second__full=12_010, second__partial_max=12_000, second__coefficient="0.0043165")
    line = amounts.set_amounts(AIZU, 2026, corrected, "第2版（訂正）", SYSTEM)
    with tenant_context(AIZU):
        versions = amounts.history(2026)
        figures = amounts.Resolver()(date(2026, 4, 1))
        assert AmountsVersion.objects.count() == 2
    assert line.version == 2 and [v.source for v in versions] == ["第2版（訂正）", "第1版"]
    assert figures.amounts.second_full == figures.amounts.third_full == 12_010
    assert figures.amounts.first_coefficient == Decimal("0.0279065")
    assert figures.origin == {"source": "registered", "fiscal_year": 2026, "version": 2}


def test_bad_figures_are_refused_naming_each_field(aizu, system_actor):
    wrong = _with(first__coefficient="0.0297065", second__partial_min=12_500)
    del wrong["limits"]["specific"]
    with pytest.raises(amounts.AmountsRejected) as refused:
        amounts.set_amounts(AIZU, 2026, wrong, "", SYSTEM)
    assert {e["field"] for e in refused.value.errors} == {"source", "limits.specific"}
    del wrong["limits"]
    wrong["limits"] = R8_TEST["limits"]
    with pytest.raises(amounts.AmountsRejected) as refused:
        amounts.set_amounts(AIZU, 2026, wrong, SOURCE, SYSTEM)
    errors = {e["field"]: e["message"] for e in refused.value.errors}
    assert set(errors) == {"first.coefficient", "second.partial_max"}
    assert "0.0279065 と合いません" in errors["first.coefficient"]


def test_a_year_the_packaged_data_has_cannot_be_registered(aizu, system_actor):
    """The packaged data always wins: 令和7年度 is in it, so registering it is refused."""
    with pytest.raises(amounts.AmountsRejected) as refused:
        amounts.set_amounts(AIZU, 2025, R8_TEST, SOURCE, SYSTEM)
    assert [e["field"] for e in refused.value.errors] == ["fiscal_year"]
    with tenant_context(AIZU):
        assert amounts.Resolver()(date(2026, 3, 1)).origin == {"source": "packaged"}


def test_a_clerk_who_cannot_see_a_hidden_member_of_the_household_is_refused(seeded):
    """支援措置: a child hidden from the 福祉 clerk could not be listed, so the children counted and
    the amount would silently be wrong — refused naming no one; protected-capable staff certify."""
    parent, kids = next((p, k) for p, k in seeded if len(k) >= 2)
    hidden = kids[-1]
    amounts.set_amounts(AIZU, 2026, R8_TEST, SOURCE, SYSTEM)
    with tenant_context(AIZU):
        registry.set_measure(hidden, starts_on=TODAY, kind="dv")
        body = town.claim(parent, kids[:-1], claimed_on=date(2026, 12, 1), **FULL)
        with pytest.raises(Rejected) as refused:
            entitlement.apply_claim(body)
        row = entitlement.apply_claim(
            town.claim(parent, kids, claimed_on=date(2026, 12, 1), **FULL),
            visibility=registry.Visibility(protected=True),
        )
    assert [e["message"] for e in refused.value.errors] == [entitlement.HIDDEN_MEMBERS]
    assert hidden not in entitlement.HIDDEN_MEMBERS
    assert row.children == kids


def test_registering_the_year_revises_the_months_left_for_later(seeded, tmp_path, capsys):
    """An 認定 from 2025-11: its 支給年度 2025 stopped at 2026-03 (令和8年度 missing). ``amounts set``
    revises it — a new version paying 2026-04〜10 with the registered amounts, the earlier months
    still from the packaged data; run again (``revise``) it writes nothing twice."""
    parent, kids = seeded[0]
    with tenant_context(AIZU):
        row = entitlement.apply_claim(town.claim(parent, kids, claimed_on=date(2025, 10, 15), **FULL))
        first = Determination.objects.get(entitlement=row)
    assert first.until_month == date(2026, 3, 1) and first.amount_sources == [
        {"from_month": "2025-11", "source": "packaged"}
    ]
    given = tmp_path / "r8.json"
    given.write_text(json.dumps(R8_TEST), encoding="utf-8")
    command = ["child", "support-allowance", "amounts"]
    assert main([*command, "set", AIZU, "--year", "2026", "--file", str(given), "--source", SOURCE]) == 0
    assert "第1版" in capsys.readouterr().out
    with tenant_context(AIZU):
        latest = Determination.objects.filter(entitlement=row).order_by("-version").first()
        periods = list(
            latest.periods.order_by("from_month").values_list("from_month", "until_month", "monthly_total")
        )
    extra = len(kids) - 1
    assert latest.version == 2 and str(latest.reason) == "revised"
    assert periods == [
        (date(2025, 11, 1), date(2026, 3, 1), 46_690 + 11_030 * extra),
        (date(2026, 4, 1), date(2026, 10, 1), 50_000 + 12_000 * extra),
    ]
    assert latest.amount_sources == [
        {"from_month": "2025-11", "source": "packaged"},
        {"from_month": "2026-04", "source": "registered", "fiscal_year": 2026, "version": 1},
    ]
    assert main([*command, "revise", AIZU, "--year", "2026"]) == 0
    assert "額改定: 0 件" in capsys.readouterr().out
    assert main([*command, "show", AIZU, "--year", "2026"]) == 0
    shown = capsys.readouterr()
    assert json.loads(shown.out)["first"]["full"] == 50_000 and SOURCE in shown.err
    assert main([*command, "history", AIZU, "--year", "2025"]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_with(second__coefficient="0.004")), encoding="utf-8")
    assert main([*command, "set", AIZU, "--year", "2026", "--file", str(bad), "--source", SOURCE]) == 2
    assert "second.coefficient: 第2子以降の係数 0.004 が" in capsys.readouterr().err


def test_the_api_registers_with_its_own_scope(client, token_for, aizu):
    path = f"/api/v1/{AIZU}/child-support-allowance/amounts"
    body = {"fiscal_year": 2026, "amounts": R8_TEST, "source": SOURCE}

    def post(scopes, sent):
        token = token_for(AIZU, scopes=scopes)
        return client.post(
            path, json.dumps(sent), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    assert post(["child_support_allowance:write"], body).status_code == 403
    bad = post(["child_support_allowance:amounts"], {**body, "amounts": _with(first__coefficient="0.03")})
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["amounts.first.coefficient"]
    missing = {**R8_TEST, "limits": {k: v for k, v in R8_TEST["limits"].items() if k != "specific"}}
    unsaid = post(["child_support_allowance:amounts"], {**body, "amounts": missing})
    assert unsaid.status_code == 422
    assert [e["field"] for e in unsaid.json()["errors"]] == ["amounts.limits.specific"]
    created = post(["child_support_allowance:amounts"], body)
    assert created.status_code == 201 and created.json()["current"]["version"] == 1
    token = token_for(AIZU, scopes=["child_support_allowance:read"])
    got = client.get(f"{path}?fiscal_year=2026", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert (got["packaged"], got["current"]["source"], len(got["history"])) == (False, SOURCE, 1)
    assert client.get(f"{path}?fiscal_year=2027", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404


def test_a_decision_reads_a_registered_year_once(aizu, system_actor, django_assert_num_queries):
    """The twelve months of 令和8年度 (and the packaged March before) cost one query."""
    amounts.set_amounts(AIZU, 2026, R8_TEST, SOURCE, SYSTEM)
    with tenant_context(AIZU):
        resolve = amounts.Resolver()
        with django_assert_num_queries(1):
            found = {resolve(date(2026 + (m < 4), m, 1)).origin["source"] for m in range(1, 13)}
            assert resolve(date(2026, 3, 1)).origin == {"source": "packaged"}
    assert found == {"registered"}
