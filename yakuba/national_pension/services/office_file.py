"""The file to the 年金事務所: every 届出 and 免除等 申請 not sent yet, one row each
(docs/national_pension.md, "The file to the 年金事務所"; contract §8.5).

The municipality forwards what it took (国民年金法 §12, 施行令 §1の2: the 市町村長 sends the 届出
to 日本年金機構; the 免除等 申請 with its 所得 confirmation). Each export is remembered
(``OfficeExport``) with the rows it carried (``ExportedItem``, unique per 届出), in the transaction
that writes the file: nothing is sent twice, and an export that fails leaves nothing behind, so
its rows go with the next one. Two exports of a municipality at once wait for each other (an
advisory lock), so neither claims the other's rows.

Rows are claimed in one INSERT … SELECT and written from a server-side cursor: memory stays flat
at any size. A person under 支援措置 today is written without 氏名 and 住所 (the 年金事務所 finds
him by 基礎年金番号 or 個人番号), as the 20歳到達 list does. The export is one audit row (出力)
naming the export and its count, flagged when it carried 個人番号.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import TextIO

from django.db import connections
from django.utils import timezone

from yakuba.national_pension.codes import Applied, Kind, Reason
from yakuba.national_pension.models import Application, ExportedItem, Notification, OfficeExport
from yakuba.national_pension.services.entry import PROTECTED_NOTE
from yakuba.national_pension.services.records import my_number_context
from yakuba.platform import crypto
from yakuba.platform.audit.log import Action, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry

PURPOSE = "国民年金の届出・免除等申請の年金事務所への送付"
COLUMNS = [
    "区分",
    "番号",
    "宛名番号",
    "基礎年金番号",
    "個人番号",
    "氏名フリガナ",
    "氏名",
    "生年月日",
    "性別",
    "住所",
    "届出種別・申請区分",
    "事由",
    "年月日",
    "届出日・申請日",
    "免除年度",
    "扶養親族等の数",
    "本人所得",
    "配偶者所得",
    "世帯主所得",
    "所得による判定",
    "備考",
]
CHUNK = 2000

_CLAIM = """
    INSERT INTO {items} (lg_code, export_id, source, record_id)
    SELECT r.lg_code, %(export)s, %(source)s, r.id FROM {table} r
     WHERE r.lg_code = %(lg)s
       AND NOT EXISTS (SELECT 1 FROM {items} i
                        WHERE i.lg_code = r.lg_code AND i.source = %(source)s AND i.record_id = r.id)
     ORDER BY r.id
"""


@dataclass(frozen=True)
class Exported:
    id: int
    rows: int
    notifications: int
    applications: int


def _claim(cursor, export: OfficeExport, model, source: str) -> int:
    sql = _CLAIM.format(items=ExportedItem._meta.db_table, table=model._meta.db_table)
    cursor.execute(sql, {"export": export.id, "source": source, "lg": export.lg_code})
    return cursor.rowcount


def _common(row, hidden: bool, my_number: str) -> list:
    return [
        row.id,
        row.atena_no,
        row.pension_no,
        my_number,
        "" if hidden else row.name_kana,
        "" if hidden else row.name,
        row.birth_date.isoformat() if row.birth_date else "",
        row.sex,
        "" if hidden else row.address,
    ]


def _income(value: int | None) -> str:
    return "" if value is None else str(value)


def export_file(out: TextIO, file_name: str) -> Exported:
    """Claim every row not sent yet and write them to ``out`` as CSV (header first; a clerk
    opens it in Excel, so the caller writes UTF-8 with a BOM). Run inside the municipality's
    ``tenant_context`` (one transaction with the file: the caller publishes the file after it
    commits)."""
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"nenkin-export:{tenant.lg_code}"]
        )
        export = OfficeExport.objects.create(lg_code=tenant.lg_code, file_name=file_name, rows=0)
        notifications = _claim(cursor, export, Notification, ExportedItem.NOTIFICATION)
        applications = _claim(cursor, export, Application, ExportedItem.APPLICATION)
    export.rows = notifications + applications
    export.save(update_fields=["rows"])
    protected = registry.protected_atena_nos(timezone.localdate())
    shown = False

    def mine(model, source: str):
        claimed = ExportedItem.objects.filter(export=export, source=source).values("record_id")
        return model.objects.filter(id__in=claimed).order_by("id").iterator(chunk_size=CHUNK)

    def number(row) -> str:
        nonlocal shown
        if not row.my_number_encrypted:
            return ""
        shown = True
        return crypto.decrypt(row.my_number_encrypted, context=my_number_context(row.atena_no))

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for n in mine(Notification, ExportedItem.NOTIFICATION):
        hidden = n.atena_no in protected
        writer.writerow(
            [
                "届出",
                *_common(n, hidden, number(n)),
                Kind(n.kind).label,
                Reason(n.reason).label,
                n.occurred_on.isoformat(),
                n.notified_on.isoformat(),
                *[""] * 6,
                PROTECTED_NOTE if hidden else "",
            ]
        )
    for a in mine(Application, ExportedItem.APPLICATION):
        hidden = a.atena_no in protected
        writer.writerow(
            [
                "免除等申請",
                *_common(a, hidden, number(a)),
                Applied(a.applied).label,
                "",
                "",
                a.notified_on.isoformat(),
                a.fiscal_year,
                a.dependents,
                a.income,
                _income(a.spouse_income),
                _income(a.householder_income),
                a.grant or "基準超",
                PROTECTED_NOTE if hidden else "",
            ]
        )
    record(
        Action.EXPORT,
        "national_pension.office_file",
        purpose=PURPOSE,
        my_number_shown=shown,
        detail={"export": export.id, "rows": export.rows, "file": file_name},
    )
    return Exported(export.id, export.rows, notifications, applications)
