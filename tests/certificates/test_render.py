"""A certificate on paper: every kind printed from a real registry and read back with
``pdftotext``; the 発行番号 on every page, the 認証文 on the last page only, four persons a sheet,
西暦 for a foreign resident, options, shrinking and Overflow, embedded fonts
(docs/reference/registry-facts.md §12; 住民記録システム標準仕様書 §5.1, §5.5, §5.7, §5.8)."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import AIZU
from yakuba.certificates.codes import Kind, Layout
from yakuba.certificates.services import render
from yakuba.certificates.services.content import CertificateRequest, Document, Item, Person, Sheet, build
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.services import Visibility

INFO = render.IssueInfo(
    number="20261206-000011",
    issued_on=date(2026, 12, 6),
    municipality="会津若松市",
    terminal="本庁1",
    printer="プリンタ001",
    serial=11,
    certifier_title="会津若松市長",
    certifier_name="会津 太郎",
    seal_png=b"",
    qr_svg="",
)
HOME = Item("address", "住所", "福島県会津若松市東栄町3番46号")
NUMBER = "20261206 会津若松市 本庁1 プリンタ001 000011"


def _pdf(tool: str, body: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.pdf"
        path.write_bytes(body)
        return subprocess.run(
            [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def _pages(body: bytes) -> list[str]:
    return _pdf("pdftotext", body, "-layout").split("\f")[:-1]


def _issue(request: CertificateRequest, info=INFO) -> tuple[list[str], bytes, int]:
    with bind_actor(SYSTEM), tenant_context(AIZU):
        document = build(request, visibility=Visibility(my_number=True))
    body, count = render.render(document, info)
    return _pages(body), body, count


def _document(*persons: Person, household=(HOME,)) -> Document:
    return Document(
        kind=Kind.JUMINHYO_COPY,
        layout=Layout.INDIVIDUAL,
        setai_no="1",
        atena_nos=[p.atena_no for p in persons],
        sheets=[Sheet(tuple(household), (p,)) for p in persons],
        title="住民票の写し",
        attestation="この写しは、住民票の原本と相違ないことを証明する。",
    )


def _person(name: str, *rows: tuple[Item, ...]) -> Person:
    return Person("000000000000017", name, False, ((Item("name", "氏名", name),), *rows))


@pytest.mark.django_db
def test_a_five_person_household_takes_two_sheets_numbered_on_every_page(town):
    pages, body, count = _issue(
        CertificateRequest(Kind.JUMINHYO_COPY, Layout.HOUSEHOLD, setai_no=town.setai, official_use=True)
    )
    assert count == len(pages) == 2
    for number, page in enumerate(pages, 1):
        assert f"{NUMBER} {number}/2" in page  # §5.5, on every page
        assert "公用" in page and "住 民票の写し".replace(" ", "") in page.replace(" ", "")
        assert "福島県会津若松市東栄町3番46号" in page and "髙橋 﨑男" in page
    first, last = pages
    order = [first.index(r) for r in ("世帯主", "妻")] + [first.index("𠮷田 一郎"), first.index("𠮷田 次郎")]
    assert order == sorted(order)
    assert "𠮷田 邉子" in last and "𠮷田 邉子" not in first
    assert "昭和55年4月1日" in first and "渡邉" in first  # 和暦; 旧氏 併記
    attestation = "この写しは、住民票の原本と相違ないことを証明する。"
    assert attestation not in first and attestation in last and "令和8年12月6日" in last
    assert "会津若松市長" in last and "公印" in last  # no seal registered: the drawn box
    fonts = _pdf("pdffonts", body)
    assert "BIZ-UDMincho" in fonts and "BIZ-UDGothic" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # every font embedded


@pytest.mark.django_db
def test_a_foreign_resident_in_the_western_calendar_with_residence_items(town):
    (page,), _body, _count = _issue(
        CertificateRequest(Kind.ENTRY_CERTIFICATE, Layout.INDIVIDUAL, atena_nos=(town.smith,))
    )
    assert "SMITH JOHN" in page and "1985年7月4日" in page and "2031年3月31日" in page
    assert "永住者" in page and "AB12345678CD" in page and "昭和60年" not in page
    assert "上記の事項は、住民票に記載されていることを証明する。" in page
    (bare,), _body, _count = _issue(
        CertificateRequest(
            Kind.JUMINHYO_COPY,
            Layout.INDIVIDUAL,
            atena_nos=(town.smith,),
            foreign_items=False,
            head_and_relationship=False,
        )
    )
    assert "永住者" not in bare and "在留資格" not in bare and "続柄" not in bare and "世帯主" not in bare


@pytest.mark.django_db
def test_the_removed_copy_and_the_move_out_certificate(town):
    (removed,), _body, _count = _issue(
        CertificateRequest(Kind.REMOVED_COPY, Layout.INDIVIDUAL, atena_nos=(town.removed,), domicile=True)
    )
    assert "住民票の除票の写し" in removed.replace(" ", "") and "齋藤 誠" in removed
    assert "消除事由" in removed and "東京都千代田区千代田1番1号" in removed and "本籍" in removed
    assert "この写しは、住民票の除票の原本と相違ないことを証明する。" in removed
    (moving,), _body, _count = _issue(
        CertificateRequest(
            Kind.MOVE_OUT_CERTIFICATE, Layout.INDIVIDUAL, setai_no=town.leaving_setai, my_number=True
        )
    )
    assert "転出証明書" in moving.replace(" ", "") and "山﨑 浩" in moving and "転出予定日" in moving
    assert "国内転出" in moving and "個人番号" in moving and "本籍" not in moving


def test_long_text_shrinks_and_what_cannot_fit_is_refused_before_printing():
    address = "福島県会津若松市東栄町" + "一二三四五六七八九十" * 8  # 91 characters: smaller print
    sheets = render.layout(
        _document(_person("会津 花子", (Item("address", "転入前住所", address, wide=True),)))
    )
    cell = sheets[0]["persons"][0]["rows"][1][0]
    assert cell["css"] in ("fs1", "fs2", "fs3")
    impossible = _document(_person("会津 花子", (Item("address", "転入前住所", address * 4, wide=True),)))
    with pytest.raises(render.Overflow) as raised:
        render.render(impossible, INFO)
    (message,) = [m for _f, m in raised.value.errors]
    assert message.startswith("会津 花子（宛名番号 000000000000017）の転入前住所が長すぎて")


def test_rare_kanji_and_variation_sequences_print_as_stored_with_seal_and_qr():
    from yakuba.certificates.services import seal

    info = replace(
        INFO,
        seal_png=seal.sample_seal("会津若松市長"),
        qr_svg='<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="2" height="2"/></svg>',
    )
    name = "渡邉\U000e0104 𠮷子"  # 邉 with an IVS (IPAmj明朝 carries the variants)
    body, count = render.render(_document(_person(name)), info)
    (page,) = _pages(body)
    assert count == 1 and "渡邉" in page and "𠮷子" in page
    assert "公印" not in page  # the seal image, not the drawn box
    assert "IPAmjMincho" in _pdf("pdffonts", body)
    png = render.render_png(_document(_person(name)), info)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_font_files_read_once_embed_what_weasyprint_embeds_alone():
    """yakuba.platform.pdf hands WeasyPrint each font file it read before instead of a new copy
    per document: the PDF, fonts and all, must be the one WeasyPrint makes by itself."""
    import re

    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from yakuba.platform import pdf

    document = _document(_person("渡邉\U000e0104 𠮷子"))
    first, _count = render.render(document, INFO)
    again, _count = render.render(document, INFO)
    alone = FontConfiguration()  # not the thread's: read as WeasyPrint reads it
    sheets = [CSS(string=pdf.BASE_CSS, font_config=alone)]
    sheets.append(CSS(string=render_to_string(render.STYLESHEET), font_config=alone))
    html = render_to_string(render.TEMPLATE, render.context(document, INFO))
    stock = HTML(string=html).render(stylesheets=sheets, font_config=alone).write_pdf()

    def undated(body: bytes) -> bytes:
        return re.sub(rb"/(CreationDate|ModDate) \([^)]*\)", b"", body)

    assert pdf._shared.font_files  # the kept files were used
    assert undated(first) == undated(again) == undated(stock)


def test_a_sheet_of_long_persons_is_split_so_that_no_sheet_runs_over_its_page():
    long_rows = [
        (Item("address", label, "東京都千代田区千代田1番1号", wide=True),) for label in "ABCDEFGHIJKL"
    ]
    persons = [
        Person(f"00000000000{n}", f"会津 {n}", False, ((Item("name", "氏名", "会津"),), *long_rows))
        for n in range(4)
    ]
    document = replace(_document(), layout=Layout.HOUSEHOLD, sheets=[Sheet((HOME,), tuple(persons))])
    sheets = render.layout(document)
    assert 1 < len(sheets) and all(1 <= len(s["persons"]) < 4 for s in sheets)
    assert [p["position"] for s in sheets for p in s["persons"]] == [1, 2, 3, 4]
    _body, count = render.render(document, INFO)
    assert count == len(sheets)
