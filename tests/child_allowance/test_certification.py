"""認定請求 through the door against the real registry and tax app: the 受給者 by income (or the
household's choice), 公務員 refused, the children of the 世帯 with the 確認書, 支給開始月, the
first amount with the engine's steps, the event and the audit row."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.child_allowance.conftest import claim_body
from tests.conftest import AIZU
from tests.registry.conftest import TODAY, person, registry  # noqa: F401 (fixture)
from yakuba.child_allowance import services as allowance
from yakuba.child_allowance.events import CERTIFIED
from yakuba.child_allowance.models import AmountPeriod, CountedChild, Entitlement
from yakuba.child_allowance.services.timing import next_month
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry_door
from yakuba.tax.services import assessment, income_generate

SEE = registry_door.Visibility()


@pytest.fixture
def family(registry, system_actor):  # noqa: F811
    """A couple, a 20-year-old student, a 高校生 and a 小学生 moved in last month."""
    filed = registry.move_in(
        person("手当 一郎", "テアテ イチロウ", "1980-05-10", 1, "世帯主"),
        person("手当 花子", "テアテ ハナコ", "1982-08-20", 2, "妻"),
        person("手当 大学", "テアテ ダイガク", "2006-07-01", 1, "子"),
        person("手当 高校", "テアテ コウコウ", "2010-05-01", 2, "子"),
        person("手当 小学", "テアテ ショウガク", "2016-02-10", 1, "子"),
        move_date=(TODAY - timedelta(days=40)).isoformat(),
    )
    return [p["atena_no"] for p in filed["persons"]]


def claim(claimant: str, claimed_on=TODAY, **extra) -> allowance.ClaimIn:
    """A 認定請求 (today unless given); without the household's choice unless given."""
    return allowance.ClaimIn.model_validate(
        claim_body(claimant, claimed_on, **{"household_choice": False, **extra})
    )


def fields(exc) -> dict[str, str]:
    return {e["field"]: e["message"] for e in exc.value.errors}


def test_certify_counts_the_student_with_the_confirmation(family):
    head, wife, student, high, primary = family
    with tenant_context(AIZU):
        # The tax app knows neither parent's 所得: the household's choice must be recorded.
        with pytest.raises(allowance.ClaimRejected) as exc:
            allowance.certification.check_claim(claim(head), visibility=SEE)
        assert "household_choice" in fields(exc)
        done = allowance.certification.certify(
            claim(head, household_choice=True, bears_costs=[student]), visibility=SEE
        )
        entitlement = Entitlement.objects.get(id=done.entitlement_id)
        assert (entitlement.first_month, entitlement.choice_basis, entitlement.spouse_atena_no) == (
            next_month(TODAY),
            "declared",
            wife,
        )
        assert entitlement.account_holder_kana == "ﾃｱﾃ ｲﾁﾛｳ"  # 半角 as the bank file takes it
        period = AmountPeriod.objects.get(entitlement=entitlement)
        # 第1子 (大学生年代, counted with the 確認書) 0, 第2子 10,000, 第3子 30,000 (facts §6)
        assert [(c["atena_no"], c["rank"], c["monthly"]) for c in period.children] == [
            (student, 1, 0),
            (high, 2, 10000),
            (primary, 3, 30000),
        ]
        assert (period.monthly_total, period.until_month, period.reason) == (40000, None, "certified")
        assert period.steps[-1] == "月額の合計: 40,000円"
        event = Event.objects.get(type=CERTIFIED)
        assert event.subject == head and event.data["monthly_total"] == 40000
        assert "children" in event.data and student not in str(event.data)  # no child named
        assert AuditEntry.objects.filter(resource="child_allowance.entitlement", action="create").exists()
        # The same claimant again, and a child already counted by the spouse, are refused.
        with pytest.raises(allowance.ClaimRejected) as exc:
            allowance.certification.check_claim(claim(head, household_choice=True), visibility=SEE)
        assert "すでに" in fields(exc)["claimant_atena_no"]
        with pytest.raises(allowance.ClaimRejected) as exc:
            allowance.certification.check_claim(claim(wife, household_choice=True), visibility=SEE)
        assert "他の受給者" in fields(exc)["children"]


def test_without_the_confirmation_the_student_is_not_counted(family):
    head, _wife, student, high, primary = family
    with tenant_context(AIZU):
        plan = allowance.certification.check_claim(claim(head, household_choice=True), visibility=SEE)
    # 第1子 高校生 10,000, 第2子 小学生 10,000: the student neither counted nor listed
    assert [(c["atena_no"], c["rank"], c["monthly"]) for c in plan.amount.children] == [
        (high, 1, 10000),
        (primary, 2, 10000),
    ]
    assert student not in {c.counted.atena_no for c in plan.children}


def test_public_servants_and_bad_accounts_are_refused_naming_each_field(family):
    head, *_ = family
    with tenant_context(AIZU), pytest.raises(allowance.ClaimRejected) as exc:
        allowance.certification.check_claim(
            claim(head, household_choice=True, public_servant=True, account_holder_kana="手当"),
            visibility=SEE,
        )
    found = fields(exc)
    assert "勤務先" in found["public_servant"]
    assert "全銀ファイルで使えない文字" in found["account_holder_kana"]


def test_the_15_day_rule_starts_the_month_after_the_event(family):
    """An event on the last day of a month: a 請求 on the 15th day after it pays from the next
    month; one day later, from the month after the 請求 (facts §6)."""
    head, *_ = family
    last_month = TODAY.replace(day=1) - timedelta(days=1)
    event_on = last_month.replace(day=1) - timedelta(days=1)  # the last day of the month before
    starts = []
    with tenant_context(AIZU):
        for late in (15, 16):
            claimed_on = event_on + timedelta(days=late)
            body = claim(
                head, household_choice=True, event_on=event_on.isoformat(), claimed_on=claimed_on.isoformat()
            )
            starts.append(allowance.certification.check_claim(body, visibility=SEE).first_month)
    assert starts == [last_month.replace(day=1), TODAY.replace(day=1)]


def test_the_parent_with_the_higher_income_claims(registry, system_actor):  # noqa: F811
    """受給者 = the parent with the higher 所得 (facts §6), read through the tax app's door: a
    family registered before the 賦課期日, so the 年度's 個人住民税 assessed both parents."""
    year = allowance.certification.income_year(TODAY)
    filed = registry.move_in(
        person("所得 一郎", "ショトク イチロウ", "1980-05-10", 1, "世帯主"),
        person("所得 花子", "ショトク ハナコ", "1982-08-20", 2, "妻"),
        person("所得 小学", "ショトク ショウガク", "2016-02-10", 1, "子"),
        move_date=f"{year - 1}-12-01",
    )
    head, wife, _child = (p["atena_no"] for p in filed["persons"])
    with tenant_context(AIZU):
        income_generate.generate(year)
    assessment.run_initial(AIZU, year)
    with tenant_context(AIZU):
        figures = assessment.figures_of([head, wife], year)
        if len(figures) < 2 or figures[head].total_income == figures[wife].total_income:
            pytest.skip("the generated incomes do not tell the parents apart")
        higher, lower = sorted([head, wife], key=lambda a: figures[a].total_income, reverse=True)
        with pytest.raises(allowance.ClaimRejected) as exc:
            allowance.certification.check_claim(claim(lower), visibility=SEE)
        assert higher in fields(exc)["claimant_atena_no"]
        plan = allowance.certification.check_claim(claim(higher), visibility=SEE)
        assert plan.choice_basis == "income"
        assert CountedChild.objects.count() == 0  # check_claim writes nothing


def test_a_household_with_a_member_hidden_from_the_clerk_is_refused_not_undercounted(family):
    """A clerk who may not see a protected child would otherwise certify the 世帯 without him —
    one child fewer, a lower rank for the rest, the wrong amount. Refused, naming no one; staff
    who may see protected persons certify it whole."""
    from tests.registry.ui.test_screens import protect

    head, _wife, student, high, _primary = family
    protect(high)
    with tenant_context(AIZU):
        with pytest.raises(allowance.ClaimRejected) as exc:
            allowance.certification.check_claim(claim(head, household_choice=True), visibility=SEE)
        assert fields(exc)["claimant_atena_no"] == allowance.certification.HIDDEN_MEMBERS
        assert "手当 高校" not in str(exc.value.errors)
        done = allowance.certification.certify(
            claim(head, household_choice=True, bears_costs=[student]),
            visibility=registry_door.Visibility(protected=True),
        )
        assert high in {c.atena_no for c in CountedChild.objects.filter(entitlement_id=done.entitlement_id)}
