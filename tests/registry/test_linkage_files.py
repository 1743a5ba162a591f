"""全件/差分 files of the registry with their manifests (file linkage, the standard's default)."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS_2, move_body, person
from tests.registry.test_move_rules import family
from yakuba.cli import main
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.layout import HEADERS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var(tmp_path, monkeypatch):
    monkeypatch.setenv("YAKUBA_VAR", str(tmp_path))
    return tmp_path


def _export(capsys, kind: str) -> tuple[list[list[str]], dict]:
    assert main(["linkage", "export", AIZU, "--kind", kind]) == 0
    path = Path(capsys.readouterr().out.split(": ", 1)[1].split("（")[0])
    manifest = json.loads(
        path.with_name(path.name.replace(".csv", ".manifest.json")).read_text(encoding="utf-8")
    )
    data = path.read_bytes()
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest() and manifest["bytes"] == len(data)
    rows = list(csv.reader(data.decode("utf-8").splitlines()))
    assert rows[0] == list(HEADERS) and manifest["rows"] == len(rows) - 1
    return rows[1:], manifest


def test_full_then_differentials_cover_every_change_without_gaps(registry, capsys, monkeypatch):
    from datetime import timedelta

    monkeypatch.setattr("yakuba.registry.linkage.OVERLAP", timedelta(0))  # exact periods for this test
    setai, (taro, hanako, ichiro) = family(registry)
    full, manifest = _export(capsys, "full")
    assert {r[0] for r in full} == {taro, hanako, ichiro} and manifest["kind"] == "full"
    assert manifest["period"]["from"] is None
    registry.move(
        move_body(
            "move_within", [{"atena_no": ichiro, "relationship": "世帯主"}], household={"address": ADDRESS_2}
        )
    )
    newcomer = registry.move_in(person("佐藤 一", "サトウ ハジメ", "1980-01-01"), address=ADDRESS_2)[
        "persons"
    ][0]
    diff, diff_manifest = _export(capsys, "diff")
    assert {r[0] for r in diff} == {ichiro, newcomer["atena_no"]}
    assert diff_manifest["period"]["from"] == manifest["period"]["to"]
    moved = next(r for r in diff if r[0] == ichiro)
    assert moved[HEADERS.index("住所")] == "福島県会津若松市栄町1番1号"
    empty, _ = _export(capsys, "diff")
    assert empty == []
    with tenant_context(AIZU):
        exports = list(AuditEntry.objects.filter(action="export").values_list("detail", flat=True))
    assert [e["rows"] for e in exports] == [3, 2, 0]


def test_a_differential_overlaps_the_previous_period(registry, capsys):
    setai, (taro, hanako, ichiro) = family(registry)
    _export(capsys, "full")
    diff, _ = _export(capsys, "diff")
    # Changes processed shortly before the previous file may have committed after it: repeated.
    assert {r[0] for r in diff} == {taro, hanako, ichiro}


def test_unknown_domain_is_one_line(registry, capsys):
    assert main(["linkage", "export", AIZU, "--domain", "tax"]) == 2
    assert "連携ファイルの業務 'tax' はありません（registry）" in capsys.readouterr().err


def test_persons_under_protection_are_left_out_of_files(registry, capsys):

    from yakuba.platform.audit.log import Actor, bind_actor
    from yakuba.registry import services

    setai, (taro, hanako, ichiro) = family(registry)
    with bind_actor(Actor("staff", "counter-1")), tenant_context(AIZU):
        services.set_measure(hanako, starts_on=timezone.localdate())
    full, _ = _export(capsys, "full")
    assert {r[0] for r in full} == {taro, ichiro}


@pytest.mark.timeout(120)
def test_a_character_the_encoding_cannot_hold_fails_the_file_cleanly(registry, capsys, var):
    """A write that fails half-way releases the streaming COPY (it once waited forever for it)
    and leaves no partial file."""
    registry.move_in(person("𠮷田 一郎", "ヨシダ イチロウ"))
    assert main(["linkage", "export", AIZU, "--kind", "full", "--encoding", "cp932"]) == 2
    assert "cp932 で表せない文字があります（'𠮷'）。UTF-8 で書き出してください" in capsys.readouterr().err
    assert not [p for p in var.rglob("*") if p.is_file() and ".partial" in p.name]
    full, _ = _export(capsys, "full")  # the connection is usable afterwards
    assert len(full) == 1


@pytest.mark.django_db(transaction=True)
def test_a_full_file_names_the_feed_cursor_a_consumer_starts_from(registry, capsys):
    """Bootstrap (docs/linkage.md): load the 全件 file, then read the feed from the manifest's
    ``feed_cursor``: the events already in the file are before it, every later one after it."""
    from yakuba.platform.linkage import feed

    family(registry)
    with tenant_context(AIZU):
        before = feed.read(None, limit=1000)
    _rows, manifest = _export(capsys, "full")
    assert manifest["feed_cursor"] == before.next
    newcomer = registry.move_in(person("佐藤 一", "サトウ ハジメ", "1980-01-01"), address=ADDRESS_2)
    with tenant_context(AIZU):
        after = feed.read(manifest["feed_cursor"], limit=1000)
    assert [e["subject"] for e in after.events] == [p["atena_no"] for p in newcomer["persons"]]
