"""通学区域 as data (docs/school_enrollment.md, "通学区域"): which 町字 and which 番地 ranges send a
child to which 小学校 and 中学校 — 学校教育法施行令 第5条第2項: where the town has two or more
schools, the 教育委員会 designates the school, and towns publish the designation as a table of
町字 and 番地 (civil-facts §4.4). The CSV check and the address reading are the platform's
(``yakuba.platform.address_ranges``, shared with the 投票区); this names the two school columns."""

from __future__ import annotations

from dataclasses import dataclass

from yakuba.platform.address_ranges import AddressRanges, Coded, read_ranges

SCHOOLS = (Coded("小学校"), Coded("中学校"))


@dataclass(frozen=True)
class DistrictRow:
    line: int
    town_area: str
    from_no: int
    to_no: int
    elementary_code: str
    elementary_name: str
    junior_code: str
    junior_name: str


def read_districts(data: bytes) -> list[DistrictRow]:
    """The rows of a 通学区域 CSV (header ``町字,番地から,番地まで,小学校コード,小学校名,中学校コード,
    中学校名``; ``read_ranges``): a school code names one school everywhere, the ranges of a 町字
    never overlap (a child would have two schools). Raises ``RangeFileRejected``."""
    return [
        DistrictRow(r.line, r.town_area, r.from_no, r.to_no, *r.values)
        for r in read_ranges(data, SCHOOLS, what="通学区域")
    ]


@dataclass(frozen=True, slots=True)
class Place:
    """Where a registered address falls: its 町字 and 番地, and the 通学区域's schools ("" when no
    line covers it — the clerk designates)."""

    town_area: str = ""
    banchi: int | None = None
    elementary_code: str = ""
    junior_code: str = ""


class DistrictIndex(AddressRanges):
    """The 通学区域 in memory; lines are (町字, 番地から, 番地まで, 小学校コード, 中学校コード)."""

    def place(self, address: str) -> Place:
        found = self.find(address)
        return Place(found.town_area, found.banchi, *(found.values or ("", "")))
