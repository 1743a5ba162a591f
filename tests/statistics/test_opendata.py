"""自治体標準オープンデータセット: both CSVs validated against their item definitions (header exactly,
types per column, one record per line, UTF-8, required cells filled), their totals equal to the
住基年報 of the same day; the small-area rule (merge and suppress, a pool still too small); the
DCAT JSON-LD read with rdflib and queried for the datasets and their distributions; the CLI."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import timedelta

import pytest
from rdflib import Graph, URIRef

from tests.conftest import AIZU
from tests.statistics.conftest import TODAY, D
from yakuba.cli import main
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.statistics.rules.opendata import (
    AREA_AGE,
    AREA_AGE_COLUMNS,
    POPULATION,
    POPULATION_COLUMNS,
    Area,
    protect,
)
from yakuba.statistics.services import BadRequest, opendata, population

CODE = re.compile(r"^\d{6}$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COUNT = re.compile(r"^(0|[1-9]\d*)$")
# The item definitions as the test reads them: column → (required, pattern of a value).
AREA_AGE_ITEMS = {
    "全国地方公共団体コード": (True, CODE),
    "ID": (True, COUNT),
    "地方公共団体名": (True, re.compile(r"^\S+$")),
    "調査年月日": (True, DAY),
    "地域コード": (False, re.compile(r"^\S+$")),
    "地域名": (True, re.compile(r"^\S+$")),
    "総人口": (False, COUNT),
    "男性": (False, COUNT),
    "女性": (False, COUNT),
    **{
        f"{band}の{sex}": (False, COUNT)
        for band in [f"{low}-{low + 4}歳" for low in range(0, 85, 5)] + ["85歳以上"]
        for sex in ("男性", "女性")
    },
    "世帯数": (False, COUNT),
    "備考": (False, re.compile(r"^.*$")),
}
BAND_CELLS = [c for c in AREA_AGE_ITEMS if c.endswith(("の男性", "の女性"))]
POPULATION_ITEMS = {
    **{
        k: v
        for k, v in AREA_AGE_ITEMS.items()
        if k in ("全国地方公共団体コード", "ID", "地方公共団体名", "調査年月日", "地域名", "世帯数")
    },
    "人口_総数": (False, COUNT),
    "人口_男": (False, COUNT),
    "人口_女": (False, COUNT),
    "備考": (False, re.compile(r"^.*$")),
}


def test_the_columns_are_the_definitions():
    assert list(AREA_AGE_ITEMS) == AREA_AGE_COLUMNS and len(AREA_AGE_COLUMNS) == 47
    assert list(POPULATION_ITEMS) == POPULATION_COLUMNS


def _publish(day=D, **options) -> opendata.Published:
    with tenant_context(AIZU):
        return opendata.publish(AIZU, day, **options)


def _records(body: bytes, items: dict) -> list[dict]:
    """The CSV checked against ``items``: UTF-8 without BOM, CRLF, one header row exactly as
    defined, every record one line with every column, each value of its type, required cells
    filled. Returns the records as dicts."""
    text = body.decode("utf-8")
    assert not text.startswith("\ufeff") and text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    assert "\n" not in text.replace("\r\n", "")  # one record per line: no line break inside a cell
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(items) and len(rows) == len(lines)
    records = []
    for number, row in enumerate(rows[1:], start=2):
        assert len(row) == len(items), number
        for (column, (required, pattern)), value in zip(items.items(), row, strict=True):
            assert value or not required, (number, column)
            assert not value or pattern.match(value), (number, column, value)
        records.append(dict(zip(items, row, strict=True)))
    assert [r["ID"] for r in records] == [str(n) for n in range(1, len(records) + 1)]
    return records


def _files(published: opendata.Published) -> tuple[bytes, bytes, bytes]:
    area_age, households, metadata = published.files.values()
    return area_age, households, metadata


def test_the_csvs_follow_their_definitions_and_add_up_to_the_report(small_town, system_actor):
    published = _publish(min_persons=0)
    assert list(published.files) == [
        f"{AIZU}_area_age_population_{D}.csv",
        f"{AIZU}_population_households_{D}.csv",
        f"{AIZU}_opendata_{D}.jsonld",
    ]
    area_age, households, _ = _files(published)
    ages = _records(area_age, AREA_AGE_ITEMS)
    towns = _records(households, POPULATION_ITEMS)
    assert {(r["全国地方公共団体コード"], r["地方公共団体名"], r["調査年月日"]) for r in ages + towns} == {
        (AIZU, "福島県会津若松市", D.isoformat())
    }
    with tenant_context(AIZU):
        report = population.population_report(AIZU, D).json["tables"]["total"]
    assert sum(int(r["人口_総数"]) for r in towns) == report["population"]["total"] == 11
    assert sum(int(r["人口_男"]) for r in towns) == report["population"]["male"]
    assert sum(int(r["世帯数"]) for r in towns) == report["households"] == 7
    for r in ages:
        assert int(r["総人口"]) == int(r["男性"]) + int(r["女性"]) == sum(int(r[c]) for c in BAND_CELLS)
        assert int(r["男性"]) == sum(int(r[c]) for c in BAND_CELLS if c.endswith("の男性"))
    bands = report["age_bands"]
    for i, band in enumerate(bands[:17]):
        column = BAND_CELLS[2 * i + 1]
        assert sum(int(r[column]) for r in ages) == band["female"], column
    oldest = sum(b["male"] for b in bands[17:])  # 85-89 … 100+ are 85歳以上
    assert sum(int(r["85歳以上の男性"]) for r in ages) == oldest
    by_town = {r["地域名"]: r for r in towns}
    assert {r["地域名"] for r in ages} == set(by_town) and len(ages) == len(towns)
    assert all(int(by_town[r["地域名"]]["世帯数"]) == int(r["世帯数"]) for r in ages)
    assert all(not r["備考"] for r in towns)


def test_small_towns_are_pooled_into_sonota(small_town, system_actor):
    everyone = _records(_files(_publish(min_persons=0))[1], POPULATION_ITEMS)
    sizes = sorted(int(r["人口_総数"]) for r in everyone)
    threshold = sizes[-1]  # every 町字 but the largest is small
    towns = _records(_files(_publish(min_persons=threshold))[1], POPULATION_ITEMS)
    assert [r["地域名"] for r in towns][-1] == "その他" and len(towns) == 2
    assert sum(int(r["人口_総数"]) for r in towns) == 11  # still the municipality's total
    other, pool = towns[-1], sum(sizes[:-1])
    assert int(other["人口_総数"]) == pool and int(other["世帯数"]) > 0
    hidden = "（年齢別は秘匿）" if pool < threshold else ""
    assert other["備考"] == f"{threshold}人未満の町字の合計{hidden}"


def test_a_pool_still_too_small_publishes_only_its_count(small_town, system_actor):
    published = _publish(min_persons=100)  # every 町字 is small, and so is the pool
    ages = _records(_files(published)[0], AREA_AGE_ITEMS)
    assert {r["地域名"] for r in ages} == {"その他"}
    assert all(r[c] == "" for r in ages for c in BAND_CELLS)
    assert [(int(r["総人口"]), int(r["男性"]) + int(r["女性"])) for r in ages] == [(11, 11)]
    assert "年齢別は秘匿" in ages[0]["備考"]
    assert published.merged == published.areas and published.suppressed == 0


def test_suppress_keeps_the_town_with_empty_figures(small_town, system_actor):
    published = _publish(min_persons=100, mode="suppress")
    towns = _records(_files(published)[1], POPULATION_ITEMS)
    assert published.suppressed == len(towns) == published.areas and published.merged == 0
    assert all(r["人口_総数"] == r["世帯数"] == "" and r["備考"].startswith("秘匿") for r in towns)
    assert "その他" not in {r["地域名"] for r in towns}


def test_the_rule_itself():
    """Pure: which 町字 go where, the pool's sums, and 0 publishing everything."""

    def area(name, men, women):
        return Area(name, 1, [men] + [0] * 20, [women] + [0] * 20)

    areas = [area("大町", 30, 30), area("小町", 2, 1), area("中町", 4, 5), area("谷町", 0, 1)]
    merged = protect(areas, 10, "merge")
    assert [a.name for a in merged] == ["大町", "その他"]
    assert (merged[1].male[0], merged[1].female[0], merged[1].households, merged[1].hidden) == (6, 7, 3, "")
    assert protect(areas, 0, "merge") == areas
    assert [a.hidden for a in protect(areas, 10, "suppress")] == ["", "all", "all", "all"]
    assert protect(areas, 14, "merge")[-1].hidden == "ages"  # the pool of 13 is still small
    with pytest.raises(ValueError):
        protect(areas, 10, "round")


def test_the_dcat_metadata_is_rdf_a_harvester_reads(small_town, system_actor):
    published = _publish(base_url="https://opendata.example.jp/jinko/")
    graph = Graph().parse(data=_files(published)[2], format="json-ld")
    rows = graph.query(
        """
        PREFIX dcat: <http://www.w3.org/ns/dcat#>
        PREFIX dct: <http://purl.org/dc/terms/>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        SELECT ?title ?url ?media ?license ?start ?publisher ?size WHERE {
            ?catalog a dcat:Catalog ; dcat:dataset ?dataset .
            ?dataset a dcat:Dataset ; dct:title ?title ; dct:license ?license ;
                     dct:publisher/foaf:name ?publisher ; dct:temporal/dcat:startDate ?start ;
                     dct:issued ?issued ; dct:modified ?modified ; dct:spatial ?spatial ;
                     dct:description ?description ; dcat:distribution ?dist .
            ?dist a dcat:Distribution ; dcat:downloadURL ?url ; dcat:mediaType ?media ; dcat:byteSize ?size .
        } ORDER BY ?url
        """
    )
    found = list(rows)
    assert len(found) == 2
    names = list(published.files)
    for row, name, title in zip(found, names[:2], (AREA_AGE, POPULATION), strict=True):
        assert str(row.url) == f"https://opendata.example.jp/jinko/{name}"
        assert title in str(row.title) and str(row.publisher) == "福島県会津若松市"
        assert row.license == URIRef("https://creativecommons.org/licenses/by/4.0/")
        assert row.media == URIRef("https://www.iana.org/assignments/media-types/text/csv")
        assert row.start.toPython() == D and int(row.size) == len(published.files[name])
    (checksum,) = graph.query(
        """PREFIX spdx: <http://spdx.org/rdf/terms#>
           SELECT ?value WHERE { ?d spdx:checksum/spdx:checksumValue ?value } ORDER BY ?value LIMIT 1"""
    )
    assert str(checksum.value) in {hashlib.sha256(body).hexdigest() for body in published.files.values()}


def test_without_a_base_url_the_downloads_are_relative(small_town, system_actor):
    metadata = _files(_publish())[2]
    graph = Graph().parse(data=metadata, format="json-ld", publicID="https://city.example.jp/od/")
    urls = {str(o) for o in graph.objects(None, URIRef("http://www.w3.org/ns/dcat#downloadURL"))}
    assert urls == {f"https://city.example.jp/od/{AIZU}_area_age_population_{D}.csv",
                    f"https://city.example.jp/od/{AIZU}_population_households_{D}.csv"}  # fmt: skip


def test_bad_options_name_their_field(aizu, system_actor):
    for options, field in (
        ({"min_persons": -1}, "min_cell"),
        ({"mode": "hide"}, "small_area"),
        ({"base_url": "ftp://x"}, "base_url"),
    ):
        with tenant_context(AIZU), pytest.raises(BadRequest) as refused:
            opendata.publish(AIZU, D, **options)
        assert refused.value.field == field


def test_the_cli_writes_the_dataset_and_audits_it(small_town, tmp_path, capsys):
    out = tmp_path / "od"
    assert (
        main(["opendata", "publish", AIZU, "--out", str(out), "--as-of", D.isoformat(), "--min-cell", "3"])
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == sorted(opendata.file_names(AIZU, D).values())
    assert "3 ファイルを出力しました" in capsys.readouterr().err
    with tenant_context(AIZU):
        (row,) = AuditEntry.objects.filter(resource=opendata.RESOURCE)
    assert row.action == "export" and row.detail["min_cell"] == 3 and row.detail["population"] == 11
    assert main(["opendata", "publish", AIZU, "--out", str(tmp_path / "today")]) == 0
    assert (tmp_path / "today" / f"{AIZU}_opendata_{TODAY}.jsonld").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--as-of", (TODAY + timedelta(days=2)).isoformat()], "エラー: --as-of: 基準日は"),
        (["--min-cell", "-1"], "エラー: --min-cell: 秘匿の基準人数は0以上"),
        (["--base-url", "opendata.example.jp"], "エラー: --base-url: 公開先のURLは"),
        (["--as-of", "2026-02-30"], "日付は YYYY-MM-DD"),
    ],
)
def test_bad_input_is_one_line(aizu, tmp_path, capsys, argv, message):
    code = main(["opendata", "publish", AIZU, "--out", str(tmp_path / "x"), *argv])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
