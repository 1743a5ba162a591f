"""The 振り仮名 notices (civil-facts §3.4): per 戸籍, up to 4 persons of one address a notice
(丹波市 https://www.city.tamba.lg.jp/soshiki/shimin_anzen/koseki/6/10810.html), at the 附票's
address on the 基準日, a protected person withheld for the counter; those with no address listed
for the clerk."""

from __future__ import annotations

import csv
import io
import os
import subprocess
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.koseki_annex.conftest import code, notice_file, notice_line
from yakuba.cli import main
from yakuba.koseki.models import Member
from yakuba.koseki.services import ReadingsPage, note_notified, notified_readings, record_existing
from yakuba.koseki_annex.services import take_in
from yakuba.koseki_annex.services.furigana_notices import notices_page, render
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

AIZU_HONSEKI = "福島県会津若松市東栄町3番"
WAKAMATSU_HONSEKI = "福島県会津若松市東栄町5番"
HOME = "東京都千代田区千代田1番1号"
AWAY = "東京都千代田区千代田2番2号"
ABROAD = "アメリカ合衆国"  # a 国外転出者: no 住所, the country

# (戸籍's 氏, 本籍, [(名, 生年月日, 性別 1/2, role, 続柄, 附票の住所 or None, 支援措置)])
AIZU_FAMILY = [
    ("太郎", "1950-01-01", 1, "head", "長男", HOME, False),
    ("花子", "1952-02-02", 2, "spouse", "長女", HOME, False),
    ("一郎", "1975-03-03", 1, "child", "長男", HOME, False),
    ("二郎", "1977-04-04", 1, "child", "二男", HOME, False),
    ("三郎", "1979-05-05", 1, "child", "三男", HOME, False),
    ("四郎", "1981-06-06", 1, "child", "四男", AWAY, False),
]
WAKAMATSU_FAMILY = [
    ("健", "1960-01-01", 1, "head", "長男", HOME, False),
    ("愛", "1962-02-02", 2, "spouse", "長女", HOME, True),  # same 住所 as 健, yet withheld
    ("翼", "1990-03-03", 1, "child", "長男", HOME, False),
    ("光", "1992-04-04", 2, "child", "長女", None, False),  # on no 附票 row
    ("望", "1994-05-05", 2, "child", "二女", ABROAD, False),
]


def _members(family):
    return [
        {"given_name": g, "birth_date": b, "sex": "male" if s == 1 else "female", "role": role,
         "relationship": rel, "entered_on": "1975-01-01" if role != "child" else b}
        for g, b, s, role, rel, _a, _p in family
    ]  # fmt: skip


def _lines(surname, honseki, family, start):
    return [
        notice_line(**{
            "本籍": honseki, "筆頭者": f"{surname} {family[0][0]}", "住民票コード": code(start + n),
            "氏名": f"{surname} {g}", "生年月日": b, "性別": str(s), "住所": "" if address == ABROAD else address,
            "国外転出者": "1" if address == ABROAD else "0", "転出先国名": address if address == ABROAD else "",
            "住所を定めた年月日": "2020-04-01", "支援措置": "1" if protected else "0",
        })
        for n, (g, b, s, _r, _rel, address, protected) in enumerate(family)
        if address
    ]  # fmt: skip


@pytest.fixture
def town(aizu, system_actor):
    """Two 戸籍 here with their notified readings, their persons on the 附票 from 千代田区's notices;
    健 moved after the 基準日 (a later row the notice must not use)."""
    with tenant_context(AIZU):
        ids = record_existing(
            [
                {"honseki": AIZU_HONSEKI, "surname": "会津", "formed_on": "1975-01-01",
                 "members": _members(AIZU_FAMILY)},
                {"honseki": WAKAMATSU_HONSEKI, "surname": "若松", "formed_on": "1975-01-01",
                 "members": _members(WAKAMATSU_FAMILY)},
            ]
        )  # fmt: skip
        assert notified_readings() == ReadingsPage([], "")  # nothing notified yet
        moved = notice_line(**{
            "本籍": WAKAMATSU_HONSEKI, "筆頭者": "若松 健", "住民票コード": code(100), "氏名": "若松 健",
            "生年月日": "1960-01-01", "性別": "1", "住所": "東京都千代田区千代田7番7号",
            "住所を定めた年月日": "2025-08-01",
        })  # fmt: skip
        lines = _lines("会津", AIZU_HONSEKI, AIZU_FAMILY, 1) + _lines(
            "若松", WAKAMATSU_HONSEKI, WAKAMATSU_FAMILY, 100
        )
        take_in(notice_file(*lines), file_name="base.csv")
        take_in(notice_file(moved), file_name="moved.csv")
    return ids


def _notify(ids, given: dict[str, tuple[str, str]]):
    """Keep the notified readings ({名: (氏, 名)}) of the persons of ``ids``."""
    from yakuba.koseki.services import koseki_of

    with tenant_context(AIZU):
        person = {m.name.split("\u3000")[1]: m.person_id for k in ids for m in koseki_of(k).members}
        note_notified(
            "person_id,surname_kana,given_name_kana\n"
            + "".join(f"{person[g]},{s},{n}\n" for g, (s, n) in given.items())
        )


KANA = {
    "太郎": ("アイヅ", "タロウ"), "花子": ("アイヅ", "ハナコ"), "一郎": ("アイヅ", "イチロウ"),
    "二郎": ("アイヅ", "ジロウ"), "三郎": ("アイヅ", "サブロウ"), "四郎": ("アイヅ", "シロウ"),
    "健": ("ワカマツ", "ケン"), "愛": ("ワカマツ", "アイ"), "翼": ("ワカマツ", "ツバサ"), "光": ("ワカマツ", "ヒカリ"), "望": ("ワカマツ", "ノゾミ"),
}  # fmt: skip


def _page(**kwargs):
    with tenant_context(AIZU):
        return notices_page(date(2025, 5, 26), **kwargs)


def _shown(notice):
    return (notice.filename, notice.to, notice.address, [p.name.split("\u3000")[1] for p in notice.persons])


@pytest.mark.django_db
def test_four_a_notice_per_address_the_head_addressed_a_protected_person_withheld(town):
    _notify(town, KANA)
    page = _page()
    aizu, wakamatsu = town
    assert [_shown(n) for n in page.documents] == [
        (f"furigana-{aizu}-01.pdf", "会津\u3000太郎", HOME, ["太郎", "花子", "一郎", "二郎"]),
        (f"furigana-{aizu}-02.pdf", "会津\u3000太郎", HOME, ["三郎"]),  # the fifth: a notice of its own
        (f"furigana-{aizu}-03.pdf", "会津\u3000四郎", AWAY, ["四郎"]),  # another address
        (f"furigana-{wakamatsu}-01.pdf", "若松\u3000健", HOME, ["健", "翼"]),  # the 基準日's address
    ]
    assert page.documents[0].persons[1].birth == "昭和27年2月2日"
    assert (page.documents[0].persons[1].surname_kana, page.documents[0].persons[1].given_name_kana) == (
        "アイヅ",
        "ハナコ",
    )
    assert [(u.name, u.reason) for u in page.unaddressed] == [
        ("若松\u3000光", "基準日の住所が附票にありません"),
        ("若松\u3000望", "国外転出者（国内の住所がありません）"),
    ]
    # 支援措置: never on 健's notice at the shared address, nor sent to the print shop
    assert page.last == wakamatsu and len(page.withheld) == 1
    assert _page(after=page.last).last == ""
    with tenant_context(AIZU):
        audit = AuditEntry.objects.filter(action="print", resource="koseki_annex.annex").get()
    assert len(audit.subject_ids) == 10 and audit.detail["notices"] == 4


@pytest.mark.django_db
def test_a_head_not_at_the_address_the_first_person_there_is_addressed(town):
    _notify(town, {g: KANA[g] for g in ("花子", "四郎")})  # 太郎 has nothing notified
    page = _page()
    assert [_shown(n) for n in page.documents] == [
        (f"furigana-{town[0]}-01.pdf", "会津\u3000花子", HOME, ["花子"]),
        (f"furigana-{town[0]}-02.pdf", "会津\u3000四郎", AWAY, ["四郎"]),
    ]


@pytest.mark.django_db
def test_the_doors_read_pages_by_koseki_id_and_skips_those_who_left(town):
    """Keyset pages of 戸籍 (``last`` the page's last 戸籍ID, "" at the end); a person removed from
    the 戸籍 is not read, nor a 戸籍 with nothing notified."""
    _notify(town, {g: KANA[g] for g in ("太郎", "健", "翼")})
    with tenant_context(AIZU):
        first = notified_readings("", 1)
        second = notified_readings(first.last, 1)
        assert notified_readings(second.last, 1) == ReadingsPage([], "")
        assert [(r.koseki_id, r.name, r.head) for r in first.readings + second.readings] == [
            (town[0], "会津\u3000太郎", True),
            (town[1], "若松\u3000健", True),
            (town[1], "若松\u3000翼", False),
        ]
        assert (first.last, second.last) == tuple(town)
        Member.objects.filter(person_id=second.readings[1].person_id).update(removed_on=date(2025, 1, 1))
        Member.objects.filter(person_id=first.readings[0].person_id).update(
            notified_surname_kana="", notified_given_name_kana=""
        )
        assert [r.name for r in notified_readings("", 10).readings] == ["若松\u3000健"]


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_page(town):
    _notify(town, KANA)
    counts = []
    for limit in (1, 2):
        with tenant_context(AIZU), CaptureQueriesContext(connection) as queries:
            notices_page(date(2025, 5, 26), limit=limit)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _text(pdf: bytes) -> str:
    """The PDF's text with no spaces (pdftotext breaks the lines where the layout does)."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return "".join(text.split())


@pytest.mark.django_db
def test_the_notice_prints_the_window_and_the_ex_officio_day(town):
    _notify(town, KANA)
    page = _page()
    text = _text(render(page.documents[0], page.heading))
    for shown in (
        "会津 太郎 様",
        HOME,
        AIZU_HONSEKI,
        "アイヅ",
        "ハナコ",
        "昭和27年2月2日",
        "令和7年5月26日から令和8年5月25日まで",
        "令和8年5月26日以降",
    ):
        assert "".join(shown.split()) in text


@pytest.mark.django_db(transaction=True)
def test_cli_writes_one_pdf_a_notice_and_the_clerks_list(town, tmp_path, capsys):
    _notify(town, KANA)
    out = tmp_path / "notices"
    assert main(["koseki-annex", "furigana-notices", AIZU, "--out", str(out), "--workers", "0"]) == 0
    said = capsys.readouterr().out
    assert "振り仮名の通知: 4 通" in said and "支援措置の対象者を含むため一括作成から除きました" in said
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 5 and files[-1] == "unaddressed.csv"
    assert all(os.stat(out / f).st_mode & 0o777 == 0o600 for f in files)
    rows = list(csv.reader(io.StringIO((out / "unaddressed.csv").read_text(encoding="utf-8-sig"))))
    assert [r[2:] for r in rows] == [
        ["氏名", "生年月日", "理由"],
        ["若松\u3000光", "1992-04-04", "基準日の住所が附票にありません"],
        ["若松\u3000望", "1994-05-05", "国外転出者（国内の住所がありません）"],
    ]
