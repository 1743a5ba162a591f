"""Search by 世帯主, 旧氏 and 通称, the 世帯主 of each result, and the 世帯一覧 (issue 12 item 8)."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS_2, TODAY, days_ago, move_body, person
from tests.registry.test_move_rules import family
from yakuba.platform.audit.log import Actor, bind_actor
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services
from yakuba.registry.errors import RuleViolation

pytestmark = pytest.mark.django_db

SEES_PROTECTED = services.Visibility(protected=True)
MINIMAL = services.Visibility()


def protect(atena_no: str, **kw):
    with bind_actor(Actor("staff", "counter-1")), tenant_context(AIZU):
        return services.set_measure(atena_no, starts_on=TODAY, **kw)


def hits(visibility=MINIMAL, **criteria) -> list[services.SearchHit]:
    with tenant_context(AIZU):
        return services.search_hits(services.SearchQuery(**criteria), visibility=visibility)


def found(**criteria) -> list[str]:
    return [h.record.atena_no for h in hits(**criteria)]


def sato_family(registry) -> tuple[str, list[str]]:
    """佐藤 family at another address: 世帯主 (旧氏 山田), 妻, 子."""
    result = registry.move_in(
        person("佐藤 健", "サトウ ケン", "1970-02-02", 1, "世帯主"),
        person("佐藤 由美", "サトウ ユミ", "1972-07-07", 2, "妻"),
        person("佐藤 翔", "サトウ ショウ", "2001-09-09", 1, "子"),
        address=ADDRESS_2,
    )
    setai_no, atena = result["setai_no"], [p["atena_no"] for p in result["persons"]]
    registry.move(
        move_body(
            "former_surname",
            [{"atena_no": atena[1], "former_surname": "山田", "former_surname_kana": "ヤマダ"}],
        )
    )
    return setai_no, atena


def test_search_by_head_finds_the_members_of_each_matching_household_head_first(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    sato_setai, (ken, yumi, sho) = sato_family(registry)
    # Kana (folded as every kana search) and kanji, surname first; the 世帯主 leads the 世帯.
    assert found(head_name_kana="ｱｵｷ ﾀ") == [taro, hanako, ichiro]
    assert found(head_name_kana="さとう") == [ken, yumi, sho]
    assert found(head_name="青木 太") == [taro, hanako, ichiro]
    assert found(head_name="青木 花") == []  # 花子 is a member, not the head
    assert found(head_name_kana="アオキ", name_kana="アオキ ハ") == [hanako]  # with other criteria
    # Both families, in the heads' kana order.
    assert found(head_name_kana="ア") == [taro, hanako, ichiro]
    assert set(found(head_name_kana="サ")) == {ken, yumi, sho}


def test_search_by_head_covers_the_current_household_only(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    registry.move({"kind": "death", "move_date": days_ago(1), "persons": [{"atena_no": ichiro}]})
    assert found(head_name_kana="アオキ タロウ") == [taro, hanako]  # not the 除票


def test_search_by_former_surname_in_kana_or_kanji(registry):
    family(registry)
    sato_setai, (ken, yumi, sho) = sato_family(registry)
    for criteria in (
        {"former_surname": "山田"},
        {"former_surname": "山"},
        {"former_surname_kana": "ﾔﾏﾀﾞ"},  # half-width, 濁点 folded as in every kana search
        {"former_surname_kana": "やまた"},
    ):
        assert found(**criteria) == [yumi], criteria
    assert found(former_surname="田") == []  # a prefix, not a substring
    assert found(former_surname_kana="ヤマダ", name_kana="サトウ ユ") == [yumi]
    assert found(former_surname_kana="ヤマダ", name_kana="アオキ") == []


def foreigner_with_alias(registry) -> str:
    """SMITH JOHN, moved in from abroad with the 通称 須美須 譲 (スミス ジョウ)."""
    smith = person(
        "SMITH JOHN", "スミス ジョン", resident_type=2, nationality="米国", residence_status="永住者"
    )
    smith |= {"alias": "須美須 譲", "alias_kana": "スミス ジョウ"}
    return registry.move_in(smith, address=ADDRESS_2, origin="abroad")["persons"][0]["atena_no"]


def test_search_by_alias_in_kana_or_kanji(registry):
    family(registry)
    smith = foreigner_with_alias(registry)
    assert found(alias="須美須譲") == [smith]  # spaces do not matter, as in the name search
    assert found(alias="須美") == [smith]
    assert found(alias_kana="ｽﾐｽ ｼﾞｮ") == [smith]
    assert found(alias_kana="スミス ジョン") == []  # the 氏名's reading is not the 通称's
    assert found(alias="SMITH") == []  # nor the 氏名 itself
    assert found(name="SMITH") == [smith]


def test_new_criteria_alone_count_as_criteria_and_blank_ones_do_not(registry):
    family(registry)
    with tenant_context(AIZU), pytest.raises(RuleViolation) as exc:
        services.search_hits(services.SearchQuery(head_name_kana="ー", alias=" "))
    assert exc.value.errors == [("query", "検索条件を1つ以上入力してください")]


def test_each_result_names_its_head_in_one_statement(registry, django_assert_num_queries):
    setai, (taro, hanako, ichiro) = family(registry)
    sato_setai, (ken, yumi, sho) = sato_family(registry)
    registry.move({"kind": "death", "move_date": days_ago(1), "persons": [{"atena_no": sho}]})
    with tenant_context(AIZU):
        for visibility in (MINIMAL, SEES_PROTECTED):
            with django_assert_num_queries(1):
                results = services.search_hits(
                    services.SearchQuery(birth_date="1900年〜2030年"), visibility=visibility
                )
            heads = {h.record.atena_no: (h.head_atena_no, h.head_name) for h in results}
            assert heads[hanako] == (taro, "青木 太郎")
            assert heads[taro] == (taro, "青木 太郎")
            assert heads[yumi] == (ken, "佐藤 健")
            assert heads[sho] == ("", "")  # a 除票: its 世帯 of that time is in its history


def test_a_protected_head_is_not_named_to_a_caller_without_the_right(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    protect(taro, summary="DV")
    # Members not covered by the measure are still found, but their 世帯主 is hidden …
    results = {h.record.atena_no: h for h in hits(name_kana="アオキ")}
    assert set(results) == {hanako, ichiro}
    assert results[hanako].head_name is None and results[hanako].head_atena_no == ""
    # … and nobody finds the family by the hidden head's name.
    assert found(head_name_kana="アオキ タロウ") == []
    assert found(head_name="青木") == []
    # The counter, who handles the measure, sees everything.
    seen = {h.record.atena_no: h for h in hits(SEES_PROTECTED, head_name_kana="アオキ タロウ")}
    assert list(seen) == [taro, hanako, ichiro]
    assert seen[hanako].head_name == "青木 太郎" and seen[taro].record.protected
    assert not seen[hanako].record.protected


def test_api_search_by_head_former_surname_and_alias(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    sato_setai, (ken, yumi, sho) = sato_family(registry)
    smith = foreigner_with_alias(registry)

    def api(query: str) -> list[str]:
        response = registry.get(f"residents?{query}")
        assert response.status_code == 200, response.json()
        return [r["atena_no"] for r in response.json()["residents"]]

    assert api("head_name_kana=アオキ") == [taro, hanako, ichiro]
    assert api("head_name=佐藤") == [ken, yumi, sho]
    assert api("former_surname_kana=ヤマダ") == [yumi]
    assert api("former_surname=山田") == [yumi]
    assert api("alias_kana=スミス") == [smith]
    assert api("alias=須美須") == [smith]
    too_long = registry.get("residents?head_name=" + "あ" * 101)
    assert too_long.status_code == 422


# -- 世帯一覧 --------------------------------------------------------------------------------


def move_in_households(registry, count: int, town_area: str = "東栄町") -> list[str]:
    setai_nos = []
    for i in range(count):
        result = registry.move_in(
            person(f"井上 {i}郎", "イノウエ ジロウ", f"1980-01-0{i + 1}", 1, "世帯主"),
            person(f"井上 {i}子", "イノウエ ハナコ", f"1982-01-0{i + 1}", 2, "妻"),
            address={"postal_code": "9650872", "town_area": town_area, "block": f"{i + 1}番1号", "extra": ""},
        )
        setai_nos.append(result["setai_no"])
    return setai_nos


def listing(address: str, visibility=MINIMAL, **kw) -> services.HouseholdPage:
    with tenant_context(AIZU):
        return services.household_list(address, visibility=visibility, **kw)


def test_household_list_pages_by_address_with_members_in_order(registry, django_assert_num_queries):
    setai, (taro, hanako, ichiro) = family(registry)  # 東栄町3番46号
    others = move_in_households(registry, 4)  # 東栄町1番1号 … 4番1号
    registry.move_in(person("栄 一", "サカエ ハジメ"), address=ADDRESS_2)  # 栄町: not listed
    with tenant_context(AIZU), django_assert_num_queries(4):
        first = services.household_list("東栄町", limit=3)
    # Address order, as text: 1番, 2番, 3番1号, 3番46号, 4番 (a 番地 is text, not a number).
    assert [h.setai_no for h in first.households] == [others[0], others[1], others[2]]
    second = listing("東栄町", limit=3, after=first.next)
    assert [h.setai_no for h in second.households] == [setai, others[3]]
    assert second.next is None
    aoki = second.households[0]
    assert aoki.head_atena_no == taro and aoki.head_name == "青木 太郎"
    assert [(m.atena_no, m.relationship) for m in aoki.members] == [
        (taro, "世帯主"),
        (hanako, "妻"),
        (ichiro, "子"),
    ]
    assert aoki.address == "福島県会津若松市東栄町3番46号"
    # The full address from the prefecture, and a 番地 prefix, select the same way.
    assert [h.setai_no for h in listing("福島県会津若松市東栄町3番4").households] == [setai]
    # A 世帯 with nobody left (all moved out) is not listed.
    registry.move({"kind": "death", "move_date": days_ago(1), "persons": [{"atena_no": ichiro}]})
    assert [m.atena_no for m in listing("東栄町3番46号").households[0].members] == [taro, hanako]


def test_household_list_hides_protected_heads_households_and_members(registry):
    setai, (taro, hanako, ichiro) = family(registry)
    sato_setai, (ken, yumi, sho) = sato_family(registry)  # 栄町1番1号
    protect(taro, summary="DV")
    protect(yumi, summary="DV")
    assert listing("東栄町").households == ()  # the 世帯 of a hidden 世帯主: its address is theirs
    sato = listing("栄町").households[0]
    assert [m.atena_no for m in sato.members] == [ken, sho]
    everyone = listing("東栄町", SEES_PROTECTED).households[0]
    assert [m.atena_no for m in everyone.members] == [taro, hanako, ichiro] and everyone.members[0].protected


def test_household_list_needs_an_address(aizu):
    with tenant_context(AIZU), pytest.raises(RuleViolation) as exc:
        services.household_list("  ")
    assert exc.value.errors == [("address", "町字または住所を入力してください")]
