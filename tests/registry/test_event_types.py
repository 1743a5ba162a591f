"""Every event type of the catalogue (docs/events.md): the 異動 that fires it, and exactly who
gets which type — one event per person and per thing that happened to them, nothing for the
members a 異動 leaves alone (issue 12 item 6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS, ADDRESS_2, TODAY, days_ago, move_body, person
from tests.registry.test_move_rules import family
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.linkage import catalogue
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services

pytestmark = pytest.mark.django_db

RESIDENT = "jp.yakuba.registry.resident."
ELSEWHERE_DESTINATION = "東京都千代田区千代田1番1号"


def emitted(result: dict) -> dict[str, str]:
    """{宛名番号: event verb} of one 異動's events; a person twice would be an error."""
    with tenant_context(AIZU):
        rows = list(Event.objects.filter(event_id__in=result["event_ids"]).values_list("subject", "type"))
    verbs = {subject: type_.removeprefix(RESIDENT).removesuffix(".v1") for subject, type_ in rows}
    assert len(verbs) == len(rows), rows
    return verbs


# How a person leaves the 世帯 in each 異動 that can take one member away, and its event.
LEAVING = {
    "move_out": ({"destination": "domestic", "destination_address": ELSEWHERE_DESTINATION}, {}, "moved-out"),
    "death": ({}, {}, "died"),
    "ex_officio_remove": ({}, {}, "removed"),
    "move_within": ({}, {"address": ADDRESS_2}, "moved-within"),  # alone, to a new 世帯 elsewhere
    "household_split": ({}, {}, "household-changed"),  # alone, to a new 世帯 at the same address
}
# Those who head the 世帯 they go to name themselves its 世帯主.
_NEW_HOUSEHOLD = {"move_within", "household_split"}


def _leave(registry, kind: str, atena_no: str, household: dict) -> dict:
    extra, target, _verb = LEAVING[kind]
    who = {"atena_no": atena_no, **({"relationship": "世帯主"} if kind in _NEW_HOUSEHOLD else {})}
    return registry.move(move_body(kind, [who], household={**target, **household}, **extra))


@pytest.mark.parametrize("kind", LEAVING)
def test_a_member_who_leaves_gets_the_event_and_nobody_else_does(registry, kind):
    setai, (taro, hanako, ichiro) = family(registry)
    result = _leave(registry, kind, ichiro, {})
    assert emitted(result) == {ichiro: LEAVING[kind][2]}


@pytest.mark.parametrize("kind", LEAVING)
def test_when_the_head_leaves_the_new_head_and_the_others_get_their_own_events(registry, kind):
    """A 死亡 of the 世帯主 is one death: died for the deceased only, head-changed for the new
    世帯主, relationship-changed for each other member whose 続柄 was given again (一郎 stays 子,
    but of a new 世帯主)."""
    setai, (taro, hanako, ichiro) = family(registry)
    result = _leave(registry, kind, taro, {"new_head": hanako, "relationships": {ichiro: "子"}})
    assert emitted(result) == {taro: LEAVING[kind][2], hanako: "head-changed", ichiro: "relationship-changed"}


def test_moved_in_for_each_newcomer_only_even_into_an_existing_household(registry):
    couple = registry.move_in(person(), person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻"))
    taro, hanako = (p["atena_no"] for p in couple["persons"])
    assert emitted(couple) == {taro: "moved-in", hanako: "moved-in"}
    son = registry.move_in(
        person("青木 一郎", "アオキ イチロウ", "1990-05-05", 1, "子"), setai_no=couple["setai_no"]
    )
    assert emitted(son) == {son["persons"][0]["atena_no"]: "moved-in"}


def test_moved_out_also_for_a_planned_move_out(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    result = registry.move(
        move_body(
            "move_out",
            [{"atena_no": ichiro}],
            move_date=(TODAY + timedelta(days=3)).isoformat(),
            destination="domestic",
            destination_address=ELSEWHERE_DESTINATION,
        )
    )
    assert emitted(result) == {ichiro: "moved-out"}
    assert registry.get(f"residents/{ichiro}").json()["status"] == 2  # 転出予定


def test_moved_within_for_everyone_named_when_the_whole_household_moves(registry):
    setai, atena_nos = family(registry)
    result = registry.move(
        move_body(
            "move_within",
            [{"atena_no": a} for a in atena_nos],
            household={"setai_no": setai, "address": ADDRESS_2},
        )
    )
    assert emitted(result) == dict.fromkeys(atena_nos, "moved-within")


def test_born_for_each_child_and_nothing_for_the_household(registry):
    setai, _members = family(registry)
    twins = [
        person("青木 さくら", "アオキ サクラ", days_ago(1), 2, "子の子", previous_address=""),
        person("青木 もも", "アオキ モモ", days_ago(1), 2, "子の子", previous_address=""),
    ]
    result = registry.move(move_body("birth", twins, household={"setai_no": setai}))
    assert emitted(result) == {p["atena_no"]: "born" for p in result["persons"]}
    assert len(result["persons"]) == 2


def test_household_merge_for_those_who_join_only(registry):
    setai, _members = family(registry)
    grandma = registry.move_in(person("青木 ウメ", "アオキ ウメ", "1930-01-01", 2), move_date=days_ago(9))
    atena_no = grandma["persons"][0]["atena_no"]
    result = registry.move(
        move_body(
            "household_merge", [{"atena_no": atena_no, "relationship": "母"}], household={"setai_no": setai}
        )
    )
    assert emitted(result) == {atena_no: "household-changed"}


def test_household_change_for_the_one_who_changes_household(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    lodger = registry.move_in(person("佐藤 一", "サトウ ハジメ", "1950-01-01", 1), address=ADDRESS)
    result = registry.move(
        move_body(
            "household_change",
            [{"atena_no": ichiro, "relationship": "同居人"}],
            household={"setai_no": lodger["setai_no"]},
        )
    )
    assert emitted(result) == {ichiro: "household-changed"}


@pytest.mark.parametrize("named", [False, True])
def test_head_change_gives_head_changed_unless_the_request_names_the_new_head(registry, named):
    """A 世帯主変更 names nobody in ``persons``: the new 世帯主 gets head-changed; a request that
    names someone there gives that person household-changed instead."""
    setai, (taro, hanako, ichiro) = family(registry)
    result = registry.move(
        move_body(
            "head_change",
            [{"atena_no": hanako}] if named else [],
            household={"setai_no": setai, "new_head": hanako, "relationships": {taro: "夫", ichiro: "子"}},
        )
    )
    assert emitted(result) == {
        hanako: "household-changed" if named else "head-changed",
        taro: "relationship-changed",
        ichiro: "relationship-changed",
    }


def test_recorded_for_each_person_recorded_ex_officio(registry):
    result = registry.move(
        move_body(
            "ex_officio_record",
            [person(previous_address="")],
            household={"address": ADDRESS},
            move_date=days_ago(2),
        )
    )
    assert emitted(result) == {result["persons"][0]["atena_no"]: "recorded"}


@pytest.mark.parametrize(
    ("kind", "who", "items"),
    [
        ("correction", 0, {"name": "青木 太朗"}),
        ("ex_officio_modify", 0, {"name": "青木 太朗"}),
        ("former_surname", 1, {"former_surname": "佐藤", "former_surname_kana": "サトウ"}),
    ],
)
def test_modified_for_the_person_whose_record_changed(registry, kind, who, items):
    setai, atena_nos = family(registry)
    result = registry.move(move_body(kind, [{"atena_no": atena_nos[who], **items}]))
    assert emitted(result) == {atena_nos[who]: "modified"}


def test_modified_for_an_alias(registry):
    smith = registry.move_in(
        person("SMITH JOHN", "スミス ジョン", resident_type=2, nationality="米国", residence_status="永住者"),
        address=ADDRESS_2,
        origin="abroad",
    )["persons"][0]["atena_no"]
    result = registry.move(
        move_body(
            "alias",
            [{"atena_no": smith, "alias": "須美須 譲", "alias_kana": "スミス ジョウ"}],
            move_date=days_ago(0),
        )
    )
    assert emitted(result) == {smith: "modified"}


def test_canceled_for_everyone_the_canceled_move_changed(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    died = _leave(
        registry, "death", taro, {"setai_no": setai, "new_head": hanako, "relationships": {ichiro: "子"}}
    )
    result = registry.move({"kind": "cancel", "cancel_move_id": died["move_id"]})
    assert emitted(result) == dict.fromkeys((taro, hanako, ichiro), "canceled")


def test_protection_changed_once_for_the_applicant_not_for_those_covered(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    with bind_actor(SYSTEM), tenant_context(AIZU):
        services.set_measure(hanako, starts_on=timezone.localdate(), covered=[ichiro])
        events = list(
            Event.objects.filter(type=f"{RESIDENT}protection-changed.v1").values_list("subject", "data")
        )
    assert [(subject, data["change"], data["covered_atena_nos"]) for subject, data in events] == [
        (hanako, "set", [ichiro])
    ]


# The types not fired by a 異動, and the test that fires each and says for whom.
ELSEWHERE = {
    "jp.yakuba.elections.entry.registered.v1": (
        "tests.elections.test_follow",
        "test_moves_deaths_and_moves_within_follow_the_registry",
    ),
    "jp.yakuba.elections.entry.marked.v1": (
        "tests.elections.test_follow",
        "test_moves_deaths_and_moves_within_follow_the_registry",
    ),
    "jp.yakuba.elections.entry.struck-off.v1": (
        "tests.elections.test_follow",
        "test_moves_deaths_and_moves_within_follow_the_registry",
    ),
    "jp.yakuba.koseki_annex.entry.recorded.v1": (
        "tests.koseki_annex.test_follow",
        "test_a_move_in_opens_the_annex_and_a_move_within_appends_a_row_dated_by_the_move",
    ),
    "jp.yakuba.overseas_electors.entry.registered.v1": (
        "tests.overseas_electors.test_entries",
        "test_a_departure_application_is_registered_from_the_planned_day",
    ),
    "jp.yakuba.overseas_electors.entry.struck-off.v1": (
        "tests.overseas_electors.test_entries",
        "test_marked_then_struck_off_four_months_after_the_domestic_address_day",
    ),
    "jp.yakuba.school_enrollment.notice.issued.v1": (
        "tests.school_enrollment.test_notices",
        "test_the_notice_names_the_designated_school",
    ),
    "jp.yakuba.registry.juminhyo-code-pool.low.v1": (
        "tests.registry.test_numbers_and_keys",
        "test_pool_assigns_at_random_once_each_and_alerts_when_low",
    ),
    "jp.yakuba.registry.residents.imported.v1": (
        "tests.registry.test_import",
        "test_a_valid_file_is_imported_with_history_households_and_numbers",
    ),
    "jp.yakuba.address.master.changed.v1": (
        "tests.address.test_master",
        "test_a_load_is_audited_and_announced_once",
    ),
    "jp.yakuba.tax.assessment.decided.v1": (
        "tests.tax.test_assessment",
        "test_one_decided_event_per_assessment_with_the_income_other_apps_read",
    ),
    "jp.yakuba.tax.assessment.corrected.v1": (
        "tests.tax.test_assessment",
        "test_a_correction_and_a_cancellation_add_versions_with_their_reason",
    ),
    "jp.yakuba.child_support_allowance.entitlement.certified.v1": (
        "tests.child_support_allowance.test_claim",
        "test_a_claim_pays_from_the_month_after_with_the_engines_amount",
    ),
    "jp.yakuba.child_support_allowance.entitlement.amount-revised.v1": (
        "tests.child_support_allowance.test_flow",
        "test_a_revision_event_carries_the_months",
    ),
    "jp.yakuba.child_support_allowance.entitlement.suspended.v1": (
        "tests.child_support_allowance.test_flow",
        "test_a_recorded_report_with_high_income_stops_the_allowance_and_says_so",
    ),
    "jp.yakuba.child_support_allowance.entitlement.ended.v1": (
        "tests.child_support_allowance.test_follow",
        "test_a_death_in_the_registry_ends_the_allowance_with_that_month",
    ),
    "jp.yakuba.child_allowance.entitlement.certified.v1": (
        "tests.child_allowance.test_replay",
        "test_a_year_of_moves_drives_the_family_amount",
    ),
    "jp.yakuba.child_allowance.entitlement.amount-revised.v1": (
        "tests.child_allowance.test_replay",
        "test_a_year_of_moves_drives_the_family_amount",
    ),
    "jp.yakuba.child_allowance.entitlement.ended.v1": (
        "tests.child_allowance.test_replay",
        "test_a_year_of_moves_drives_the_family_amount",
    ),
    "jp.yakuba.health_insurance.qualification.acquired.v1": (
        "tests.health_insurance.test_qualification",
        "test_enrol_and_withdraw_record_audit_and_emit",
    ),
    "jp.yakuba.health_insurance.qualification.lost.v1": (
        "tests.health_insurance.test_qualification",
        "test_enrol_and_withdraw_record_audit_and_emit",
    ),
    "jp.yakuba.health_insurance.premium.decided.v1": (
        "tests.health_insurance.test_annual",
        "test_every_insured_household_is_assessed_once_as_the_engine_would",
    ),
    "jp.yakuba.health_insurance.premium.corrected.v1": (
        "tests.health_insurance.test_recalculation",
        "test_a_loss_mid_year_lowers_only_the_installments_still_to_come",
    ),
    "jp.yakuba.late_elderly_medical.qualification.acquired.v1": (
        "tests.late_elderly_medical.test_qualification",
        "test_a_move_in_at_75_acquires_and_a_death_loses_the_next_day",
    ),
    "jp.yakuba.late_elderly_medical.qualification.lost.v1": (
        "tests.late_elderly_medical.test_qualification",
        "test_a_move_in_at_75_acquires_and_a_death_loses_the_next_day",
    ),
    "jp.yakuba.late_elderly_medical.premium.received.v1": (
        "tests.late_elderly_medical.test_exchange",
        "test_collection_decided_by_rule_when_the_file_leaves_it_and_events_and_audit",
    ),
    "jp.yakuba.long_term_care.qualification.acquired.v1": (
        "tests.long_term_care.test_qualification",
        "test_a_move_in_at_65_acquires_and_a_move_out_loses_the_next_day",
    ),
    "jp.yakuba.long_term_care.qualification.lost.v1": (
        "tests.long_term_care.test_qualification",
        "test_a_move_in_at_65_acquires_and_a_move_out_loses_the_next_day",
    ),
    "jp.yakuba.long_term_care.special-address.applied.v1": (
        "tests.long_term_care.test_special_address",
        "test_applied_first_a_move_out_loses_nothing",
    ),
    "jp.yakuba.long_term_care.special-address.ended.v1": (
        "tests.long_term_care.test_special_address",
        "test_a_person_insured_elsewhere_is_not_acquired_by_his_move_in",
    ),
    "jp.yakuba.long_term_care.certification.applied.v1": (
        "tests.long_term_care.test_certification",
        "test_an_application_and_its_result_are_recorded_with_events_and_audit",
    ),
    "jp.yakuba.long_term_care.certification.decided.v1": (
        "tests.long_term_care.test_certification",
        "test_an_application_and_its_result_are_recorded_with_events_and_audit",
    ),
    "jp.yakuba.long_term_care.copay.decided.v1": (
        "tests.long_term_care.test_copay_annual",
        "test_each_certified_person_is_decided_once_as_the_rule_decides",
    ),
    "jp.yakuba.national_pension.notification.recorded.v1": (
        "tests.national_pension.test_records",
        "test_a_notification_is_stored_as_filed_with_its_event_and_audit",
    ),
    "jp.yakuba.national_pension.application.recorded.v1": (
        "tests.national_pension.test_records",
        "test_an_application_takes_the_incomes_from_the_tax_records",
    ),
    "jp.yakuba.childcare.certification.decided.v1": (
        "tests.childcare.test_records",
        "test_a_certification_is_versioned_with_its_event_and_audit",
    ),
    "jp.yakuba.childcare.allocation.decided.v1": (
        "tests.childcare.test_records",
        "test_the_allocation_ranks_by_the_base_and_explains_each_result",
    ),
    "jp.yakuba.childcare.fee.decided.v1": (
        "tests.childcare.test_records",
        "test_the_fee_follows_the_previous_years_tax_until_august_and_the_current_from_september",
    ),
    "jp.yakuba.koseki.notification.accepted.v1": (
        "tests.koseki.test_notifications",
        "test_a_birth_enters_the_parents_koseki_in_birth_order",
    ),
    "jp.yakuba.koseki.furigana.recorded.v1": (
        "tests.koseki.test_furigana",
        "test_a_filed_reading_is_recorded_and_copied_to_the_registry",
    ),
    "jp.yakuba.seal_registration.registration.registered.v1": (
        "tests.seal_registration.test_registrations",
        "test_registered_and_ended_events_for_every_path",
    ),
    "jp.yakuba.seal_registration.registration.ended.v1": (
        "tests.seal_registration.test_follow",
        "test_a_move_out_abolishes_the_registration_from_the_move_out_day",
    ),
}
TESTED_HERE = {
    f"{RESIDENT}{verb}.v1"
    for verb in (
        *(verb for _extra, _target, verb in LEAVING.values()),
        "moved-in",
        "born",
        "recorded",
        "modified",
        "canceled",
        "head-changed",
        "relationship-changed",
        "protection-changed",
    )
}


def test_every_catalogued_type_has_its_test():
    import importlib

    types = {t.type for t in catalogue.all_types()}
    assert types == TESTED_HERE | set(ELSEWHERE), "a new event type needs its test here"
    for module, name in ELSEWHERE.values():
        assert callable(getattr(importlib.import_module(module), name))
