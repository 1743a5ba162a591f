"""指定校変更 and 区域外就学 override the 通学区域 school (施行令 第8条・第9条; civil-facts §4.4);
the 通学区域 CSV is refused with every bad line named; the list's keyset pages and filters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import AIZU
from tests.school_enrollment.conftest import DISTRICTS, TODAY, in_town
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as door
from yakuba.school_enrollment.services import book, designations, districts, lookup

pytestmark = pytest.mark.django_db
SEE_ALL = door.Visibility(protected=True)


@pytest.fixture
def roll(family, districts):
    in_town(book.generate, 2026, as_of=TODAY)
    return family


def _line(atena_no: str, on: date | None = None) -> lookup.Line:
    with tenant_context(AIZU):
        return lookup.lines_of([atena_no], on=on or TODAY, visibility=SEE_ALL)[0]


def _designate(atena_no: str, **given) -> None:
    base = dict(
        atena_no=atena_no, kind="change", level="elementary", school_code="E02", school_name="",
        reason="兄弟姉妹が在籍", approved_on=TODAY, starts_on=TODAY, ends_on=None,
    )  # fmt: skip
    with tenant_context(AIZU):
        designations.apply_designation(designations.DesignationIn(**{**base, **given}))


def test_a_school_change_overrides_the_district_school_for_its_period(roll, system_actor):
    child = roll["学齢 四一"]
    assert (_line(child).school_code, _line(child).designation) == ("E01", "")
    _designate(child, ends_on=TODAY + timedelta(days=30))
    line = _line(child)
    assert (line.school_code, line.school_name, line.designation) == ("E02", "栄北小学校", "指定校変更")
    # after its period, the 通学区域's again
    assert _line(child, TODAY + timedelta(days=31)).school_code == "E01"


def test_schooling_outside_the_town_names_the_other_school(roll, system_actor):
    child = roll["学齢 中三"]
    assert _line(child).school_code == "J01"  # 中学3年: the 中学校 of the district
    _designate(child, kind="outside", level="junior", school_code="", school_name="若松市立第五中学校",
               reason="転居に伴う最終学年（卒業まで）")  # fmt: skip
    line = _line(child)
    assert (line.school_code, line.school_name, line.designation) == ("", "若松市立第五中学校", "区域外就学")
    # an elementary designation does not touch a 中学生
    _designate(child, level="elementary", school_code="E02")
    assert _line(child).school_name == "若松市立第五中学校"


def test_a_designation_is_refused_with_every_reason(roll, system_actor):
    with tenant_context(AIZU), pytest.raises(designations.Refused) as refused:
        designations.apply_designation(
            designations.DesignationIn(
                atena_no=roll["学齢 父"],
                kind="change",
                level="elementary",
                school_code="X9",
                school_name="",
                reason="",
                approved_on=TODAY + timedelta(days=1),
                starts_on=TODAY,
                ends_on=TODAY - timedelta(days=1),
            )  # fmt: skip
        )
    assert {f for f, _m in refused.value.errors} == {
        "atena_no",
        "school_code",
        "reason",
        "approved_on",
        "ends_on",
    }


def test_the_district_file_names_every_bad_line(aizu, system_actor):
    bad = DISTRICTS + "東栄町,5,12,E01,東栄小学校,J01,第一中学校\r\n栄町,x,,E01,別の名前,J9!,\r\n"
    with tenant_context(AIZU), pytest.raises(districts.DistrictFileRejected) as rejected:
        districts.load(bad.encode())
    assert rejected.value.errors == [
        "6行目 番地から: 0 から 99999 の整数を入力してください（x）",
        "6行目 小学校名: コード E01 は 2行目で「東栄小学校」です",
        "6行目 中学校コード: 英数字10桁以内で入力してください（J9!）",
        "5行目 番地から: 東栄町 の番地が 2行目の範囲と重なっています",
        "3行目 番地から: 東栄町 の番地が 5行目の範囲と重なっています",
        "6行目 番地から: 栄町 の番地が 4行目の範囲と重なっています",
    ]
    with tenant_context(AIZU), pytest.raises(districts.DistrictFileRejected, match="1行目: 見出し"):
        districts.load(b"a,b\r\n")


def test_a_new_district_file_moves_the_open_entries(roll, system_actor):
    with tenant_context(AIZU):
        loaded = districts.load(
            DISTRICTS.replace("東栄町,1,10,E01", "東栄町,1,10,E03")
            .replace("東栄小学校", "新東栄小学校")
            .encode()
        )
    assert loaded.entries == 3
    assert _line(roll["学齢 四一"]).school_name == "新東栄小学校"


def test_the_list_pages_by_key_and_filters_by_school_and_grade(roll, system_actor):
    with tenant_context(AIZU):
        first, after = lookup.page(limit=2, visibility=SEE_ALL)
        rest, end = lookup.page(after=after, limit=2, visibility=SEE_ALL)
        juniors, _ = lookup.page(school="J01", grade=9, visibility=SEE_ALL)
        first_year, _ = lookup.page(grade=1, visibility=SEE_ALL)  # 2026-12: the 2026 entrants
    assert len(first) == 2 and len(rest) == 1 and end == ""
    assert [x.name for x in juniors] == ["学齢 中三"]
    assert sorted(x.name for x in first_year) == ["学齢 四一", "学齢 閏"]


def test_a_child_past_compulsory_schooling_is_not_listed(roll, system_actor):
    # 学齢 中三 (entered 2018) ends on 2027-03-31: listed that day, not the next
    with tenant_context(AIZU):
        on_last_day, _ = lookup.page(on=date(2027, 3, 31), visibility=SEE_ALL)
        after, _ = lookup.page(on=date(2027, 4, 1), visibility=SEE_ALL)
    assert "学齢 中三" in {x.name for x in on_last_day} and "学齢 中三" not in {x.name for x in after}
