"""The clerk's 訂正: a wrong 資格 row is voided by a 訂正 row naming it, never rewritten."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.health_insurance.test_qualification import family  # noqa: F401 (fixture)
from tests.registry.conftest import TODAY, registry  # noqa: F401 (fixture)
from yakuba.health_insurance import services as kokuho
from yakuba.health_insurance.codes import LostReason
from yakuba.health_insurance.models import Member, Qualification
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_wrong_loss_is_voided_and_the_member_is_insured_again(family):  # noqa: F811
    _setai, (_head, wife, _father) = family
    with tenant_context(AIZU):
        kokuho.withdraw(wife, TODAY, LostReason.JOINED_EMPLOYEE_INSURANCE, TODAY)
        wrong = Qualification.objects.filter(atena_no=wife, change="lost").get()
        assert wife not in kokuho.insured_on(TODAY)
        kokuho.correct(wife, wrong.id, "社保加入は別人の届出だった")
        assert wife in kokuho.insured_on(TODAY)
        assert Member.objects.get(atena_no=wife).insured
        assert Qualification.objects.get(corrects=wrong.id).change == "corrected"
        assert Qualification.objects.filter(id=wrong.id).exists()  # never rewritten
        assert AuditEntry.objects.filter(detail__corrects=wrong.id).exists()
        with pytest.raises(kokuho.QualificationRejected, match="すでに訂正"):
            kokuho.correct(wife, wrong.id, "二度目")
        with pytest.raises(kokuho.QualificationRejected, match="理由"):
            kokuho.correct(wife, wrong.id, " ")
        acquired = Qualification.objects.filter(atena_no=wife, change="acquired").get()
        kokuho.correct(wife, acquired.id, "転入日の誤り")
        assert wife not in kokuho.insured_on(TODAY - timedelta(days=1))
        assert not Member.objects.get(atena_no=wife).insured
