"""The 支援措置 screen records the 加害者 and the 相談機関等's 意見 (dates in 和暦), and the counter
has a list of the measures ending this month and next (issue 12 item 7)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.registry.conftest import TODAY, days_ago
from tests.registry.ui.test_screens import page, wareki_short

pytestmark = pytest.mark.django_db


def test_offender_and_opinion_on_the_screen_and_the_expiring_list(counter, welfare, family):
    setai_no, (taro, hanako, ichiro) = family
    url = f"/registry/residents/{hanako}/protection/"
    form = {
        "action": "set",
        "kind": "dv",
        "starts_on": wareki_short(days_ago(0)),
        "offender_name": "山田 一郎",
        "offender_name_kana": "ヤマダ イチロウ",
        "offender_birth_date": "S50.5.5",
        "offender_relation": "元夫",
        "opinion_body": "police",
        "opinion_body_name": "会津若松警察署",
        "opinion_requested_on": wareki_short(days_ago(3)),
        "opinion_received_on": wareki_short(days_ago(5)),
    }
    bad = counter.post(url, form)
    assert bad.status_code == 422
    assert "意見を受けた日が意見を求めた日より前です" in page(
        bad
    ) and 'id="err-opinion_received_on"><svg' in page(bad)
    assert counter.post(url, {**form, "opinion_received_on": wareki_short(days_ago(1))}).status_code == 302
    text = page(counter.get(url))
    assert "山田 一郎（ヤマダ　イチロウ）・元夫・1975-05-05生" in text
    assert "警察（会津若松警察署）" in text

    expiring = "/registry/protections/expiring/"
    assert welfare.get(expiring).status_code == 403
    listed = page(counter.get(expiring))
    assert "今月と来月に期間が終わる支援措置はありません" in listed  # this one ends in a year
    start = TODAY + timedelta(days=10)
    counter.post(
        f"/registry/residents/{ichiro}/protection/",
        {
            "action": "set",
            "kind": "stalker",
            "starts_on": wareki_short(start.replace(year=start.year - 1).isoformat()),
        },
    )
    listed = page(counter.get(expiring))
    assert ichiro in listed and "支援措置（ストーカー行為等）" in listed and hanako not in listed
