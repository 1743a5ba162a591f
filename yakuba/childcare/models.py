"""保育 tables: 施設 and their 定員, 支給認定 (versions), 利用申込, 利用調整 runs with each
applicant's result, and 利用者負担 determinations by month range (insurance-welfare-facts §9.2).

Persons are kept by 宛名番号 only (names, addresses and birth dates stay in the registry and are
read through its door). Every personal row is append-only: a changed 認定 is a new version of the
same 認定証番号, a re-run of the 利用調整 is a new run, a new 利用者負担 決定 (the September one,
with the new 年度's tax) adds rows and the latest decision of a month is the one in force.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from yakuba.platform.linkage.consumer import FeedCursor
from yakuba.platform.tenancy.models import TenantModel


class Kind(models.TextChoices):
    EDUCATION = "1", "1号認定"
    OVER3 = "2", "2号認定"
    UNDER3 = "3", "3号認定"


class Need(models.TextChoices):
    STANDARD = "standard", "保育標準時間"
    SHORT = "short", "保育短時間"


class Outcome(models.TextChoices):
    OFFERED = "offered", "内定"
    PENDING = "pending", "保留"


class Facility(TenantModel):
    """A 特定教育・保育施設 or 地域型保育事業 the municipality places children in (no personal data,
    but each municipality's own)."""

    code = models.CharField("施設番号", max_length=20)
    name = models.CharField("施設名", max_length=100)
    kind = models.CharField("種別", max_length=40, default="保育所")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lg_code", "code"], name="childcare_facility_code")]


class Capacity(TenantModel):
    """The 受入可能数 of a 施設 for a クラス年齢 in a 年度 (the places the 利用調整 gives out)."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="capacities")
    fiscal_year = models.SmallIntegerField("年度")
    class_age = models.SmallIntegerField("クラス年齢")
    places = models.IntegerField("受入可能数")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "facility", "fiscal_year", "class_age"], name="childcare_capacity_once"
            )
        ]


class Certification(TenantModel):
    """One version of a 支給認定: the 号, the 保育必要量, each parent's 事由 and the 有効期間, with
    the steps of the rule that gave them (``rules.certification``)."""

    certificate_no = models.CharField("認定証番号", max_length=20)
    version = models.IntegerField("版")
    child_atena_no = models.CharField("子どもの宛名番号", max_length=15)
    kind = models.CharField("認定区分", max_length=1, choices=Kind.choices)
    need = models.CharField("保育必要量", max_length=10, choices=Need.choices, blank=True)
    base_date = models.DateField("基準日")
    valid_from = models.DateField("有効期間の始期")
    valid_until = models.DateField("有効期間の終期")
    parents = models.JSONField("保護者ごとの事由（宛名番号・事由・時間・必要量）")
    steps = models.JSONField("判定の過程")
    note = models.CharField("備考", max_length=200, blank=True)
    recorded_at = models.DateTimeField("記録日時", default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "certificate_no", "version"], name="childcare_cert_version"
            )
        ]
        indexes = [models.Index(fields=["lg_code", "child_atena_no"], name="childcare_cert_child")]


class Application(TenantModel):
    """A 利用申込 for a 入所月: the 希望園 in order and what the 利用調整 scores (each parent's 事由
    by the 基準's rows, the 調整指数 items, the 所得割 合算額 and the number of children)."""

    application_no = models.CharField("申込番号", max_length=20)
    certificate_no = models.CharField("認定証番号", max_length=20)
    child_atena_no = models.CharField("子どもの宛名番号", max_length=15)
    month = models.DateField("入所希望月（1日）")
    class_age = models.SmallIntegerField("クラス年齢")
    choices = models.JSONField("希望施設（第1希望から）")
    parents = models.JSONField("保護者ごとの指数の事由")
    adjustments = models.JSONField("調整指数の項目")
    income_levy = models.BigIntegerField("市町村民税所得割の合算額")
    children = models.SmallIntegerField("子の数")
    applied_on = models.DateField("申込日")
    recorded_at = models.DateTimeField("記録日時", default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "application_no"], name="childcare_application_no")
        ]
        indexes = [models.Index(fields=["lg_code", "month"], name="childcare_application_month")]


class AllocationRun(TenantModel):
    """One 利用調整 of a 入所月: every application of the month ranked and placed at once."""

    month = models.DateField("入所月（1日）")
    basis = models.CharField("利用調整の基準", max_length=400)
    run_at = models.DateTimeField("実行日時", default=timezone.now)
    offered = models.IntegerField("内定数")
    pending = models.IntegerField("保留数")


class AllocationResult(TenantModel):
    """An applicant's result in a run: 順位, 指数 with its steps, 内定 施設 or 保留."""

    run = models.ForeignKey(AllocationRun, on_delete=models.PROTECT, related_name="results")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="results")
    rank = models.IntegerField("順位")
    total = models.IntegerField("指数")
    base_total = models.IntegerField("基準指数")
    outcome = models.CharField("結果", max_length=10, choices=Outcome.choices)
    facility_code = models.CharField("内定施設", max_length=20, blank=True)
    choice = models.SmallIntegerField("第何希望", null=True)
    steps = models.JSONField("指数と順位の過程")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "run", "rank"], name="childcare_result_rank")
        ]


class FeeDetermination(TenantModel):
    """利用者負担 決定: the monthly amount from ``from_month`` to ``until_month`` (both the 1st,
    inclusive) with the 階層 and the tax year it rests on. A decision is all rows of one
    ``decision_no``; the latest decision covering a month is in force."""

    decision_no = models.CharField("決定番号", max_length=20)
    certificate_no = models.CharField("認定証番号", max_length=20)
    child_atena_no = models.CharField("子どもの宛名番号", max_length=15)
    from_month = models.DateField("始期（月の1日）")
    until_month = models.DateField("終期（月の1日、この月を含む）")
    tax_year = models.SmallIntegerField("市町村民税の年度")
    tier = models.CharField("階層", max_length=20)
    base = models.IntegerField("階層の額")
    rank = models.SmallIntegerField("多子の第何子")
    free = models.CharField("無償の理由", max_length=60, blank=True)
    amount = models.IntegerField("利用者負担額（月額）")
    steps = models.JSONField("算定の過程")
    # Kept so that the September 再決定 decides with what the clerk entered (not in the registry).
    welfare = models.BooleanField("生活保護世帯", default=False)
    decided_on = models.DateField("決定日")
    recorded_at = models.DateTimeField("記録日時", default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["lg_code", "certificate_no"], name="childcare_fee_certificate")]


class RunState(models.TextChoices):
    RUNNING = "running", "実行中"
    DONE = "done", "完了"


class FeeRedecisionRun(TenantModel):
    """The September 利用者負担 再決定 of a 年度 (every child with a 決定 of the 年度, from 9月 on the
    new 年度's tax): how far it got (``last_certificate_no``), so a killed run resumes after the
    last committed page (``platform.batch``)."""

    fiscal_year = models.SmallIntegerField("年度")
    state = models.CharField(max_length=8, choices=RunState.choices, default=RunState.RUNNING)
    changed = models.IntegerField("額が変わり決定した子ども", default=0)
    unchanged = models.IntegerField("額が変わらなかった子ども", default=0)
    refused = models.IntegerField("決定できなかった子ども", default=0)
    # 認定証番号 of those children, for the clerk to decide at the counter (ids only)
    refused_certificates = models.JSONField("決定できなかった認定証番号", default=list)
    last_certificate_no = models.CharField(max_length=20, blank=True, default="")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "fiscal_year"], name="childcare_redecide_once")
        ]


class WorkStatus(models.TextChoices):
    OPEN = "open", "未処理"
    CLOSED = "closed", "処理済"


class WorkItem(TenantModel):
    """Work a registry event leaves the clerk: a child in care who moved out or died — the 認定
    and the 利用者負担 were ended by the consumer; the clerk tells the 施設 and the family."""

    atena_no = models.CharField("子どもの宛名番号", max_length=15)
    certificate_no = models.CharField("認定証番号", max_length=20)
    event = models.CharField("異動", max_length=16)  # moved-out, died
    event_date = models.DateField("異動日")
    last_month = models.DateField("利用者負担の最後の月（1日）")
    status = models.CharField("状態", max_length=8, choices=WorkStatus.choices, default=WorkStatus.OPEN)
    source_event = models.UUIDField("元のイベント", null=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["lg_code", "status"], name="childcare_work_open")]
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "certificate_no", "event"], name="childcare_work_once")
        ]


class FeedPosition(FeedCursor):
    """How far the 保育 consumer has read the municipality's event feed."""

    class Meta(FeedCursor.Meta):
        db_table = "childcare_feed_position"
