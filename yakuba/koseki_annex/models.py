"""附票 tables (docs/koseki_annex.md): the 附票 of each (本籍, 筆頭者), its rows, the 在外選挙人
notes, the 附票記載事項通知 waiting to be sent and the files exchanged, and the feed position.

A person on a 附票 is named by the 住民票コード (住民基本台帳法 第17条7号): it is what the 住所地
and the 本籍地 share — the 宛名番号 is one town's number, kept only for a row that came from this
town's registry. History is append-only: a new 住所 is a new row, never an edit; a person's
current 住所 is their latest row (registry-facts §17.1).
"""

from __future__ import annotations

from django.db import models

from yakuba.koseki_annex.codes import Direction, ElectorChange, Source
from yakuba.platform.linkage.consumer import FeedCursor
from yakuba.platform.tenancy.models import TenantModel


class Annex(TenantModel):
    """One 附票: the 戸籍 it belongs to, by its 戸籍の表示 (住民基本台帳法 第16条, 第17条1号).
    ``opened_on``: the day of its first row here."""

    honseki = models.CharField("本籍", max_length=200)
    hittosha = models.CharField("筆頭者", max_length=100)
    opened_on = models.DateField("作成日")
    created_at = models.DateTimeField()

    class Meta:
        db_table = "koseki_annex_annex"
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "honseki", "hittosha"], name="koseki_annex_one_per_koseki"
            )
        ]


class PersonAddress(TenantModel):
    """A person of a 附票 with one 住所 (or 国外転出者 entry) and its date: what a 附票 row holds
    and what a 附票記載事項通知 says."""

    juminhyo_code = models.CharField("住民票コード", max_length=11)
    atena_no = models.CharField("宛名番号", max_length=15, blank=True)
    name = models.CharField("氏名", max_length=100)
    birth_date = models.DateField("出生の年月日", null=True)
    sex = models.PositiveSmallIntegerField("男女の別")
    address = models.CharField("住所", max_length=300, blank=True)
    address_set_on = models.DateField("住所を定めた年月日")
    overseas = models.BooleanField("国外転出者", default=False)
    country = models.CharField("転出先国名", max_length=100, blank=True)
    protected = models.BooleanField("支援措置", default=False)
    created_at = models.DateTimeField()

    class Meta:
        abstract = True


class Entry(PersonAddress):
    """One row of a 附票 (append-only)."""

    annex = models.ForeignKey(Annex, on_delete=models.PROTECT, related_name="entries")
    source = models.CharField("記載の根拠", max_length=10, choices=Source.choices)
    # The registry event's id, or "<notice file id>:<line>": one row per source, however often
    # the feed or a file is read.
    source_ref = models.CharField("記載の元", max_length=64)
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "koseki_annex_entry"
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "source", "source_ref"], name="koseki_annex_entry_once"
            )
        ]
        indexes = [
            models.Index(fields=["lg_code", "juminhyo_code", "id"], name="koseki_annex_entry_person"),
            models.Index(fields=["lg_code", "annex", "id"], name="koseki_annex_entry_annex"),
        ]


class ElectorNote(TenantModel):
    """A 在外選挙人名簿 note on a person of a 附票 (住民基本台帳法 第17条の2): registered or
    transferred by the named municipality's 選挙管理委員会, or struck off."""

    annex = models.ForeignKey(Annex, on_delete=models.PROTECT, related_name="elector_notes")
    juminhyo_code = models.CharField("住民票コード", max_length=11)
    change = models.CharField("記載の内容", max_length=12, choices=ElectorChange.choices)
    on = models.DateField("年月日")
    municipality = models.CharField("市町村名", max_length=60)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "koseki_annex_elector_note"
        indexes = [models.Index(fields=["lg_code", "annex", "id"], name="koseki_annex_elector_annex")]


class NoticeFile(TenantModel):
    """A 附票記載事項通知 file taken in or written out; a file is taken in once."""

    direction = models.CharField("送受信", max_length=3, choices=Direction.choices)
    counterpart = models.CharField("相手方の団体コード", max_length=6, blank=True)
    file_name = models.CharField("ファイル名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    lines = models.PositiveIntegerField("件数")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "koseki_annex_notice_file"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "direction", "sha256"], name="koseki_annex_file_once")
        ]


class OutgoingNotice(PersonAddress):
    """A 附票記載事項通知 to another 本籍地 for a resident of this town (住民基本台帳法 第19条1項):
    written with the 異動, sent when ``file`` is set."""

    receiver = models.CharField("本籍地の団体コード", max_length=6)
    honseki = models.CharField("本籍", max_length=200)
    hittosha = models.CharField("筆頭者", max_length=100)
    source_event = models.CharField("元のイベント", max_length=64)
    file = models.ForeignKey(NoticeFile, on_delete=models.PROTECT, null=True, related_name="notices")

    class Meta:
        db_table = "koseki_annex_outgoing_notice"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "source_event"], name="koseki_annex_notice_once")
        ]
        indexes = [
            models.Index(fields=["lg_code", "juminhyo_code", "id"], name="koseki_annex_notice_person"),
            models.Index(
                fields=["lg_code", "receiver", "id"],
                condition=models.Q(file__isnull=True),
                name="koseki_annex_notice_unsent",
            ),
        ]


class Departure(TenantModel):
    """A person leaving a 附票 with their 除籍 from its 戸籍 (registry-facts §17.5): their rows end
    on ``left_on``, the items they carry are those in force that day (rules/items.py), and no row
    is written for them there again. Once for a person on a 附票; when everyone has left, the 附票
    is a 除附票."""

    annex = models.ForeignKey(Annex, on_delete=models.PROTECT, related_name="departures")
    juminhyo_code = models.CharField("住民票コード", max_length=11)
    left_on = models.DateField("除籍の日")
    reason = models.CharField("事由（届出の種類）", max_length=20)
    source_event = models.CharField("元のイベント", max_length=64)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "koseki_annex_departure"
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "annex", "juminhyo_code"], name="koseki_annex_departure_once"
            )
        ]


class FeedPosition(FeedCursor):
    """How far the 附票 has read the registry's events (platform/linkage/consumer.py)."""

    class Meta(FeedCursor.Meta):
        db_table = "koseki_annex_feed_position"


class KosekiFeedPosition(FeedCursor):
    """How far the 附票 has read the 戸籍's events (the 除籍 of its persons)."""

    class Meta(FeedCursor.Meta):
        db_table = "koseki_annex_koseki_feed_position"
        constraints = [models.UniqueConstraint(fields=["lg_code"], name="koseki_annex_koseki_feed_one")]
