"""The 保育 records through the door (services/services.py) on real PostgreSQL: a 認定 with its
versions, event and audit row; the 利用者負担 決定 of a 年度 following the previous 年度's tax for
April–August and the current one's from September, before the 住宅ローン控除, with the older
sibling counted (the registry's 世帯); the 利用調整 by the municipality's 基準 with the steps of
each score; 支援措置 never leaking; the query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.childcare.conftest import (
    HOUSING_LOAN,
    MOTHER_BIRTH,
    SALARIES,
    expected_levy,
    levy_before_credits,
    tax_body,
)
from tests.conftest import AIZU
from tests.registry.ui.test_screens import protect
from yakuba.childcare import services
from yakuba.childcare.events import ALLOCATED, CERTIFIED, FEE_DECIDED
from yakuba.childcare.models import Certification, FeeDetermination
from yakuba.childcare.services import CalculationRejected
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.services import NotFound
from yakuba.tax.services import assessment

pytestmark = pytest.mark.django_db

# 国基準 3号 保育標準時間 (data/hoiku.toml): (所得割 below, 月額).
NATIONAL_UNDER3 = [
    (48_600, 19_500),
    (97_000, 30_000),
    (169_000, 44_500),
    (301_000, 61_000),
    (397_000, 80_000),
]


def national_under3(levy: int) -> int:
    return next((amount for bound, amount in NATIONAL_UNDER3 if levy < bound), 104_000)


def certify(atena: list[str], **extra) -> services.CertificationOut:
    father, mother, _sibling, baby = atena[:4]
    body = {
        "child_atena_no": baby,
        "base_date": "2024-04-01",
        "parents": [
            {"atena_no": father, "reason": "work", "monthly_hours": 160},
            {"atena_no": mother, "reason": "work", "monthly_hours": 120},
        ],
        **extra,
    }
    return services.apply_certification(services.CertificationIn.model_validate(body))


def test_a_certification_is_versioned_with_its_event_and_audit(family):
    with tenant_context(AIZU):
        first = certify(family)
        assert (first.kind, first.need, first.valid_until) == ("3", "standard", date(2025, 9, 29))
        changed = certify(
            family,
            certificate_no=first.certificate_no,
            parents=[
                {"atena_no": family[0], "reason": "work", "monthly_hours": 160},
                {"atena_no": family[1], "reason": "work", "monthly_hours": 80},
            ],
        )
        assert (changed.certificate_no, changed.version, changed.need) == (first.certificate_no, 2, "short")
        assert Certification.objects.count() == 2  # the first version stays as it was
        events = list(Event.objects.filter(type=CERTIFIED).order_by("time"))
        assert [e.data["version"] for e in events] == [1, 2] and events[0].subject == family[3]
        assert "monthly_hours" not in events[0].data
        audit = AuditEntry.objects.filter(resource="childcare.certification").first()
        assert set(audit.subject_ids) == {family[3], family[0], family[1]}
        history = services.child_records(family[3])
        assert [c.version for c in history.certifications] == [1, 2] and history.name == "保育 次郎"


def test_bad_certifications_name_every_field(family):
    body = {
        "child_atena_no": family[3],
        "base_date": "2024-04-01",
        "certificate_no": "99999999",
        "parents": [
            {"atena_no": family[3], "reason": "work", "monthly_hours": 20},
            {"atena_no": "999999999", "reason": "work", "monthly_hours": 160},
        ],
    }
    with tenant_context(AIZU), pytest.raises(CalculationRejected) as refused:
        services.check_certification(services.CertificationIn.model_validate(body))
    fields = [e["field"] for e in refused.value.errors]
    assert fields == [
        "parents[0].atena_no",
        "parents[1].atena_no",
        "certificate_no",
        "parents[0].monthly_hours",
    ]


def test_the_fee_follows_the_previous_years_tax_until_august_and_the_current_from_september(family):
    with tenant_context(AIZU):
        cert = certify(family)
        decided = services.decide_fee(
            services.FeeDecisionIn(certificate_no=cert.certificate_no, fiscal_year=2024)
        )
    before, after = decided.ranges
    assert (before.from_month, before.until_month, before.tax_year) == ("2024-04", "2024-08", 2023)
    assert (after.from_month, after.until_month, after.tax_year) == ("2024-09", "2025-03", 2024)
    # 次郎 is the 2nd child: 太郎 (クラス年齢 4, before 小学校) counts first — half of the tier.
    for fee, year in ((before, 2023), (after, 2024)):
        assert fee.rank == 2 and fee.base == national_under3(expected_levy(year))
        assert fee.amount == fee.base // 2
    assert before.amount != after.amount
    # The mother's 2024年度 住宅ローン控除 lowered her tax, not the 所得割 the fee rests on.
    with tenant_context(AIZU):
        taxed = assessment.versions(family[1], 2024)[-1].calculation_result["municipal"]["income_levy"]
    mother = levy_before_credits(tax_body(MOTHER_BIRTH, SALARIES[2024][1], 2024))
    assert taxed < mother and f"市町村民税所得割（税額控除前）{mother:,}円" in " ".join(after.steps)
    assert HOUSING_LOAN > 0
    with tenant_context(AIZU):
        assert FeeDetermination.objects.filter(decision_no=decided.decision_no).count() == 2
        event = Event.objects.get(type=FEE_DECIDED)
        assert event.data["months"][1] == {"from": "2024-09", "until": "2025-03", "amount": after.amount}


def test_months_whose_tax_is_not_decided_are_left_out(family):
    """2025年度: April–August follow the 2024年度 tax; the 2025年度 one was never assessed here."""
    with tenant_context(AIZU):
        cert = certify(family)
        decided = services.decide_fee(
            services.FeeDecisionIn(certificate_no=cert.certificate_no, fiscal_year=2025)
        )
    assert [(r.from_month, r.until_month) for r in decided.ranges] == [("2025-04", "2025-08")]
    assert decided.left_out[0] == "2025年9月分: 2025年度の市町村民税が未決定"


def _facility(code: str, places: dict) -> None:
    services.save_facility(
        services.FacilityIn(
            code=code,
            name=f"{code}保育園",
            fiscal_year=2025,
            places=[{"class_age": k, "places": v} for k, v in places.items()],
        )
    )


def _apply(
    cert: services.CertificationOut, parents: list[dict], choices: list[str], *, protected=False, **extra
) -> services.ApplicationOut:
    body = {
        "certificate_no": cert.certificate_no,
        "month": "2025-04",
        "choices": choices,
        "parents": parents,
        "applied_on": "2024-11-01",
        **extra,
    }
    return services.apply_application(services.ApplicationIn.model_validate(body), protected=protected)


FULL = {"reason": "work", "detail": "outside", "monthly_hours": 160}


def test_the_allocation_ranks_by_the_base_and_explains_each_result(family):
    child2 = family[5]
    with tenant_context(AIZU):
        _facility("N1", {2: 1})
        _facility("N2", {2: 0})
        ours = certify(family)
        single = _single(family, child2)
        a = _apply(ours, [FULL, FULL], ["N1", "N2"])
        b = _apply(single, [FULL], ["N1"], adjustments=["single_parent"])
        assert (a.score, b.score) == (200, 220) and a.class_age == b.class_age == 2
        assert a.income_levy == expected_levy(2024)  # April follows the previous 年度 (2024)
        run = services.run_allocation("2025-04")
    assert (run.offered, run.pending) == (1, 1)
    first, second = run.results
    assert (first.application_no, first.outcome, first.facility, first.choice) == (
        b.application_no,
        "offered",
        "N1",
        1,
    )
    assert (second.outcome, second.facility) == ("pending", "")
    assert "基準指数 保護者2: 不在（ひとり親世帯）: 100" in first.steps
    assert second.steps[-3:] == [
        "第1希望 N1（2歳児）: 空きなし",
        "第2希望 N2（2歳児）: 空きなし",
        "保留（希望する施設に空きがない）",
    ]
    assert first.name == "園田 空"
    with tenant_context(AIZU):
        events = Event.objects.filter(type=ALLOCATED)
        assert {e.data["outcome"] for e in events} == {"offered", "pending"}
        # A later month of the 年度 has the place given away.
        assert services.places_left(date(2025, 5, 1))[("N1", 2)] == 0


def test_a_protected_child_never_leaks(family):
    protect(family[3])
    with tenant_context(AIZU):
        with pytest.raises(NotFound):
            services.child_records(family[3])
        assert services.child_records(family[3], protected=True).atena_no == family[3]
        with pytest.raises(CalculationRejected):
            certify(family)
        certify_ok = services.apply_certification(
            services.CertificationIn.model_validate(
                {
                    "child_atena_no": family[3],
                    "base_date": "2024-04-01",
                    "parents": [{"reason": "work", "monthly_hours": 160}],
                }
            ),
            protected=True,
        )
        _facility("N1", {2: 1})
        with pytest.raises(CalculationRejected):
            _apply(certify_ok, [FULL, FULL], ["N1"])
        _apply(certify_ok, [FULL, FULL], ["N1"], protected=True)
        run = services.run_allocation("2025-04")
        assert run.results[0].name == ""  # no name for a caller who may not see the child
        assert services.allocation_run(run.run, protected=True).results[0].name == "保育 次郎"


def _single(family, child: str) -> services.CertificationOut:
    body = {
        "child_atena_no": child,
        "base_date": "2024-04-01",
        "parents": [{"atena_no": family[4], "reason": "work", "monthly_hours": 160}],
    }
    return services.apply_certification(services.CertificationIn.model_validate(body))


def one_and_many_runs(family) -> tuple[int, int]:
    """Two runs of 2025-04: one with a single application, then one with five children's."""
    with tenant_context(AIZU):
        _facility("N1", {2: 5})
        certs = [_single(family, child) for child in family[5:10]]
        _apply(certs[0], [FULL], ["N1"], adjustments=["single_parent"])
        one = services.run_allocation("2025-04").run
        for cert in certs[1:]:
            _apply(cert, [FULL], ["N1"], adjustments=["single_parent"])
        return one, services.run_allocation("2025-04").run


def test_the_result_list_reads_in_the_same_queries_for_one_or_many(family):
    one, many = one_and_many_runs(family)
    with tenant_context(AIZU):
        counts = []
        for run in (one, many):
            with CaptureQueriesContext(connections["default"]) as captured:
                services.allocation_run(run)
            counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_class_age_given_twice_is_refused(aizu):
    twice = [{"class_age": 1, "places": 3}, {"class_age": 1, "places": 4}]
    with tenant_context(AIZU), pytest.raises(CalculationRejected) as refused:
        services.save_facility(
            services.FacilityIn(code="N9", name="第九保育園", fiscal_year=2025, places=twice)
        )
    assert refused.value.errors == [
        {"field": "places[1].class_age", "message": "同じクラス年齢が2回あります"}
    ]


def test_one_certification_at_a_time_and_the_latest_application_counts(family):
    with tenant_context(AIZU):
        first = certify(family)
        with pytest.raises(CalculationRejected) as refused:
            certify(family)
        message = f"この子どもには有効期間の重なる認定（認定証番号 {first.certificate_no}）があります。その変更として入力してください"
        assert refused.value.errors == [{"field": "certificate_no", "message": message}]
        _facility("N1", {2: 1})
        _facility("N2", {2: 1})
        _apply(first, [FULL, FULL], ["N1"])
        changed = _apply(first, [FULL, FULL], ["N2", "N1"])
        run = services.run_allocation("2025-04")
    assert [(r.application_no, r.facility) for r in run.results] == [(changed.application_no, "N2")]


def test_a_fee_needs_the_parents_tax(family):
    """A 1号 認定 given without its parents' 宛名番号: the 所得割 cannot be read, so no 決定."""
    body = {"child_atena_no": family[2], "base_date": "2024-04-01", "care": False}
    with tenant_context(AIZU):
        one = services.apply_certification(services.CertificationIn.model_validate(body))
        assert (one.kind, one.need) == ("1", "")
        with pytest.raises(CalculationRejected) as refused:
            services.decide_fee(services.FeeDecisionIn(certificate_no=one.certificate_no, fiscal_year=2024))
    assert [e["field"] for e in refused.value.errors] == ["certificate_no"]


def test_multiples_are_counted_in_registration_order_not_all_as_the_second(family):
    """園田's five children were born the same day: the first registered is the 1st, the next
    the 2nd … (a same-day sibling counts as older only when registered first)."""
    with tenant_context(AIZU):
        certs = [_single(family, child) for child in family[5:10]]
        ranks = [
            services.check_fee(services.FeeDecisionIn(certificate_no=c.certificate_no, fiscal_year=2024))[
                "ranges"
            ][0].rank
            for c in certs
        ]
    assert ranks == [1, 2, 3, 4, 5]
