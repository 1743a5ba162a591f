"""The 附票 kept current from the registry's events (registry-facts §17.4), through real 異動 filed on
the registry's API: a 転居 of a 本籍人 appends a row dated by the 異動日, a 国外転出 writes the
国外転出者 entry, a resident whose 本籍 is elsewhere is a 附票記載事項通知 to that 本籍地."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import AIZU
from tests.koseki_annex.conftest import HITTOSHA, HONSEKI, OTHER_HONSEKI, code
from tests.registry.conftest import ADDRESS_2, TODAY, days_ago, move_body, person
from yakuba.koseki_annex import events
from yakuba.koseki_annex.models import Annex, Entry, OutgoingNotice
from yakuba.koseki_annex.services import follow
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)

AT = "福島県会津若松市東栄町3番46号"
AT_2 = "福島県会津若松市栄町1番1号\u3000コーポ栄101"


def rows(juminhyo_code: str) -> list[tuple]:
    with tenant_context(AIZU):
        return list(
            Entry.objects.filter(juminhyo_code=juminhyo_code)
            .order_by("id")
            .values_list(
                "annex__honseki",
                "annex__hittosha",
                "address",
                "address_set_on",
                "overseas",
                "country",
                "source",
            )
        )


def move_within(registry, atena_nos: list[str], move_date: str) -> None:
    from yakuba.registry import services as registry_door

    with tenant_context(AIZU):
        setai = registry_door.get_resident(atena_nos[0]).setai_no
    registry.move(
        move_body(
            "move_within",
            [{"atena_no": a} for a in atena_nos],
            household={"setai_no": setai, "address": ADDRESS_2},
            move_date=move_date,
        )
    )


def test_a_move_in_opens_the_annex_and_a_move_within_appends_a_row_dated_by_the_move(
    registry, family, system_actor
):
    taro, hanako = family["会津 太郎"], family["会津 花子"]
    first = follow(AIZU)
    assert first.changes == 2
    moved_in = date.fromisoformat(days_ago(3))
    assert rows(taro[1]) == [(HONSEKI, HITTOSHA, AT, moved_in, False, "", "registry")]
    move_within(registry, [taro[0], hanako[0]], days_ago(1))
    assert follow(AIZU).changes == 2
    moved = date.fromisoformat(days_ago(1))
    assert rows(hanako[1]) == [
        (HONSEKI, HITTOSHA, AT, moved_in, False, "", "registry"),
        (HONSEKI, HITTOSHA, AT_2, moved, False, "", "registry"),
    ]
    with tenant_context(AIZU):
        assert list(Annex.objects.values_list("honseki", "hittosha", "opened_on")) == [
            (HONSEKI, HITTOSHA, moved_in)
        ]
        # the 本籍 read from the registry is audited, and so is each write
        reads = AuditEntry.objects.filter(resource="registry.domicile", action="read")
        assert reads.count() == 2 and set(reads.first().subject_ids) <= {taro[0], hanako[0]}
        writes = AuditEntry.objects.filter(resource="koseki_annex.entry", action="create")
        assert sorted(writes.last().subject_ids) == sorted([taro[1], hanako[1]])
    # each row is one event, subject the 住民票コード
    with tenant_context(AIZU):
        recorded = list(
            Event.objects.filter(type=events.ENTRY_RECORDED).order_by("seq").values_list("subject", "data")
        )
    assert [subject for subject, _ in recorded] == [taro[1], hanako[1], taro[1], hanako[1]]
    assert recorded[-1][1] == {
        "honseki": HONSEKI, "hittosha": HITTOSHA, "name": "会津 花子", "birth_date": "1982-07-07", "sex": 2,
        "address": AT_2, "address_set_on": moved.isoformat(), "overseas": False, "country": "", "source": "registry",
    }  # fmt: skip
    # followed again: nothing doubled
    assert follow(AIZU).changes == 0 and len(rows(hanako[1])) == 2


def test_a_household_change_at_the_same_address_writes_no_row(registry, family, system_actor):
    follow(AIZU)
    registry.move(
        move_body("household_split", [{"atena_no": family["会津 花子"][0], "relationship": "世帯主"}])
    )
    assert follow(AIZU).changes == 0


def test_a_move_abroad_writes_the_overseas_entry_dated_by_the_planned_day(registry, family, system_actor):
    follow(AIZU)
    planned = TODAY + timedelta(days=10)
    registry.move(
        move_body(
            "move_out",
            [{"atena_no": family["会津 花子"][0]}],
            move_date=planned.isoformat(),
            destination="abroad",
            destination_address="アメリカ合衆国",
        )
    )
    assert follow(AIZU).changes == 1
    assert rows(family["会津 花子"][1])[-1] == (
        HONSEKI,
        HITTOSHA,
        "",
        planned,
        True,
        "アメリカ合衆国",
        "registry",
    )


def test_a_domestic_move_out_and_a_death_write_nothing(registry, family, system_actor):
    follow(AIZU)
    registry.move(
        move_body(
            "move_out",
            [{"atena_no": family["会津 花子"][0]}],
            move_date=days_ago(0),
            destination="domestic",
            destination_address="東京都千代田区千代田1番1号",
        )
    )
    registry.move(
        {"kind": "death", "move_date": days_ago(0), "persons": [{"atena_no": family["会津 太郎"][0]}]}
    )
    assert follow(AIZU).changes == 0


def test_a_resident_whose_domicile_is_elsewhere_is_a_notice_to_that_town(registry, newcomer, system_actor):
    atena_no, juminhyo_code = newcomer
    assert follow(AIZU).changes == 1
    assert rows(juminhyo_code) == []  # not on this town's 附票
    with tenant_context(AIZU):
        (notice,) = OutgoingNotice.objects.all()
    assert (notice.receiver, notice.honseki, notice.hittosha, notice.juminhyo_code, notice.atena_no, notice.address, notice.file_id) == (
        "131016", OTHER_HONSEKI, "千代田 一郎", juminhyo_code, atena_no, AT, None,
    )  # fmt: skip
    assert follow(AIZU).changes == 0


def test_a_foreign_resident_or_a_domicile_without_its_head_is_on_no_annex(registry, system_actor):
    """No 本籍 (a foreign resident), or a 本籍 without its 筆頭者: no 戸籍 is named, no 附票."""
    registry.move_in(
        person(
            "会津 三郎", "アイヅ サブロウ", "1985-03-03", 1, "世帯主", juminhyo_code=code(8), domicile=HONSEKI
        )
    )
    registry.move_in(
        person(
            "スミス ジョン",
            "スミス ジョン",
            "1980-01-01",
            1,
            "世帯主",
            resident_type=2,
            nationality="米国",
            residence_status="永住者",
            juminhyo_code=code(9),
        )
    )
    assert follow(AIZU).changes == 0


def test_a_page_costs_the_same_statements_for_two_persons_as_for_twenty(
    registry, system_actor, django_assert_max_num_queries
):
    def household(n: int, first: int) -> None:
        registry.move_in(
            *[
                person(
                    f"会津 {i}郎",
                    "アイヅ",
                    f"1980-05-{i + 1:02d}",
                    1,
                    "世帯主" if i == first else "子",
                    juminhyo_code=code(100 + i),
                    domicile=HONSEKI,
                    domicile_head=f"会津 {first}郎",
                )
                for i in range(first, first + n)
            ]
        )

    household(2, 0)
    with django_assert_max_num_queries(40) as few:
        follow(AIZU)
    statements = len(few.captured_queries)  # before the next request resets the log
    household(20, 10)
    with django_assert_max_num_queries(statements):
        assert follow(AIZU).changes == 20
