"""入力 → 確認 → 更新 on the screens (住民記録システム標準仕様書 §4), with the 届出人 and the
duplicate confirmation: what the clerk sees at each step, and that nothing is written before 更新."""

from __future__ import annotations

import re

import pytest

from tests.registry.ui.test_screens import move_in_form, page

pytestmark = pytest.mark.django_db


def _typed(**extra) -> dict:
    data = move_in_form(**extra)
    data.pop("_step")
    return data


def _hidden(text: str) -> dict:
    return {
        m.group(1): m.group(2).replace("&amp;", "&")
        for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', text)
    }


def _count(counter) -> int:
    return page(counter.get("/registry/", {"name_kana": "サトウ"})).count("/registry/residents/")


def test_enter_leads_to_the_confirmation_and_nothing_is_written_until_update(counter):
    response = counter.post("/registry/moves/new/move_in/", _typed())
    text = page(response)
    assert response.status_code == 200 and "転入の確認" in text
    assert "まだ登録されていません" in text and "更新する" in text and "入力に戻る" in text
    assert "佐藤 一郎" in text and "（新しく記載）" in text and "福島県会津若松市東栄町3番46号" in text
    assert "個人番号カード" in text  # the 届出人's 本人確認書類
    assert _count(counter) == 0
    carried = _hidden(text)
    back = counter.post("/registry/moves/new/move_in/", {**carried, "_step": "back"})
    assert back.status_code == 200 and 'value="佐藤 一郎"' in page(back)
    done = counter.post("/registry/moves/new/move_in/", {**carried, "_step": "commit"})
    assert done.status_code == 302
    result = page(counter.get(done["Location"]))
    assert re.search(r"異動番号：<strong class=\"move-no\">\d{4}-\d{6}</strong>", result)
    assert _count(counter) == 2


def test_the_confirmation_shows_the_rules_on_the_form_instead(counter):
    response = counter.post("/registry/moves/new/move_in/", _typed(**{"notifier.identity_document": ""}))
    text = page(response)
    assert response.status_code == 422 and "本人確認書類を選んでください（住民基本台帳法 第27条）" in text


def test_an_agent_without_a_power_of_attorney_is_named(counter):
    data = _typed(**{"notifier.kind": "agent", "notifier.name": "鈴木 一郎"})
    assert "代理人による届出には委任状が必要です" in page(counter.post("/registry/moves/new/move_in/", data))


def test_a_second_identical_move_in_asks_for_the_duplicate_confirmation(counter):
    counter.post("/registry/moves/new/move_in/", move_in_form())
    again = counter.post("/registry/moves/new/move_in/", _typed())
    text = page(again)
    assert again.status_code == 422 and "氏名・生年月日が同じ住民がいます" in text
    assert "1人目（佐藤 一郎）" in text  # whose row it is, in the summary
    confirmed = counter.post("/registry/moves/new/move_in/", _typed(confirm_duplicates="1"))
    assert confirmed.status_code == 200 and "同一人でないことを確認して記載しました" in page(confirmed)
