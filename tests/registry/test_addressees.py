"""``residents_of``: the records of a page of persons for a batch of mailed documents — 住民 and
除票 alike, a protected person left out for a caller without the right, three queries whatever
the number of persons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.registry.conftest import TODAY, days_ago
from tests.registry.test_move_rules import family
from tests.registry.test_protection_and_reads import protect
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.tenancy.context import require_tenant, tenant_context
from yakuba.registry import services
from yakuba.registry.services.archive import archive_removed

pytestmark = pytest.mark.django_db


def test_the_records_of_residents_and_archived_persons_masked_for_the_caller(registry):
    from yakuba.registry.models import Resident

    setai, (taro, hanako, ichiro) = family(registry)
    registry.move({"kind": "death", "move_date": days_ago(1), "persons": [{"atena_no": ichiro}]})
    with bind_actor(SYSTEM), tenant_context(AIZU):
        Resident.objects.filter(atena_no=ichiro).update(removed_on=TODAY - timedelta(days=5 * 366))
        assert archive_removed() == 1
        found = services.residents_of([taro, hanako, ichiro, "99999999"])
        assert set(found) == {taro, hanako, ichiro}
        assert found[taro].setai_no == setai and found[taro].address and found[taro].my_number is None
        assert found[ichiro].removal_reason == "death"  # from the 除票
    protect(hanako, summary="DV")
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert set(services.residents_of([taro, hanako])) == {taro}
        seen = services.residents_of([taro, hanako], visibility=services.Visibility(protected=True))
        assert seen[hanako].protected and not seen[taro].protected
        with CaptureQueriesContext(connections[require_tenant().alias]) as queries:
            services.residents_of([taro, hanako, ichiro])
        assert len(queries) == 3  # 支援措置, 住民, 除票
