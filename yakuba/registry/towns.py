"""The real 町字 of a municipality, for the generator and for splitting addresses read from a file.

They come from the address master's reading of Japan Post's data (``yakuba.address.services``,
docs/address.md), which leaves out entries that are not one 町字; here each gets the kind of
address the generator writes for it: 丁目 (住居表示) → 「3番46号」, 小字・番地 → 「123番地」.
"""

from __future__ import annotations

import functools
import json
import random
import sqlite3
from dataclasses import dataclass

from yakuba.address import services as address
from yakuba.platform.japanese.checkdigits import lg_code_check_digit
from yakuba.platform.municipalities import lookup, registrable


@dataclass(frozen=True)
class TownArea:
    name: str  # 町字 as stored (ward name included for a 指定都市)
    postal_code: str
    kind: str  # "urban" (丁目, 住居表示), "rural" (小字・番地), "other"


@functools.lru_cache(maxsize=64)
def town_areas(lg_code: str) -> tuple[TownArea, ...]:
    """Every 町字 of the municipality, once each (its first postal code), in postal-code order."""
    return tuple(
        TownArea(
            t.name,
            t.postal_codes[0],
            "urban" if t.addressing == address.Addressing.RESIDENCE else "rural" if t.rural else "other",
        )
        for t in address.postal_town_areas(lg_code)
    )


def other_addresses(rng: random.Random, lg_code: str, count: int) -> list[str]:
    """Addresses elsewhere in Japan (for 転入前住所, 転出先住所, 本籍): real 市区町村 + 町字."""
    with sqlite3.connect(f"file:{address.postal_database()}?mode=ro", uri=True) as db:
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
            if not address.usable_postal_entry(entry) or base == lg_code[:5]:
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
