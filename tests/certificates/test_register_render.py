"""The 戸籍 and 附票 layouts (Layout.KOSEKI, Layout.ANNEX) on paper, read back with ``pdftotext``:
the 本籍・氏名 box, the 戸籍事項, one block per member with the 除籍 mark, 【項目】 lines, 以下余白,
the 認証文 on the last page, the 発行番号 on every page; names in IPAmj明朝 printed exactly as
stored — 𠮷 (U+20BB7), 髙, 﨑 and an IVS sequence (葛 U+845B U+E0102) whose variation selector
survives in the PDF's text (civil-facts §3.5; docs/certificates.md「戸籍・附票の様式」)."""

from __future__ import annotations

from dataclasses import replace

from tests.certificates.test_render import INFO, NUMBER, _pdf
from yakuba.certificates.codes import Kind, Layout
from yakuba.certificates.services import render
from yakuba.certificates.services.content import Block, Document, Item, Person, Sheet

# 葛 with the IVS of its 文字情報基盤 variant (IPAmj明朝 glyph MJ022335; the default is MJ022336).
KATSURA_IVS = "葛\U000e0102"


def _pages(body: bytes) -> list[str]:
    """Each page's text in drawing order (``-raw``: the document's order, whatever the columns)."""
    return _pdf("pdftotext", body, "-raw").split("\f")[:-1]


ATTESTATION = "これは、戸籍に記録されている事項の全部を証明した書面である。"


def _member(name: str, given: str, *, removed: str = "", events: int = 1) -> Person:
    own = Block(
        "戸籍に記録されている者",
        (
            Item("name", "名", given),
            Item("date", "生年月日", "昭和55年4月1日"),
            Item("short", "続柄", "長男"),
        ),
    )
    facts = tuple(
        Block(
            "身分事項",
            (Item("date", "出生日", "昭和55年4月1日"), Item("address", "出生地", "福島県会津若松市")),
            "出生",
        )
        for _ in range(events)
    )
    return Person("", name, False, (), (own, *facts), removed)


def _koseki(*persons: Person) -> Document:
    header = (
        Item("address", "本籍", "福島県会津若松市東栄町3番"),
        Item("name", "氏名", f"{KATSURA_IVS}城 髙男"),
    )
    matters = (Block("戸籍事項", (Item("date", "編製日", "令和8年4月1日"),), "戸籍編製"),)
    return Document(
        kind=Kind.KOSEKI_FULL,
        layout=Layout.KOSEKI,
        setai_no="",
        atena_nos=[],
        sheets=[Sheet(header, persons, blocks=matters)],
        title="戸籍全部事項証明書",
        attestation=ATTESTATION,
    )


def test_a_koseki_certificate_prints_its_header_matters_and_members_with_rare_characters():
    document = _koseki(
        _member(f"{KATSURA_IVS}城 髙男", "髙男"),
        _member(f"{KATSURA_IVS}城 﨑子", "﨑子", removed="除籍"),
        _member(f"{KATSURA_IVS}城 𠮷", "𠮷"),
    )
    body, count = render.render(document, INFO)
    (page,) = _pages(body)
    assert count == 1
    flat = page.replace(" ", "")
    for text in (
        "戸籍全部事項証明書",
        "本籍",
        "福島県会津若松市東栄町3番",
        "戸籍事項",
        "戸籍編製",
        "【編製日】令和8年4月1日",
    ):
        assert text in flat
    assert f"{KATSURA_IVS}城髙男" in flat  # the IVS kept in the text, code point by code point
    assert "【名】髙男" in flat and "【名】﨑子" in flat and "【名】𠮷" in flat
    assert "\U00020bb7" in page and "\u9ad9" in page and "\ufa11" in page
    assert flat.index("髙男") < flat.index("﨑子") < flat.index("【名】𠮷")  # the members in order
    assert flat.count("除籍") == 1 and flat.index("【名】髙男") < flat.index("除籍") < flat.index(
        "【名】﨑子"
    )  # her mark
    assert "以下余白" in flat and ATTESTATION in flat and f"{NUMBER} 1/1" in page
    fonts = _pdf("pdffonts", body)
    assert "IPAmjMincho" in fonts and all(" yes " in line for line in fonts.splitlines()[2:])


def test_the_variation_selector_prints_another_glyph_than_the_bare_character():
    """The IVS is not only kept in the text: the page shows the variant's glyph (the PNG of the
    sequence differs from that of the bare 葛)."""
    with_ivs = _koseki(_member(f"{KATSURA_IVS}城 一郎", "一郎"))
    bare = replace(
        with_ivs,
        sheets=[
            replace(
                with_ivs.sheets[0],
                household=(
                    Item("address", "本籍", "福島県会津若松市東栄町3番"),
                    Item("name", "氏名", "葛城 髙男"),
                ),
            )
        ],
    )
    assert render.render_png(with_ivs, INFO) != render.render_png(bare, INFO)
    assert KATSURA_IVS in _pages(render.render(with_ivs, INFO)[0])[0]
    assert KATSURA_IVS not in _pages(render.render(bare, INFO)[0])[0]


def test_a_long_koseki_flows_over_pages_numbered_with_the_attestation_on_the_last():
    document = _koseki(*(_member(f"𠮷田 {n}", f"子{n}", events=4) for n in range(8)))
    body, count = render.render(document, INFO)
    pages = _pages(body)
    assert count == len(pages) >= 2
    for number, page in enumerate(pages, 1):
        assert f"{NUMBER} {number}/{count}" in page
    assert all(ATTESTATION not in p.replace(" ", "") for p in pages[:-1])
    assert ATTESTATION in pages[-1].replace(" ", "") and "以下余白" in pages[-1].replace(" ", "")


def test_an_annex_copy_prints_each_address_row_with_its_date():
    person = Person(
        "000000000000017",
        "𠮷田 邉子",
        False,
        (),
        (
            Block(
                "附票に記録されている者",
                (Item("name", "氏名", "𠮷田 邉子"), Item("date", "生年月日", "平成24年5月5日")),
            ),
            Block(
                "住所",
                (
                    Item("address", "住所", "福島県会津若松市東栄町3番46号"),
                    Item("date", "住所を定めた年月日", "平成24年5月5日"),
                ),
            ),
            Block(
                "住所",
                (
                    Item("address", "住所", "福島県会津若松市追手町1番1号"),
                    Item("date", "住所を定めた年月日", "令和8年4月1日"),
                ),
            ),
        ),
    )
    document = Document(
        kind=Kind.ANNEX_COPY,
        layout=Layout.ANNEX,
        setai_no="",
        atena_nos=[person.atena_no],
        sheets=[Sheet((), (person,))],
        title="戸籍の附票の写し",
        attestation="この写しは、戸籍の附票の原本と相違ないことを証明する。",
    )
    (page,) = _pages(render.render(document, INFO)[0])
    flat = page.replace(" ", "")
    assert "本籍" not in flat  # 本籍・筆頭者 only when asked: the header box is the caller's
    assert "【氏名】𠮷田邉子" in flat and "【生年月日】平成24年5月5日" in flat
    assert (
        flat.index("東栄町3番46号")
        < flat.index("【住所を定めた年月日】平成24年5月5日")
        < flat.index("追手町1番1号")
    )
    assert "この写しは、戸籍の附票の原本と相違ないことを証明する。" in flat
    assert document.content_text().count("[住所]") == 2 and "【" not in document.content_text()


def test_a_juminhyo_prints_a_name_s_variation_selector_too():
    """The 住民票's name boxes are set in IPAmj明朝 first (certificate.css ``td.name``): BIZ UD明朝
    has no glyph for 葛 + E0102 or 邉 + E0110 and would drop the selector."""
    name = f"{KATSURA_IVS}城 邉\U000e0110子"
    person = Person("000000000000017", name, False, ((Item("name", "氏名", name),),))
    document = Document(
        kind=Kind.JUMINHYO_COPY,
        layout=Layout.INDIVIDUAL,
        setai_no="1",
        atena_nos=[person.atena_no],
        sheets=[Sheet((Item("address", "住所", "福島県会津若松市東栄町3番46号"),), (person,))],
        title="住民票の写し",
        attestation="この写しは、住民票の原本と相違ないことを証明する。",
    )
    (page,) = _pages(render.render(document, INFO)[0])
    assert KATSURA_IVS in page and "邉\U000e0110" in page
