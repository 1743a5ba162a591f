"""The 手数料 of a certificate by its kind and the day it is issued.

The 住民票 certificates and the 附票の写し cost what the municipality's 手数料条例 says — the
issuing settings' ``fee`` (``settings.Settings.fee``). The 戸籍 certificates cost the national
standard of the 地方公共団体の手数料の標準に関する政令, which every 条例 copies: 戸籍全部事項・個人事項
証明書 450円, 除籍全部事項証明書 and 改製原戸籍謄本 750円 (civil-facts §3.3; 多度津町
https://www.town.tadotsu.kagawa.jp/soshikikarasagasu/juminkankyoka/koseki/3262.html). A change
of the 政令 is a new row with the day it applies from; the day the present amounts began is not
verified, so they apply from the earliest day.
"""

from __future__ import annotations

from datetime import date

from yakuba.certificates.codes import Kind

# kind → ((applies from, yen), …), oldest first.
STANDARD: dict[str, tuple[tuple[date, int], ...]] = {
    Kind.KOSEKI_FULL: ((date.min, 450),),
    Kind.KOSEKI_INDIVIDUAL: ((date.min, 450),),
    Kind.JOSEKI_FULL: ((date.min, 750),),
    Kind.ORIGINAL_KOSEKI: ((date.min, 750),),
}


def fee_for(kind: str, on: date, *, ordinance_fee: int) -> int:
    """The fee of ``kind`` issued on ``on``: the national standard where there is one, else the
    municipality's (``ordinance_fee``, the issuing settings')."""
    rows = [yen for start, yen in STANDARD.get(kind, ()) if start <= on]
    return rows[-1] if rows else ordinance_fee
