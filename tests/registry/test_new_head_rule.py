"""The new 世帯主 is one of those who remain (issue 12 item 9h): the deceased, or whoever moves
out with the same 異動, is refused by name — the API says so as the screen does."""

from __future__ import annotations

import pytest

from tests.registry.conftest import NOTIFIER, days_ago
from tests.registry.test_move_rules import family

pytestmark = pytest.mark.django_db


def test_the_deceased_cannot_become_the_new_head(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    errors = registry.errors(
        {
            "kind": "death",
            "move_date": days_ago(1),
            "persons": [{"atena_no": taro}],
            "household": {"setai_no": setai, "new_head": taro, "relationships": {hanako: "妻", ichiro: "子"}},
        }
    )
    assert errors == ["死亡した人（青木 太郎）は新しい世帯主にできません。残る世帯員から選んでください"]


def test_one_who_moves_out_cannot_head_the_household_left_behind(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    errors = registry.errors(
        {
            "kind": "move_out",
            "move_date": days_ago(1),
            "notifier": NOTIFIER,
            "destination": "domestic",
            "destination_address": "東京都千代田区千代田1番1号",
            "persons": [{"atena_no": taro}, {"atena_no": ichiro}],
            "household": {"setai_no": setai, "new_head": ichiro},
        }
    )
    assert errors == [
        "この異動で世帯を離れる人（青木 一郎）は新しい世帯主にできません。残る世帯員から選んでください"
    ]
