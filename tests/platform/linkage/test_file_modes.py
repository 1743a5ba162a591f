"""Files with personal data are the owner's only (issue 10, finding 11): linkage files and their
directories, and ``yakuba export residents``, under the usual umask 022."""

from __future__ import annotations

import os
import stat

import pytest

from tests.conftest import AIZU
from yakuba.cli import main
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.linkage import files
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def usual_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def producer(monkeypatch):
    def write(out, since, until) -> int:
        out.write("宛名番号,個人番号\r\n0000019,123456789018\r\n")
        return 1

    monkeypatch.setitem(files._PRODUCERS, "modetest", files.Producer("modetest", "テスト", write))


def test_linkage_files_and_their_directories_are_private(aizu, producer, tmp_path, monkeypatch):
    monkeypatch.setenv("YAKUBA_VAR", str(tmp_path))
    (tmp_path / "linkage").mkdir(mode=0o755)  # as an earlier version left it
    with bind_actor(SYSTEM), tenant_context(AIZU):
        entry = files.produce("modetest", "full")
    folder = tmp_path / "linkage" / AIZU / "modetest"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [os.path.basename(entry.path), os.path.basename(entry.path).replace(".csv", ".manifest.json")]
    )
    assert {p.name: _mode(p) for p in folder.iterdir()} == {p.name: 0o600 for p in folder.iterdir()}
    for directory in (tmp_path / "linkage", tmp_path / "linkage" / AIZU, folder):
        assert _mode(directory) == 0o700, directory


def test_export_residents_writes_a_private_file(aizu, tmp_path):
    out = tmp_path / "residents.csv"
    out.write_text("an older export\n")
    out.chmod(0o644)
    assert main(["export", "residents", AIZU, str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("宛名番号") and _mode(out) == 0o600
    assert not (tmp_path / "residents.csv.partial").exists()


def test_a_link_planted_at_the_partial_name_is_not_followed(aizu, tmp_path):
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("untouched\n")
    (tmp_path / "residents.csv.partial").symlink_to(elsewhere)
    assert main(["export", "residents", AIZU, str(tmp_path / "residents.csv")]) == 0
    assert elsewhere.read_text() == "untouched\n" and _mode(tmp_path / "residents.csv") == 0o600
