"""Who may have a 戸籍 certificate (yakuba/koseki/rules/requests.py), rule by rule with its
source: 戸籍法10条1項 (本人・配偶者・直系, decided from the data), 10条の2 (第三者 with one of three
請求事由, 公用, 職務上請求), 10条の3 (代理人 with a 委任状), 12条の2 (除籍・改製原戸籍 the same), 120条の2
(広域交付: civil-facts §3.3, pitfall §7.9)."""

from __future__ import annotations

import pytest

from yakuba.koseki.rules.requests import (
    FULL,
    INDIVIDUAL,
    JOSEKI,
    ORIGINAL,
    Kin,
    Relation,
    Requester,
    check_request,
    kind_problems,
    relation,
)

# A 戸籍: 太郎 (筆頭者, whose parents 一夫 P1 and 和子 P2 are written here too), 花子, their son 一郎.
TARO = Kin("T", father="山田　一夫", mother="山田　和子", ancestors=frozenset({"P1", "P2", "G1"}))
HANAKO = Kin("H", father="佐藤　次郎", mother="佐藤　春子")
ICHIRO = Kin("I", father="山田　太郎", mother="山田　花子", ancestors=frozenset({"T", "H", "P1", "P2", "G1"}))
ADOPTED = Kin("A", adoptive_father="山田　太郎")
MEMBERS = [TARO, HANAKO, ICHIRO]


def test_a_member_is_the_person_themself_even_after_leaving():
    # 10条1項「戸籍に記載されている者」: a 除籍 member is still written in it.
    assert relation(Requester("I", "山田　一郎"), MEMBERS) == Relation.SELF


def test_a_spouse_of_a_member_by_the_marriage_data():
    # 一郎 married out: his wife (in their own 戸籍) asks for his parents' 戸籍 as his 配偶者.
    wife = Requester("W", "山田　美咲", spouses=frozenset({"I"}))
    assert relation(wife, MEMBERS) == Relation.SPOUSE


def test_ascendants_by_the_parent_links_at_any_depth_or_named_as_a_parent():
    assert relation(Requester("P1", "山田　一夫"), MEMBERS) == Relation.ASCENDANT
    assert relation(Requester("G1", "山田　源"), MEMBERS) == Relation.ASCENDANT  # a grandparent
    # Not written here: 花子's mother is named as 母 (spaces do not matter).
    assert relation(Requester("", "佐藤 春子"), MEMBERS) == Relation.ASCENDANT
    assert relation(Requester("", "山田　太郎"), [ADOPTED]) == Relation.ASCENDANT  # 養父 (法定血族)


def test_descendants_by_their_own_parent_links():
    grandchild = Requester("C", "山田　翔", ancestors=frozenset({"I", "T", "H"}))
    assert relation(grandchild, [TARO]) == Relation.DESCENDANT


def test_a_sibling_or_a_stranger_has_no_relation():
    # A sibling is a third party (civil-facts §3.3: siblings are not 直系).
    sibling = Requester("S", "山田　次郎", ancestors=frozenset({"P1", "P2"}))
    assert relation(sibling, [TARO]) is None
    assert relation(Requester("", "鈴木　一"), MEMBERS) is None


def test_own_requests_need_the_relation_found_and_the_right_claim():
    assert check_request(FULL, "self", found=Relation.SELF, person_given=True) == []
    assert check_request(FULL, "lineal", found=Relation.DESCENDANT, person_given=True) == []
    assert check_request(FULL, "self", found=None, person_given=False)[0][0] == "requester_person_id"
    (refusal,) = check_request(FULL, "lineal", found=None, person_given=True)
    assert refusal[0] == "requester_person_id" and "戸籍法10条" in refusal[1]
    (wrong,) = check_request(FULL, "spouse", found=Relation.ASCENDANT, person_given=True)
    assert wrong == ("requester.type", "請求者の区分は「配偶者」ですが、戸籍上の関係は「直系尊属」です")


def test_a_third_party_names_one_of_the_three_reasons():
    # 10条の2第1項1号〜3号.
    assert check_request(FULL, "third_party", found=None, person_given=False, purpose_kind="rights") == []
    (refusal,) = check_request(FULL, "third_party", found=None, person_given=False, purpose_kind="")
    assert refusal[0] == "purpose_kind"


def test_a_professional_names_a_qualification_of_the_law():
    # 10条の2第3項: 弁護士 … 行政書士; a 不動産業者 is not one.
    assert check_request(FULL, "professional", found=None, person_given=False, profession="弁護士") == []
    (refusal,) = check_request(FULL, "professional", found=None, person_given=False, profession="不動産業者")
    assert refusal[0] == "profession"


def test_an_agent_acts_for_one_of_the_own_with_a_mandate():
    # 10条の3第2項.
    assert check_request(FULL, "agent", found=Relation.SELF, person_given=True, mandate=True) == []
    fields = [f for f, _ in check_request(FULL, "agent", found=None, person_given=True)]
    assert fields == ["requester_person_id", "mandate"]


@pytest.mark.parametrize("kind", [FULL, JOSEKI, ORIGINAL])
def test_wide_area_issue_of_the_full_kinds_to_the_own_with_a_photo_id(kind):
    # 120条の2; civil-facts §3.3.
    assert (
        check_request(kind, "self", found=Relation.SELF, person_given=True, wide_area=True, photo_id=True)
        == []
    )


def test_wide_area_refuses_an_extract_agents_third_parties_and_ids_without_a_photo():
    refused = check_request(INDIVIDUAL, "self", found=Relation.SELF, person_given=True, wide_area=True)
    assert [f for f, _ in refused] == ["kind", "photo_id"]
    for requester_type in ("agent", "third_party", "professional", "official"):
        fields = [
            f
            for f, _ in check_request(
                FULL,
                requester_type,
                found=Relation.SELF,
                person_given=True,
                purpose_kind="rights",
                profession="弁護士",
                mandate=True,
                wide_area=True,
                photo_id=True,
            )
        ]
        assert fields == ["requester.type"], requester_type


def test_each_kind_fits_its_koseki():
    ids = ["T", "H"]
    assert kind_problems(FULL, closed=False, original=False, person_ids=[], member_ids=ids) == []
    assert kind_problems(INDIVIDUAL, closed=False, original=False, person_ids=["H"], member_ids=ids) == []
    assert kind_problems(JOSEKI, closed=True, original=False, person_ids=[], member_ids=ids) == []  # 12条の2
    assert kind_problems(ORIGINAL, closed=True, original=True, person_ids=[], member_ids=ids) == []
    assert [
        f for f, _ in kind_problems(FULL, closed=True, original=False, person_ids=[], member_ids=ids)
    ] == ["kind"]
    assert [
        f for f, _ in kind_problems(JOSEKI, closed=False, original=False, person_ids=[], member_ids=ids)
    ] == ["kind"]
    assert [
        f for f, _ in kind_problems(FULL, closed=False, original=True, person_ids=[], member_ids=ids)
    ] == ["kind"]
    assert [
        f for f, _ in kind_problems(INDIVIDUAL, closed=False, original=False, person_ids=[], member_ids=ids)
    ] == ["person_ids"]
    unknown = kind_problems(INDIVIDUAL, closed=False, original=False, person_ids=["X"], member_ids=ids)
    assert unknown == [("person_ids", "この戸籍に記載されていない個人IDです: X")]
    assert (
        kind_problems("juminhyo_copy", closed=False, original=False, person_ids=[], member_ids=ids)[0][0]
        == "kind"
    )
