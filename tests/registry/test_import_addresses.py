"""``yakuba import residents`` checks every address against the 住所辞書, as every 異動 does
(issue 12 item 1; docs/address.md "In the registry"): a 住民 on the day of the import, a 除票 on
its 消除年月日; every refused row named with its line and column, nothing imported; the operator
may let addresses the master lacks through (history), counted in the report and the audit row."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.registry.import_samples import TOWN, atena, sample_rows, to_csv
from yakuba.address import services as address_master
from yakuba.cli import main
from yakuba.platform.audit.log import SYSTEM, Actor, bind_actor
from yakuba.platform.audit.models import ActorType, AuditEntry
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.codes import IMPORT_KIND
from yakuba.registry.models import Move, Resident
from yakuba.registry.services.imports import ImportRejected, import_residents

pytestmark = pytest.mark.django_db

MASTER = (
    "町字,郵便番号,番地開始,番地終了,廃止日\n"
    "東栄町,9650872,1,12,\n"
    "栄町,9650871,,,\n"
    "大町一丁目,9650042,1,9,\n"
    "旧大町,9650044,,,2001-04-01\n"
)


@pytest.fixture
def master(aizu):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        address_master.load(address_master.read_csv(MASTER.encode()), source=address_master.Source.FILE)


def _import(tmp_path, rows, *, actor=SYSTEM, **options):
    path = tmp_path / "in.csv"
    path.write_bytes(to_csv(rows))
    issues = []
    with bind_actor(actor), tenant_context(AIZU):
        try:
            summary = import_residents(str(path), report=issues.append, **options)
        except ImportRejected as exc:
            return exc, [str(i) for i in issues]
    return summary, [str(i) for i in issues]


def _unlisted_rows() -> list[dict]:
    """The sample file with two addresses the master lacks: a 町字 it does not have (line 6)
    and a 番地 beyond its 町字's range with another 町字's postal code (line 9)."""
    rows = sample_rows()
    rows[4]["住所"] = f"{TOWN}存在しない町1番1号"
    rows[7].update(住所=f"{TOWN}東栄町13番1号", 郵便番号="9650871")
    return rows


def test_a_file_whose_addresses_are_in_the_master_is_imported(master, tmp_path):
    summary, issues = _import(tmp_path, sample_rows())
    assert issues == [] and summary.inserted == 8
    assert summary.addresses_checked and summary.unlisted_persons == 0


def test_every_address_the_master_lacks_is_named_and_nothing_is_imported(master, tmp_path):
    rejected, issues = _import(tmp_path, _unlisted_rows())
    assert isinstance(rejected, ImportRejected) and rejected.unlisted_addresses == 2
    assert issues == [
        "6行目 15列目（住所）: 町字「存在しない町」は住所辞書にありません",
        "9行目 14列目（郵便番号）: 郵便番号 9650871 は町字「東栄町」の郵便番号（9650872）ではありません",
        "9行目 15列目（住所）: 番地 13 はこの町字の範囲（1〜12）にありません",
    ]
    with tenant_context(AIZU):
        assert not Resident.objects.exists() and not Move.objects.exists()


def test_a_removed_person_is_checked_on_the_removal_date_a_resident_today(master, tmp_path):
    rows = sample_rows()
    # 高橋 トメ's 除票: she died in 2000 in 旧大町, abolished in 2001 — the master knows it then.
    rows[6].update(
        住所=f"{TOWN}旧大町1番地",
        郵便番号="9650044",
        住民となった年月日="1960-04-01",
        住所を定めた年月日="1960-04-01",
        届出年月日="1960-04-01",
        消除年月日="2000-01-01",
    )
    summary, issues = _import(tmp_path, rows)
    assert issues == [] and summary.inserted == 8
    # A 住民 living there today is refused: the 町字 is no longer in force.
    rows = sample_rows()
    rows[4].update(
        住所=f"{TOWN}旧大町2番地",
        郵便番号="",
        宛名番号=atena(50),
        世帯番号=atena(950),
        個人番号="",
        住民票コード="",
    )
    rejected, issues = _import(tmp_path, [rows[4]])
    assert issues == ["2行目 15列目（住所）: 町字「旧大町」は住所辞書にありません"]


def test_the_town_area_is_split_off_by_the_masters_names(master, tmp_path):
    """Japan Post knows 大町; the municipality's master writes 大町一丁目: its name wins."""
    rows = sample_rows()[4:5]
    rows[0].update(住所=f"{TOWN}大町一丁目5番3号", 郵便番号="9650042")
    summary, issues = _import(tmp_path, rows)
    assert issues == []
    with tenant_context(AIZU):
        wang = Resident.objects.get(atena_no=rows[0]["宛名番号"])
    assert (wang.town_area, wang.block) == ("大町一丁目", "5番3号")


def test_the_operator_may_import_addresses_the_master_lacks_and_it_is_recorded(master, tmp_path):
    summary, issues = _import(tmp_path, _unlisted_rows(), allow_unlisted_addresses=True)
    assert issues == [] and summary.inserted == 8
    assert (summary.unlisted_persons, summary.unlisted_addresses) == (2, 2)
    with tenant_context(AIZU):
        audit = AuditEntry.objects.get(action="create", resource="resident")
        move = Move.objects.get(kind=IMPORT_KIND)
        event = Event.objects.get(type="jp.yakuba.registry.residents.imported.v1")
    assert (audit.detail["unlisted_persons"], audit.detail["unlisted_addresses"]) == (2, 2)
    assert move.request["unlisted_addresses"] == 2
    assert "unlisted_addresses" not in event.data  # the copy's consumers get the addresses themselves


def test_only_the_operators_command_may_let_them_through(master, tmp_path):
    clerk = Actor(ActorType.STAFF, "sato")
    with pytest.raises(PermissionError):
        _import(tmp_path, _unlisted_rows(), actor=clerk, allow_unlisted_addresses=True)


def test_a_municipality_without_a_master_is_not_checked(aizu, tmp_path):
    summary, issues = _import(tmp_path, _unlisted_rows())
    assert issues == [] and summary.inserted == 8 and not summary.addresses_checked


def test_the_command_names_the_override_and_reports_what_it_let_through(master, tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_bytes(to_csv(_unlisted_rows()))
    assert main(["import", "residents", AIZU, str(path), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "住所辞書にない住所が 2 人分あります" in err and "--allow-unlisted-addresses" in err
    assert (
        main(["import", "residents", AIZU, str(path), "--check", "--allow-unlisted-addresses", "--quiet"])
        == 0
    )
    assert "住所辞書にない住所 2 件（2 人）も取り込む対象です" in capsys.readouterr().out
    assert main(["import", "residents", AIZU, str(path), "--allow-unlisted-addresses", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "8 人（4 世帯）を取り込みました" in out
    assert "住所辞書にない住所 2 件（2 人）を取り込みました（アクセスログに記録）" in out
