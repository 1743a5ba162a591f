"""The address door's check of a whole batch (``refused_addresses``): the very rule and wording
of ``check_address``, for every row of a relation at once, only the refused rows back."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connections
from django.utils import timezone

from tests.conftest import AIZU, CHIYODA
from yakuba.address import services
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# (町字, 番地・号, 郵便番号, date) against the master of tests/address/conftest.py.
ROWS = [
    ("東栄町", "3番46号", "9650872", TODAY),  # in the master, in range, its postal code
    ("存在しない町", "1番1号", "9650000", TODAY),  # no such 町字
    ("東栄町", "13番1号", "9650871", TODAY),  # another 町字's postal code, 番地 out of range
    ("旧大町", "1番地", "", TODAY),  # abolished in 2001
    ("旧大町", "1番地", "", date(2000, 1, 1)),  # ... but in force then (a 除票)
    ("北会津町", "字下川原999番地", "", TODAY),  # no range recorded
    ("栄町", "三番", "", TODAY),  # 番地 in kanji, in range
    ("栄町", "九番", "9650871", TODAY),  # ... and out of it
    ("東栄町", "", "", TODAY),  # no 番地: only the 町字 is checked
    ("", "", "", TODAY),  # no 町字: nothing to check, as for check_address
]


def _stage(rows) -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE addr_rows (key integer, town_area text, block_number integer,"
            " postal_code text, on_date date)"
        )
        for key, (town_area, block, postal, on) in enumerate(rows, start=1):
            cursor.execute(
                "INSERT INTO addr_rows VALUES (%s, %s, %s, %s, %s)",
                [key, town_area, services.block_number(block), postal, on],
            )


def test_a_batch_gets_the_same_answers_as_one_address_at_a_time(master):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        _stage(ROWS)
        refused = {r.key: list(r.problems) for r in services.refused_addresses("addr_rows")}
        one_by_one = {
            key: problems
            for key, (town_area, block, postal, on) in enumerate(ROWS, start=1)
            if (problems := services.check_address(town_area, block, postal, on=on))
        }
    assert refused == one_by_one
    assert refused == {
        2: [("town_area", "町字「存在しない町」は住所辞書にありません")],
        3: [
            ("postal_code", "郵便番号 9650871 は町字「東栄町」の郵便番号（9650872）ではありません"),
            ("block", "番地 13 はこの町字の範囲（1〜12）にありません"),
        ],
        4: [("town_area", "町字「旧大町」は住所辞書にありません")],
        8: [("block", "番地 9 はこの町字の範囲（1〜8）にありません")],
    }


def test_a_query_with_parameters_and_a_large_batch(master):
    """The rows may be any query of the caller's (its own parameters beside the door's); ten
    thousand rows are one statement, and only the refused ones come back, in key order."""
    with bind_actor(SYSTEM), tenant_context(AIZU):
        _stage([("東栄町", f"{n % 15 + 1}番1号", "9650872", TODAY) for n in range(10_000)])
        refused = list(
            services.refused_addresses(
                "(SELECT key, town_area, block_number, postal_code, on_date FROM addr_rows"
                " WHERE key <= %(last)s)",
                {"last": 30},
            )
        )
    assert [r.key for r in refused] == [13, 14, 15, 28, 29, 30]  # 番地 13–15 of 1–12


def test_a_municipality_without_a_master_gets_nothing_back(chiyoda, master):
    with bind_actor(SYSTEM), tenant_context(CHIYODA):
        _stage(ROWS)
        assert not services.town_area_names()
        assert list(services.refused_addresses("addr_rows")) == []
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert services.town_area_names() == {"東栄町", "栄町", "北会津町", "旧大町"}
