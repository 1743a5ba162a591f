"""``serve --demo``: the 児童手当 hook certifies some families of the demo town once."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import AIZU
from yakuba.child_allowance.demo import populate
from yakuba.child_allowance.models import AmountPeriod, Entitlement
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.generate import generate_population

pytestmark = pytest.mark.django_db


def test_the_demo_certifies_families_once(aizu, system_actor):
    with tenant_context(AIZU):
        generate_population(200, seed=5, as_of=date(2026, 1, 1))
    first = populate(AIZU)
    with tenant_context(AIZU):
        made = Entitlement.objects.count()
        assert made > 0 and AmountPeriod.objects.filter(monthly_total__gt=0).count() == made
    assert first == f"児童手当 受給者 {made:,} 人を認定しました"
    assert populate(AIZU) == f"児童手当 受給者 {made:,} 人（前回の起動で作成済み）"
