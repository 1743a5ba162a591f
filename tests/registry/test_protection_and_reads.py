"""支援措置, search, restricted fields, events and audit of registry reads."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.db import connections

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS_2, TODAY, days_ago, move_body, move_in_body, person
from tests.registry.test_move_rules import family
from yakuba.platform.audit.log import SYSTEM, Actor, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage import restricted
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services
from yakuba.registry.errors import RuleViolation
from yakuba.registry.services.protection import one_year_from

pytestmark = pytest.mark.django_db


def protect(atena_no: str, **kw):
    with bind_actor(Actor("staff", "counter-1")), tenant_context(AIZU):
        return services.set_measure(atena_no, starts_on=kw.pop("starts_on", TODAY), **kw)


def test_default_period_is_one_year_ending_the_day_before():
    assert one_year_from(date(2020, 4, 1)) == date(2021, 3, 31)
    assert one_year_from(date(2024, 2, 29)) == date(2025, 2, 28)


def test_protected_person_is_hidden_from_api_reads_search_and_households(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    protect(hanako, summary="DV")
    assert registry.get(f"residents/{hanako}").status_code == 404
    assert registry.get(f"residents/{hanako}/history").status_code == 404
    found = registry.get("residents?name_kana=アオキ").json()["residents"]
    assert hanako not in [r["atena_no"] for r in found] and taro in [r["atena_no"] for r in found]
    assert [m["atena_no"] for m in registry.get(f"households/{setai}").json()["members"]] == [taro, ichiro]


def test_protection_can_be_extended_only_from_one_month_before_the_end(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    measure = protect(hanako, starts_on=TODAY - timedelta(days=300))
    with bind_actor(SYSTEM), tenant_context(AIZU):
        with pytest.raises(RuleViolation) as early:
            services.extend_measure(measure.protection_id, today=measure.end_date - timedelta(days=40))
        opens = (measure.end_date - timedelta(days=31)).isoformat()
        assert early.value.errors == [
            ("protection_id", f"延長の申出は終了日の1か月前（{opens}）から受け付けます")
        ]
        extension = services.extend_measure(
            measure.protection_id, today=measure.end_date - timedelta(days=10)
        )
        with pytest.raises(RuleViolation) as twice:
            services.extend_measure(measure.protection_id, today=measure.end_date - timedelta(days=5))
        assert twice.value.errors == [("protection_id", "この支援措置はすでに延長されています")]
    assert extension.start_date == measure.end_date + timedelta(days=1)
    assert extension.end_date == one_year_from(extension.start_date)
    assert extension.protection_id != measure.protection_id


def test_provisional_measure_cannot_be_extended_and_ending_lifts_the_block(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    measure = protect(hanako, provisional=True)
    assert measure.end_date == TODAY + timedelta(days=30)
    with bind_actor(SYSTEM), tenant_context(AIZU):
        with pytest.raises(RuleViolation) as exc:
            services.extend_measure(measure.protection_id)
        assert exc.value.errors == [
            ("protection_id", "仮支援措置は延長できません（支援措置として申出を受けてください）")
        ]
        with pytest.raises(RuleViolation):
            services.set_measure(hanako, starts_on=TODAY)  # already protected
        services.end_measure(measure.protection_id, on=TODAY)
    assert registry.get(f"residents/{hanako}").status_code == 200


def test_search_folds_kana_variants_and_accepts_wareki_birth_dates(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    for query in ("ｱｵｷ ﾀﾛｳ", "あおき", "アヲキ", "アオキタロ"):
        found = [r["atena_no"] for r in registry.get(f"residents?name_kana={query}").json()["residents"]]
        assert taro in found, query
    for birth in ("1960-01-07", "S35.1.7", "昭和35年1月7日", "3350107"):
        found = [r["atena_no"] for r in registry.get(f"residents?birth_date={birth}").json()["residents"]]
        assert found == [taro], birth
    assert [r["atena_no"] for r in registry.get("residents?name=青木 太").json()["residents"]] == [taro]
    assert registry.get("residents?name=太郎").json()["residents"] == []  # surname first, as clerks type
    by_address = registry.get("residents?address=福島県会津若松市東栄町").json()["residents"]
    assert {r["atena_no"] for r in by_address} == {taro, hanako, ichiro}


def test_birth_dates_are_searched_by_year_month_and_range(registry):
    """昭和50年 alone, 年月, and ranges in 和暦 and 西暦 (issue 12 item 8: year-only was refused)."""
    setai, (taro, hanako, ichiro) = family(registry)

    def found(birth: str) -> list[str]:
        response = registry.get(f"residents?birth_date={birth}")
        assert response.status_code == 200, (birth, response.json())
        return [r["atena_no"] for r in response.json()["residents"]]

    assert found("昭和35年") == [taro] and found("1962年") == [hanako]
    assert found("昭和37年3月") == [hanako] and found("昭和37年4月") == []
    assert found("昭和35年〜昭和37年") == [taro, hanako]  # in birth-date order
    assert found("1960年1月~1990年5月") == [taro, hanako, ichiro]
    assert found("平成2年5月5日から平成2年5月5日") == [ichiro]
    for bad, message in (
        ("昭和40年〜昭和35年", "範囲の始めが終わりより後です"),
        ("年月日不詳", "検索する生年月日には年を入れてください"),
    ):
        response = registry.get(f"residents?birth_date={bad}")
        assert response.status_code == 422 and response.json()["errors"] == [
            {"field": "birth_date", "message": message}
        ]


def test_search_includes_removed_records_unless_asked_not_to(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    registry.move({"kind": "death", "move_date": days_ago(1), "persons": [{"atena_no": ichiro}]})
    everyone = {r["atena_no"] for r in registry.get("residents?name_kana=アオキ").json()["residents"]}
    current = {
        r["atena_no"]
        for r in registry.get("residents?name_kana=アオキ&include_removed=false").json()["residents"]
    }
    assert ichiro in everyone and ichiro not in current


def test_bad_search_input_is_a_field_error(registry):
    response = registry.get("residents?birth_date=S70.1.1")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "birth_date"
    response = registry.get("residents")
    assert response.json()["errors"] == [{"field": "query", "message": "検索条件を1つ以上入力してください"}]


def test_my_number_only_with_scope_and_zone_and_always_audited(registry):
    result = registry.move_in(person(my_number="123456789018"))
    atena = result["persons"][0]["atena_no"]
    assert registry.get(f"residents/{atena}").json()["my_number"] is None
    shown = registry.get(f"residents/{atena}", token=registry.mynumber_token).json()
    assert shown["my_number"] == "123456789018"
    with tenant_context(AIZU):
        reads = list(AuditEntry.objects.filter(action="read", resource="resident").order_by("chain_no"))
        # Stored only encrypted, never in clear.
        from yakuba.registry.models import Resident

        stored = Resident.objects.get(atena_no=atena)
    assert [r.my_number_shown for r in reads] == [False, True]
    assert [r.subject_ids for r in reads] == [[atena], [atena]]
    assert "123456789018" not in stored.my_number_encrypted and stored.my_number_hash


@pytest.mark.django_db(transaction=True)  # the feed serves committed events only
def test_my_number_in_events_is_stored_sealed_and_shown_only_with_scope(registry, api, token_for):
    """A 転入 with 個人番号 and a later 転居 both carry it in their events: in the table only as
    ciphertext bound to the event, in the feed only for a client that may see it."""
    result = registry.move_in(person(my_number="123456789018"))
    atena, setai = result["persons"][0]["atena_no"], result["setai_no"]
    registry.move(
        move_body("move_within", [{"atena_no": atena}], household={"setai_no": setai, "address": ADDRESS_2})
    )
    with tenant_context(AIZU), connections["default"].cursor() as cursor:
        cursor.execute("SELECT event_id, data::text FROM linkage_event ORDER BY seq")
        stored = cursor.fetchall()
    assert len(stored) == 2
    assert not [text for _id, text in stored if "123456789018" in text]
    sealed = [json.loads(text)["my_number"] for _id, text in stored]
    assert all(s.startswith("v1:") for s in sealed)
    # Bound to its event: copied into another one, it does not decrypt and is left out.
    assert restricted.unseal(AIZU, stored[1][0], ("my_number",), {"my_number": sealed[0]}) == {}

    def feed(scopes, zone):
        response = api.get(f"/api/v1/{AIZU}/events", token_for(AIZU, scopes=scopes, zone=zone))
        return [e["data"].get("my_number") for e in response.json()["events"]]

    assert feed(["events:read", "registry:read", "registry:mynumber"], "mynumber") == [
        "123456789018",
        "123456789018",
    ]
    assert feed(["events:read", "registry:read"], "lgwan") == [None, None]


def test_every_move_emits_one_event_per_person_and_is_audited(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    moved = registry.move(
        move_body(
            "move_within",
            [{"atena_no": a} for a in (taro, hanako, ichiro)],
            household={"setai_no": setai, "address": ADDRESS_2},
        )
    )
    with tenant_context(AIZU):
        events = list(Event.objects.filter(event_id__in=moved["event_ids"]).order_by("seq"))
        audit = AuditEntry.objects.filter(action="update", resource="resident").get()
    assert [e.type for e in events] == ["jp.yakuba.registry.resident.moved-within.v1"] * 3
    assert [e.subject for e in events] == [taro, hanako, ichiro]
    assert events[0].data["address"] == "福島県会津若松市栄町1番1号" and events[0].data["history_no"] == 2
    assert sorted(audit.subject_ids) == sorted([taro, hanako, ichiro])
    assert audit.detail == {"move_id": moved["move_id"], "kind": "move_within"}


def test_rule_violation_writes_nothing(registry):
    with tenant_context(AIZU):
        before = (Event.objects.count(), AuditEntry.objects.count())
    registry.errors(move_in_body(person(rel="孫"), address=ADDRESS_2))
    with tenant_context(AIZU):
        from yakuba.registry.models import Move, Resident

        assert (Event.objects.count(), AuditEntry.objects.count()) == before
        assert not Resident.objects.exists() and not Move.objects.exists()


def test_scope_is_required_for_moves(registry, token_for):
    read_only = token_for(AIZU, scopes=["registry:read"])
    response = registry.post(
        move_in_body(person(), address=ADDRESS_2),
        token=read_only,
    )
    assert response.status_code == 403


def test_removed_records_older_than_five_years_move_to_the_archive_and_stay_searchable(registry):
    from yakuba.registry.models import Resident, ResidentArchive
    from yakuba.registry.services.archive import archive_removed

    setai, (taro, hanako, ichiro) = family(registry)
    registry.move({"kind": "death", "move_date": days_ago(1), "persons": [{"atena_no": ichiro}]})
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert archive_removed() == 0  # removed yesterday: stays live
        Resident.objects.filter(atena_no=ichiro).update(removed_on=TODAY - timedelta(days=5 * 366))
        assert archive_removed() == 1
        assert archive_removed() == 0  # idempotent
        assert not Resident.objects.filter(atena_no=ichiro).exists()
        assert ResidentArchive.objects.filter(atena_no=ichiro, status=3).exists()
    found = {r["atena_no"] for r in registry.get("residents?name_kana=アオキ").json()["residents"]}
    assert found == {taro, hanako, ichiro}
    assert registry.get(f"residents/{ichiro}").json()["removal_reason"] == "death"
    assert len(registry.get(f"residents/{ichiro}/history").json()["history"]) == 2
