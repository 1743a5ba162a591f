"""The file to the 年金事務所 (services/office_file.py, ``insurance nenkin export``): every 届出
and 申請 not sent yet, one row each with the documented columns; each export remembered so that
nothing is sent twice; a failed export leaves nothing behind and its rows go with the next one;
a person under 支援措置 without name and address; 個人番号 written and the audit row flagged;
queries that do not grow with the rows."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.national_pension.conftest import MY_NUMBER, application, notification
from tests.registry.conftest import TODAY
from yakuba.cli import main
from yakuba.national_pension.models import ExportedItem, OfficeExport
from yakuba.national_pension.services import COLUMNS, export_file, record_application, record_notification
from yakuba.national_pension.services.entry import PROTECTED_NOTE
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as door

pytestmark = pytest.mark.django_db


def _export(tmp_path, name="nenkin.csv", code=0):
    out = tmp_path / name
    assert main(["insurance", "nenkin", "export", AIZU, "--out", str(out)]) == code
    return list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig")))) if code == 0 else out


def _file_some(family, days=("2026-04-10",)):
    ichiro, _hanako, taro = family
    with tenant_context(AIZU):
        for day in days:
            record_notification(notification(taro, notified_on=day, my_number=MY_NUMBER))
        record_application(application(ichiro, applicant={"income": 500_000}))


def test_one_row_per_record_with_the_documented_columns(family, tmp_path):
    _file_some(family)
    header, notified, applied = _export(tmp_path)
    assert header == COLUMNS
    row = dict(zip(header, notified, strict=True))
    assert row["区分"] == "届出" and row["宛名番号"] == family[2] and row["個人番号"] == MY_NUMBER
    assert (row["氏名"], row["生年月日"], row["性別"]) == ("年金 太郎", "2006-04-02", "1")
    assert (row["届出種別・申請区分"], row["事由"], row["年月日"]) == ("資格取得", "20歳到達", "2026-04-01")
    row = dict(zip(header, applied, strict=True))
    assert (row["区分"], row["届出種別・申請区分"], row["免除年度"]) == ("免除等申請", "全額免除", "2025")
    assert (row["本人所得"], row["配偶者所得"], row["所得による判定"]) == ("500000", "", "全額免除")
    with tenant_context(AIZU):
        audit = AuditEntry.objects.get(resource="national_pension.office_file")
    assert audit.action == "export" and audit.my_number_shown and audit.detail["rows"] == 2


def test_nothing_is_sent_twice(family, tmp_path):
    _file_some(family)
    assert len(_export(tmp_path, "first.csv")) == 3
    assert _export(tmp_path, "second.csv") == [COLUMNS]
    with tenant_context(AIZU):
        record_notification(notification(family[2], notified_on="2026-04-20"))
    third = _export(tmp_path, "third.csv")
    assert len(third) == 2 and third[1][13] == "2026-04-20"
    with tenant_context(AIZU):
        assert list(OfficeExport.objects.order_by("id").values_list("rows", flat=True)) == [2, 0, 1]
    # an earlier file is never overwritten (its rows are marked sent)
    assert _export(tmp_path, "first.csv", code=2).read_bytes().decode("utf-8-sig").count("\r\n") == 3


def test_a_failed_export_sends_again(family, tmp_path, monkeypatch):
    _file_some(family)
    from yakuba.national_pension.services import office_file

    def broken(value):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(office_file, "_income", broken)
    out = _export(tmp_path, "failed.csv", code=2)
    assert not out.exists() and not out.with_name("failed.csv.part").exists()
    with tenant_context(AIZU):
        assert not OfficeExport.objects.exists() and not ExportedItem.objects.exists()
    monkeypatch.undo()
    assert len(_export(tmp_path, "again.csv")) == 3


def test_a_protected_person_is_written_without_name_or_address(family, tmp_path):
    _file_some(family)
    with tenant_context(AIZU):
        door.set_measure(family[2], starts_on=TODAY, kind="dv")
    header, notified, _applied = _export(tmp_path)
    row = dict(zip(header, notified, strict=True))
    assert (row["氏名"], row["氏名フリガナ"], row["住所"], row["備考"]) == ("", "", "", PROTECTED_NOTE)
    assert row["基礎年金番号"] == "" and row["個人番号"] == MY_NUMBER and row["生年月日"] == "2006-04-02"


def _queries(tmp_path) -> int:
    with tenant_context(AIZU), CaptureQueriesContext(connections["default"]) as queries:
        with open(tmp_path / "q.csv", "w", encoding="utf-8") as out:
            export_file(out, "q.csv")
    return len(queries)


def test_the_queries_do_not_grow_with_the_rows(family, tmp_path):
    _file_some(family)
    few = _queries(tmp_path)
    _file_some(family, days=[f"2026-05-{d:02d}" for d in range(1, 21)])
    assert _queries(tmp_path) == few
