"""要介護認定 records: the 有効期間 lengths (介護保険法施行規則 §38, §41; facts §4.4) as a pure rule, and
the door — an 申請 and its 結果 with their events and audit rows, a correction kept as history,
the 認定 in force on a day, bad input named per field, the CLI (exit 2 on refusal)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import AIZU
from tests.long_term_care.test_special_address import elder  # noqa: F401 (fixture)
from tests.registry.conftest import TODAY, registry  # noqa: F401 (fixture)
from yakuba.long_term_care.codes import CareLevel, CertificationKind
from yakuba.long_term_care.events import CERTIFICATION_APPLIED, CERTIFICATION_DECIDED
from yakuba.long_term_care.rules.certification import check_period, months_of
from yakuba.long_term_care.services import Rejected, certification
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context

NEW, RENEWAL, CHANGE = CertificationKind.NEW, CertificationKind.RENEWAL, CertificationKind.CHANGE
CARE_2, CARE_3 = CareLevel.CARE_2, CareLevel.CARE_3


def _fields(errors) -> set[str]:
    return {f for f, _m in errors}


def test_the_first_partial_month_is_not_counted():
    # 施行規則 §38①: 申請日から月末まで + 6か月 — applied 4/15 → 10/31 is 6 months.
    assert months_of(date(2026, 4, 15), date(2026, 10, 31)) == 6
    assert months_of(date(2026, 4, 1), date(2026, 9, 30)) == 6
    assert months_of(date(2026, 5, 1), date(2027, 4, 30)) == 12


def test_a_new_certification_runs_3_to_12_months_from_the_application_day():
    applied = date(2026, 4, 15)

    def check(until: date, kind=NEW, start=applied):
        return check_period(kind, CARE_2, applied, applied + timedelta(days=20), start, until)

    assert check(date(2026, 10, 31)) == []  # 原則6か月
    assert check(date(2026, 7, 31)) == []  # 3
    assert check(date(2027, 4, 30)) == []  # 12
    assert _fields(check(date(2026, 6, 30))) == {"valid_until"}  # 2
    assert _fields(check(date(2027, 5, 31))) == {"valid_until"}  # 13
    assert _fields(check(date(2027, 5, 31), CHANGE)) == {"valid_until"}  # 区分変更 too
    assert _fields(check(date(2026, 10, 30))) == {"valid_until"}  # not a month-end
    assert _fields(check(date(2026, 10, 31), start=date(2026, 5, 1))) == {"valid_from"}  # not the 申請日


def test_a_renewal_runs_3_to_36_months_and_48_when_the_level_is_unchanged():
    previous_end = date(2026, 3, 31)
    start = date(2026, 4, 1)

    def check(until: date, level=CARE_2, previous=(CARE_2, previous_end), begin=start):
        return check_period(
            RENEWAL, level, date(2026, 2, 10), date(2026, 3, 20), begin, until, previous=previous
        )

    assert check(date(2027, 3, 31)) == []  # 原則12か月
    assert check(date(2029, 3, 31), level=CARE_3) == []  # 36
    assert _fields(check(date(2029, 4, 30), level=CARE_3)) == {"valid_until"}  # 37, changed level
    assert check(date(2030, 3, 31)) == []  # 48, the same 区分
    assert _fields(check(date(2030, 4, 30))) == {"valid_until"}  # 49
    assert _fields(check(date(2027, 3, 31), begin=date(2026, 4, 2))) == {"valid_from"}


def test_the_three_month_shortest_renewal_is_accepted():
    assert (
        check_period(
            RENEWAL,
            CARE_2,
            date(2026, 2, 10),
            date(2026, 3, 20),
            date(2026, 4, 1),
            date(2026, 6, 30),
            previous=(CARE_2, date(2026, 3, 31)),
        )
        == []
    )


def test_not_applicable_has_no_period_and_a_decision_follows_the_application():
    applied = date(2026, 4, 15)
    assert check_period(NEW, CareLevel.NOT_APPLICABLE, applied, applied, None, None) == []
    assert _fields(
        check_period(NEW, CareLevel.NOT_APPLICABLE, applied, applied, applied, date(2026, 10, 31))
    ) == {"valid_from"}
    assert _fields(
        check_period(NEW, CARE_2, applied, applied - timedelta(days=1), applied, date(2026, 10, 31))
    ) == {"decided_on"}
    assert _fields(check_period(NEW, CARE_2, applied, applied, None, None)) == {"valid_from"}


# --- the door ------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db(transaction=True)


def _month_end(day: date, months: int) -> date:
    first = date(day.year + (day.month - 1 + months + 1) // 12, (day.month - 1 + months + 1) % 12 + 1, 1)
    return first - timedelta(days=1)


@pytestmark_db
def test_an_application_and_its_result_are_recorded_with_events_and_audit(
    elder,  # noqa: F811
    django_assert_max_num_queries,
):
    applied = TODAY - timedelta(days=20)
    until = _month_end(applied, 6)
    with tenant_context(AIZU):
        line = certification.add_certification(
            elder,
            applied,
            NEW,
            level=CARE_2,
            decided_on=TODAY - timedelta(days=2),
            valid_from=applied,
            valid_until=until,
        )
        assert line.kind_label == "新規" and line.decision.level_label == "要介護2"
        assert certification.in_force(elder, applied).level == CARE_2
        assert certification.in_force(elder, until + timedelta(days=1)) is None
        assert certification.certified_page(TODAY, after="", limit=10) == [elder]
        # A corrected result: a new row, the earlier kept.
        fixed = certification.add_decision(line.application_id, CARE_3, TODAY, applied, until)
        assert [d.level for d in fixed.decisions] == [CARE_2, CARE_3]
        assert certification.in_force(elder, TODAY).level == CARE_3
        types = list(Event.objects.filter(subject=elder).values_list("type", flat=True))
        assert types.count(CERTIFICATION_APPLIED) == 1 and types.count(CERTIFICATION_DECIDED) == 2
        audit = AuditEntry.objects.filter(resource=certification.RESOURCE, subject_ids__contains=[elder])
        assert audit.filter(action="create").count() == 3
        with django_assert_max_num_queries(3):  # 申請, 結果, the audit row — however many
            (listed,) = certification.certifications(elder)
        assert len(listed.decisions) == 2
        assert audit.filter(action="read").exists()


@pytestmark_db
def test_a_not_applicable_result_is_never_in_force(elder):  # noqa: F811
    with tenant_context(AIZU):
        certification.add_certification(
            elder, TODAY - timedelta(days=5), NEW, level=CareLevel.NOT_APPLICABLE, decided_on=TODAY
        )
        assert certification.in_force(elder, TODAY) is None


@pytestmark_db
def test_bad_input_names_each_field_in_japanese(elder):  # noqa: F811
    with tenant_context(AIZU), pytest.raises(Rejected) as refused:
        certification.add_certification("999999999999999", TODAY + timedelta(days=1), "urgent")
    messages = {e["field"]: e["message"] for e in refused.value.errors}
    assert set(messages) == {"applied_on", "kind", "atena_no"}
    assert "第1号被保険者ではありません" in messages["atena_no"]
    applied = TODAY - timedelta(days=20)
    with tenant_context(AIZU), pytest.raises(Rejected) as refused:
        certification.add_certification(
            elder,
            applied,
            NEW,
            level=CARE_2,
            decided_on=TODAY,
            valid_from=applied,
            valid_until=_month_end(applied, 14),
        )
    assert "新規の有効期間は3〜12か月です" in refused.value.errors[0]["message"]
    with tenant_context(AIZU):
        assert certification.certifications(elder) == []  # nothing written: one transaction


@pytestmark_db
def test_the_cli_adds_lists_and_refuses_with_exit_2(elder, capsys):  # noqa: F811
    from yakuba.cli import main

    applied = TODAY - timedelta(days=20)
    base = ["insurance", "kaigo", "certification"]
    assert main([*base, "add", AIZU, elder, "--applied-on", applied.isoformat(), "--kind", "new"]) == 0
    out = capsys.readouterr().out
    assert "新規" in out and "結果なし" in out
    number = out.split()[1]
    until = _month_end(applied, 6).isoformat()
    result = ["--level", "support_1", "--decided-on", TODAY.isoformat(), "--valid-from", applied.isoformat()]
    assert main([*base, "decide", AIZU, number, *result, "--valid-until", until]) == 0
    assert "要支援1" in capsys.readouterr().out
    assert main([*base, "list", AIZU, elder]) == 0
    assert "要支援1" in capsys.readouterr().out
    assert (
        main(
            [
                *base,
                "decide",
                AIZU,
                number,
                *result,
                "--valid-until",
                (applied - timedelta(days=1)).isoformat(),
            ]
        )
        == 2
    )
    assert "valid_until: 有効期間の終了日は開始日より後にしてください" in capsys.readouterr().err


@pytestmark_db
def test_the_api_adds_and_reads_with_its_scopes(elder, client, token_for):  # noqa: F811
    import json

    from tests.conftest import CHIYODA

    url = f"/api/v1/{AIZU}/insurance/kaigo/certifications"
    reader = {"HTTP_AUTHORIZATION": f"Bearer {token_for(AIZU, scopes=['kaigo:read'])}"}
    writer = {"HTTP_AUTHORIZATION": f"Bearer {token_for(AIZU, scopes=['kaigo:read', 'kaigo:write'])}"}
    applied = TODAY - timedelta(days=20)
    body = {
        "atena_no": elder,
        "applied_on": applied.isoformat(),
        "kind": "new",
        "level": "care_4",
        "decided_on": TODAY.isoformat(),
        "valid_from": applied.isoformat(),
        "valid_until": _month_end(applied, 6).isoformat(),
    }

    def post(given, headers, where=url):
        return client.post(where, data=json.dumps(given), content_type="application/json", **headers)

    assert post(body, reader).status_code == 403
    assert post(body, writer, url.replace(AIZU, CHIYODA)).status_code == 404
    bad = post({**body, "valid_until": _month_end(applied, 20).isoformat()}, writer)
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["valid_until"]
    created = post(body, writer)
    assert created.status_code == 201, created.content
    assert created.json()["decisions"][0]["level"] == "care_4"
    read = client.get(url, {"atena_no": elder}, **reader)
    assert read.status_code == 200 and [c["kind"] for c in read.json()] == ["new"]
