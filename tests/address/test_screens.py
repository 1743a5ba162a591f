"""住所辞書 screens: every clerk who records addresses can search the master; only an
administrator loads it, and a bad file changes nothing and says which lines are wrong."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.registry.ui.test_screens import staff_client

pytestmark = pytest.mark.django_db


def test_a_clerk_searches_the_master(master):
    counter = staff_client("madoguchi", ["counter"])
    page = counter.get("/address/?q=栄").content.decode()
    assert "東栄町" in page and "栄町" in page and "北会津町" not in page
    assert "住所辞書の取り込み" not in page  # not an administrator
    assert counter.post("/address/load-postal/").status_code == 403
    by_postal = counter.get("/address/?postal=965-0871").content.decode()
    assert "栄町" in by_postal and "東栄町" not in by_postal


def test_an_administrator_loads_a_file(master):
    admin = staff_client("kanri", ["admin"])
    page = admin.get("/address/").content.decode()
    assert "住所辞書の取り込み" in page
    bad = SimpleUploadedFile("bad.csv", "町字,番地開始\n新町,abc\n".encode())
    response = admin.post("/address/import/", {"file": bad, "encoding": "utf-8"}, follow=True)
    text = response.content.decode()
    assert "bad.csv: 1 件の誤りがあるため取り込みませんでした" in text
    assert "2行目 番地開始: 番地は数字で書いてください: abc" in text
    assert "条件に合う町字はありません" in admin.get("/address/?q=新町").content.decode()
    good = SimpleUploadedFile("good.csv", "町字,郵便番号\n新町,9650000\n".encode())
    response = admin.post("/address/import/", {"file": good, "encoding": "utf-8"}, follow=True)
    assert (
        "good.csv を取り込みました（追加 1 件、変更 0 件、廃止 0 件、変更なし 0 件）"
        in response.content.decode()
    )
