"""The rules of a 国民年金 届出 (rules/notification.py): which 事由 each 種別 takes, 20歳到達 on
the day before the 20th birthday (国民年金法 §8一), 60歳到達 likewise (§9三), 第1号 from 20 to
under 60 (§7①一), and a 届出 reports what already happened."""

from __future__ import annotations

from datetime import date

from yakuba.national_pension.rules.notification import problems

BIRTH = date(2006, 4, 2)  # 20 on 2026-04-01
TODAY = date(2026, 12, 6)


def _fields(kind, reason, occurred, notified=date(2026, 12, 1), birth=BIRTH):
    return [f for f, _m in problems(kind, reason, occurred, notified, birth, TODAY)]


def test_twenty_is_reached_the_day_before_the_birthday():
    assert _fields("acquired", "age_20", date(2026, 4, 1)) == []
    assert _fields("acquired", "age_20", date(2026, 4, 2)) == ["occurred_on"]  # the birthday itself
    # born on the 1st: the month before
    assert _fields("acquired", "age_20", date(2026, 3, 31), birth=date(2006, 4, 1)) == []


def test_sixty_is_reached_the_day_before_the_birthday():
    birth = date(1966, 7, 10)
    assert _fields("lost", "age_60", date(2026, 7, 9), birth=birth) == []
    assert _fields("lost", "age_60", date(2026, 7, 10), birth=birth) == ["occurred_on"]


def test_a_first_category_member_is_twenty_to_under_sixty():
    # 転入 the day before reaching 20: not yet 第1号; on that day: yes
    assert _fields("acquired", "move_in", date(2026, 3, 31)) == ["occurred_on"]
    assert _fields("acquired", "move_in", date(2026, 4, 1)) == []
    # 厚生年金 lost after reaching 60: not 第1号 any more
    born = date(1966, 7, 10)
    assert _fields("kind_change", "from_second", date(2026, 7, 8), birth=born) == []
    assert _fields("kind_change", "from_second", date(2026, 7, 9), birth=born) == ["occurred_on"]
    # a 種別変更 is to 第1号: not for a reason of 取得
    assert _fields("kind_change", "move_in", date(2026, 5, 1)) == ["reason"]


def test_each_kind_takes_its_own_reasons():
    assert _fields("acquired", "death", date(2026, 5, 1)) == ["reason"]
    assert _fields("address_change", "address", date(2026, 5, 1)) == []
    assert _fields("name_change", "address", date(2026, 5, 1)) == ["reason"]
    message = problems("lost", "age_20", date(2026, 4, 1), date(2026, 4, 2), BIRTH, TODAY)[0][1]
    assert "資格喪失の事由は" in message and "死亡" in message


def test_a_notification_reports_what_has_happened():
    assert _fields("lost", "death", date(2026, 12, 2), notified=date(2026, 12, 1)) == ["occurred_on"]
    assert _fields("lost", "death", date(2026, 12, 1), notified=date(2026, 12, 7)) == ["notified_on"]


def test_an_unknown_birth_date_cannot_be_judged_by_age():
    assert _fields("acquired", "move_in", date(2026, 5, 1), birth=None) == ["atena_no"]
    assert _fields("address_change", "address", date(2026, 5, 1), birth=None) == []
