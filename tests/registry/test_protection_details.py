"""支援措置 in full (issue 12 item 7): the 加害者 and the 相談機関等's 意見 recorded with the
measure, checked, carried over by an extension; the list of measures ending in a period."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.registry.conftest import TODAY
from tests.registry.test_move_rules import family
from tests.registry.test_protected_persons import _get, _post, protect, tokens  # noqa: F401, F811 - fixture
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services
from yakuba.registry.services.protection import one_year_from

pytestmark = pytest.mark.django_db

OFFENDER = {
    "name": "山田 一郎",
    "name_kana": "ﾔﾏﾀﾞ ｲﾁﾛｳ",
    "birth_date": "1975-05-05",
    "address": "東京都千代田区千代田1番1号",
    "relation": "元夫",
}
OPINION = {
    "body": "police",
    "body_name": "会津若松警察署",
    "requested_on": (TODAY - timedelta(days=10)).isoformat(),
    "received_on": (TODAY - timedelta(days=3)).isoformat(),
}


def test_the_offender_and_the_opinion_are_recorded_with_the_measure(registry, client, tokens):  # noqa: F811
    setai, (taro, hanako, ichiro) = family(registry)
    measure = protect(client, tokens["counter"], hanako, offender=OFFENDER, opinion=OPINION)
    assert measure["offender"] == {
        **OFFENDER,
        "name_kana": "ヤマダ\u3000イチロウ",
    }  # full-width kana and space
    assert measure["opinion"] == OPINION


def test_details_that_cannot_be_right_are_named(registry, client, tokens):  # noqa: F811
    setai, (taro, hanako, ichiro) = family(registry)
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = _post(
        client,
        f"registry/residents/{hanako}/protection",
        {
            "kind": "dv",
            "start_date": TODAY.isoformat(),
            "offender": {"name_kana": "yamada", "birth_date": tomorrow},
            "opinion": {"requested_on": OPINION["received_on"], "received_on": OPINION["requested_on"]},
        },
        tokens["counter"],
    )
    assert response.status_code == 422
    assert {(e["field"], e["message"]) for e in response.json()["errors"]} == {
        ("offender.name_kana", "フリガナは全角カタカナで入力してください（yamada）"),
        ("offender.birth_date", "加害者の生年月日が未来の日付です"),
        ("opinion.body", "意見を求めた相談機関等を選んでください"),
        ("opinion.received_on", "意見を受けた日が意見を求めた日より前です"),
    }


def _measure_ending_in(atena_no: str, days: int, **details) -> services.Measure:
    start = TODAY + timedelta(days=days + 1)
    start = start.replace(year=start.year - 1)
    assert one_year_from(start) == TODAY + timedelta(days=days)
    return services.set_measure(atena_no, starts_on=start, **details)


def test_the_measures_ending_this_month_are_listed_until_extended_or_ended(registry, client, tokens):  # noqa: F811
    setai, (taro, hanako, ichiro) = family(registry)
    with bind_actor(SYSTEM), tenant_context(AIZU):
        soon = _measure_ending_in(hanako, 9, offender=services.Offender(name="山田 一郎"))
        _measure_ending_in(ichiro, 20)
        later = _measure_ending_in(taro, 100)
        window = (TODAY, TODAY + timedelta(days=30))
        assert [m.atena_no for m in services.expiring(*window)] == [hanako, ichiro]
        extension = services.extend_measure(soon.protection_id)
        assert extension.offender.name == "山田 一郎"  # the 加害者 carries over
        services.end_measure(later.protection_id)
        assert [m.atena_no for m in services.expiring(*window)] == [ichiro]
        read = AuditEntry.objects.filter(resource="protection", action="read").latest("chain_no")
        assert read.subject_ids == [ichiro] and read.detail["list"] == "expiring"
    path = f"registry/protections?ends_from={TODAY.isoformat()}&ends_to={(TODAY + timedelta(days=30)).isoformat()}"
    answer = _get(client, path, tokens["counter"])
    assert answer.status_code == 200 and [p["atena_no"] for p in answer.json()["protections"]] == [ichiro]
    assert _get(client, path, tokens["trusted"]).status_code == 403  # registry:protection only
    backwards = f"registry/protections?ends_from={TODAY.isoformat()}&ends_to=2000-01-01"
    assert _get(client, backwards, tokens["counter"]).status_code == 422
