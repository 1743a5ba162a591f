"""The 児童手当 tables hold their invariants in the database itself."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.conftest import AIZU
from yakuba.child_allowance.models import AmountPeriod, Entitlement
from yakuba.platform.tenancy.context import tenant_context


def _entitlement() -> Entitlement:
    return Entitlement.objects.create(
        lg_code=AIZU,
        claimant_atena_no="1",
        setai_no="1",
        choice_basis="income",
        claimed_on=date(2025, 1, 10),
        certified_on=date(2025, 1, 10),
        first_month=date(2025, 2, 1),
        bank_code="0001",
        branch_code="001",
        account_type="1",
        account_number="1234567",
        account_holder_kana="ｱｲﾂﾞ ﾀﾛｳ",
        created_at=timezone.now(),
        created_by="test",
    )


def _period(entitlement, start, until=None) -> AmountPeriod:
    return AmountPeriod.objects.create(
        lg_code=AIZU,
        entitlement=entitlement,
        from_month=start,
        until_month=until,
        monthly_total=10000,
        children=[],
        reason="certified",
        created_at=timezone.now(),
        created_by="test",
    )


def test_periods_of_one_entitlement_never_overlap(aizu):
    with tenant_context(AIZU):
        entitlement = _entitlement()
        _period(entitlement, date(2025, 2, 1), date(2025, 5, 1))
        _period(entitlement, date(2025, 6, 1))
        with pytest.raises(IntegrityError), transaction.atomic():
            _period(entitlement, date(2025, 5, 1))  # May is in the first period (inclusive)
        with pytest.raises(IntegrityError), transaction.atomic():
            _period(entitlement, date(2026, 1, 1))  # the open period runs on


def test_one_active_entitlement_per_claimant(aizu):
    with tenant_context(AIZU):
        _entitlement()
        with pytest.raises(IntegrityError), transaction.atomic():
            _entitlement()
