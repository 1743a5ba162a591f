"""The bulk read other apps take the persons of a day from (個人住民税's 賦課期日, 国保's seeding):
a 転出予定者 is there until the 転出予定日 and not from it on, in the stream, the pages, the count
and the age job's read alike (通知 平成26年12月25日 総行住第136号: the 転出 written ahead takes
effect on the 転出予定日)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.conftest import move_body, person, registry  # noqa: F401 (fixture)
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as door

pytestmark = pytest.mark.django_db


def _seen(day: date) -> tuple[set[str], set[str], int, set[str]]:
    with tenant_context(AIZU):
        with door.inhabitants_on(day, purpose="試験") as people:
            streamed = {p.atena_no for p in people}
        paged, _last = door.inhabitants_page(day, after="", limit=100, purpose="試験")
        born = door.born_on([date(1990, 2, 2)], day=day, purpose="試験")
        return (
            streamed,
            {p.atena_no for p in paged},
            door.count_inhabitants_on(day),
            {p.atena_no for p in born},
        )


def test_a_person_leaving_is_there_until_the_planned_day(registry, system_actor):  # noqa: F811
    staying = registry.move_in(person("残留 太郎", "ザンリュウ タロウ", "1990-02-02"))["persons"][0][
        "atena_no"
    ]
    leaving = registry.move_in(person("転出 花子", "テンシュツ ハナコ", "1990-02-02"))["persons"][0][
        "atena_no"
    ]
    today = timezone.localdate()
    planned = today + timedelta(days=3)
    registry.move(
        move_body(
            "move_out",
            [{"atena_no": leaving}],
            move_date=planned.isoformat(),
            destination="domestic",
            destination_address="東京都千代田区千代田1番1号",
        )
    )
    before = _seen(planned - timedelta(days=1))
    assert before == ({staying, leaving}, {staying, leaving}, 2, {staying, leaving})
    on_the_day = _seen(planned)
    assert on_the_day == ({staying}, {staying}, 1, {staying})
