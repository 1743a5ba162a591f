"""The 表示 of loss of 選挙権 and its 消除 (公職選挙法27条1項): the roll shows
``marked_lost_suffrage`` from the day of the 表示 until the day it is removed; a history line and a
MARKED event each; bad input named by field; ``elections suffrage mark|restore``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.elections.conftest import TODAY, ago, file_move_in
from yakuba.cli import main
from yakuba.elections import events, services
from yakuba.elections.models import EntryChange
from yakuba.elections.services import suffrage
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def voter(registry, system_actor):
    atena_no = file_move_in(registry, "選挙権 表示", "1970-01-01", moved=ago(400), notified=ago(400))
    with tenant_context(AIZU):
        services.register("election", ago(100), ago(83))
    return atena_no


def status(atena_no, on):
    with tenant_context(AIZU):
        return services.entry_of(atena_no, on).status


def test_marked_from_its_day_until_restored(voter, system_actor):
    with tenant_context(AIZU):
        suffrage.mark(voter, ago(50), "sentence")
        suffrage.restore(voter, ago(20))
        lines = list(
            EntryChange.objects.filter(run__isnull=True).order_by("id").values_list("change", "on", "detail")
        )
        sent = [e.data for e in Event.objects.filter(type=events.MARKED, subject=voter).order_by("seq")]
    assert [status(voter, d) for d in (ago(51), ago(50), ago(21), ago(20))] == [
        "registered", "marked_lost_suffrage", "marked_lost_suffrage", "registered"
    ]  # fmt: skip
    assert lines == [
        ("marked", ago(50), {"lost_suffrage": "sentence"}),
        ("unmarked", ago(20), {"lost_suffrage_on": ago(50).isoformat()}),
    ]
    assert sent == [
        {"reason": "lost_suffrage", "on": ago(50).isoformat()},
        {"reason": "restored", "on": ago(20).isoformat()},
    ]


def test_bad_input_is_named_by_field(voter, system_actor):
    with tenant_context(AIZU):
        with pytest.raises(suffrage.SuffrageRefused) as refused:
            suffrage.mark("999999999999999", TODAY + timedelta(days=1), "xx")
        assert refused.value.errors == [
            ("reason", "事由のコードが正しくありません（xx）"),
            ("on", f"未来の日は指定できません（{TODAY + timedelta(days=1)}）"),
            ("atena_no", "選挙人名簿に登録されていません（999999999999999）"),
        ]
        with pytest.raises(suffrage.SuffrageRefused, match="表示がされていません"):
            suffrage.restore(voter, ago(1))
        suffrage.mark(voter, ago(5), "suspended")
        with pytest.raises(
            suffrage.SuffrageRefused, match=f"{ago(5)} から選挙権を有しない旨の表示がされています"
        ):
            suffrage.mark(voter, ago(4), "suspended")
        with pytest.raises(suffrage.SuffrageRefused, match="表示の日.*より前の日です"):
            suffrage.restore(voter, ago(6))


def test_the_commands_mark_and_restore(voter, capsys):
    assert (
        main(
            [
                "elections",
                "suffrage",
                "mark",
                AIZU,
                voter,
                "--on",
                ago(3).isoformat(),
                "--reason",
                "political_funds",
            ]
        )
        == 0
    )
    assert "表示（選挙権を有しない旨）" in capsys.readouterr().out
    assert (
        main(
            ["elections", "suffrage", "mark", AIZU, voter, "--on", ago(2).isoformat(), "--reason", "sentence"]
        )
        == 2
    )
    assert f"ATENA_NO: {ago(3)} から選挙権を有しない旨の表示がされています" in capsys.readouterr().err
    assert main(["elections", "suffrage", "restore", AIZU, voter, "--on", ago(1).isoformat()]) == 0
    assert status(voter, TODAY) == "registered"
