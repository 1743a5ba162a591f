"""住所地特例 (介護保険法 §13): the pure rule (which 訂正 row an 適用 writes, what an 終了 does, the
consumer's 転出 of a kept person), and the door against the registry's events in both orders, the
list of 他市町村住所地特例者, the events and audit rows, bad input and the CLI."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import AIZU, CHIYODA
from tests.registry.conftest import TODAY, days_ago, move_body, person, registry  # noqa: F401 (fixture)
from tests.registry.ui.test_screens import protect
from tests.residence_qualification import born_aged
from yakuba.long_term_care import services as kaigo
from yakuba.long_term_care.codes import AcquiredReason, Direction, EndReason, LostReason
from yakuba.long_term_care.events import SPECIAL_APPLIED, SPECIAL_ENDED
from yakuba.long_term_care.models import Member, Qualification
from yakuba.long_term_care.rules import qualification as kaigo_rule
from yakuba.long_term_care.rules import special_address as rules
from yakuba.long_term_care.services import Rejected, special_address
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.models import Event
from yakuba.platform.linkage.residence import Acquire, Known, Lose
from yakuba.platform.linkage.resident import ResidentChange
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.services import Visibility

D = date(2026, 5, 10)
OURS, THEIRS = Direction.OURS, Direction.THEIRS


# --- the pure rule -------------------------------------------------------------------------


def test_an_applied_special_address_voids_the_loss_of_a_later_or_same_day_move_out():
    lost = rules.Row("lost", D + timedelta(days=1), LostReason.MOVE_OUT)  # 転出日 D
    assert rules.voiding(OURS, "1", D, lost) == [
        Acquire("1", D + timedelta(days=1), AcquiredReason.CORRECTION)
    ]
    assert rules.voiding(OURS, "1", D - timedelta(days=30), lost) != []
    # Entered the 施設 after moving out: the 転出 was not for it, the 喪失 stands.
    assert rules.voiding(OURS, "1", D + timedelta(days=1), lost) == []
    assert rules.voiding(OURS, "1", D, rules.Row("lost", D, LostReason.DEATH)) == []
    assert rules.voiding(OURS, "1", D, rules.Row("acquired", D, AcquiredReason.AGE)) == []
    assert rules.voiding(OURS, "1", D, None) == []


def test_a_person_insured_elsewhere_loses_the_acquisition_of_his_move_in():
    moved_in = rules.Row("acquired", D, AcquiredReason.MOVE_IN)
    assert rules.voiding(THEIRS, "1", D, moved_in) == [Lose("1", D, LostReason.CORRECTION)]
    assert rules.voiding(THEIRS, "1", D + timedelta(days=1), moved_in) == []
    assert rules.voiding(THEIRS, "1", D, rules.Row("acquired", D, AcquiredReason.AGE)) == []


def test_the_end_of_a_special_address():
    end = rules.ending
    assert end(OURS, "1", EndReason.RETURNED, D, insured=True, first_insured=True) == []
    assert end(OURS, "1", EndReason.MOVED, D, insured=True, first_insured=True) == [
        Lose("1", D + timedelta(days=1), LostReason.MOVE_OUT)
    ]
    assert end(OURS, "1", EndReason.DIED, D, insured=True, first_insured=True) == [
        Lose("1", D + timedelta(days=1), LostReason.DEATH)
    ]
    assert end(THEIRS, "1", EndReason.MOVED_HERE, D, insured=False, first_insured=True) == [
        Acquire("1", D, AcquiredReason.SPECIAL_END)
    ]
    assert end(THEIRS, "1", EndReason.MOVED_HERE, D, insured=False, first_insured=False) == []  # under 65
    assert end(THEIRS, "1", EndReason.LEFT, D, insured=False, first_insured=True) == []


def test_the_consumer_keeps_a_person_who_moved_out_on_or_after_his_admission():
    def moved_out(on: date) -> ResidentChange:
        return ResidentChange("e", "moved-out", "1", "s", on, date(1950, 1, 1))

    kept = Known(True, kept_from=D)
    assert kaigo_rule.RULE.decide(moved_out(D), kept) == []
    assert kaigo_rule.RULE.decide(moved_out(D + timedelta(days=3)), kept) == []
    assert kaigo_rule.RULE.decide(moved_out(D - timedelta(days=1)), kept) == [
        Lose("1", D, LostReason.MOVE_OUT)
    ]
    assert kaigo_rule.RULE.decide(moved_out(D), Known(True)) == [
        Lose("1", D + timedelta(days=1), LostReason.MOVE_OUT)
    ]


# --- the door ------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db(transaction=True)


@pytest.fixture
def elder(registry, system_actor):  # noqa: F811
    """A person of 70 who moved in 60 days ago, enrolled by the consumer."""
    moved = registry.move_in(
        person("特例 一郎", "トクレイ イチロウ", born_aged(70), 1), move_date=days_ago(60)
    )
    kaigo.follow(AIZU)
    return moved["persons"][0]["atena_no"]


def _move_out(registry, atena_no: str, days: int) -> None:  # noqa: F811
    registry.move(
        move_body(
            "move_out",
            [{"atena_no": atena_no}],
            move_date=days_ago(days),
            destination="domestic",
            destination_address="東京都千代田区千代田1番1号",
        )
    )


def _rows(atena_no: str) -> list[tuple]:
    with tenant_context(AIZU):
        return list(
            Qualification.objects.filter(atena_no=atena_no)
            .order_by("id")
            .values_list("change", "effective_on", "reason")
        )


def _insured(atena_no: str, day: date = TODAY) -> bool:
    with tenant_context(AIZU):
        return atena_no in kaigo.insured_on(day)


def _apply(atena_no: str, direction=OURS, admitted=10, **changes):
    fields = {
        "facility_name": "特別養護老人ホーム千代田苑",
        "facility_kind": "tokuyou",
        "admitted_on": date.fromisoformat(days_ago(admitted)),
        "municipality": CHIYODA,
        **changes,
    }
    with tenant_context(AIZU):
        return special_address.apply_special(atena_no, direction, **fields)


@pytestmark_db
def test_applied_first_a_move_out_loses_nothing(elder, registry):  # noqa: F811
    _apply(elder, admitted=10)
    _move_out(registry, elder, 5)
    kaigo.follow(AIZU)
    assert [r[0] for r in _rows(elder)] == ["acquired"]
    assert _insured(elder)
    with tenant_context(AIZU):
        assert Event.objects.filter(subject=elder, type=SPECIAL_APPLIED).count() == 1
        audit = AuditEntry.objects.filter(resource=special_address.RESOURCE, subject_ids__contains=[elder])
        assert audit.filter(action="create").count() == 1


@pytestmark_db
def test_moved_out_first_the_application_voids_the_loss_by_a_correction(elder, registry):  # noqa: F811
    _move_out(registry, elder, 5)
    kaigo.follow(AIZU)
    lost_on = TODAY - timedelta(days=4)
    assert _rows(elder)[-1] == ("lost", lost_on, LostReason.MOVE_OUT)
    assert not _insured(elder)
    _apply(elder, admitted=5)  # 入所日 = 転出日
    assert _rows(elder)[-2:] == [
        ("lost", lost_on, LostReason.MOVE_OUT),  # kept: the history is append-only
        ("acquired", lost_on, AcquiredReason.CORRECTION),
    ]
    assert _insured(elder) and _insured(elder, lost_on)


@pytestmark_db
def test_a_move_out_before_the_admission_stays_a_loss(elder, registry):  # noqa: F811
    _move_out(registry, elder, 5)
    kaigo.follow(AIZU)
    with pytest.raises(Rejected) as refused:
        _apply(elder, admitted=3)
    assert refused.value.errors[0]["field"] == "atena_no"
    assert not _insured(elder)


@pytestmark_db
def test_a_person_insured_elsewhere_is_not_acquired_by_his_move_in(registry, system_actor):  # noqa: F811
    # 転入 processed by the consumer first: the 取得 is voided when the clerk records him.
    first = registry.move_in(person("他市 一郎", "タシ イチロウ", born_aged(80), 1), move_date=days_ago(8))
    first_no = first["persons"][0]["atena_no"]
    kaigo.follow(AIZU)
    assert _insured(first_no)
    _apply(first_no, THEIRS, admitted=8, municipality="131024")
    assert _rows(first_no)[-1] == ("lost", TODAY - timedelta(days=8), LostReason.CORRECTION)
    assert not _insured(first_no)
    # Recorded before the consumer reads the 転入: no 取得 at all.
    second = registry.move_in(person("他市 二郎", "タシ ジロウ", born_aged(81), 1), move_date=days_ago(2))
    second_no = second["persons"][0]["atena_no"]
    _apply(second_no, THEIRS, admitted=2, municipality="131024")
    kaigo.follow(AIZU)
    assert _rows(second_no) == []
    with tenant_context(AIZU):
        assert Member.objects.get(atena_no=second_no).excluded
    # The 施設所在地's list: both, with their names and the insurer.
    with tenant_context(AIZU):
        lines, after = special_address.special_list(THEIRS)
    assert [(line.atena_no, line.name, line.municipality) for line in lines] == [
        (first_no, "他市 一郎", "131024"),
        (second_no, "他市 二郎", "131024"),
    ]
    assert after == ""
    # He moves to a home in our municipality: ours from that day.
    with tenant_context(AIZU):
        special_address.end_special(second_no, THEIRS, TODAY, EndReason.MOVED_HERE)
        assert not Member.objects.get(atena_no=second_no).excluded
        assert Event.objects.filter(subject=second_no, type=SPECIAL_ENDED).count() == 1
        assert [line.atena_no for line in special_address.special_list(THEIRS)[0]] == [first_no]
    assert _rows(second_no) == [("acquired", TODAY, AcquiredReason.SPECIAL_END)]


@pytestmark_db
def test_the_end_by_a_move_to_a_home_elsewhere_loses_the_next_day(elder, registry):  # noqa: F811
    _apply(elder, admitted=10)
    _move_out(registry, elder, 10)
    kaigo.follow(AIZU)
    with tenant_context(AIZU):
        special_address.end_special(elder, OURS, TODAY - timedelta(days=1), EndReason.MOVED)
    assert _rows(elder)[-1] == ("lost", TODAY, LostReason.MOVE_OUT)


@pytestmark_db
def test_the_list_costs_the_same_queries_for_one_person_or_many(
    registry,  # noqa: F811
    system_actor,
    django_assert_max_num_queries,
):
    people = registry.move_in(
        *(
            person(f"施設 {n}郎", f"シセツ {k}ロウ", born_aged(70 + i), 1, "世帯主" if i == 0 else "同居人")
            for i, (n, k) in enumerate((("一", "イチ"), ("二", "ジ"), ("三", "サブ"), ("四", "シ")))
        ),
        move_date=days_ago(5),
    )
    for p in people["persons"]:
        _apply(p["atena_no"], THEIRS, admitted=5, municipality="131024")
    with tenant_context(AIZU), django_assert_max_num_queries(6):
        lines, _after = special_address.special_list(THEIRS, limit=1)
    with tenant_context(AIZU), django_assert_max_num_queries(6):
        lines, _after = special_address.special_list(THEIRS, limit=100)
    assert len(lines) == 4
    # 支援措置: left out for staff who may not see the person, listed for those who may.
    protect(people["persons"][1]["atena_no"])
    with tenant_context(AIZU):
        assert len(special_address.special_list(THEIRS)[0]) == 3
        assert len(special_address.special_list(THEIRS, visibility=Visibility(protected=True))[0]) == 4


@pytestmark_db
def test_bad_input_names_each_field_in_japanese(elder):
    with pytest.raises(Rejected) as refused:
        _apply(
            elder,
            facility_name=" ",
            facility_kind="hotel",
            admitted_on=TODAY + timedelta(days=1),
            municipality="999999",
        )
    fields = {e["field"]: e["message"] for e in refused.value.errors}
    assert set(fields) == {"facility_name", "facility_kind", "admitted_on", "municipality"}
    assert "未来" in fields["admitted_on"]
    _apply(elder)
    with pytest.raises(Rejected, match="すでに住所地特例が適用"):
        _apply(elder)
    with tenant_context(AIZU), pytest.raises(Rejected) as refused:
        special_address.end_special(elder, OURS, TODAY, EndReason.MOVED_HERE)
    assert refused.value.errors[0]["field"] == "reason"


@pytestmark_db
def test_the_cli_applies_lists_and_refuses_with_exit_2(elder, capsys):
    from yakuba.cli import main

    assert (
        main(
            [
                "insurance",
                "kaigo",
                "special-address",
                "apply",
                AIZU,
                elder,
                "--direction",
                "ours",
                "--facility-name",
                "老健ちよだ",
                "--facility-kind",
                "rouken",
                "--admitted-on",
                days_ago(3),
                "--municipality",
                CHIYODA,
            ]
        )
        == 0
    )
    assert "老健ちよだ" in capsys.readouterr().out
    assert main(["insurance", "kaigo", "special-address", "list", AIZU, "--direction", "ours"]) == 0
    assert "1 人" in capsys.readouterr().out
    code = main(
        [
            "insurance",
            "kaigo",
            "special-address",
            "end",
            AIZU,
            elder,
            "--direction",
            "ours",
            "--ended-on",
            days_ago(5),
            "--reason",
            "returned",
        ]
    )
    assert code == 2
    assert "ended_on: 終了日は入所日" in capsys.readouterr().err
