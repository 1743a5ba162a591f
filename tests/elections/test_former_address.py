"""旧住所地 registration (公職選挙法21条2項; civil-facts §1.1, pitfalls §7.4) in a run, through real
registry 異動: a person who moved out less than four months before the 基準日 after three months
here, 18 by the 年齢期限日 and not on the roll is registered with the old address and the day
they left — and marked from that day, so they are struck off when the four months end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.elections.conftest import TODAY, ago, born_for_birthday, file_move_in, file_move_out
from yakuba.elections import services
from yakuba.elections.models import Departure, Entry, EntryChange
from yakuba.elections.rules.dates import latest_move_in, struck_off_from
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

KIJUN = ago(10)
ELECTION_DAY = KIJUN + timedelta(days=17)
LONG_AGO = ago(400)


def first_day_left_in_time():
    """The earliest 転出日 whose four months have not passed on the 基準日."""
    day = KIJUN - timedelta(days=130)
    while struck_off_from(day) <= KIJUN:
        day += timedelta(days=1)
    return day


def test_who_left_within_four_months_after_three_is_registered_at_the_old_address(registry, system_actor):
    left = first_day_left_in_time()
    people = {
        "in time": ("1970-01-01", LONG_AGO, left),
        "too early": ("1970-01-02", LONG_AGO, left - timedelta(days=1)),
        "three months": ("1970-01-03", latest_move_in(left), left),
        "a day short": ("1970-01-04", latest_move_in(left) + timedelta(days=1), left),
        "18 the day after": (born_for_birthday(ELECTION_DAY + timedelta(days=1)), LONG_AGO, ago(20)),
        "18 two days after": (born_for_birthday(ELECTION_DAY + timedelta(days=2)), LONG_AGO, ago(20)),
        "on the kijun": ("1970-01-05", LONG_AGO, KIJUN),
    }
    atena = {}
    for n, (label, (birth, arrived, leaves)) in enumerate(people.items()):
        atena[label] = file_move_in(registry, f"旧住所 {n}", birth, moved=arrived, notified=arrived)
        file_move_out(registry, atena[label], leaves)
    with tenant_context(AIZU):
        # What the consumer notes of each 転出 (tests/elections/test_follow.py follows the feed).
        Departure.objects.bulk_create(
            Departure(lg_code=AIZU, atena_no=atena[label], left_on=leaves, created_at=timezone.now())
            for label, (_b, _a, leaves) in people.items()
        )
        run = services.register("election", KIJUN, ELECTION_DAY)
        entries = {e.atena_no: e for e in Entry.objects.all()}
        history = sorted(EntryChange.objects.values_list("entry__atena_no", "change", "on"))
        roll = {e.atena_no: e for e in services.roll(AIZU, KIJUN).entries}
    registered = {label for label, a in atena.items() if a in entries}
    assert registered == {"in time", "three months", "18 the day after", "on the kijun"}
    assert run.added == 4
    entry = entries[atena["in time"]]
    assert (entry.basis, entry.left_on, entry.marked_on, entry.tohyoku) == (
        "former_address",
        left,
        left,
        "第1投票区",
    )
    assert entry.former_address.endswith("東栄町3番46号")
    assert (atena["in time"], "marked", left) in history and (
        atena["in time"],
        "registered",
        KIJUN,
    ) in history
    assert (roll[atena["in time"]].status, roll[atena["in time"]].moved_out_on) == ("marked_moved_out", left)
    with tenant_context(AIZU):
        assert (
            services.entry_of(atena["in time"], struck_off_from(left)) is not None
        )  # until a run strikes it
        later = services.register("election", TODAY, TODAY + timedelta(days=17))
    assert later.struck_off == 2  # "in time" and "three months": four months after the day they left
