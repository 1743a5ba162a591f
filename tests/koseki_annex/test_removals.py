"""A 除籍 in the 戸籍 ends the person's rows on its 附票 (registry-facts §17.5): the items they carry
are those in force on the day they left (生年月日・性別 only from 2022-01-11), nothing is written
for them there again, and when everyone has left the 附票 is a 除附票. The 戸籍's events are
emitted here as yakuba/koseki emits them (its catalogue: notification.accepted with the persons
it touched)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import AIZU
from tests.koseki_annex.conftest import HONSEKI, code, notice_file, notice_line
from yakuba.koseki.events import ACCEPTED
from yakuba.koseki_annex.models import Departure
from yakuba.koseki_annex.services import annex_of, follow_koseki, take_in
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)

TARO, HANAKO = code(1), code(2)


def _annex(*lines: list[str]) -> None:
    with tenant_context(AIZU):
        take_in(notice_file(*lines), file_name="n.csv")


def _accepted(kind: str, event_on: str, *persons: dict) -> None:
    with tenant_context(AIZU):
        emit(
            ACCEPTED,
            subject="P1",
            data={
                "notification_no": "1",
                "kind": kind,
                "accepted_on": event_on,
                "event_on": event_on,
                "persons": list(persons),
            },
        )


def _person(name: str, birth: str, *, removed: bool, atena_no: str = "", honseki: str = HONSEKI) -> dict:
    return {
        "person_id": "P", "atena_no": atena_no, "name": name, "name_kana": "", "birth_date": birth, "sex": "1",
        "koseki_id": "K", "honseki": honseki, "hittosha": "会津 太郎", "removed": removed,
    }  # fmt: skip


def _read(**kwargs):
    with tenant_context(AIZU):
        return annex_of(HONSEKI, "会津 太郎", purpose="附票照会", **kwargs)


def test_a_death_before_2022_01_11_leaves_the_annex_without_birth_date_and_sex(aizu, system_actor):
    _annex(
        notice_line(
            **{
                "住民票コード": TARO,
                "氏名": "会津 太郎",
                "生年月日": "1940-01-01",
                "性別": "1",
                "住所を定めた年月日": "2000-04-01",
            }
        ),
        notice_line(**{"住民票コード": HANAKO, "住所を定めた年月日": "2000-04-01"}),
    )
    # the 戸籍 spaces the name with a full-width space: matched all the same
    _accepted("death", "2022-01-10", _person("会津\u3000太郎", "1940-01-01", removed=True))
    assert follow_koseki(AIZU).changes == 1
    taro, hanako = _read().persons
    assert (taro.left_on, taro.birth_date, taro.sex) == (date(2022, 1, 10), None, None)
    assert (hanako.left_on, hanako.birth_date, hanako.sex) == (None, date(1990, 4, 1), 2)
    assert not _read().closed


def test_one_who_left_on_2022_01_11_carries_birth_date_and_sex_and_gets_no_row_again(aizu, system_actor):
    _annex(notice_line(**{"住民票コード": HANAKO}))
    _accepted("marriage", "2022-01-11", _person("会津 花子", "1990-04-01", removed=True))
    follow_koseki(AIZU)
    (hanako,) = _read().persons
    assert (hanako.left_on, hanako.birth_date, hanako.sex) == (date(2022, 1, 11), date(1990, 4, 1), 2)
    assert _read().closed  # everyone has left: a 除附票
    # a later notice for her does not write on the 附票 she left
    with tenant_context(AIZU):
        taken = take_in(
            notice_file(notice_line(**{"住民票コード": HANAKO, "住所": "東京都千代田区千代田9番9号"})),
            file_name="m.csv",
        )
    assert taken.rows == 0 and len(_read().persons[0].rows) == 1


def test_persons_not_removed_on_another_annex_or_elsewhere_are_left_alone(aizu, system_actor):
    _annex(notice_line(**{"住民票コード": HANAKO}))
    _accepted(
        "marriage",
        "2026-11-01",
        _person("会津 花子", "1990-04-01", removed=False),
        _person("会津 花子", "1990-04-01", removed=True, honseki="東京都千代田区千代田1番"),
        _person("会津 次郎", "1992-02-02", removed=True),
    )
    assert follow_koseki(AIZU).changes == 0
    with tenant_context(AIZU):
        assert not Departure.objects.exists()
