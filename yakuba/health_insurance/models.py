"""国民健康保険 資格 tables: 国保世帯, 被保険者, the 資格 history, work items and the feed position.

Persons and 世帯 are named by the registry's 宛名番号 and 世帯番号 only — what the registry knows
of them is read through its door or its events, never joined here. The 資格 history is never
rewritten: a mistake is answered by a 訂正 row (国保 資格 follows the 届出 and the 住基 異動 as
they happened; the 賦課 is charged back to the 取得月, facts §2.2).
"""

from __future__ import annotations

from django.db import models

from yakuba.health_insurance.codes import (
    Change,
    CorrectionCause,
    PremiumReason,
    RunKind,
    RunState,
    WorkKind,
    WorkStatus,
)
from yakuba.platform.tenancy.models import TenantModel


class KokuhoHousehold(TenantModel):
    """One 国保世帯: the registry's 世帯 with at least one 被保険者 once. ``head_atena_no`` is the
    registry's 世帯主, the 納税義務者 even when not insured (``pseudo_head``: 擬制世帯主, facts §2.1)."""

    setai_no = models.CharField("世帯番号", max_length=15)
    head_atena_no = models.CharField("世帯主の宛名番号", max_length=15, blank=True, default="")
    pseudo_head = models.BooleanField("擬制世帯主", default=False)
    # 被保険者 記号・番号: given once when the 世帯 enters 国保 (``InsuredNumbering``), never reused;
    # ``last_branch`` is the last 枝番 given to a member under it (never reused either).
    insured_symbol = models.CharField("記号", max_length=8, blank=True, default="")
    insured_number = models.CharField("番号", max_length=10, blank=True, default="")
    last_branch = models.SmallIntegerField("最後の枝番", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "health_insurance_household"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "setai_no"], name="hi_household_no"),
            models.UniqueConstraint(
                fields=["lg_code", "insured_symbol", "insured_number"],
                condition=~models.Q(insured_number=""),
                name="hi_household_insured_no",
            ),
        ]


class InsuredNumbering(TenantModel):
    """The municipality's 被保険者 記号 and the last 番号 given: one row, incremented in the
    transaction that creates 国保世帯, so a rolled-back page consumes no number (as the
    registry's 宛名番号 counter). The 記号 defaults to the 団体コード without its check digit; a
    municipality that prints another one changes ``symbol`` (for the 世帯 numbered after)."""

    symbol = models.CharField("記号", max_length=8)
    last = models.BigIntegerField("最後の番号", default=0)

    class Meta:
        db_table = "health_insurance_numbering"
        constraints = [models.UniqueConstraint(fields=["lg_code"], name="hi_numbering_one")]


class Member(TenantModel):
    """A person 国保 knows of: their 世帯 now, whether insured now (the 資格 history says since
    when), and 特定同一世帯所属者 — left 国保 for 後期 at 75 and still in the 世帯 (facts §2.5:
    counted in the 軽減判定) — with its dates."""

    atena_no = models.CharField("宛名番号", max_length=15)
    setai_no = models.CharField("世帯番号", max_length=15)
    insured = models.BooleanField("被保険者", default=False)
    special_from = models.DateField("特定同一世帯所属者（開始）", null=True)
    special_until = models.DateField("特定同一世帯所属者（終了）", null=True)
    # 枝番 (2 digits on the 資格確認書 since 2021, 健康保険法等の一部を改正する法律 令和元年法律第9号):
    # given at the first 取得 in the 世帯 ``branch_setai_no`` and kept — a 喪失 and 再取得 in
    # the same 世帯 keeps it; joining another 国保世帯 gives a new one under that 世帯's 記号・番号.
    branch = models.SmallIntegerField("枝番", null=True)
    branch_setai_no = models.CharField("枝番の世帯番号", max_length=15, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "health_insurance_member"
        constraints = [models.UniqueConstraint(fields=["lg_code", "atena_no"], name="hi_member_atena")]
        indexes = [models.Index(fields=["lg_code", "setai_no"], name="hi_member_setai")]


class Qualification(TenantModel):
    """One 資格 history row: a 取得 or a 喪失 with its date, 事由, 届出日 and the registry event it
    came from — or a 訂正 voiding an earlier row (``corrects``)."""

    atena_no = models.CharField("宛名番号", max_length=15)
    setai_no = models.CharField("世帯番号", max_length=15)
    change = models.CharField("種別", max_length=10, choices=Change.choices)
    effective_on = models.DateField("取得日・喪失日")
    reason = models.CharField("事由", max_length=24)
    notified_on = models.DateField("届出日", null=True)
    source_event = models.UUIDField("元のイベント", null=True)
    corrects = models.BigIntegerField("訂正する行", null=True)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "health_insurance_qualification"
        indexes = [
            models.Index(fields=["lg_code", "atena_no", "effective_on"], name="hi_qualification_person")
        ]


class WorkItem(TenantModel):
    """Work a registry event leaves: a 加入届 to confirm after a 転入 (employment insurance is not
    known), a 75歳到達 (後期 starts on the birthday — the 後期 app reads these), a cancelled 異動."""

    kind = models.CharField("種類", max_length=12, choices=WorkKind.choices)
    atena_no = models.CharField("宛名番号", max_length=15)
    setai_no = models.CharField("世帯番号", max_length=15, blank=True, default="")
    due_on = models.DateField("基準日")
    status = models.CharField("状態", max_length=8, choices=WorkStatus.choices, default=WorkStatus.OPEN)
    source_event = models.UUIDField("元のイベント", null=True)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "health_insurance_work_item"
        indexes = [models.Index(fields=["lg_code", "kind", "status"], name="hi_work_open")]
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "kind", "atena_no", "due_on"], name="hi_work_once")
        ]


class FeedPosition(TenantModel):
    """How far the 資格 consumer has read the municipality's event feed: stored in the same
    transaction as the page's changes, so a killed run resumes with nothing lost or doubled."""

    cursor = models.CharField("カーソル", max_length=41, default="")
    events = models.BigIntegerField("処理したイベント", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "health_insurance_feed_position"
        constraints = [models.UniqueConstraint(fields=["lg_code"], name="hi_feed_one")]


class PremiumRun(TenantModel):
    """The 仮算定 or the 本算定 of one 年度: how far it got (``last_setai_no``), so a killed run
    resumes after the last committed page of 国保世帯."""

    fiscal_year = models.SmallIntegerField("年度")
    kind = models.CharField("種類", max_length=12, choices=RunKind.choices, default=RunKind.ANNUAL)
    state = models.CharField(max_length=8, choices=RunState.choices, default=RunState.RUNNING)
    done = models.IntegerField("算定した世帯", default=0)
    rejected = models.IntegerField("算定できなかった世帯", default=0)
    last_setai_no = models.CharField(max_length=15, blank=True, default="")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "health_insurance_premium_run"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "fiscal_year", "kind"], name="hi_run_year_kind")
        ]


class PremiumAssessment(TenantModel):
    """One version of one 国保世帯's 国民健康保険税（料） for one 年度, never rewritten: the engine's
    input (contract §9.3) and output without ``steps`` (the same again from the same input),
    the parts' totals, the year's total and its 納期."""

    fiscal_year = models.SmallIntegerField("年度")
    setai_no = models.CharField("世帯番号", max_length=15)
    version = models.SmallIntegerField("版")
    reason = models.CharField("事由", max_length=12, choices=PremiumReason.choices)
    cause = models.CharField(
        "更正の理由", max_length=16, choices=CorrectionCause.choices, blank=True, default=""
    )
    head_atena_no = models.CharField("納税義務者（世帯主）の宛名番号", max_length=15)
    medical = models.IntegerField("医療分")
    support = models.IntegerField("後期高齢者支援金等分")
    care = models.IntegerField("介護納付金分")
    child_rearing = models.IntegerField("子ども・子育て支援納付金分")
    total = models.IntegerField("年額")
    # Every 納期 of the year in time order: [["2026-07", 12300], …] — those already due as the
    # version before had them, the rest from this version's total (services/correction.py).
    installments = models.JSONField("納期ごとの税額")
    calculation = models.JSONField("計算の入力と結果")  # {"input": …, "result": …}
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "health_insurance_premium"
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "fiscal_year", "setai_no", "version"], name="hi_premium_version"
            )
        ]


class RatesVersion(TenantModel):
    """One version of the municipality's rates for one 年度 — the 条例's 税率・税額 in contract
    §9.3's ``rates`` shape with ``reduction_thresholds``, ``levy_type``, ``truncation`` and the
    ``installments`` (納期, 仮算定) — never rewritten: a change is a new version with who, when and
    why; the current rates are the latest version (services/rates.py)."""

    fiscal_year = models.SmallIntegerField("年度")
    version = models.SmallIntegerField("版")
    payload = models.JSONField("税率・納期")
    reason = models.CharField("変更の理由", max_length=200)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "health_insurance_rates"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "fiscal_year", "version"], name="hi_rates_version")
        ]
