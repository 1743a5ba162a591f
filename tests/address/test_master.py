"""The address master's door against real PostgreSQL: loads are all-or-nothing, idempotent,
audited and announced; checks name the field and the reason; municipalities never mix."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import AIZU, CHIYODA
from yakuba.address import services
from yakuba.address.events import MASTER_CHANGED
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


def test_an_address_in_the_master_passes_and_others_are_named(master):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert services.check_address("東栄町", "3番46号", "965-0872") == []
        assert services.check_address("存在しない町", "1番1号", "9650000") == [
            ("town_area", "町字「存在しない町」は住所辞書にありません")
        ]
        assert services.check_address("東栄町", "13番1号", "9650871") == [
            ("postal_code", "郵便番号 9650871 は町字「東栄町」の郵便番号（9650872）ではありません"),
            ("block", "番地 13 はこの町字の範囲（1〜12）にありません"),
        ]
        # An abolished 町字 is refused today but known for a date before its abolition (除票).
        assert services.check_address("旧大町", "1番地") == [
            ("town_area", "町字「旧大町」は住所辞書にありません")
        ]
        assert services.check_address("旧大町", "1番地", on=date(2000, 1, 1)) == []


def test_a_municipality_without_a_master_is_not_checked(aizu, chiyoda, master):
    with bind_actor(SYSTEM), tenant_context(CHIYODA):
        assert not services.is_loaded()
        assert services.check_address("どこでも町", "1") == []
        assert services.town_areas().town_areas == []  # 会津若松市's master is not Chiyoda's


def test_a_postal_code_fills_the_address(master):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert [t.name for t in services.by_postal_code("〒965-0871")] == ["栄町"]
        assert services.by_postal_code("9650044") == []  # abolished
        assert services.by_postal_code("12") == []


def test_pages_follow_the_name_order(master):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        first = services.town_areas(limit=2)
        second = services.town_areas(limit=2, after=first.next)
        everything = services.town_areas(include_abolished=True)
    assert [t.name for t in first.town_areas + second.town_areas] == ["北会津町", "東栄町", "栄町"]
    assert second.next is None
    assert len(everything.town_areas) == 4


def test_a_bad_file_changes_nothing_and_names_every_line(master):
    bad = (
        "町字,郵便番号,番地開始,番地終了,施行日\n"
        "新町,965-00,,,\n"
        ",9650000,,,\n"
        "東栄町,9650872,9,3,\n"
        "本町,9650000,,,2020/1/1\n"
        "本町,9650000,,,\n"
    ).encode()
    with pytest.raises(services.MasterRejected) as caught:
        services.read_csv(bad)
    assert [str(i) for i in caught.value.issues] == [
        "2行目 郵便番号: 郵便番号は7桁の数字です: 965-00",
        "3行目 町字: 町字がありません",
        "4行目 番地終了: 番地の範囲が逆です: 9〜3",
        "5行目 施行日: 日付は YYYY-MM-DD で書いてください: 2020/1/1",
    ]
    duplicate = "町字\n本町\n本町\n".encode()
    with pytest.raises(services.MasterRejected) as caught:
        services.read_csv(duplicate)
    assert [str(i) for i in caught.value.issues] == ["3行目 町字: 町字「本町」が重複しています"]
    with pytest.raises(services.MasterRejected) as caught:
        services.read_csv("町名,郵便\n本町,1\n".encode())
    assert "見出しに不明な列があります: 町名、郵便" in str(caught.value.issues[0])
    with pytest.raises(services.MasterRejected) as caught:
        services.read_csv("町字\n".encode() + "本町\n".encode("cp932"), encoding="utf-8")
    assert str(caught.value.issues[0]) == "2行目: 文字コードが utf-8 ではありません"


def test_loading_twice_changes_nothing_and_replace_abolishes(master):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        again = services.load(services.read_csv(master), source=services.Source.FILE)
        assert (again.added, again.changed, again.unchanged, again.abolished) == (0, 0, 4, 0)
        smaller = services.read_csv("町字,郵便番号\n東栄町,9650872\n".encode())
        summary = services.load(smaller, source=services.Source.FILE, replace=True, today=date(2026, 4, 1))
        assert (summary.added, summary.changed, summary.abolished) == (0, 1, 2)
        assert [t.name for t in services.town_areas().town_areas] == ["東栄町"]
        assert services.check_address("栄町", "1番1号") == [
            ("town_area", "町字「栄町」は住所辞書にありません")
        ]
        assert services.check_address("栄町", "1番1号", on=date(2026, 3, 31)) == []


def test_a_load_is_audited_and_announced_once(master):
    from yakuba.platform.audit.models import AuditEntry
    from yakuba.platform.linkage.models import Event

    with bind_actor(SYSTEM), tenant_context(AIZU):
        events = list(Event.objects.filter(type=MASTER_CHANGED).values_list("data", flat=True))
        audits = list(AuditEntry.objects.filter(resource="address-master").values_list("action", "detail"))
        services.load(services.read_csv(master), source=services.Source.FILE)  # no change: no event
        assert Event.objects.filter(type=MASTER_CHANGED).count() == 1
    assert events == [{"source": "file", "added": 4, "changed": 0, "abolished": 0}]
    assert audits == [("update", {"source": "file", "added": 4, "changed": 0, "abolished": 0})]


def test_japan_post_data_gives_the_real_town_areas(aizu):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        summary = services.load_postal(AIZU)
        again = services.load_postal(AIZU)
        names = {t.name for t in services.town_areas(limit=500).town_areas}
        filled = services.by_postal_code("9650872")
    assert summary.added > 200 and again.added == 0
    assert {"東栄町", "栄町", "追手町"} <= names
    assert [t.name for t in filled] == ["東栄町"]
