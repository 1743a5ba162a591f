"""介護保険 第1号被保険者 tables: the members, the 資格 history and the feed position; the
住所地特例 records; the 要介護認定 申請 and 結果; the annual 利用者負担割合 and its runs.

The 資格 shapes are the platform's (``linkage.qualification``, ``linkage.consumer``), shared with
後期: individual 資格 by residence and age. The insurer is the municipality (facts §4.1).
第2号 (40–64 in a 医療保険) is the 医療保険's to know, not kept here. Every history here is
append-only: a correction or an end is a new row, the latest row tells.
"""

from __future__ import annotations

from django.db import models

from yakuba.long_term_care.codes import (
    CareLevel,
    CertificationKind,
    CopayShare,
    Direction,
    EndReason,
    FacilityKind,
    RunState,
    SpecialChange,
)
from yakuba.platform.linkage.consumer import FeedCursor
from yakuba.platform.linkage.qualification import Insured, QualificationRecord
from yakuba.platform.tenancy.models import TenantModel


class Member(Insured):
    """A person 介護 knows of. ``excluded``: a 他市町村住所地特例者 in one of our 施設 (insured by the
    other municipality: no 取得 here from a 転入 or 65歳到達) while the 住所地特例 lasts."""


class Qualification(QualificationRecord):
    """The 資格 history (table ``<app>_qualification``)."""


class FeedPosition(FeedCursor):
    """How far the consumer has read the feed."""


class _Recorded(TenantModel):
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        abstract = True


class SpecialAddress(_Recorded):
    """One 住所地特例 (介護保険法 §13) row: its 適用 or its 終了, for a person and a direction.
    The latest row of (宛名番号, direction) tells whether it applies now."""

    atena_no = models.CharField("宛名番号", max_length=15)
    direction = models.CharField("区分", max_length=8, choices=Direction.choices)
    change = models.CharField("適用・終了", max_length=8, choices=SpecialChange.choices)
    facility_name = models.CharField("施設名", max_length=80)
    facility_kind = models.CharField("施設の種類", max_length=10, choices=FacilityKind.choices)
    admitted_on = models.DateField("入所日")
    # 住所地特例者: the 施設所在地; 他市町村住所地特例者: the 保険者 (団体コード).
    municipality = models.CharField("相手の市区町村（団体コード）", max_length=6)
    ended_on = models.DateField("終了日", null=True)
    end_reason = models.CharField("終了事由", max_length=12, choices=EndReason.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["lg_code", "atena_no", "direction", "id"], name="ltc_special_person"),
            models.Index(fields=["lg_code", "direction", "atena_no"], name="ltc_special_list"),
        ]


class CertificationApplication(_Recorded):
    """A 要介護認定 申請 (facts §4.4): 申請日 and 区分 新規・更新・区分変更."""

    atena_no = models.CharField("宛名番号", max_length=15)
    applied_on = models.DateField("申請日")
    kind = models.CharField("申請区分", max_length=8, choices=CertificationKind.choices)

    class Meta:
        indexes = [models.Index(fields=["lg_code", "atena_no", "applied_on"], name="ltc_cert_app_person")]


class CertificationDecision(_Recorded):
    """A 認定結果 of an 申請: 要支援・要介護・非該当 (or 事業対象者), 認定日, 有効期間. A later row for
    the same 申請 corrects the earlier one (append-only)."""

    application = models.ForeignKey(CertificationApplication, on_delete=models.PROTECT, related_name="+")
    atena_no = models.CharField("宛名番号", max_length=15)
    level = models.CharField("認定結果", max_length=10, choices=CareLevel.choices)
    decided_on = models.DateField("認定日")
    valid_from = models.DateField("有効期間の開始", null=True)
    valid_until = models.DateField("有効期間の終了", null=True)

    class Meta:
        indexes = [models.Index(fields=["lg_code", "atena_no", "valid_until"], name="ltc_cert_dec_person")]


class CopayRun(_Recorded):
    """The annual 利用者負担割合 batch of one year (8月1日 of ``year``): its position (the last
    宛名番号 written) and counters."""

    year = models.IntegerField("年（8月1日の属する年）")
    state = models.CharField("状態", max_length=10, choices=RunState.choices, default=RunState.RUNNING)
    last_atena_no = models.CharField("最後に処理した宛名番号", max_length=15, default="")
    done = models.IntegerField("判定した人数", default=0)
    finished_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lg_code", "year"], name="ltc_copay_run_year")]


class CopayDecision(_Recorded):
    """A person's 利用者負担割合 for the year from 8月1日 (a later row of the same year supersedes)."""

    atena_no = models.CharField("宛名番号", max_length=15)
    year = models.IntegerField("年（8月1日の属する年）")
    share = models.SmallIntegerField("利用者負担割合", choices=CopayShare.choices)
    valid_from = models.DateField("適用開始日")
    valid_until = models.DateField("適用終了日")
    own_income = models.BigIntegerField("本人の合計所得金額")
    household_total = models.BigIntegerField("第1号被保険者の年金収入＋その他の合計所得金額")
    household_count = models.SmallIntegerField("世帯の第1号被保険者の数")
    reason = models.CharField("理由", max_length=300)

    class Meta:
        indexes = [models.Index(fields=["lg_code", "year", "atena_no"], name="ltc_copay_year_person")]
