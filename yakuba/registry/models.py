"""Registry tables: the current record of each person, its immutable history, households, 異動,
支援措置 and the 住民票コード pool.

``PersonRecord`` holds the 住民票 items (住民記録システム標準仕様書 §1.1.1/1.1.2, docs/reference/registry-facts.md §2);
``Resident`` is the current state of each person (one row per 宛名番号, 除票 included) and
``ResidentHistory`` the full-row snapshot written by every change, keyed by 宛名番号 + 履歴番号
(§1.2.1). History rows are never updated: a correction is a new row.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from yakuba.platform.ids import uuid7
from yakuba.platform.linkage.consumer import FeedCursor
from yakuba.platform.tenancy.models import TenantModel
from yakuba.registry.codes import (
    ConsultedBody,
    MoveKind,
    ProposalKind,
    ProposalStatus,
    ProtectionKind,
    ResidentType,
    Sex,
    Status,
)


class PersonRecord(TenantModel):
    atena_no = models.CharField("宛名番号", max_length=15)
    setai_no = models.CharField("世帯番号", max_length=15)
    resident_type = models.SmallIntegerField("住民種別", choices=ResidentType.choices)
    status = models.SmallIntegerField("住民状態", choices=Status.choices, default=Status.RESIDENT)
    name = models.CharField("氏名", max_length=100)
    name_kana = models.CharField("氏名フリガナ", max_length=200)
    former_surname = models.CharField("旧氏", max_length=50, blank=True, default="")
    former_surname_kana = models.CharField("旧氏フリガナ", max_length=100, blank=True, default="")
    alias = models.CharField("通称", max_length=100, blank=True, default="")
    alias_kana = models.CharField("通称フリガナ", max_length=200, blank=True, default="")
    # Exact date when known; otherwise the standard's 不詳/non-calendar text (§1.1.8) and a sort date.
    birth_date = models.DateField("生年月日", null=True, blank=True)
    birth_date_text = models.CharField("生年月日（不詳等の表記）", max_length=40, blank=True, default="")
    birth_sort_date = models.DateField("生年月日（整列用）")
    sex = models.SmallIntegerField("性別", choices=Sex.choices)
    relationship = models.CharField("続柄", max_length=40)
    postal_code = models.CharField("郵便番号", max_length=7, blank=True, default="")
    # "C" collation: prefix search by range (see CurrentRecord) works on these too.
    address = models.CharField("住所", max_length=200, db_collation="C")
    town_area = models.CharField("町字", max_length=100, blank=True, default="", db_collation="C")
    block = models.CharField("番地・号", max_length=60, blank=True, default="")
    address_extra = models.CharField("方書", max_length=100, blank=True, default="")
    became_resident_on = models.DateField("住民となった年月日", null=True, blank=True)
    address_set_on = models.DateField("住所を定めた年月日", null=True, blank=True)
    notified_on = models.DateField("届出年月日", null=True, blank=True)
    previous_address = models.CharField("転入前住所", max_length=200, blank=True, default="")
    domicile = models.CharField("本籍", max_length=200, blank=True, default="")
    domicile_head = models.CharField("筆頭者", max_length=100, blank=True, default="")
    my_number_encrypted = models.TextField("個人番号（暗号化）", blank=True, default="")
    my_number_hash = models.CharField("個人番号（照合用ハッシュ）", max_length=64, blank=True, default="")
    juminhyo_code = models.CharField("住民票コード", max_length=11, blank=True, default="")
    nationality = models.CharField("国籍・地域", max_length=60, blank=True, default="")
    residence_status = models.CharField("在留資格", max_length=60, blank=True, default="")
    residence_expiry = models.DateField("在留期間等の満了の日", null=True, blank=True)
    residence_card_no = models.CharField("在留カード等の番号", max_length=12, blank=True, default="")
    planned_move_out_on = models.DateField("転出予定日", null=True, blank=True)
    destination_address = models.CharField("転出先住所", max_length=200, blank=True, default="")
    removal_reason = models.CharField("消除事由", max_length=20, blank=True, default="")
    removed_on = models.DateField("消除年月日", null=True, blank=True)
    # The 異動 that produced this state. Looked up by 異動 only in the history, through its
    # (lg_code, move) index; an index on every table would only slow each write.
    move = models.ForeignKey(
        "Move", on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    move_kind = models.CharField("異動の種類", max_length=20, choices=MoveKind.choices)
    move_date = models.DateField("異動日")
    processed_at = models.DateTimeField("処理日時")

    class Meta:
        abstract = True


class CurrentRecord(PersonRecord):
    """The latest state of one person, with search keys and a version for concurrent edits."""

    history_no = models.IntegerField("履歴番号")
    version = models.IntegerField(default=1)
    # Search keys in the "C" collation: byte order = code point order, so a prefix is a range
    # (key >= 'アオ' AND key < 'アカ') and one btree index serves both the match and the result
    # order — a search stops after its page instead of sorting every match. Ranges, not LIKE:
    # under row-level security only leakproof operators (comparisons are, LIKE is not) may be
    # used as index conditions.
    name_key = models.CharField(max_length=100, db_collation="C")
    kana_key = models.CharField(max_length=200, db_collation="C")
    alias_kana_key = models.CharField(max_length=200, blank=True, default="", db_collation="C")

    class Meta:
        abstract = True


class Resident(CurrentRecord):
    """Current state of one person: 住民, 転出予定 and recent 除票 (removed within 5 years)."""

    class Meta:
        db_table = "registry_resident"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "atena_no"], name="registry_resident_atena"),
            models.UniqueConstraint(
                fields=["lg_code", "my_number_hash"],
                condition=~models.Q(my_number_hash="") & ~models.Q(status=Status.REMOVED),
                name="registry_resident_my_number",
            ),
            models.UniqueConstraint(
                fields=["lg_code", "juminhyo_code"],
                condition=~models.Q(juminhyo_code=""),
                name="registry_resident_juminhyo_code",
            ),
        ]
        indexes = [
            models.Index(
                fields=["lg_code", "kana_key", "birth_sort_date", "atena_no"], name="registry_resident_kana"
            ),
            models.Index(
                fields=["lg_code", "alias_kana_key", "birth_sort_date", "atena_no"],
                condition=~models.Q(alias_kana_key=""),
                name="registry_resident_alias",
            ),
            models.Index(fields=["lg_code", "name_key"], name="registry_resident_name"),
            models.Index(fields=["lg_code", "town_area", "block"], name="registry_resident_town"),
            models.Index(fields=["lg_code", "address"], name="registry_resident_addr"),
            models.Index(fields=["lg_code", "birth_sort_date"], name="registry_resident_birth"),
            models.Index(fields=["lg_code", "setai_no"], name="registry_resident_setai"),
            # 転出予定 past their date (the home screen): a few rows of a large table.
            models.Index(
                fields=["lg_code", "planned_move_out_on"],
                condition=models.Q(status=Status.MOVING_OUT),
                name="registry_resident_moving_out",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.atena_no} {self.name}"


class ResidentArchive(CurrentRecord):
    """除票 older than five years, moved out of the live table by ``archive_removed``.

    住民記録システム標準仕様書 §1.1.5/§9.3: removed records move to a 除票 database after five
    years (a batch at least once a year), are kept 150 years, and one search covers both.
    """

    class Meta:
        db_table = "registry_resident_archive"
        constraints = [models.UniqueConstraint(fields=["lg_code", "atena_no"], name="registry_archive_atena")]
        indexes = [
            models.Index(
                fields=["lg_code", "kana_key", "birth_sort_date", "atena_no"], name="registry_archive_kana"
            ),
            models.Index(fields=["lg_code", "birth_sort_date"], name="registry_archive_birth"),
        ]

    def __str__(self) -> str:
        return f"{self.atena_no} {self.name}（除票）"


class ResidentHistory(PersonRecord):
    """One immutable full-row snapshot per change (§1.2.1)."""

    history_no = models.IntegerField("履歴番号")

    class Meta:
        db_table = "registry_resident_history"
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "atena_no", "history_no"], name="registry_history_key"
            ),
        ]
        indexes = [models.Index(fields=["lg_code", "move"], name="registry_history_move")]

    def __str__(self) -> str:
        return f"{self.atena_no}#{self.history_no}"


class Household(TenantModel):
    """世帯: its number, head and address; ``version`` detects concurrent edits (409)."""

    setai_no = models.CharField("世帯番号", max_length=15)
    head_atena_no = models.CharField("世帯主の宛名番号", max_length=15, blank=True, default="")
    postal_code = models.CharField("郵便番号", max_length=7, blank=True, default="")
    address = models.CharField("住所", max_length=200)
    town_area = models.CharField("町字", max_length=100, blank=True, default="")
    block = models.CharField("番地・号", max_length=60, blank=True, default="")
    address_extra = models.CharField("方書", max_length=100, blank=True, default="")
    active = models.BooleanField(default=True)
    version = models.IntegerField(default=1)

    class Meta:
        db_table = "registry_household"
        constraints = [models.UniqueConstraint(fields=["lg_code", "setai_no"], name="registry_household_no")]

    def __str__(self) -> str:
        return self.setai_no


class Move(TenantModel):
    """One 異動 as filed: kind, dates, who, and the request as received (届出人 and 本人確認
    included, under ``request["notifier"]``)."""

    move_id = models.UUIDField(default=uuid7, editable=False)
    # 異動番号: what a clerk reads, writes on the 処理票 and types to find a 異動 — the year it
    # was processed and a serial per municipality and year (``move_store``). Empty for 異動
    # migrated from an earlier system (import, generator), which keep only their UUID.
    move_no = models.CharField("異動番号", max_length=20, blank=True, db_default="")
    # A client's Idempotency-Key (API) and the digest of the body it came with: a retry with
    # the same key and body answers ``response`` again instead of filing the 異動 twice.
    idempotency_key = models.CharField(max_length=100, blank=True, db_default="")
    request_digest = models.CharField(max_length=64, blank=True, db_default="")
    response = models.JSONField(null=True, blank=True)
    kind = models.CharField("異動の種類", max_length=20, choices=MoveKind.choices)
    move_date = models.DateField("異動日")
    notified_date = models.DateField("届出日", null=True, blank=True)
    processed_at = models.DateTimeField("処理日時")
    actor = models.CharField("処理者", max_length=150)
    terminal = models.CharField("入力端末", max_length=100, blank=True, default="")
    request = models.JSONField("届出内容", default=dict)
    ex_officio = models.BooleanField("職権", default=False)
    canceled_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cancels = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "registry_move"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "move_id"], name="registry_move_id"),
            models.UniqueConstraint(
                fields=["lg_code", "move_no"], condition=~models.Q(move_no=""), name="registry_move_no"
            ),
            models.UniqueConstraint(
                fields=["lg_code", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="registry_move_idempotency",
            ),
        ]
        # The home screen's 本日の異動 (services/workload.py): a count of one day's rows.
        indexes = [models.Index(fields=["lg_code", "processed_at"], name="registry_move_processed")]

    def __str__(self) -> str:
        return f"{self.kind} {self.move_no or self.move_id}"


class NumberCounter(TenantModel):
    """Last base number issued per kind (宛名番号, 世帯番号); the check digit is appended."""

    kind = models.CharField(max_length=10)
    last = models.BigIntegerField(default=0)

    class Meta:
        db_table = "registry_number_counter"
        constraints = [models.UniqueConstraint(fields=["lg_code", "kind"], name="registry_counter_kind")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.last}"


class JuminhyoCode(TenantModel):
    """Unused 住民票コード fetched from 住基ネット CS, assigned at random (§4.3)."""

    code = models.CharField(max_length=11)
    assigned_atena_no = models.CharField(max_length=15, blank=True, default="")
    assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "registry_juminhyo_code"
        constraints = [models.UniqueConstraint(fields=["lg_code", "code"], name="registry_jcode_code")]
        indexes = [
            models.Index(
                fields=["lg_code", "code"],
                condition=models.Q(assigned_atena_no=""),
                name="registry_jcode_free",
            )
        ]

    def __str__(self) -> str:
        return self.code


class Protection(TenantModel):
    """支援措置 (DV・ストーカー等): blocks disclosure of the protected person and of the family
    members covered with them (併せて支援を求める者), §3.4. An extension is a new row."""

    protection_id = models.UUIDField("支援措置ID", default=uuid7, unique=True, editable=False)
    atena_no = models.CharField("宛名番号（申出者）", max_length=15)
    kind = models.CharField("種別", max_length=12, choices=ProtectionKind.choices)
    provisional = models.BooleanField("仮支援措置", default=False)
    covered_atena_nos = ArrayField(
        models.CharField(max_length=15), verbose_name="併せて支援を求める者", default=list, blank=True
    )
    starts_on = models.DateField("開始日")
    ends_on = models.DateField("終了日")
    ended_early_on = models.DateField("終了日（途中終了）", null=True, blank=True)
    reason = models.CharField("申出の概要", max_length=200, blank=True, default="")
    # 加害者: whom the measure protects against (the 申出書's 加害者 items).
    offender_name = models.CharField("加害者の氏名", max_length=100, blank=True, db_default="")
    offender_name_kana = models.CharField("加害者の氏名フリガナ", max_length=100, blank=True, db_default="")
    offender_birth_date = models.DateField("加害者の生年月日", null=True, blank=True)
    offender_address = models.CharField("加害者の住所", max_length=200, blank=True, db_default="")
    offender_relation = models.CharField("申出者との関係", max_length=40, blank=True, db_default="")
    # 相談機関等の意見: the confirmation that the measure is needed.
    consulted_body = models.CharField(
        "相談機関等", max_length=16, choices=ConsultedBody.choices, blank=True, db_default=""
    )
    consulted_body_name = models.CharField("相談機関等の名称", max_length=100, blank=True, db_default="")
    opinion_requested_on = models.DateField("意見を求めた日", null=True, blank=True)
    opinion_received_on = models.DateField("意見を受けた日", null=True, blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "registry_protection"
        indexes = [
            models.Index(fields=["lg_code", "atena_no", "ends_on"], name="registry_protection_active"),
            GinIndex(fields=["covered_atena_nos"], name="registry_protection_covered"),
        ]

    def __str__(self) -> str:
        return f"{self.atena_no} {self.starts_on}–{self.ends_on}"


class KosekiProposal(TenantModel):
    """A change of the 住民票 that a 受理 in the 戸籍 calls for (戸籍からの異動候補), once per event
    and person: the 住所地 writes what the 本籍地 tells it (住民基本台帳法 第9条第2項, 施行令 第12条),
    the clerk applies it as a 異動 or dismisses it with a reason. A フリガナ is applied as it
    arrives (``status`` applied, by the system) and stays here as the record of why it changed."""

    proposal_id = models.UUIDField("候補ID", default=uuid7, unique=True, editable=False)
    kind = models.CharField("種類", max_length=12, choices=ProposalKind.choices)
    event_id = models.CharField("元のイベント", max_length=64)
    person_id = models.CharField("戸籍の個人ID", max_length=40)
    notification_kind = models.CharField("届出の種類", max_length=20, blank=True, default="")
    notification_no = models.CharField("届出の受付番号", max_length=20, blank=True, default="")
    # The resident the change is about ("" for a child not yet recorded) and everyone it names
    # (the parents of a birth): a 支援措置 of any of them hides the proposal from who may not see it.
    atena_no = models.CharField("宛名番号", max_length=15, blank=True, default="")
    atena_nos = ArrayField(models.CharField(max_length=15), verbose_name="関係する宛名番号", default=list)
    event_on = models.DateField("異動日")
    accepted_on = models.DateField("届出の受理日", null=True, blank=True)
    before = models.JSONField("住民票の現在の値", default=dict)
    proposed = models.JSONField("反映する値", default=dict)
    status = models.CharField(
        "状態", max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    note = models.CharField("備考", max_length=300, blank=True, default="")
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField("処理日時", null=True, blank=True)
    decided_by = models.CharField("処理者", max_length=150, blank=True, default="")
    reason = models.CharField("反映しない理由", max_length=200, blank=True, default="")
    move_id = models.UUIDField("反映した異動", null=True, blank=True)

    class Meta:
        db_table = "registry_koseki_proposal"
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "event_id", "person_id"], name="registry_proposal_once"
            )
        ]
        indexes = [
            models.Index(fields=["lg_code", "status", "proposal_id"], name="registry_proposal_status"),
            models.Index(fields=["lg_code", "status", "kind", "proposal_id"], name="registry_proposal_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.atena_no or self.person_id}"


class KosekiFeedPosition(FeedCursor):
    """How far the registry has read the 戸籍's events (platform/linkage/consumer.py)."""

    class Meta(FeedCursor.Meta):
        db_table = "registry_koseki_feed_position"
