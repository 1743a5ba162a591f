"""The demo hook: a book and a held application on the first start, nothing more on the next."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from yakuba.overseas_electors.demo import populate
from yakuba.overseas_electors.services import queries
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


def test_the_demo_registers_two_and_holds_one_once(aizu):
    assert populate(AIZU) == "在外選挙人名簿: 登録 2 人、審査中 1 件"
    assert populate(AIZU) == "在外選挙人名簿（前回の起動で作成済み）"
    with bind_actor(SYSTEM), tenant_context(AIZU):
        lines, _after = queries.book(timezone.localdate())
        assert [x.name for x in lines] == ["在外 一郎", "在外 花子"]
        assert [a.name for a in queries.pending()] == ["在外 次郎"]
