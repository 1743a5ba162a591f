"""``field__any``: the same rows as ``__in``, with one array parameter whatever the list's length."""

from __future__ import annotations

from tests.conftest import AIZU
from yakuba.platform.tenancy.context import tenant_context
from yakuba.platform.tenancy.models import Municipality


def test_any_finds_what_in_finds_with_one_parameter(aizu):
    with tenant_context(AIZU):
        wanted = [AIZU, "999999", *(f"{n:06d}" for n in range(2_000))]
        by_any = Municipality.objects.using("default").filter(lg_code__any=wanted)
        by_in = Municipality.objects.using("default").filter(lg_code__in=wanted)
        assert list(by_any.values_list("lg_code", flat=True)) == list(by_in.values_list("lg_code", flat=True))
        assert [AIZU] == list(by_any.values_list("lg_code", flat=True))
        sql, params = by_any.query.sql_with_params()
        assert "= ANY(%s)" in sql and len(params) == 1
        assert not Municipality.objects.using("default").filter(lg_code__any=[]).exists()
