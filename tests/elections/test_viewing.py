"""選挙人名簿抄本の閲覧: the purposes and items of 公職選挙法28条の2・28条の3, the blackout from the
公示・告示日 to the 5th day after the 選挙期日 at its boundary days (and a 選挙人's check in the
異議申出 days), 申出 → 承認 → 閲覧 logged and audited, no person under 支援措置 shown, the 閲覧の状況
published; the election periods they read."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.elections.test_extract import KIJUN, town  # noqa: F401 (fixture)
from tests.registry.ui.test_screens import protect
from yakuba.elections.codes import ViewingPurpose
from yakuba.elections.models import Viewing
from yakuba.elections.rules import viewing as rules
from yakuba.elections.services import periods, viewing
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.installments import closed
from yakuba.platform.tenancy.context import tenant_context

# 第27回参議院議員通常選挙: 公示 2025-07-03, 選挙期日 2025-07-20 (civil-facts §1.3).
SANIN = rules.Period("参議院議員通常選挙", date(2025, 7, 3), date(2025, 7, 20))


def political(on: date, **changes) -> rules.Request:
    fields = {
        "purpose": ViewingPurpose.POLITICAL,
        "requester_name": "会津 次郎",
        "requester_address": "福島県会津若松市東栄町1番1号",
        "viewing_on": on,
        "purpose_detail": "後援会活動の案内の送付",
        "viewers": ("会津 次郎",),
        "precincts": ("第1投票区",),
    } | changes
    return rules.Request(**fields)


@pytest.mark.parametrize(
    ("day", "refused"),
    [
        (date(2025, 7, 2), False),  # the day before the 公示
        (date(2025, 7, 3), True),  # the 公示日
        (date(2025, 7, 25), True),  # 選挙期日 + 5 (a Friday)
        (date(2025, 7, 28), False),  # the next open day after it
    ],
)
def test_the_blackout_boundary_days(day, refused):
    errors = rules.check_request(political(day), periods=[SANIN])
    assert bool(errors) is refused
    if refused:
        assert errors == [("viewing_on", "参議院議員通常選挙の公示・告示日（2025-07-03）から選挙期日後5日（2025-07-25）までは閲覧できません（公職選挙法第28条の2第1項）")]  # fmt: skip
    assert SANIN.blackout_until == date(2025, 7, 25)


def test_a_check_of_named_persons_stays_open_on_the_objection_days():
    check = rules.Request(ViewingPurpose.CHECK, "会津 三郎", "会津若松市", date(2025, 7, 4), persons=("123",))
    assert rules.check_request(check, periods=[SANIN])
    assert rules.check_request(check, periods=[SANIN], objection_days=[date(2025, 7, 4)]) == []
    # Political 閲覧 is refused on those days all the same.
    assert rules.check_request(
        political(date(2025, 7, 4)), periods=[SANIN], objection_days=[date(2025, 7, 4)]
    )
    assert rules.objection_days("election", date(2025, 7, 2)) == [date(2025, 7, 3)]
    assert rules.objection_days("teiji", date(2025, 6, 2))[-1] == date(2025, 6, 7)


def test_items_required_per_purpose_and_office_days():
    assert rules.check_request(political(date(2025, 8, 1))) == []
    errors = dict(
        rules.check_request(
            political(date(2025, 8, 2), purpose_detail="", precincts=(), viewers=(), persons=("1",))
        )
    )
    assert errors["viewing_on"] == "2025-08-02 は閉庁日です。閲覧は執務時間内に限ります"
    assert set(errors) == {"viewing_on", "purpose_detail", "precincts", "viewers", "persons"}
    check = rules.Request(
        ViewingPurpose.CHECK, "会津 三郎", "", date(2025, 8, 1), viewers=("別人",), precincts=("第1投票区",)
    )
    assert set(dict(rules.check_request(check))) == {"requester_address", "persons", "precincts", "viewers"}
    other = rules.Request("marketing", "業者", "東京都", date(2025, 8, 1))
    assert dict(rules.check_request(other))["purpose"].startswith("閲覧の目的を選んでください")


def open_day(start: date) -> date:
    day = start
    while closed(day):
        day += timedelta(days=1)
    return day


@pytest.mark.django_db
def test_periods_are_checked_and_overlaps_reported(aizu, system_actor):
    with tenant_context(AIZU):
        periods.add_period("市長選挙", date(2027, 4, 11), date(2027, 4, 18))
        with pytest.raises(periods.PeriodRefused) as refused:
            periods.add_period("市長選挙", date(2027, 4, 19), date(2027, 4, 18))
        assert dict(refused.value.errors) == {
            "announced_on": "公示・告示日は選挙期日より前の日にしてください"
        }
        with pytest.raises(periods.PeriodRefused, match="登録済み"):
            periods.add_period("市長選挙", date(2027, 4, 11), date(2027, 4, 18))
        assert [p.name for p in periods.overlapping(date(2027, 4, 1), date(2027, 4, 18))] == ["市長選挙"]
        assert periods.overlapping(date(2027, 5, 1), date(2027, 5, 9)) == []
        assert [p.name for p in periods.covering(date(2027, 4, 17))] == ["市長選挙"]
        assert periods.covering(date(2027, 4, 18)) == []
        assert AuditEntry.objects.filter(resource=periods.RESOURCE).count() == 1


@pytest.mark.django_db
def test_request_decide_view_and_publish(town, monkeypatch):  # noqa: F811
    day = open_day(timezone.localdate())
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
    protect(town["二番"])
    with tenant_context(AIZU):
        with pytest.raises(viewing.ViewingRefused, match="投票区「第9投票区」はありません"):
            viewing.apply_request(political(day, precincts=("第9投票区",)))
        asked = viewing.apply_request(political(day))
        check = viewing.apply_request(
            rules.Request(
                ViewingPurpose.CHECK, "会津 三郎", "会津若松市", day, persons=(town["十番"], "99999")
            )
        )
        with pytest.raises(viewing.ViewingRefused, match="承認された申出だけが閲覧できます"):
            viewing.view(asked.id, identity="運転免許証")
        with pytest.raises(viewing.ViewingRefused, match="不承認の理由を入力してください"):
            viewing.decide(asked.id, allowed=False)
        viewing.decide(asked.id, allowed=True)
        viewing.decide(check.id, allowed=True)
        with pytest.raises(viewing.ViewingRefused, match="審査済み"):
            viewing.decide(asked.id, allowed=False, reason="x")
        with pytest.raises(viewing.ViewingRefused, match="本人確認書類"):
            viewing.view(asked.id, identity=" ")
        shown, made = viewing.view(asked.id, identity="運転免許証")
        _checked, found = viewing.view(check.id, identity="マイナンバーカード")
        with pytest.raises(viewing.ViewingRefused, match="閲覧は済んでいます"):
            viewing.view(asked.id, identity="運転免許証")
        published = viewing.published(day - timedelta(days=1), day).decode("utf-8-sig").splitlines()
        rows = list(Viewing.objects.order_by("id").values_list("decision", "shown", "identity"))
        audits = list(AuditEntry.objects.filter(resource=viewing.RESOURCE).values_list("action", flat=True))
    # The 抄本 shown leaves out the person under 支援措置.
    assert shown.shown == 2 and made.withheld == 1
    assert [x.name for s in made.sections for x in s.lines] == ["抄本 三番", "抄本 十番"]
    assert [x.atena_no for s in found.sections for x in s.lines] == [town["十番"]]
    assert rows == [("allowed", 2, "運転免許証"), ("allowed", 1, "マイナンバーカード")]
    # Only the political 閲覧 is published; the elector's check is not.
    assert published == [
        "申出者の氏名・名称,代表者,閲覧の目的,利用目的の概要,閲覧日,閲覧した投票区",
        f"会津 次郎,,{ViewingPurpose.POLITICAL.label},後援会活動の案内の送付,{day},第1投票区",
    ]
    assert audits == ["create", "create", "update", "update", "read", "read", "export"]


@pytest.mark.django_db
def test_an_election_announced_after_the_approval_closes_the_viewing_day(town, monkeypatch):  # noqa: F811
    day = open_day(timezone.localdate())
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
    with tenant_context(AIZU):
        asked = viewing.apply_request(political(day))
        viewing.decide(asked.id, allowed=True)
        periods.add_period("町議会議員補欠選挙", day, day + timedelta(days=5))
        with pytest.raises(viewing.ViewingRefused, match="町議会議員補欠選挙の公示・告示日"):
            viewing.view(asked.id, identity="運転免許証")
        assert Viewing.objects.get().shown == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("town")
def test_the_api_records_a_request_and_its_decision_and_names_bad_fields(api, client, token_for, monkeypatch):
    class Posting:
        @staticmethod
        def post_json(path, body, token):
            return client.post(path, data=json.dumps(body), content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip

    api.post_json = Posting.post_json
    day = open_day(timezone.localdate())
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
    base = f"/api/v1/{AIZU}/elections"
    reader, writer = token_for(AIZU, scopes=["elections:read"]), token_for(AIZU, scopes=["elections:viewing"])
    body = {"purpose": "political", "requester_name": "会津 次郎", "requester_address": "会津若松市",
            "viewing_on": day.isoformat(), "purpose_detail": "後援会の案内", "viewers": ["会津 次郎"],
            "precincts": ["第1投票区"]}  # fmt: skip
    assert api.post_json(f"{base}/viewings", body, reader).status_code == 403
    bad = api.post_json(f"{base}/viewings", body | {"precincts": [], "purpose_detail": ""}, writer)
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"precincts", "purpose_detail"}
    made = api.post_json(f"{base}/viewings", body, writer)
    assert made.status_code == 201 and made.json()["decision"] == "pending"
    viewing_id = made.json()["id"]
    decided = api.post_json(f"{base}/viewings/{viewing_id}/decision", {"allowed": True}, writer)
    assert decided.json()["decision"] == "allowed"
    assert api.post_json(f"{base}/viewings/999999/decision", {"allowed": True}, writer).status_code == 404
    listed = api.get(f"{base}/viewings", reader).json()
    assert [v["id"] for v in listed["viewings"]] == [viewing_id] and listed["next_after"] is None
    period = {"name": "市長選挙", "announced_on": "2027-04-11", "election_day": "2027-04-18"}
    assert api.post_json(f"{base}/periods", period, writer).json()["blackout_until"] == "2027-04-23"
    assert [p["name"] for p in api.get(f"{base}/periods", reader).json()] == ["市長選挙"]
    csv = api.get(f"{base}/extract?as_of={day}&format=csv&for_viewing=true", reader)
    assert csv.status_code == 200 and csv.content.decode("utf-8-sig").count("抄本 ") == 3
    missing = api.get(f"{base}/extract?as_of={day}&tohyoku=第9投票区", reader)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "tohyoku"
    # A day the roll was not kept on: in the future, or before 公職選挙法 (1950-05-01).
    for as_of in (day + timedelta(days=1), date(1950, 4, 30), date(1, 1, 1)):
        refused = api.get(f"{base}/extract?as_of={as_of}", reader)
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "as_of", as_of
    assert api.get(f"{base}/extract?as_of=1950-05-01&format=csv", reader).status_code == 200
    published = api.get(f"{base}/viewings/published?from={day}&to={day}", reader)
    assert published.content.decode("utf-8-sig").splitlines()[0].startswith("申出者の氏名・名称,")
