"""施設 and their 受入可能数 per クラス年齢 and 年度 (what the 利用調整 gives out)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from pydantic import Field

from yakuba.childcare.models import (
    Capacity,
    Facility,
)
from yakuba.childcare.services.common import (
    Strict,
    reject,
)
from yakuba.platform.tenancy.context import require_tenant


class PlaceIn(Strict):
    class_age: int = Field(ge=0, le=5, title="クラス年齢")
    places: int = Field(ge=0, le=999, title="受入可能数")


class FacilityIn(Strict):
    code: str = Field(pattern=r"^[0-9A-Za-z-]{1,20}$", title="施設番号")
    name: str = Field(min_length=1, max_length=100, title="施設名")
    kind: str = Field("保育所", min_length=1, max_length=40, title="種別")
    fiscal_year: int = Field(ge=2015, le=2099, title="年度（受入可能数の）")
    places: list[PlaceIn] = Field(max_length=6, title="クラス年齢ごとの受入可能数")


def save_facility(body: FacilityIn) -> None:
    """Register a 施設 (or rename it) and set its 受入可能数 of the 年度 per クラス年齢 (a クラス年齢
    given twice is refused)."""
    seen: set[int] = set()
    for i, place in enumerate(body.places):
        if place.class_age in seen:
            reject([{"field": f"places[{i}].class_age", "message": "同じクラス年齢が2回あります"}])
        seen.add(place.class_age)
    lg_code = require_tenant().lg_code
    with transaction.atomic(using=require_tenant().alias):
        facility, _ = Facility.objects.update_or_create(
            lg_code=lg_code, code=body.code, defaults={"name": body.name, "kind": body.kind}
        )
        for place in body.places:
            Capacity.objects.update_or_create(
                lg_code=lg_code,
                facility=facility,
                fiscal_year=body.fiscal_year,
                class_age=place.class_age,
                defaults={"places": place.places},
            )


@dataclass(frozen=True)
class FacilityLine:
    code: str
    name: str
    kind: str
    places: dict[int, int]  # クラス年齢 → 受入可能数 of the 年度


def facilities(fiscal_year: int) -> list[FacilityLine]:
    """Every 施設 with its 受入可能数 of the 年度 (two queries)."""
    places: dict[int, dict[int, int]] = defaultdict(dict)
    for facility_id, age, n in Capacity.objects.filter(fiscal_year=fiscal_year).values_list(
        "facility_id", "class_age", "places"
    ):
        places[facility_id][age] = n
    return [
        FacilityLine(f.code, f.name, f.kind, dict(sorted(places[f.id].items())))
        for f in Facility.objects.order_by("code")
    ]
