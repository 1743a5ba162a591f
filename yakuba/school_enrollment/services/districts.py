"""The 通学区域 as data (docs/school_enrollment.md, "通学区域"): loaded from a CSV (町字, 番地 range
→ 小学校, 中学校), all or nothing; the schools of every open 学齢簿 entry follow in one UPDATE
(学校教育法施行令 第5条第2項: the 指定学校 is the 通学区域's unless a 指定校変更 says otherwise)."""

from __future__ import annotations

from dataclasses import dataclass

from yakuba.platform.address_ranges import RangeFileRejected as DistrictFileRejected
from yakuba.platform.audit.log import Action, record
from yakuba.platform.bulk import copy_insert
from yakuba.platform.tenancy.context import require_tenant
from yakuba.school_enrollment.codes import Level
from yakuba.school_enrollment.models import District, RollEntry, School
from yakuba.school_enrollment.rules.district import read_districts
from yakuba.school_enrollment.services import book

RESOURCE = "school_enrollment.district"

__all__ = ["DistrictFileRejected", "Loaded", "lines", "load", "school_names", "schools"]


@dataclass(frozen=True)
class Loaded:
    lines: int
    schools: int
    entries: int  # open 学齢簿 entries whose schools were set again


def load(data: bytes) -> Loaded:
    """Replace the 通学区域 and the schools with the CSV's (``DistrictFileRejected`` names every
    bad line; nothing is changed then), and designate every open entry again. Call in one
    transaction (the CLI's ``tenant_command``)."""
    rows = read_districts(data)
    lg_code = require_tenant().lg_code
    schools = {}
    for r in rows:
        schools[r.elementary_code] = (r.elementary_name, Level.ELEMENTARY)
        schools[r.junior_code] = (r.junior_name, Level.JUNIOR)
    District.objects.all().delete()
    School.objects.all().delete()
    School.objects.bulk_create(
        School(lg_code=lg_code, code=code, name=name, level=level) for code, (name, level) in schools.items()
    )
    copy_insert(
        District._meta.db_table,
        ("lg_code", "town_area", "from_no", "to_no", "elementary_code", "junior_code", "line"),
        [(lg_code, r.town_area, r.from_no, r.to_no, r.elementary_code, r.junior_code, r.line) for r in rows],
    )
    entries = _place_open_entries()
    record(
        Action.UPDATE,
        RESOURCE,
        purpose="通学区域の設定",
        detail={"lines": len(rows), "schools": len(schools), "entries": entries},
    )
    return Loaded(len(rows), len(schools), entries)


def _place_open_entries() -> int:
    """Read the 町字 and 番地 of every open entry again against the new 町字 (a 町字 the old file
    lacked), then set their schools — the addresses in Python (a few µs each), the write in one
    UPDATE from a COPY."""
    index = book.districts()
    places = {
        atena_no: index.place(address)
        for atena_no, address in RollEntry.objects.filter(closed_on__isnull=True).values_list(
            "atena_no", "address"
        )
    }
    return book.replace_places(places) or 0


def schools() -> list[tuple[str, str, str]]:
    """(code, name, level) of the town's schools, by level then code."""
    return list(School.objects.order_by("-level", "code").values_list("code", "name", "level"))


def school_names() -> dict[str, str]:
    return {code: name for code, name, _level in schools()}


def lines() -> list[dict]:
    """The 通学区域 as loaded, in file order, with the school names (two queries)."""
    names = school_names()
    rows = District.objects.order_by("line").values(
        "line", "town_area", "from_no", "to_no", "elementary_code", "junior_code"
    )
    return [
        {**r, "elementary": names.get(r["elementary_code"], ""), "junior": names.get(r["junior_code"], "")}
        for r in rows
    ]
