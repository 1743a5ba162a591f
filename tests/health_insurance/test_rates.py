"""The municipality's rates per 年度 as data with history: every change a new version (who, when,
why), the current one the latest, checked as the calculation checks a 世帯 (every bad field named
in Japanese, nothing stored), and the 本算定 uses the stored version when no file is given."""

from __future__ import annotations

import json

import pytest

from tests.conftest import AIZU
from tests.health_insurance.conftest import CHILD_REARING, RATES
from tests.health_insurance.test_annual import FILE, YEAR, town  # noqa: F401 (fixture)
from yakuba.health_insurance.models import PremiumAssessment, RatesVersion
from yakuba.health_insurance.services import annual, rates
from yakuba.platform.audit.log import SYSTEM, Actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

CLERK = Actor("staff", "管理者 一郎")


def test_each_change_is_a_new_version_and_the_latest_is_current(aizu):
    first = rates.set_rates(AIZU, YEAR, FILE, "令和8年度 条例", CLERK)
    raised = {**FILE, "rates": {**FILE["rates"], "medical": {**RATES["medical"], "per_capita": 32000}}}
    second = rates.set_rates(AIZU, YEAR, raised, "議会の修正議決", CLERK)
    assert (first.version, second.version) == (1, 2)
    with tenant_context(AIZU):
        current = rates.rates_of(YEAR)
        assert current.version == 2 and current.payload["rates"]["medical"]["per_capita"] == 32000
        assert [(h.version, h.reason, h.created_by) for h in rates.history(YEAR)] == [
            (2, "議会の修正議決", "管理者 一郎"),
            (1, "令和8年度 条例", "管理者 一郎"),
        ]
        # the first version is kept as it was
        assert RatesVersion.objects.get(version=1).payload["rates"]["medical"]["per_capita"] == 30000
        assert rates.rates_of(YEAR - 1) is None
        audit = AuditEntry.objects.filter(resource=rates.RESOURCE).order_by("id")
        assert [a.detail["version"] for a in audit] == [1, 2] and audit[1].detail[
            "reason"
        ] == "議会の修正議決"
    # the 納期 are stored whole, defaults filled in
    assert current.payload["installments"] == {
        "months": [6, 7, 8, 9, 10, 11, 12, 1, 2, 3],
        "provisional_months": [],
        "unit": 1000,
    }


def test_every_bad_field_is_named_in_japanese_and_nothing_is_stored(aizu):
    bad = {
        "rates": {
            "medical": {"income_rate": "abc", "per_capita": -1},
            "support": {"income_rate": "2.5", "per_capita": 10000},
        },
        "installments": {"months": [7, 8], "unit": 7},
        "truncation": 5,
    }
    with pytest.raises(rates.RatesRejected) as refused:
        rates.set_rates(AIZU, YEAR, bad, "誤り", CLERK)
    fields = {e["field"]: e["message"] for e in refused.value.errors}
    assert set(fields) >= {
        "rates.medical.income_rate",
        "rates.medical.per_capita",
        "installments.months",
        "installments.unit",
        "truncation",
    }
    assert fields["rates.medical.per_capita"] == "0以上を指定してください"
    assert all(not m.isascii() for m in fields.values())
    # the 年度's own rules: from 令和8年度 the 子ども・子育て支援納付金分 is needed, and the 介護分
    without_child = {"rates": RATES, "reduction_thresholds": FILE["reduction_thresholds"]}
    with pytest.raises(rates.RatesRejected) as refused:
        rates.set_rates(AIZU, YEAR, without_child, "誤り", CLERK)
    assert [e["field"] for e in refused.value.errors] == ["rates.child_rearing"]
    no_care = {
        **FILE,
        "rates": {"child_rearing": CHILD_REARING, "medical": RATES["medical"], "support": RATES["support"]},
    }
    with pytest.raises(rates.RatesRejected, match="rates.care"):
        rates.set_rates(AIZU, YEAR, no_care, "誤り", CLERK)
    # 仮算定's months come before the 本算定's, 12 at most
    late = {**FILE, "installments": {"months": [6, 7, 8, 9, 10, 11, 12, 1], "provisional_months": [7]}}
    with pytest.raises(rates.RatesRejected, match="4月から翌年3月の順"):
        rates.set_rates(AIZU, YEAR, late, "誤り", CLERK)
    with pytest.raises(rates.RatesRejected, match="理由"):
        rates.set_rates(AIZU, YEAR, FILE, " ", CLERK)
    with tenant_context(AIZU):
        assert not RatesVersion.objects.exists()


def test_the_annual_run_uses_the_stored_rates_and_says_which_version(town):  # noqa: F811
    with pytest.raises(rates.RatesRejected, match="税率が登録されていません"):
        annual.run_annual(AIZU, YEAR)
    rates.set_rates(
        AIZU, YEAR, {**FILE, "installments": {"months": [7, 8, 9, 10, 11, 12, 1, 2]}}, "仮", SYSTEM
    )
    rates.set_rates(AIZU, YEAR, FILE, "条例どおり", SYSTEM)
    annual.run_annual(AIZU, YEAR)
    with tenant_context(AIZU):
        pages = AuditEntry.objects.filter(resource=annual.RESOURCE, action="create")
        assert pages.exists() and {p.detail["rates_version"] for p in pages} == {2}
        row = PremiumAssessment.objects.filter(total__gte=10_000).first()
        assert row.calculation["rates_version"] == 2
        assert row.installments[0][0] == "2026-06"  # version 2's 納期 (June – March)


def test_the_cli_sets_shows_and_lists_the_rates(aizu, tmp_path, capsys):
    from yakuba.cli import main

    path = tmp_path / "rates.json"
    path.write_text(json.dumps(FILE), encoding="utf-8")
    base = ["insurance", "kokuho", "rates"]
    assert main([*base, "set", AIZU, "--year", str(YEAR), "--file", str(path), "--reason", "条例"]) == 0
    assert "第1版" in capsys.readouterr().out
    assert main([*base, "show", AIZU, "--year", str(YEAR)]) == 0
    assert json.loads(capsys.readouterr().out)["rates"]["medical"]["per_capita"] == 30000
    assert main([*base, "history", AIZU, "--year", str(YEAR)]) == 0
    assert "第1版\t" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"rates": {"medical": {"per_capita": 1}}}), encoding="utf-8")
    assert main([*base, "set", AIZU, "--year", str(YEAR), "--file", str(bad), "--reason", "x"]) == 2
    err = capsys.readouterr().err
    assert "bad.json: rates.medical.income_rate: 入力してください" in err
    assert "bad.json: rates.support: 入力してください" in err


def test_the_api_reads_and_adds_versions_with_its_scopes(aizu, client, token_for):
    url = f"/api/v1/{AIZU}/insurance/kokuho/rates"
    reader = {"HTTP_AUTHORIZATION": f"Bearer {token_for(AIZU, scopes=['kokuho:read'])}"}
    writer = {"HTTP_AUTHORIZATION": f"Bearer {token_for(AIZU, scopes=['kokuho:read', 'kokuho:rates'])}"}
    body = {"fiscal_year": YEAR, "payload": FILE, "reason": "条例"}

    def post(given, headers):
        return client.post(url, data=json.dumps(given), content_type="application/json", **headers)

    assert client.get(url, {"fiscal_year": YEAR}, **reader).status_code == 404  # none yet
    assert post(body, reader).status_code == 403
    created = post(body, writer)
    assert created.status_code == 201, created.content
    assert created.json()["current"]["version"] == 1
    bad = post({**body, "payload": {"rates": {"medical": {"per_capita": -1}}}}, writer)
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {
        "payload.rates.medical.per_capita",
        "payload.rates.medical.income_rate",
        "payload.rates.support",
    } <= fields
    read = client.get(url, {"fiscal_year": YEAR}, **reader)
    assert read.status_code == 200 and [v["reason"] for v in read.json()["history"]] == ["条例"]
    assert read.json()["current"]["created_by"].startswith("test-client-")
