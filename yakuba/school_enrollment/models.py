"""就学 tables (docs/school_enrollment.md): the persisted 学齢簿, its history, the 通学区域, the
指定校変更・区域外就学 records, the year's schedule, work items and the feed position.

Children are named by the registry's 宛名番号; what the 学齢簿 keeps of them (氏名, 住所, 世帯) is a
copy taken through the registry's door or its events (施行令 第1条: the 学齢簿 is built from the
住民基本台帳 and kept by the 教育委員会), never a join into the registry. An entry is closed, never
deleted (転出, 死亡, the end of compulsory schooling); every change is a line of ``RollChange``,
which is never rewritten.
"""

from __future__ import annotations

from django.db import models

from yakuba.platform.linkage.consumer import FeedCursor
from yakuba.platform.tenancy.models import TenantModel
from yakuba.school_enrollment.codes import (
    Added,
    Change,
    Closed,
    DesignationKind,
    Level,
    WorkKind,
    WorkStatus,
)


class School(TenantModel):
    """A 小学校 or 中学校 of the town, named by the 通学区域 file."""

    code = models.CharField("学校コード", max_length=10)
    name = models.CharField("学校名", max_length=60)
    level = models.CharField("種別", max_length=10, choices=Level.choices)

    class Meta:
        db_table = "school_enrollment_school"
        constraints = [models.UniqueConstraint(fields=["lg_code", "code"], name="se_school_code")]


class District(TenantModel):
    """One line of the 通学区域: a 町字 and a 番地 range → the 小学校 and the 中学校."""

    town_area = models.CharField("町字", max_length=100)
    from_no = models.IntegerField("番地から")
    to_no = models.IntegerField("番地まで")
    elementary_code = models.CharField("小学校コード", max_length=10)
    junior_code = models.CharField("中学校コード", max_length=10)
    line = models.IntegerField("取込ファイルの行")

    class Meta:
        db_table = "school_enrollment_district"
        indexes = [models.Index(fields=["lg_code", "town_area", "from_no"], name="se_district_town")]


class Generation(TenantModel):
    """One yearly 編製 of the 学齢簿 (施行令 第2条): the cohort entering on ``entry_year``-04-01
    and, the first time, every child of compulsory-school age. Done once per entry year."""

    entry_year = models.SmallIntegerField("入学年")
    as_of = models.DateField("基準日")
    added = models.IntegerField("記載した子ども", default=0)
    graduated = models.IntegerField("義務教育修了で消除", default=0)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "school_enrollment_generation"
        constraints = [models.UniqueConstraint(fields=["lg_code", "entry_year"], name="se_generation_year")]


class RollEntry(TenantModel):
    """A child on the 学齢簿 (施行規則 第30条's items, civil-facts §4.3): one open entry per child;
    a child who leaves and comes back gets a new entry, the old one stays closed."""

    atena_no = models.CharField("宛名番号", max_length=15)
    setai_no = models.CharField("世帯番号", max_length=15)
    name = models.CharField("氏名", max_length=100)
    name_kana = models.CharField("氏名カナ", max_length=200)
    birth_date = models.DateField("生年月日")
    address = models.CharField("住所", max_length=200)
    town_area = models.CharField("町字（通学区域）", max_length=100, blank=True, default="")
    banchi = models.IntegerField("番地（通学区域）", null=True)
    guardian_atena_no = models.CharField("保護者（世帯主）の宛名番号", max_length=15, blank=True, default="")
    # The 教育委員会 named the 保護者 (学校教育法 第16条: the 親権者) itself: the registry's 世帯主
    # no longer overwrites it.
    guardian_fixed = models.BooleanField("保護者を教育委員会が確認", default=False)
    entry_year = models.SmallIntegerField("入学年")
    compulsory_until = models.DateField("義務教育の終わり")
    elementary_code = models.CharField("通学区域の小学校", max_length=10, blank=True, default="")
    junior_code = models.CharField("通学区域の中学校", max_length=10, blank=True, default="")
    added_on = models.DateField("記載日")
    added_reason = models.CharField("記載事由", max_length=12, choices=Added.choices)
    closed_on = models.DateField("消除日", null=True)
    closed_reason = models.CharField(
        "消除事由", max_length=12, choices=Closed.choices, blank=True, default=""
    )
    generation = models.ForeignKey(Generation, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        db_table = "school_enrollment_roll_entry"
        indexes = [
            models.Index(fields=["lg_code", "entry_year", "atena_no"], name="se_entry_year"),
            models.Index(fields=["lg_code", "elementary_code", "atena_no"], name="se_entry_elementary"),
            models.Index(fields=["lg_code", "junior_code", "atena_no"], name="se_entry_junior"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "atena_no"],
                condition=models.Q(closed_on__isnull=True),
                name="se_entry_open_once",
            )
        ]


class RollChange(TenantModel):
    """A line of an entry's history: what changed, when and why (append-only)."""

    entry = models.ForeignKey(RollEntry, on_delete=models.PROTECT, related_name="changes")
    change = models.CharField("種別", max_length=12, choices=Change.choices)
    on = models.DateField("異動日")
    detail = models.JSONField("内容", default=dict)
    source_event = models.UUIDField("元のイベント", null=True)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "school_enrollment_roll_change"
        indexes = [models.Index(fields=["lg_code", "entry", "id"], name="se_change_entry")]


class Designation(TenantModel):
    """指定校変更 (施行令 第8条) or 区域外就学 (第9条): the school the 教育委員会 approved instead of
    the 通学区域's, for a period (``ends_on`` NULL: to the end of that level). Never rewritten: a
    later record for the same days wins."""

    atena_no = models.CharField("宛名番号", max_length=15)
    kind = models.CharField("種別", max_length=10, choices=DesignationKind.choices)
    level = models.CharField("学校の種別", max_length=10, choices=Level.choices)
    school_code = models.CharField("学校コード（町内の学校）", max_length=10, blank=True, default="")
    school_name = models.CharField("学校名", max_length=60)
    reason = models.CharField("事由", max_length=200)
    approved_on = models.DateField("承認日")
    starts_on = models.DateField("期間（から）")
    ends_on = models.DateField("期間（まで）", null=True)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "school_enrollment_designation"
        indexes = [models.Index(fields=["lg_code", "atena_no"], name="se_designation_person")]


class Schedule(TenantModel):
    """The year's dates as data (civil-facts §4.2): the 就学時健康診断 (by 11月30日) and the 就学通知
    (by 1月31日) of the children entering on ``entry_year``-04-01."""

    entry_year = models.SmallIntegerField("入学年")
    health_check_on = models.DateField("就学時健康診断の日")
    notice_on = models.DateField("就学通知の発送日")

    class Meta:
        db_table = "school_enrollment_schedule"
        constraints = [models.UniqueConstraint(fields=["lg_code", "entry_year"], name="se_schedule_year")]


class WorkItem(TenantModel):
    """A child who came after a step of the year: the 健診 notice or the 就学通知 to send."""

    kind = models.CharField("種類", max_length=12, choices=WorkKind.choices)
    atena_no = models.CharField("宛名番号", max_length=15)
    entry_year = models.SmallIntegerField("入学年")
    due_on = models.DateField("異動日")
    status = models.CharField("状態", max_length=8, choices=WorkStatus.choices, default=WorkStatus.OPEN)
    source_event = models.UUIDField("元のイベント", null=True)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "school_enrollment_work_item"
        indexes = [models.Index(fields=["lg_code", "kind", "status"], name="se_work_open")]
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "kind", "atena_no", "entry_year"], name="se_work_once")
        ]


class FeedPosition(FeedCursor):
    """How far the 学齢簿 consumer has read the municipality's event feed."""

    class Meta(FeedCursor.Meta):
        db_table = "school_enrollment_feed_position"
