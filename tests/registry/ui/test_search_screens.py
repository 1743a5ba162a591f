"""住民検索 with 世帯主・旧氏・通称 and the 年齢・続柄・世帯主 columns; the printable 世帯一覧."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS_2, days_ago, move_body, person
from tests.registry.test_search_lists import foreigner_with_alias
from tests.registry.ui.test_screens import page, protect, staff_client
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.rules import registered_age

pytestmark = pytest.mark.django_db


def rows(text: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", text, re.S)
    return re.findall(r"<tr[^>]*>.*?</tr>", body.group(1), re.S) if body else []


def cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def last_audit(action: str, resource: str) -> AuditEntry:
    with tenant_context(AIZU):
        return AuditEntry.objects.filter(action=action, resource=resource).order_by("-id").first()


def test_results_show_age_relationship_and_head(counter, family):
    setai_no, (taro, hanako, ichiro) = family
    text = page(counter.get("/registry/", {"name_kana": "アオキ"}))
    header = re.search(r"<thead>(.*?)</thead>", text, re.S).group(1)
    for column in ("年齢", "続柄", "世帯主"):
        assert f">{column}</th>" in header
    lines = {cells(r)[0]: cells(r) for r in rows(text)}
    age = registered_age(date(1962, 3, 3), timezone.localdate())
    # 宛名番号, 氏名, フリガナ, 生年月日, 年齢, 性別, 続柄, 世帯主, 住所, 状態
    assert lines[hanako][4:8] == [f"{age}歳", "女", "妻", "青木 太郎"]
    assert lines[hanako][8] == "東栄町3番46号"  # from the 町字: one line a person
    assert lines[taro][6:8] == ["世帯主", "青木 太郎"]
    assert f'href="/registry/households/{setai_no}/">青木 太郎</a>' in text
    # The 世帯主 named on the page is in the audit row with the persons found.
    assert set(last_audit("search", "resident").subject_ids) == {taro, hanako, ichiro}


def test_age_is_blank_for_a_removed_record(counter, registry, family):
    setai_no, (taro, hanako, ichiro) = family
    registry.move({"kind": "death", "move_date": days_ago(1), "persons": [{"atena_no": ichiro}]})
    text = page(counter.get("/registry/", {"name_kana": "アオキ イ", "include_removed": "1"}))
    (line,) = rows(text)
    assert cells(line)[4] == "" and cells(line)[7] == ""  # no age, no 世帯主 for a 除票


def test_search_by_head_in_one_box_as_name_or_reading(counter, registry, family):
    setai_no, (taro, hanako, ichiro) = family
    registry.move_in(person("佐藤 健", "サトウ ケン", "1970-02-02"), address=ADDRESS_2)
    for typed in ("青木 太郎", "ｱｵｷ", "あおき た"):
        text = page(counter.get("/registry/", {"head": typed}))
        assert [cells(r)[0] for r in rows(text)] == [taro, hanako, ichiro], typed
        assert re.search(r'<details class="more search-more" open>', text)  # the box used stays visible
    entry = last_audit("search", "resident")
    assert entry.detail["criteria"] == {"head_name_kana": "あおき た"}


def test_search_by_former_surname_and_alias_boxes(counter, registry, family):
    setai_no, (taro, hanako, ichiro) = family
    registry.move(
        move_body(
            "former_surname",
            [{"atena_no": hanako, "former_surname": "山田", "former_surname_kana": "ヤマダ"}],
        )
    )
    smith = foreigner_with_alias(registry)
    for box, typed, expected in (
        ("former", "山田", hanako),
        ("former", "ﾔﾏﾀﾞ", hanako),
        ("alias", "須美須", smith),
        ("alias", "すみす", smith),
    ):
        text = page(counter.get("/registry/", {box: typed}))
        assert [cells(r)[0] for r in rows(text)] == [expected], (box, typed)
    assert "（通称：須美須 譲）" in text


def test_the_advanced_criteria_are_folded_until_used(counter, family):
    text = page(counter.get("/registry/"))
    assert '<details class="more search-more">' in text
    assert 'href="/registry/households/"' in text  # the 世帯一覧 from the search screen
    text = page(counter.get("/registry/", {"name_kana": "アオキ", "address": "東栄町"}))
    assert '<details class="more search-more">' in text
    assert 'href="/registry/households/?address=%E6%9D%B1%E6%A0%84%E7%94%BA"' in text  # 東栄町


def test_a_protected_head_is_not_named_in_a_members_row(counter, welfare, family):
    setai_no, (taro, hanako, ichiro) = family
    protect(taro)
    text = page(welfare.get("/registry/", {"name_kana": "アオキ"}))
    lines = {cells(r)[0]: cells(r) for r in rows(text)}
    assert set(lines) == {hanako, ichiro}
    assert lines[hanako][7] == "（表示できません）"
    assert "青木 太郎" not in text and taro not in text and f"/households/{setai_no}/" not in text
    assert taro not in last_audit("search", "resident").subject_ids
    # Nor is the family found by the hidden head's name.
    assert rows(page(welfare.get("/registry/", {"head": "青木"}))) == []
    # The counter handles the measure and sees the 世帯主.
    text = page(counter.get("/registry/", {"name_kana": "アオキ"}))
    assert {cells(r)[0]: cells(r) for r in rows(text)}[hanako][7] == "青木 太郎"


# -- 世帯一覧 --------------------------------------------------------------------------------


def test_household_list_screen_pages_and_audits(counter, registry, family):
    setai_no, (taro, hanako, ichiro) = family
    others = [
        registry.move_in(
            person(f"井上 {i}郎", "イノウエ ジロウ", (date(1980, 1, 1) + timedelta(days=i)).isoformat()),
            address={"postal_code": "9650872", "town_area": "東栄町", "block": f"1番{i + 1}号", "extra": ""},
        )
        for i in range(30)  # a page is 30 世帯: the 青木 世帯 (3番46号) comes on the second
    ]
    text = page(counter.get("/registry/households/", {"address": "東栄町"}))
    assert text.count('class="household-block"') == 30 and "青木" not in text
    entry = last_audit("read", "household")
    assert entry.detail["list"] == "households" and entry.detail["address"] == "東栄町"
    assert len(entry.subject_ids) == 30 and others[0]["persons"][0]["atena_no"] in entry.subject_ids
    following = (
        re.search(r'href="(\?address=[^"]+after_setai=\d+)">次の世帯へ', text).group(1).replace("&amp;", "&")
    )
    text = page(counter.get("/registry/households/" + following))
    assert text.count('class="household-block"') == 1 and "次の世帯へ" not in text and "最初から" in text
    block = re.search(r'<section class="household-block".*?</section>', text, re.S).group(0)
    assert f'世帯番号 <a href="/registry/households/{setai_no}/">{setai_no}</a>' in block
    assert "世帯主 青木 太郎" in block and "3人" in block and "福島県会津若松市東栄町3番46号" in block
    assert [cells(r)[:2] for r in rows(block)] == [
        ["世帯主", "青木 太郎"],
        ["妻", "青木 花子"],
        ["子", "青木 一郎"],
    ]
    assert set(last_audit("read", "household").subject_ids) == {taro, hanako, ichiro}


def test_household_list_needs_an_address_and_a_registry_role(counter, welfare, family):
    response = counter.get("/registry/households/", {"address": ""})
    assert response.status_code == 422 and "町字または住所を入力してください" in page(response)
    assert page(counter.get("/registry/households/")).count("household-block") == 0  # the empty form
    assert welfare.get("/registry/households/", {"address": "東栄町"}).status_code == 200
    assert staff_client("kansa", ["auditor"]).get("/registry/households/").status_code == 403


def test_household_list_leaves_out_a_protected_heads_household(counter, welfare, family):
    setai_no, (taro, hanako, ichiro) = family
    protect(taro)
    text = page(welfare.get("/registry/households/", {"address": "東栄町"}))
    assert "この住所の世帯はありません" in text and "青木" not in text
    assert "青木 太郎" in page(counter.get("/registry/households/", {"address": "東栄町"}))
