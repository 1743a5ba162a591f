"""異動履歴 screens: the history with 異動番号, 処理者, 届出人 and before → after; the record on a
基準日; 取消し from the history; the printed 処理票 (PDF)."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from urllib.parse import quote

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS, ADDRESS_2, days_ago, move_body
from tests.registry.test_move_records import AGENT  # a 代理人 with a 委任状
from tests.registry.ui.test_screens import page, protect, wareki_short
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

OLD = "福島県会津若松市東栄町3番46号"
NEW = "福島県会津若松市栄町1番1号"


def move_family(registry, family, address=ADDRESS_2, *, move_date=None, **extra) -> dict:
    setai_no, members = family
    return registry.move(
        move_body(
            "move_within",
            [{"atena_no": a} for a in members],
            household={"setai_no": setai_no, "address": address},
            move_date=move_date or days_ago(2),
            **extra,
        )
    )


def audited(action: str, resource: str, atena_no: str) -> bool:
    with tenant_context(AIZU):
        return AuditEntry.objects.filter(
            action=action, resource=resource, subject_ids__contains=[atena_no]
        ).exists()


def test_history_shows_number_actor_notifier_and_changes(counter, registry, family):
    _setai_no, (taro, *_rest) = family
    moved = move_family(registry, family, notifier=AGENT)
    text = page(counter.get(f"/registry/residents/{taro}/history/"))
    assert re.search(r'href="/registry/residents/\d+/history/" aria-current="page">異動履歴', text)
    assert moved["move_no"] in text and "clerk-app" in text  # 処理者: the API client that filed it
    for item in ("代理人", "鈴木 一郎", "知人", "委任状", "運転免許証", "窓口"):
        assert item in text, item
    row = re.search(r'<th scope="row">住所</th><td>([^<]*)</td><td><strong>([^<]*)</strong>', text)
    assert row and row.groups() == (OLD, NEW)
    assert text.index("転居") < text.index("転入")  # newest first
    assert format_wareki(date.fromisoformat(days_ago(2))) in text
    assert audited("read", "resident_history", taro)


def test_cancel_from_the_history(counter, welfare, registry, family):
    _setai_no, (taro, *_rest) = family
    moved = move_family(registry, family)
    number = moved["move_no"]
    history = page(counter.get(f"/registry/residents/{taro}/history/"))
    assert history.count("この異動を取り消す") == 1  # the latest 異動 only
    assert f'href="/registry/moves/{number}/cancel/"' in history
    assert "この異動を取り消す" not in page(welfare.get(f"/registry/residents/{taro}/history/"))

    form = page(counter.get(f"/registry/moves/{number}/cancel/"))
    assert re.search(rf'name="cancel_move_id"[^>]*value="{number}"', form)
    assert 'action="/registry/moves/new/cancel/"' in form
    data = {"cancel_move_id": number, "move_date": "", "notified_date": ""}
    response = counter.post("/registry/moves/new/cancel/", data)
    if response.status_code == 200:  # the 確認 step: 更新する
        response = counter.post("/registry/moves/new/cancel/", {**data, "_step": "commit"})
    assert response.status_code == 302, response.content.decode()

    history = page(counter.get(f"/registry/residents/{taro}/history/"))
    canceled_by = re.search(r"取消し済み（異動番号 (\d{4}-\d+)）", history)
    assert canceled_by, history
    assert f"異動番号 {number} の異動を取り消しました" in history
    assert "この異動を取り消す" not in history  # a 取消し is not canceled again
    resident = page(counter.get(f"/registry/residents/{taro}/"))
    assert OLD in resident and NEW not in resident


def test_the_record_as_of_a_date(counter, registry, family):
    _setai_no, (taro, *_rest) = family
    move_family(registry, family)
    url = f"/registry/residents/{taro}/history/"
    earlier = date.fromisoformat(days_ago(10))
    for typed in (wareki_short(days_ago(10)), days_ago(10)):
        text = page(counter.get(url, {"as_of": typed}))
        section = text[text.index(f"{format_wareki(earlier)}現在の記載") :]
        section = section[: section.index("基準日の表示を閉じる")]
        assert OLD in section and NEW not in section
    assert audited("read", "resident", taro)

    text = page(counter.get(url, {"as_of": days_ago(40)}))
    assert "この住民の記載はありません" in text
    response = counter.get(url, {"as_of": "R99.99.99"})
    assert response.status_code == 422 and 'aria-invalid="true"' in page(response)


def pdf_text(content: bytes, tmp_path, tool: str = "pdftotext") -> str:
    path = tmp_path / "slip.pdf"
    path.write_bytes(content)
    args = [tool, str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_the_move_slip_is_a_pdf(counter, welfare, registry, family, tmp_path):
    _setai_no, (taro, *_rest) = family
    moved = move_family(registry, family, notifier=AGENT)
    number = moved["move_no"]
    history = page(counter.get(f"/registry/residents/{taro}/history/"))
    assert f'href="/registry/moves/{number}/slip.pdf"' in history
    done = page(counter.get(f"/registry/moves/done/{moved['move_id']}/"))
    assert "/slip.pdf" in done and "処理票" in done

    response = counter.get(f"/registry/moves/{number}/slip.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert (
        disposition.startswith("inline;")
        and f"filename*=UTF-8''{quote(f'処理票-{number}.pdf')}" in disposition
    )
    text = pdf_text(response.content, tmp_path)
    for item in ("住民異動処理票", number, "青木 太郎", "青木 花子", "会津若松市", "鈴木 一郎", NEW, OLD):
        assert item in text, item
    assert "この処理票は届書とともに保管してください" in text and re.search(r"\b1 / \d\b", text)
    fonts = pdf_text(response.content, tmp_path, "pdffonts")
    embedded = [line for line in fonts.splitlines() if "BIZ-UD" in line]
    assert embedded and all(" yes yes " in line for line in embedded), fonts
    assert audited("print", "move_slip", taro)

    assert welfare.get(f"/registry/moves/{number}/slip.pdf").status_code == 403
    assert counter.get("/registry/moves/2026-999999/slip.pdf").status_code == 404


def test_a_protected_persons_history_is_hidden(counter, welfare, family):
    _setai_no, (taro, hanako, _ichiro) = family
    protect(hanako)
    assert welfare.get(f"/registry/residents/{hanako}/history/").status_code == 404
    assert welfare.get(f"/registry/residents/{hanako}/history/", {"as_of": days_ago(1)}).status_code == 404
    assert welfare.get(f"/registry/residents/{taro}/history/").status_code == 200
    assert counter.get(f"/registry/residents/{hanako}/history/").status_code == 200


def test_history_queries_do_not_grow_with_its_length(counter, registry, family):
    _setai_no, (taro, *_rest) = family
    url = f"/registry/residents/{taro}/history/"

    def queries() -> int:
        with CaptureQueriesContext(connections["default"]) as captured:
            assert counter.get(url).status_code == 200
        return len(captured)

    move_family(registry, family, move_date=days_ago(15))
    short = queries()
    for i in range(6):
        move_family(registry, family, ADDRESS if i % 2 == 0 else ADDRESS_2, move_date=days_ago(14 - i))
    assert queries() == short
