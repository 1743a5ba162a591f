"""The door other domains read (``services.entry_of``): a person's state on the roll on a day, in
one query and one audit line — the 在外選挙人名簿 asks it before an 出国時申請 (civil-facts §1.4)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.elections.conftest import ago, file_move_in, file_move_out
from yakuba.elections import services
from yakuba.elections.rules.dates import struck_off_from
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


def test_entry_of_follows_the_entry_through_its_days(registry, system_actor, django_assert_num_queries):
    voter = file_move_in(registry, "選挙 扉", "1970-05-05", moved=ago(400), notified=ago(400))
    stranger = file_move_in(registry, "選挙 未登録", "2020-05-05", moved=ago(400), notified=ago(400))
    registered = ago(300)
    with tenant_context(AIZU):
        services.register("election", registered, registered + timedelta(days=17))
    moved_out = ago(200)
    file_move_out(registry, voter, moved_out)
    with tenant_context(AIZU):
        services.register("election", ago(10), ago(-7))
        assert services.entry_of(voter, registered - timedelta(days=1)) is None
        with django_assert_num_queries(2):  # the entry, the audit line
            on_roll = services.entry_of(voter, registered)
        assert (on_roll.status, on_roll.registered_on, on_roll.tohyoku) == (
            "registered",
            registered,
            "第1投票区",
        )
        assert services.entry_of(voter, moved_out).status == "marked_moved_out"
        assert services.entry_of(voter, moved_out).moved_out_on == moved_out
        assert services.entry_of(voter, struck_off_from(moved_out)) is None
        assert services.entry_of(stranger, ago(1)) is None
        assert AuditEntry.objects.filter(resource="elections.roll", subject_ids__contains=[voter]).exists()
