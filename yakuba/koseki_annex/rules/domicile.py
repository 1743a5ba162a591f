"""Which municipality keeps the 附票 of a 本籍: the one the 本籍 is in (住民基本台帳法 第16条: the
附票 is made by the 市町村長 of the 本籍地).

A 本籍 is written as an address ("福島県会津若松市東栄町3番", "神奈川県横浜市中区…"), with or
without the 郡 of a town ("長野県北佐久郡軽井沢町…" or "長野県軽井沢町…"). The 本籍地 is the
municipality keeping a registry whose name is the longest start of it: a 指定都市's ward is part
of the city, which keeps the registry. The text is compared as stored (no normalisation: a name
held with an IVS is not ours to fold, civil-facts §3.5).
"""

from __future__ import annotations

import functools

from yakuba.platform.municipalities import MunicipalityInfo, all_municipalities, registrable


@functools.cache
def _by_name() -> dict[str, MunicipalityInfo]:
    names: dict[str, MunicipalityInfo] = {}
    for info in all_municipalities():
        if registrable(info):
            names[info.full_name] = info
            names[f"{info.prefecture}{info.name}"] = info
    return names


@functools.cache
def _lengths() -> tuple[int, ...]:
    return tuple(sorted({len(name) for name in _by_name()}, reverse=True))


def municipality_of(honseki: str) -> MunicipalityInfo | None:
    """The municipality whose 本籍 this is, or None when the text starts with no known one."""
    text = honseki.strip().replace(" ", "").replace("\u3000", "")
    names = _by_name()
    for length in _lengths():
        info = names.get(text[:length])
        if info is not None and len(text) > length:
            return info
    return None


def koseki_key(honseki: str, hittosha: str) -> tuple[str, str]:
    """The 戸籍の表示 as the 附票 is kept under it: the 本籍 without spaces, the 筆頭者's 氏 and 名
    with one full-width space between. The registry, the 戸籍 and another town's notice space them
    differently ("会津 太郎", "会津\u3000太郎"); the characters themselves are kept as given."""
    return "".join(honseki.split()), "\u3000".join(hittosha.split())


def is_local(honseki: str, lg_code: str) -> bool:
    """Whether the 本籍 is in the municipality ``lg_code`` (its 附票 is kept here)."""
    info = municipality_of(honseki)
    return info is not None and info.lg_code == lg_code
