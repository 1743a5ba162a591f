"""被保険者 記号・番号 and 枝番: one number per 国保世帯 from the municipality's sequence, a 枝番 per
person given at the first 取得 in the 世帯, kept across a 喪失 and 再取得, never given twice."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.db import connections

from tests.conftest import AIZU
from tests.health_insurance.test_qualification import family  # noqa: F401 (fixture)
from tests.registry.conftest import TODAY, days_ago, move_body, person, registry  # noqa: F401 (fixture)
from yakuba.health_insurance import services as kokuho
from yakuba.health_insurance.codes import AcquiredReason, LostReason
from yakuba.health_insurance.models import InsuredNumbering, KokuhoHousehold, Member
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_household_is_numbered_once_and_each_member_gets_a_branch(family, registry):  # noqa: F811
    setai_no, (head, wife, father) = family
    with tenant_context(AIZU):
        numbers = kokuho.insured_numbers([head, wife, father, "999999999"])
        household = KokuhoHousehold.objects.get(setai_no=setai_no)
        assert AuditEntry.objects.filter(resource="health_insurance.insured_number").exists()
    symbol = AIZU[:5]
    assert numbers == {
        head: (symbol, household.insured_number, "01"),
        wife: (symbol, household.insured_number, "02"),
        father: (symbol, household.insured_number, "03"),
    }
    assert len(household.insured_number) == 8 and household.last_branch == 3
    # a 喪失 and 再取得 in the same 世帯 keeps the 枝番; a newborn gets the next, never 02 again
    with tenant_context(AIZU):
        kokuho.withdraw(wife, TODAY - timedelta(days=10), LostReason.JOINED_EMPLOYEE_INSURANCE, TODAY)
        kokuho.enrol(wife, TODAY - timedelta(days=2), AcquiredReason.LEFT_EMPLOYEE_INSURANCE, TODAY)
    baby = registry.move(
        move_body(
            "birth",
            [person("国保 桜", "コクホ サクラ", days_ago(1), 2, "子", previous_address="")],
            household={"setai_no": setai_no},
            move_date=days_ago(1),
        )
    )["persons"][0]["atena_no"]
    kokuho.follow(AIZU)
    with tenant_context(AIZU):
        again = kokuho.insured_numbers([wife, baby])
        assert KokuhoHousehold.objects.get(setai_no=setai_no).insured_number == household.insured_number
    assert again[wife][2] == "02" and again[baby][2] == "04"


def test_households_take_the_next_numbers_of_the_sequence(registry, system_actor):  # noqa: F811
    moved = [
        registry.move_in(person(f"番号 {kana}", f"バンゴウ {kana}", "1970-01-01", 1), move_date=days_ago(20))
        for kana in ("イチ", "ニ", "サン")
    ]
    kokuho.seed_insured(AIZU, TODAY - timedelta(days=1))
    waiting = registry.move_in(person("待機 一郎", "タイキ イチロウ", "1970-01-01", 1), move_date=days_ago(0))
    kokuho.follow(AIZU)  # the 転入 leaves a 加入届 to confirm: its 世帯 is known, not in 国保
    with tenant_context(AIZU):
        assert KokuhoHousehold.objects.get(setai_no=waiting["setai_no"]).insured_number == ""
        numbers = sorted(
            KokuhoHousehold.objects.exclude(insured_number="").values_list("insured_number", flat=True)
        )
        assert numbers == [f"{n:08d}" for n in range(1, len(numbers) + 1)]
        assert len(numbers) >= len(moved)
        assert InsuredNumbering.objects.get().last == len(numbers)
        heads = [m["persons"][0]["atena_no"] for m in moved]
        assert {b for _s, _n, b in kokuho.insured_numbers(heads).values()} == {"01"}


def test_the_migration_numbers_the_households_recorded_before(registry, system_actor):  # noqa: F811
    """Migration 0003's statements over 世帯 and members recorded without numbers."""
    migration = importlib.import_module("yakuba.health_insurance.migrations.0003_insured_numbers")
    for kana in ("イチ", "ニ"):
        registry.move_in(person(f"移行 {kana}", f"イコウ {kana}", "1970-01-01", 1), move_date=days_ago(20))
    kokuho.seed_insured(AIZU, TODAY - timedelta(days=1))
    with tenant_context(AIZU):
        assigned = dict(KokuhoHousehold.objects.values_list("setai_no", "insured_number"))
        branches = dict(Member.objects.values_list("atena_no", "branch"))
        KokuhoHousehold.objects.update(insured_symbol="", insured_number="", last_branch=0)
        Member.objects.update(branch=None, branch_setai_no="")
        InsuredNumbering.objects.all().delete()
        with connections["default"].cursor() as cursor:
            for sql in migration._EXISTING:
                cursor.execute(sql, {"lg": AIZU})
        assert dict(KokuhoHousehold.objects.values_list("setai_no", "insured_number")) == assigned
        assert dict(Member.objects.values_list("atena_no", "branch")) == branches
        assert InsuredNumbering.objects.get().last == len(assigned)
