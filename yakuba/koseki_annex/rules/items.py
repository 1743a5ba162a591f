"""The items of the 戸籍の附票 by the law in force on a date, and what a 附票の写し shows.

住民基本台帳法 第17条 lists the items; two amendments added to it, and neither reaches back: a
person who had left the 附票 before an item existed has no value for it (registry-facts §17.2–17.3).

- 2022-01-11: 出生の年月日 and 男女の別 (令和元年の改正, with the 附票本人確認情報), and the
  copy stops showing the 戸籍の表示 and the 在外選挙人 entry unless asked
  (https://www.city.ginowan.lg.jp/kurashi_tetsuzuki/sumai/10/10259.html ,
  https://www.town.nakai.kanagawa.jp/soshiki/zeimuchominkamadoguchihokenhan/koseki_jumin_inkantoroku/1725.html).
- 2024-05-27: the 住民票コード, and the entry of a 国外転出者 (no 住所: the fact of having moved
  abroad, dated by the 転出予定年月日)
  (https://www.town.moroyama.saitama.jp/soshikikarasagasu/juuminka/kosekijuumin/koseki_juminhyo_inkantoroku/3/11445.html).

The dates are data (``SINCE``), not branches in code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Item(StrEnum):
    """One item of the 附票 (住民基本台帳法 第17条, 第17条の2)."""

    DOMICILE = "domicile"  # 戸籍の表示（本籍・筆頭者）, 17条1号
    NAME = "name"  # 氏名, 2号
    ADDRESS = "address"  # 住所 (国外転出者: その旨), 3号
    ADDRESS_SET_ON = "address_set_on"  # 住所を定めた年月日 (国外転出者: 転出予定年月日), 4号
    BIRTH_DATE = "birth_date"  # 出生の年月日, 5号
    SEX = "sex"  # 男女の別, 6号
    JUMINHYO_CODE = "juminhyo_code"  # 住民票コード, 7号
    OVERSEAS_ELECTOR = "overseas_elector"  # 在外選挙人名簿への登録・移転, 17条の2


BIRTH_AND_SEX_SINCE = date(2022, 1, 11)
JUMINHYO_CODE_SINCE = date(2024, 5, 27)
OVERSEAS_SINCE = JUMINHYO_CODE_SINCE  # the 国外転出者 entry came with the 住民票コード
COPY_OPTIONAL_SINCE = BIRTH_AND_SEX_SINCE

# Each item and the first day it is on the 附票 (None: before any date this system keeps).
SINCE: dict[Item, date | None] = {
    Item.DOMICILE: None,
    Item.NAME: None,
    Item.ADDRESS: None,
    Item.ADDRESS_SET_ON: None,
    Item.OVERSEAS_ELECTOR: None,
    Item.BIRTH_DATE: BIRTH_AND_SEX_SINCE,
    Item.SEX: BIRTH_AND_SEX_SINCE,
    Item.JUMINHYO_CODE: JUMINHYO_CODE_SINCE,
}

# Items a copy leaves out unless the requester asks for them, from COPY_OPTIONAL_SINCE on (the
# 住民票コード was never shown by default: it is on the 附票 only since 2024).
_OPTIONAL_ALWAYS = frozenset({Item.JUMINHYO_CODE})
_OPTIONAL_SINCE_2022 = frozenset({Item.DOMICILE, Item.OVERSEAS_ELECTOR})


def items_in_force(on: date) -> frozenset[Item]:
    """The items 第17条 lists on ``on``."""
    return frozenset(item for item, since in SINCE.items() if since is None or since <= on)


def items_of_person(left_on: date | None, today: date) -> frozenset[Item]:
    """The items a person's entries carry: those in force on the day they left the 附票 (除票),
    or today while they are still in it — one who left before an item existed never got it."""
    return items_in_force(left_on if left_on is not None else today)


@dataclass(frozen=True)
class CopyItems:
    """What one person's part of a 附票の写し shows. ``full_names``: with no 戸籍の表示, each
    person is named by the full 氏名 (the 筆頭者's 氏 is not there to be understood)."""

    shown: frozenset[Item]
    full_names: bool


def copy_items(*, issued_on: date, left_on: date | None, requested: Iterable[Item] = ()) -> CopyItems:
    """The items of a copy issued on ``issued_on`` for a person who left the 附票 on ``left_on``
    (None: still in it): the person's items, less the optional ones not asked for. Asking for an
    item the person's entries never carried shows nothing for it."""
    optional = _OPTIONAL_ALWAYS | (_OPTIONAL_SINCE_2022 if issued_on >= COPY_OPTIONAL_SINCE else frozenset())
    asked = frozenset(requested)
    held = items_of_person(left_on, issued_on)
    shown = frozenset(item for item in held if item not in optional or item in asked)
    return CopyItems(shown, full_names=Item.DOMICILE not in shown)
