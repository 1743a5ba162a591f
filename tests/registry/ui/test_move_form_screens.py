"""異動入力 screens after the clerk's review (issue 12 items 9c–9h): whose input an error is
about, one 転入前住所 for the whole family, no developer words, twins, the deceased never offered
as the new 世帯主."""

from __future__ import annotations

import re

import pytest

from tests.registry.conftest import days_ago
from tests.registry.ui.test_screens import field_block, move_in_form, page, wareki_short

pytestmark = pytest.mark.django_db


def summary_of(text: str) -> str:
    return re.search(r'role="alert" id="form-error".*?</ul>', text, re.S).group(0)


def test_the_error_summary_names_the_person_and_links_the_input(counter):
    form = move_in_form(**{"persons[1].birth_date": "S99.1.1", "persons[1].sex": ""})
    response = counter.post("/registry/moves/new/move_in/", form)
    assert response.status_code == 422
    summary = summary_of(page(response))
    assert re.search(r'<a href="#f-persons-1-birth-date">2人目（佐藤 花子）：生年月日</a>：', summary)
    # A radio group's link goes to its first button (there is no element for the group's id).
    assert '<a href="#f-persons-1-sex-1">2人目（佐藤 花子）：性別</a>' in summary


def test_one_previous_address_for_the_whole_family(counter):
    form = move_in_form(
        previous_address="東京都新宿区西新宿2丁目8番1号",
        **{"persons[0].previous_address": "", "persons[1].previous_address": ""},
    )
    assert 'id="f-previous-address"' in page(counter.get("/registry/moves/new/move_in/"))
    response = counter.post("/registry/moves/new/move_in/", {**form, "_step": "commit"})
    assert response.status_code == 302, response.content.decode()
    done = page(counter.get(response["Location"]))
    for atena in re.findall(r'<td><a href="/registry/residents/(\d+)/">', done):
        assert "東京都新宿区西新宿2丁目8番1号" in page(counter.get(f"/registry/residents/{atena}/"))


def test_a_persons_own_previous_address_wins_and_a_missing_one_is_reported_on_it(counter):
    form = move_in_form(
        previous_address="東京都新宿区西新宿2丁目8番1号",
        **{"persons[1].previous_address": "大阪府大阪市北区梅田1丁目1番1号"},
    )
    response = counter.post("/registry/moves/new/move_in/", {**form, "_step": "commit"})
    done = page(counter.get(response["Location"]))
    first, second = re.findall(r'<td><a href="/registry/residents/(\d+)/">', done)
    assert "東京都千代田区千代田1番1号" in page(counter.get(f"/registry/residents/{first}/"))
    assert "大阪府大阪市北区梅田1丁目1番1号" in page(counter.get(f"/registry/residents/{second}/"))
    # Nothing typed anywhere: each person's input says so.
    missing = move_in_form(**{"persons[0].previous_address": "", "persons[1].previous_address": ""})
    text = page(counter.post("/registry/moves/new/move_in/", missing))
    assert "転入前住所" in field_block(text, "f-persons-1-previous-address")
    assert "2人目（佐藤 花子）：転入前住所" in summary_of(text)


def test_household_pages_do_not_show_the_version(counter, family):
    setai_no, (taro, *_rest) = family
    household = page(counter.get(f"/registry/households/{setai_no}/"))
    assert "版" not in household and "古い画面" not in household
    form = page(counter.get(f"/registry/moves/new/death/?setai_no={setai_no}&atena={taro}"))
    assert "（版" not in form and re.search(r'<input type="hidden" name="source_version" value="\d+">', form)


def test_twins_are_recorded_in_one_birth(counter, family):
    setai_no, _atena = family
    form = page(counter.get(f"/registry/moves/new/birth/?setai_no={setai_no}"))
    assert "子を追加" in form and 'hx-get="/registry/moves/new/birth/person-row/"' in form
    row = page(
        counter.get("/registry/moves/new/birth/person-row/", {"person_rows": "1"}, HTTP_HX_REQUEST="true")
    )
    assert "2人目" in row and 'id="f-persons-1-name"' in row and "生年月日" not in row
    version = re.search(r'name="source_version" value="(\d+)"', form).group(1)
    born = wareki_short(days_ago(2))
    child = {"sex": "1", "relationship": "子", "resident_type": "1"}
    data = {"source_setai_no": setai_no, "source_version": version, "move_date": born, "person_rows": "2"}
    data["_step"] = "commit"  # past the 確認 screen
    for i, (name, kana) in enumerate((("青木 陽", "アオキ ハル"), ("青木 海", "アオキ カイ"))):
        data.update({f"persons[{i}].{k}": v for k, v in {**child, "name": name, "name_kana": kana}.items()})
    response = counter.post("/registry/moves/new/birth/", data)
    assert response.status_code == 302, response.content.decode()
    household = page(counter.get(f"/registry/households/{setai_no}/"))
    assert "青木 陽" in household and "青木 海" in household


def test_the_deceased_is_not_offered_as_the_new_head(counter, family):
    setai_no, (taro, hanako, ichiro) = family
    form = page(counter.get(f"/registry/moves/new/death/?setai_no={setai_no}&atena={taro}"))
    head = field_block(form, "f-household-new-head")
    assert f'value="{taro}"' not in head and f'value="{hanako}"' in head
    assert f"household.relationships.{taro}" not in form
    # Ticking another member redraws the choice without them too (htmx, out of band).
    version = re.search(r'name="source_version" value="(\d+)"', form).group(1)
    data = {"source_setai_no": setai_no, "source_version": version, "move_date": wareki_short(days_ago(1))}
    data.update({"persons[0].atena_no": taro, "persons[1].atena_no": hanako})
    answer = page(
        counter.post(
            "/registry/moves/new/death/validate/",
            data,
            HTTP_HX_REQUEST="true",
            HTTP_HX_TRIGGER_NAME="persons[1].atena_no",
        )
    )
    redrawn = re.search(r'<div class="field-grid" id="head-fields" hx-swap-oob="true">.*</div>', answer, re.S)
    assert redrawn and f'value="{ichiro}"' in redrawn.group(0) and f'value="{hanako}"' not in redrawn.group(0)
    # A forged choice of the deceased is refused by the service, with a message the clerk reads.
    data.pop("persons[1].atena_no")
    data.update({"household.new_head": taro, f"household.relationships.{hanako}": "妻"})
    response = counter.post("/registry/moves/new/death/", data)
    assert response.status_code == 422
    assert "死亡した人（青木 太郎）は新しい世帯主にできません" in summary_of(page(response))
