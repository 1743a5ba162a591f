"""``yakuba seal show|abolish|lost|ordinance|guardianship`` (docs/seal_registration.md, "Commands"):
what the clerk or the 管理者 types, one line per refusal naming the field, exit status 2."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.seal_registration.conftest import TODAY, application, in_town
from yakuba.cli import main
from yakuba.seal_registration.services import ordinance, registrations

pytestmark = pytest.mark.django_db


def _register(atena_no: str, text: str = "山田"):
    return in_town(registrations.apply_registration, application(atena_no, text))


def _day(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def test_show_abolish_and_lost(family, system_actor, capsys):
    taro = family["山田 太郎"]
    assert main(["seal", "show", AIZU, taro]) == 0
    assert f"宛名番号 {taro} の印鑑登録はありません" in capsys.readouterr().out
    first = _register(taro)
    assert main(["seal", "abolish", AIZU, first.registration_no]) == 0
    assert f"印鑑登録番号 {first.registration_no} を廃止届により廃止しました" in capsys.readouterr().out
    second = _register(taro, "太郎")
    assert main(["seal", "lost", AIZU, second.card_no]) == 0
    assert main(["seal", "show", AIZU, taro]) == 0
    out = capsys.readouterr().out
    assert f"印鑑登録番号 {first.registration_no} 「山田」" in out and "廃止（廃止届、" in out
    assert "廃止（印鑑登録証の亡失届、" in out and second.card_no not in out
    assert main(["seal", "abolish", AIZU, first.registration_no]) == 2
    assert "registration_no: この印鑑登録はすでに廃止されています" in capsys.readouterr().err
    assert main(["seal", "show", AIZU, "999999999999999"]) == 2


def test_ordinance_set_and_show(aizu, system_actor, capsys):
    later = TODAY + timedelta(days=30)
    assert main(["seal", "ordinance", "set", AIZU, "--reply-days", "14", "--guarantor-allowed", "no"]) == 0
    args = ["seal", "ordinance", "set", AIZU, "--effective-from", later.isoformat(), "--max-mm", "20"]
    assert main(args) == 0
    in_force = in_town(ordinance.in_force, TODAY)
    assert (in_force.reply_days, in_force.guarantor_allowed, in_force.max_mm) == (14, False, 25)
    capsys.readouterr()
    assert main(["seal", "ordinance", "show", AIZU]) == 0
    out = capsys.readouterr().out
    assert "reply_days = 14" in out and "guarantor_allowed = no" in out
    assert f"予定: {_day(later)}から" in out and "max_mm = 20.0" in out
    assert main(["seal", "ordinance", "set", AIZU, "--min-age", "0", "--reply-days", "400"]) == 2
    err = capsys.readouterr().err
    assert "min_age: 登録できる年齢は1から20までで指定してください" in err and "reply_days: " in err
    assert main(["seal", "ordinance", "set", AIZU]) == 2


def test_guardianship_strikes_off(family, system_actor, capsys):
    taro = family["山田 太郎"]
    done = _register(taro)
    args = ["seal", "guardianship", AIZU, taro, "--kind", "started", "--registered-on", TODAY.isoformat()]
    assert main(args) == 0
    assert f"印鑑登録番号 {done.registration_no} を抹消しました" in capsys.readouterr().out
    future = (TODAY + timedelta(days=1)).isoformat()
    assert main(["seal", "guardianship", AIZU, taro, "--kind", "ended", "--registered-on", future]) == 2
    assert "registered_on: 登記日に未来の日は指定できません" in capsys.readouterr().err
