"""The 自治体標準オープンデータセット 「地域・年齢別人口」 and 「人口・世帯数」 of a municipality on a
day, with DCAT metadata a catalogue can harvest — ``yakuba opendata publish``.

Both CSVs come from one census of the registry's door (``census_on(day, by=("town_area", "sex",
"age"))``: persons by 町字, sex and age, 世帯 by 町字), so they agree with each other and with the
住基年報 of the same day (tested). Columns, the 機械可読性ルール and the small-area rule:
``rules/opendata.py``; docs/statistics.md, "Open data".

The metadata is DCAT (W3C Data Catalog Vocabulary) in JSON-LD, in the DCAT-AP profile's terms
(dcat:Catalog → dcat:Dataset → dcat:Distribution with dct:title, dct:description, dct:publisher,
dct:issued/modified, dct:license, dct:spatial, dct:temporal, dcat:mediaType, dcat:downloadURL),
the RDF that CKAN's DCAT harvester (ckanext-dcat) reads. The licence is CC BY 4.0, the one the
government's 公共データ利用規約 (PDL1.0) is compatible with and that 自治体 open data uses by
default (standards §11). Download URLs are the file names (relative to the metadata file) unless
a base URL says where the files will be served.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yakuba.platform.municipalities import lookup
from yakuba.registry import services as registry
from yakuba.statistics.rules.opendata import (
    AREA_AGE,
    AREA_AGE_COLUMNS,
    DEFAULT_MIN_PERSONS,
    MODES,
    POPULATION,
    POPULATION_COLUMNS,
    Area,
    area_age_rows,
    population_rows,
    protect,
)
from yakuba.statistics.rules.tables import by_age_and_sex
from yakuba.statistics.services.audit import report_made
from yakuba.statistics.services.dates import BadRequest, check_as_of
from yakuba.statistics.services.files import csv_bytes
from yakuba.statistics.services.monthly import NO_TOWN

RESOURCE = "statistics.opendata"
PURPOSE = "自治体標準オープンデータセットの公開"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
CSV_TYPE = "https://www.iana.org/assignments/media-types/text/csv"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
STEPS = ("集計", AREA_AGE, POPULATION, "メタデータ")


@dataclass(frozen=True)
class Published:
    """The files of the dataset (name → bytes, the metadata last) and what the rule did."""

    files: dict[str, bytes]
    areas: int
    merged: int  # 町字 pooled into その他
    suppressed: int  # 町字 published as 秘匿


def _areas(day: date) -> list[Area]:
    """Every 町字 registered on ``day`` (by name; an address without 町字 last) with its persons
    by 5-year band and sex and its 世帯."""
    census = registry.census_on(day, by=("town_area", "sex", "age"))
    persons: dict[str, list[tuple[int, int, int]]] = {}
    for c in census.persons:
        persons.setdefault(c.town_area, []).append((c.sex, c.age, c.persons))
    households = {h.town_area: h.total for h in census.households}
    areas = []
    for town in sorted(persons, key=lambda t: (t == "", t)):
        bands = by_age_and_sex(persons[town], 5)
        areas.append(
            Area(
                town or NO_TOWN,
                households.get(town, 0),
                [cell["male"] for cell in bands.values()],
                [cell["female"] for cell in bands.values()],
            )
        )
    return areas


def file_names(lg_code: str, as_of: date) -> dict[str, str]:
    day = as_of.isoformat()
    return {
        AREA_AGE: f"{lg_code}_area_age_population_{day}.csv",
        POPULATION: f"{lg_code}_population_households_{day}.csv",
        "metadata": f"{lg_code}_opendata_{day}.jsonld",
    }


def publish(
    lg_code: str,
    as_of: date,
    *,
    min_persons: int = DEFAULT_MIN_PERSONS,
    mode: str = "merge",
    base_url: str = "",
    step: Callable[[str], None] = lambda _name: None,
) -> Published:
    """Both CSVs and their DCAT metadata as of ``as_of``, audited as one export. ``step`` is
    called as each part is done (the CLI's progress bar)."""
    check_as_of(as_of)
    if min_persons < 0:
        raise BadRequest("min_cell", f"秘匿の基準人数は0以上を指定してください: {min_persons}")
    if mode not in MODES:
        raise BadRequest("small_area", f"小地域の扱いは merge または suppress を指定してください: {mode}")
    if base_url and not base_url.startswith(("https://", "http://")):
        raise BadRequest("base_url", f"公開先のURLは https:// で始めてください: {base_url}")
    areas = _areas(as_of)
    published = protect(areas, min_persons, mode)
    step(STEPS[0])
    names = file_names(lg_code, as_of)
    lead = [lg_code, lookup(lg_code).full_name, as_of.isoformat()]
    files = {names[AREA_AGE]: csv_bytes(AREA_AGE_COLUMNS, area_age_rows(lead, published, min_persons))}
    step(STEPS[1])
    files[names[POPULATION]] = csv_bytes(POPULATION_COLUMNS, population_rows(lead, published, min_persons))
    step(STEPS[2])
    files[names["metadata"]] = catalog(lg_code, as_of, files, base_url=base_url, min_persons=min_persons)
    step(STEPS[3])
    kept = {a.name for a in published if a.hidden != "all"}
    result = Published(
        files,
        areas=len(areas),
        merged=sum(1 for a in areas if a.name not in kept) if mode == "merge" else 0,
        suppressed=sum(1 for a in published if a.hidden == "all"),
    )
    report_made(
        RESOURCE,
        PURPOSE,
        "csv",
        as_of=as_of.isoformat(),
        min_cell=min_persons,
        small_area=mode,
        files=list(files),
        areas=result.areas,
        merged=result.merged,
        suppressed=result.suppressed,
        population=sum(a.persons for a in areas),
    )
    return result


def _literal(value: str, kind: str = "") -> dict:
    return {"@value": value, "@type": f"xsd:{kind}"} if kind else {"@value": value, "@language": "ja"}


DESCRIPTIONS = {
    AREA_AGE: "町字別・男女別の5歳階級別人口（住民基本台帳、{day}現在）。{rule}",
    POPULATION: "町字別の世帯数と男女別人口（住民基本台帳、{day}現在）。{rule}",
}


def catalog(lg_code: str, as_of: date, files: dict[str, bytes], *, base_url: str, min_persons: int) -> bytes:
    """The DCAT JSON-LD of the two CSVs (``files``), one dcat:Dataset each in a dcat:Catalog."""
    municipality = lookup(lg_code).full_name
    names = file_names(lg_code, as_of)
    base = base_url.rstrip("/") + "/" if base_url else ""
    today = timezone.localdate().isoformat()
    publisher = {
        "@id": f"{base}#publisher",
        "@type": "foaf:Organization",
        "foaf:name": _literal(municipality),
    }
    rule = f"{min_persons}人未満の町字は「その他」にまとめるか秘匿しています。" if min_persons else ""
    datasets = []
    for title in (AREA_AGE, POPULATION):
        name = names[title]
        body = files[name]
        distribution = {
            "@id": f"{base}{name}#distribution",
            "@type": "dcat:Distribution",
            "dct:title": _literal(f"{title}（CSV）"),
            "dcat:downloadURL": {"@id": f"{base}{name}"},
            "dcat:accessURL": {"@id": f"{base}{name}"},
            "dcat:mediaType": {"@id": CSV_TYPE},
            "dct:format": "CSV",
            "dcat:byteSize": _literal(str(len(body)), "nonNegativeInteger"),
            "spdx:checksum": {
                "@type": "spdx:Checksum",
                "spdx:algorithm": {"@id": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"},
                "spdx:checksumValue": _literal(hashlib.sha256(body).hexdigest(), "hexBinary"),
            },
            "dct:license": {"@id": LICENSE},
        }
        datasets.append(
            {
                "@id": f"{base}{name}#dataset",
                "@type": "dcat:Dataset",
                "dct:identifier": f"{lg_code}-{name.split('_', 1)[1].rsplit('.', 1)[0]}",
                "dct:title": _literal(f"{municipality} {title}（{as_of.isoformat()}現在）"),
                "dct:description": _literal(DESCRIPTIONS[title].format(day=as_of.isoformat(), rule=rule)),
                "dct:publisher": {"@id": publisher["@id"]},
                "dct:issued": _literal(today, "date"),
                "dct:modified": _literal(today, "date"),
                "dct:license": {"@id": LICENSE},
                "dct:language": {"@id": "http://id.loc.gov/vocabulary/iso639-1/ja"},
                "dct:spatial": {
                    "@type": "dct:Location",
                    "skos:prefLabel": _literal(municipality),
                    "dct:identifier": lg_code,
                },
                "dct:temporal": {
                    "@type": "dct:PeriodOfTime",
                    "dcat:startDate": _literal(as_of.isoformat(), "date"),
                    "dcat:endDate": _literal(as_of.isoformat(), "date"),
                },
                "dcat:keyword": [_literal(k) for k in ("人口", "世帯数", "住民基本台帳", title)],
                "dct:conformsTo": {
                    "@type": "dct:Standard",
                    "dct:title": _literal(f"自治体標準オープンデータセット {title}"),
                },
                "dcat:distribution": distribution,
            }
        )
    document = {
        "@context": CONTEXT,
        "@graph": [
            {
                "@id": f"{base}{names['metadata']}#catalog",
                "@type": "dcat:Catalog",
                "dct:title": _literal(f"{municipality} 人口のオープンデータ"),
                "dct:description": _literal(
                    f"{municipality}の住民基本台帳から作成した自治体標準オープンデータセット"
                ),
                "dct:publisher": {"@id": publisher["@id"]},
                "dct:license": {"@id": LICENSE},
                "dcat:dataset": [{"@id": d["@id"]} for d in datasets],
            },
            publisher,
            *datasets,
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
