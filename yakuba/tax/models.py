"""個人住民税 tables: the 課税資料 as imported, and the assessments with their history.

Rows are never rewritten: a 更正 or 賦課の取消し is a new version of the assessment with its
reason (税務システム標準仕様書: 賦課履歴). Persons are named by the registry's 宛名番号 only — what
the registry knows of them is read through its door, never joined here.
"""

from __future__ import annotations

import uuid

from django.db import models

from yakuba.platform.tenancy.models import TenantModel
from yakuba.tax.codes import Collection, Match, Reason, ReportKind, RunState


class ImportBatch(TenantModel):
    """One file of 課税資料 taken in (all its rows or none)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    fiscal_year = models.SmallIntegerField("年度")
    kind = models.CharField("種類", max_length=12, choices=ReportKind.choices)
    file_name = models.CharField("ファイル名", max_length=200)
    rows = models.IntegerField("件数")
    matched = models.IntegerField("突合済み")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "tax_import_batch"


class IncomeReport(TenantModel):
    """One person's income facts from one report (a 給与支払報告書 of one employer, a 申告).

    ``facts`` holds them in the calculation JSON's shape (contract §9.2: ``incomes``,
    ``deductions``, ``spouse``, ``dependents``), so the assessment merges a person's reports and
    calculates without translating again."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    fiscal_year = models.SmallIntegerField("年度")
    kind = models.CharField("種類", max_length=12, choices=ReportKind.choices)
    line_no = models.IntegerField("行番号")
    payer_no = models.CharField("特別徴収義務者の指定番号", max_length=20, blank=True, default="")
    payer_name = models.CharField("支払者の名称", max_length=100, blank=True, default="")
    name = models.CharField("氏名", max_length=100)
    name_kana = models.CharField("氏名フリガナ", max_length=200, blank=True, default="")
    birth_date = models.DateField("生年月日", null=True)
    address = models.CharField("住所", max_length=200, blank=True, default="")
    atena_no = models.CharField("宛名番号", max_length=15, blank=True, default="")
    match = models.CharField("突合", max_length=10, choices=Match.choices)
    collection = models.CharField(
        "徴収方法", max_length=10, choices=Collection.choices, default=Collection.PAYROLL
    )
    facts = models.JSONField("所得・控除")

    class Meta:
        db_table = "tax_income_report"
        indexes = [
            models.Index(fields=["lg_code", "fiscal_year", "atena_no"], name="tax_report_person"),
            models.Index(fields=["lg_code", "fiscal_year", "match"], name="tax_report_match"),
        ]


class AssessmentRun(TenantModel):
    """The annual 当初課税 of one 年度: how far it got (``last_atena_no``), so a killed run resumes
    after the last committed chunk."""

    fiscal_year = models.SmallIntegerField("年度")
    state = models.CharField(max_length=8, choices=RunState.choices, default=RunState.RUNNING)
    done = models.IntegerField("処理済み", default=0)
    taxed = models.IntegerField("課税", default=0)
    last_atena_no = models.CharField(max_length=15, blank=True, default="")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "tax_assessment_run"
        constraints = [models.UniqueConstraint(fields=["lg_code", "fiscal_year"], name="tax_run_year")]


class Assessment(TenantModel):
    """One version of one taxpayer's 個人住民税 for one 年度 (課税台帳)."""

    fiscal_year = models.SmallIntegerField("年度")
    atena_no = models.CharField("宛名番号", max_length=15)
    version = models.SmallIntegerField("版")
    reason = models.CharField("事由", max_length=12, choices=Reason.choices)
    note = models.CharField("更正の理由", max_length=200, blank=True, default="")
    collection = models.CharField("徴収方法", max_length=10, choices=Collection.choices)
    payer_no = models.CharField("特別徴収義務者の指定番号", max_length=20, blank=True, default="")
    total_income = models.BigIntegerField("合計所得金額")
    taxable_income = models.BigIntegerField("課税総所得金額")
    municipal = models.IntegerField("市町村民税")
    prefectural = models.IntegerField("道府県民税")
    forest_environment_tax = models.IntegerField("森林環境税")
    total = models.IntegerField("年税額")
    non_taxable_per_capita = models.BooleanField("均等割非課税")
    non_taxable_income_levy = models.BooleanField("所得割非課税")
    # Every 納期 of the year in time order with its way: [["2026-04", "pension_provisional", 8300], …]
    installments = models.JSONField("納期ごとの税額")
    # The year's tax in parts (rules/collection.py Part.as_dict): 給与特徴, 年金特徴, 普通徴収
    parts = models.JSONField("徴収方法ごとの税額", default=list)
    calculation = models.JSONField("計算の入力と結果")  # {"input": …, "result": …}
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "tax_assessment"
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "fiscal_year", "atena_no", "version"], name="tax_assessment_version"
            )
        ]
        # The 特別徴収義務者's list (services/notices.py): its employees in 宛名番号 order.
        indexes = [
            models.Index(
                fields=["lg_code", "fiscal_year", "payer_no", "atena_no"], name="tax_assessment_payer"
            )
        ]
