"""How the registry's 異動 end a registration (civil-facts §2.5).

- **転出** (elsewhere or abroad): 自動廃止 from the 転出日 — a certificate stays possible until the
  day before it (荒川区 要領 第7条:
  https://www.city.arakawa.tokyo.jp/reiki_int/reiki_honbun/p800RG00000731.html).
- **死亡** and **住民票消除** (職権消除): 職権抹消 on the day of the 異動.
- **転居**: nothing to do — the address is read from 住民記録 when a certificate is made.
- **氏名の変更** (婚姻, 離婚, 養子縁組 …, reaching 住民記録 as a 職権修正 or 誤記修正): the
  registration lapses (抹消) when the seal no longer shows the new 氏名, 氏 or 名 — a seal of the
  old 氏 lapses on marriage, one of the 名 alone stays (https://magazine.sbiaruhi.co.jp/0000-2333).
  A 旧氏 the registry records keeps a seal of that 氏 valid (§2.2 item 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yakuba.seal_registration.codes import EndReason, Status
from yakuba.seal_registration.rules.impression import Name, shows_name


@dataclass(frozen=True)
class End:
    status: Status
    reason: EndReason
    on: date


_ENDS = {
    "moved-out": (Status.ABOLISHED, EndReason.MOVED_OUT),
    "died": (Status.STRUCK, EndReason.DIED),
    "removed": (Status.STRUCK, EndReason.REMOVED),
}


def decide(event: str, move_date: date, seal_text: str, name: Name | None) -> End | None:
    """What one resident event (its verb: moved-out, died, …) does to an open registration whose
    seal shows ``seal_text``; ``name`` is the person's names after the 異動 (None when the event
    does not carry them). None: the registration stays."""
    if event in _ENDS:
        status, reason = _ENDS[event]
        return End(status, reason, move_date)
    if event == "modified" and name is not None and not shows_name(seal_text, name):
        return End(Status.STRUCK, EndReason.NAME_CHANGED, move_date)
    return None
