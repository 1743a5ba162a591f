"""What a certificate says, before any layout: persons in the standard order, items as the
request asks, 和暦 dates but 西暦 for a foreign resident's 生年月日 and 在留期間等の満了の日, and the
requests that cannot be made (docs/reference/registry-facts.md §12, §10, §7)."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from yakuba.certificates.codes import Kind, Layout
from yakuba.certificates.services.content import CertificateRequest, build
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.services import NotFound, RuleViolation, Visibility

pytestmark = pytest.mark.django_db

ALL = Visibility(my_number=True, protected=False)


def _build(visibility=ALL, **fields):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        return build(CertificateRequest(**fields), visibility=visibility)


def _errors(visibility=ALL, **fields) -> list[str]:
    with pytest.raises(RuleViolation) as raised:
        _build(visibility, **fields)
    return [message for _f, message in raised.value.errors]


def _values(person) -> dict[str, str]:
    return {i.label: i.value for i in person.items()}


def test_a_household_copy_lists_the_members_in_the_standard_order_four_a_sheet(town):
    document = _build(kind=Kind.JUMINHYO_COPY, layout=Layout.HOUSEHOLD, setai_no=town.setai)
    assert document.atena_nos == [town.head, town.wife, *town.children]
    assert [len(s.persons) for s in document.sheets] == [4, 1]
    assert [s.first_position for s in document.sheets] == [1, 5]
    names = [p.name for s in document.sheets for p in s.persons]
    assert names == ["髙橋 﨑男", "髙橋 花子", "𠮷田 一郎", "𠮷田 次郎", "𠮷田 邉子"]
    assert [_values(p)["続柄"] for s in document.sheets for p in s.persons] == [
        "世帯主",
        "妻",
        "子",
        "子",
        "子",
    ]
    household = {i.label: i.value for i in document.sheets[1].household}
    assert household == {"住所": "福島県会津若松市東栄町3番46号", "世帯主": "髙橋 﨑男"}
    head = _values(document.sheets[0].persons[0])
    assert head["生年月日"] == "昭和55年4月1日" and head["性別"] == "男"
    assert head["転入前住所"] == "東京都千代田区千代田1番1号"
    assert head["住民となった年月日"].startswith("令和")
    assert _values(document.sheets[0].persons[1])["旧氏"] == "渡邉"
    text = document.content_text()
    assert "氏名\t𠮷田 邉子" in text and text.endswith("この写しは、住民票の原本と相違ないことを証明する。\n")


def test_options_leave_items_out_or_add_them(town):
    bare = _build(
        kind=Kind.ENTRY_CERTIFICATE,
        layout=Layout.HOUSEHOLD,
        setai_no=town.setai,
        atena_nos=(town.wife,),
        head_and_relationship=False,
        former_surname=False,
    )
    (wife,) = bare.sheets[0].persons
    assert "続柄" not in _values(wife) and "旧氏" not in _values(wife) and "本籍" not in _values(wife)
    assert [i.label for i in bare.sheets[0].household] == ["住所"]
    assert bare.attestation == "上記の事項は、住民票に記載されていることを証明する。"
    full = _build(
        kind=Kind.JUMINHYO_COPY,
        layout=Layout.INDIVIDUAL,
        atena_nos=(town.wife,),
        domicile=True,
        juminhyo_code=True,
        my_number=True,
    )
    values = _values(full.sheets[0].persons[0])
    assert {"本籍", "筆頭者", "住民票コード", "個人番号"} <= values.keys()
    assert {i.label: i.value for i in full.sheets[0].household}["世帯主"] == "髙橋 﨑男"


def test_a_foreign_residents_birth_and_expiry_are_in_the_western_calendar(town):
    document = _build(kind=Kind.JUMINHYO_COPY, layout=Layout.INDIVIDUAL, atena_nos=(town.smith,))
    values = _values(document.sheets[0].persons[0])
    assert values["生年月日"] == "1985年7月4日" and values["在留期間等の満了の日"] == "2031年3月31日"
    assert values["国籍・地域"] == "米国" and values["在留資格"] == "永住者"
    assert values["在留カード等の番号"] == "AB12345678CD"
    assert values["住民となった年月日"].startswith("令和")  # other dates stay 和暦 (§1.1.9)
    without = _build(
        kind=Kind.JUMINHYO_COPY, layout=Layout.INDIVIDUAL, atena_nos=(town.smith,), foreign_items=False
    )
    assert "在留資格" not in _values(without.sheets[0].persons[0])


def test_a_person_leaving_shows_the_planned_date_and_destination(town):
    document = _build(kind=Kind.JUMINHYO_COPY, layout=Layout.HOUSEHOLD, setai_no=town.leaving_setai)
    values = _values(document.sheets[0].persons[0])
    assert values["転出予定日"].startswith("令和") and values["転出先住所"] == "東京都千代田区千代田1番1号"
    certificate = _build(
        kind=Kind.MOVE_OUT_CERTIFICATE, layout=Layout.INDIVIDUAL, setai_no=town.leaving_setai
    )
    moving = _values(certificate.sheets[0].persons[0])
    assert moving["転出の区分"] == "国内転出" and "住民となった年月日" not in moving
    assert certificate.attestation == "上記の者は、転出の届出をしたことを証明する。"


def test_a_removed_copy_carries_the_reason_date_and_destination(town):
    document = _build(kind=Kind.REMOVED_COPY, layout=Layout.INDIVIDUAL, atena_nos=(town.removed,))
    values = _values(document.sheets[0].persons[0])
    assert values["消除事由"] == "転出" and values["消除年月日"].startswith("令和")
    assert values["転出先住所"] == "東京都千代田区千代田1番1号"
    assert document.attestation == "この写しは、住民票の除票の原本と相違ないことを証明する。"
    assert {i.label: i.value for i in document.sheets[0].household}["世帯主"] == "齋藤 誠"


def test_requests_that_cannot_be_made_say_why(town):
    assert "除票の写し・除票記載事項証明書は個人票でのみ交付できます" in _errors(
        kind=Kind.REMOVED_COPY, layout=Layout.HOUSEHOLD, atena_nos=(town.removed,)
    )
    assert any(
        "消除されています" in m
        for m in _errors(kind=Kind.JUMINHYO_COPY, layout=Layout.INDIVIDUAL, atena_nos=(town.removed,))
    )
    assert any(
        "消除されていません" in m
        for m in _errors(kind=Kind.REMOVED_COPY, layout=Layout.INDIVIDUAL, atena_nos=(town.head,))
    )
    assert f"髙橋 﨑男（{town.head}）はこの世帯の世帯員ではありません" in _errors(
        kind=Kind.JUMINHYO_COPY, layout=Layout.HOUSEHOLD, setai_no=town.foreign_setai, atena_nos=(town.head,)
    )
    assert "個人番号を記載する権限がありません" in _errors(
        Visibility(),
        kind=Kind.JUMINHYO_COPY,
        layout=Layout.HOUSEHOLD,
        setai_no=town.setai,
        my_number=True,
    )
    with pytest.raises(NotFound):
        _build(kind=Kind.JUMINHYO_COPY, layout=Layout.INDIVIDUAL, atena_nos=("999999999999999",))
