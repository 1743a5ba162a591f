"""The 届出 and 免除等 申請 taken at the counter (services/records.py): stored as filed with the
person's particulars of the day, append-only, one event and one audit row each; the 所得 of a
免除等 申請 read from the tax records (assessment.figures_of, the 年度's 個人住民税 = the 所得 of
the year before the 免除年度) unless given; every reason at once; the API under its scopes
(個人番号 only to a client that may see it, a protected person unknown without the registry's
scope); the CLI (exit 2 naming the field)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU, CHIYODA
from tests.national_pension.conftest import MY_NUMBER, YEAR, application, notification
from tests.registry.conftest import TODAY
from yakuba.cli import main
from yakuba.national_pension.events import APPLIED, NOTIFIED
from yakuba.national_pension.models import Application, Notification
from yakuba.national_pension.services import (
    CalculationRejected,
    check_application,
    check_notification,
    filed_by,
    record_application,
    record_notification,
)
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as door
from yakuba.tax.services import assessment

pytestmark = pytest.mark.django_db


def test_a_notification_is_stored_as_filed_with_its_event_and_audit(family):
    taro = family[2]
    with tenant_context(AIZU):
        out = record_notification(notification(taro, my_number=MY_NUMBER, pension_no="1234567890"))
        row = Notification.objects.get()
        assert (row.name, row.name_kana, row.birth_date, row.sex) == (
            "年金 太郎",
            "ネンキン\u3000タロウ",
            date(2006, 4, 2),
            1,
        )
        assert row.address.startswith("福島県会津若松市") and row.pension_no == "1234567890"
        assert MY_NUMBER not in row.my_number_encrypted and out.my_number is None and out.has_my_number
        event = Event.objects.get(type=NOTIFIED)
        assert event.subject == taro and event.data["kind"] == "acquired" and event.data["id"] == row.id
        assert "name" not in event.data
        assert (
            AuditEntry.objects.filter(resource="national_pension.notification", subject_ids=[taro]).count()
            == 1
        )


def test_every_broken_rule_is_named_at_once(family):
    taro = family[2]
    with tenant_context(AIZU), pytest.raises(CalculationRejected) as refused:
        record_notification(
            notification(taro, my_number="123456789012", occurred_on="2026-04-02", notified_on="2026-04-01")
        )
    fields = [e["field"] for e in refused.value.errors]
    assert fields == [
        "my_number",
        "occurred_on",
        "occurred_on",
    ]  # check digit, after 届出日, not the day before 20
    with tenant_context(AIZU), pytest.raises(CalculationRejected) as refused:
        record_notification(notification("999999"))
    assert refused.value.errors == [
        {"field": "atena_no", "message": "宛名番号 999999 の住民は見つかりません"}
    ]
    with tenant_context(AIZU):
        assert not Notification.objects.exists() and not Event.objects.filter(type=NOTIFIED).exists()


def test_an_application_takes_the_incomes_from_the_tax_records(family):
    ichiro, hanako, _taro = family
    with tenant_context(AIZU):
        figures = assessment.figures_of([ichiro, hanako], YEAR)
        out = record_application(application(ichiro, spouse={"atena_no": hanako}))
        row = Application.objects.get()
        event = Event.objects.get(type=APPLIED)
    assert (row.income, row.spouse_income) == (figures[ichiro].total_income, figures[hanako].total_income)
    assert out.steps[:2] == [
        "applicant: 所得は個人住民税の課税情報（2025年度）",
        "spouse: 所得は個人住民税の課税情報（2025年度）",
    ]
    assert row.judgement["result"]["persons"][0]["income"] == row.income and row.householder_income is None
    assert event.data == {
        "atena_no": ichiro,
        "id": row.id,
        "fiscal_year": YEAR,
        "applied": "full",
        "notified_on": "2025-07-15",
    }


def test_the_check_stored_beside_it_is_the_pure_rules(family):
    """A single person with 所得 67万 passes 全額免除 in 2025年度 ((0+1)×35万 + 32万 = 67万) and one
    yen more does not: the grant stored follows the rule, not the kind applied for."""
    ichiro = family[0]
    with tenant_context(AIZU):
        at = record_application(application(ichiro, applied="half", applicant={"income": 670_000}))
        above = record_application(application(ichiro, applicant={"income": 670_001}))
    assert at.grant == "全額免除" and at.steps[0] == "applicant: 所得は申請者の申立て"
    assert above.grant == "4分の3免除" and above.income == 670_001  # 納付猶予 has the same limit


def test_a_person_without_tax_records_must_be_given_an_income(family):
    ichiro = family[0]
    with tenant_context(AIZU), pytest.raises(CalculationRejected) as refused:
        record_application(application(ichiro, spouse={"dependents": 0}, fiscal_year=2016))
    assert [e["field"] for e in refused.value.errors] == ["fiscal_year"]
    with tenant_context(AIZU), pytest.raises(CalculationRejected) as refused:
        record_application(application(ichiro, spouse={}))
    assert refused.value.errors == [
        {"field": "spouse.income", "message": "2025年度の課税情報がありません。前年所得を入力してください"}
    ]


def test_reading_a_persons_records_is_two_queries_and_audited(family):
    taro = family[2]
    with tenant_context(AIZU):
        for day in ("2026-04-10", "2026-04-11", "2026-04-12"):
            record_notification(notification(taro, notified_on=day, my_number=MY_NUMBER))
        with CaptureQueriesContext(connections["default"]) as queries:
            notifications, applications = filed_by(taro, my_number=True)
        assert len(queries) <= 4  # 支援措置, two reads, the audit row
        assert [n.my_number for n in notifications] == [MY_NUMBER] * 3 and applications == []
        assert AuditEntry.objects.filter(resource="national_pension.filed").get().my_number_shown


# --- API ---------------------------------------------------------------------------------------


def _post(client, token, path, body):
    return client.post(
        f"/api/v1/{AIZU}/insurance/nenkin/{path}",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_the_api_records_under_its_scope(family, client, token_for):
    taro = family[2]
    body = notification(taro, my_number=MY_NUMBER).model_dump(mode="json")
    reader = token_for(AIZU, scopes=["nenkin:read"])
    assert _post(client, reader, "notifications", body).status_code == 403
    writer = token_for(AIZU, scopes=["nenkin:write"])
    answer = _post(client, writer, "notifications", body)
    assert answer.status_code == 201 and answer.json()["my_number"] is None
    bad = _post(client, writer, "notifications", {**body, "reason": "death"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "reason"
    schema = _post(client, writer, "notifications", {**body, "kind": "x", "occurred_on": "2026-13-01"})
    assert schema.status_code == 422 and {e["field"] for e in schema.json()["errors"]} == {
        "kind",
        "occurred_on",
    }


def test_the_api_shows_my_number_only_to_a_client_that_may_see_it(family, client, token_for, api):
    taro = family[2]
    writer = token_for(AIZU, scopes=["nenkin:write"])
    _post(client, writer, "notifications", notification(taro, my_number=MY_NUMBER).model_dump(mode="json"))
    path = f"/api/v1/{AIZU}/insurance/nenkin/persons/{taro}"
    plain = api.get(path, token_for(AIZU, scopes=["nenkin:read"])).json()
    assert plain["notifications"][0]["my_number"] is None and plain["notifications"][0]["has_my_number"]
    trusted = token_for(AIZU, scopes=["nenkin:read", "registry:mynumber"], zone="mynumber")
    assert api.get(path, trusted).json()["notifications"][0]["my_number"] == MY_NUMBER


def test_a_protected_person_is_unknown_without_the_registrys_scope(family, api, token_for, chiyoda):
    taro = family[2]
    with tenant_context(AIZU):
        door.set_measure(taro, starts_on=TODAY, kind="dv")
    path = f"/api/v1/{AIZU}/insurance/nenkin/persons/{taro}"
    assert api.get(path, token_for(AIZU, scopes=["nenkin:read"])).status_code == 404
    assert api.get(path, token_for(AIZU, scopes=["nenkin:read", "registry:protected"])).status_code == 200
    # another municipality's token: as if AIZU did not exist
    assert api.get(path, token_for(CHIYODA, scopes=["nenkin:read"])).status_code == 404


# --- CLI ---------------------------------------------------------------------------------------


def test_the_cli_records_or_names_the_field(family, tmp_path, capsys):
    ichiro = family[0]
    good = tmp_path / "apply.json"
    good.write_text(application(ichiro, applicant={"income": 500_000}).model_dump_json(), encoding="utf-8")
    assert main(["insurance", "nenkin", "apply", AIZU, "--input", str(good)]) == 0
    assert json.loads(capsys.readouterr().out)["grant"] == "全額免除"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"atena_no": ichiro, "kind": "acquired", "reason": "age_20"}), encoding="utf-8")
    assert main(["insurance", "nenkin", "notify", AIZU, "--input", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: occurred_on: 入力してください" in err and f"{bad}: notified_on: 入力してください" in err


def test_a_check_writes_nothing_and_an_application_reads_the_incomes_once(family):
    ichiro, hanako, taro = family
    with tenant_context(AIZU):
        assert check_notification(notification(taro, reason="death")) == [
            {
                "field": "reason",
                "message": "資格取得の事由は 20歳到達、転入（国外からの転入を含む）、その他 のいずれかです",
            }
        ]
        assert check_application(application(ichiro, spouse={})) == [
            {
                "field": "spouse.income",
                "message": "2025年度の課税情報がありません。前年所得を入力してください",
            }
        ]
        assert not Notification.objects.exists() and not Application.objects.exists()
        both = application(ichiro, spouse={"atena_no": hanako}, householder={"atena_no": taro})
        with CaptureQueriesContext(connections["default"]) as queries:
            record_application(both)
        # the person (and 支援措置), one read of the three 所得, the row, its event and audit row
        assert len([q for q in queries if "tax_assessment" in q["sql"]]) == 1
        assert len(queries) <= 12
