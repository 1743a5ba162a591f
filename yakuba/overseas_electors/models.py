"""在外選挙人名簿 tables (docs/overseas_electors.md): applications, entries and their history, the
戸籍の附票 notices and the 国外転出 the registry reported.

An applicant who lived here is named by the registry's 宛名番号; a 本籍地 applicant who never did
has none, so the application keeps the 氏名 and 生年月日 it was made with (公職選挙法30条の5:
the application states them). History is append-only (``EntryChange``); a notice, once sent, is
never rewritten.
"""

from __future__ import annotations

from django.db import models

from yakuba.overseas_electors.codes import Basis, Change, Kind, LeadStatus, Status, StruckOff
from yakuba.platform.linkage.consumer import FeedCursor
from yakuba.platform.tenancy.models import TenantModel


class Application(TenantModel):
    """One 登録申請 (出国時申請 or 在外公館申請) and its outcome."""

    kind = models.CharField("申請の種類", max_length=10, choices=Kind.choices)
    atena_no = models.CharField("宛名番号", max_length=15, blank=True, default="")
    name = models.CharField("氏名", max_length=100)
    birth_date = models.DateField("生年月日")
    applied_on = models.DateField("申請日")
    # A 出国時申請 brought by a 受任者 with the person's 申出書 (empty: the person in person).
    agent_name = models.CharField("受任者の氏名", max_length=100, blank=True, default="", db_default="")
    basis = models.CharField("登録の根拠", max_length=14, choices=Basis.choices)
    domestic_address = models.CharField("最終住所又は本籍", max_length=200)
    domicile = models.CharField("本籍", max_length=200)
    # The 住民票コード of a person who lived here: the key of their 戸籍の附票 (住基法17条の2).
    juminhyo_code = models.CharField("住民票コード", max_length=11, blank=True, default="", db_default="")
    left_japan_on = models.DateField("国外へ転出した日", null=True)
    moved_out_filed_on = models.DateField("転出届の日", null=True)
    planned_move_out_on = models.DateField("転出予定日", null=True)
    mission = models.CharField("在外公館", max_length=100, blank=True, default="")
    overseas_address = models.CharField("国外の住所", max_length=200, blank=True, default="")
    arrived_on = models.DateField("管轄区域内に住所を定めた日", null=True)
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField("決定日", null=True)
    refusal_reason = models.CharField("却下の理由", max_length=200, blank=True, default="")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "overseas_electors_application"
        indexes = [models.Index(fields=["lg_code", "status", "id"], name="oe_application_status")]


class Entry(TenantModel):
    """A voter on the 在外選挙人名簿 (its 在外選挙人証 number is the entry's number)."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="entry")
    atena_no = models.CharField("宛名番号", max_length=15, blank=True, default="")
    name = models.CharField("氏名", max_length=100)
    birth_date = models.DateField("生年月日")
    basis = models.CharField("登録の根拠", max_length=14, choices=Basis.choices)
    domestic_address = models.CharField("最終住所又は本籍", max_length=200)
    mission = models.CharField("在外公館", max_length=100)
    overseas_address = models.CharField("国外の住所", max_length=200)
    card_no = models.CharField("在外選挙人証番号", max_length=12)
    registered_on = models.DateField("登録日")
    # 国内住所を定めた日 as the 戸籍の附票 records it (30条の11第1項第2号): the entry is marked and
    # struck off four months later.
    came_home_on = models.DateField("国内住所を定めた日", null=True)
    struck_off_on = models.DateField("抹消日", null=True)
    struck_off_reason = models.CharField(
        "抹消事由", max_length=12, choices=StruckOff.choices, blank=True, default=""
    )
    updated_at = models.DateTimeField()

    class Meta:
        db_table = "overseas_electors_entry"
        indexes = [models.Index(fields=["lg_code", "came_home_on"], name="oe_entry_came_home")]
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "card_no"], name="oe_entry_card_no"),
            models.UniqueConstraint(
                fields=["lg_code", "atena_no"],
                condition=models.Q(struck_off_on__isnull=True) & ~models.Q(atena_no=""),
                name="oe_entry_open_once",
            ),
        ]


class EntryChange(TenantModel):
    """A line of an entry's history (append-only)."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="changes")
    change = models.CharField("種別", max_length=12, choices=Change.choices)
    on = models.DateField("日")
    detail = models.JSONField("内容", default=dict)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "overseas_electors_entry_change"
        indexes = [models.Index(fields=["lg_code", "entry", "id"], name="oe_change_entry")]


class AnnexNotice(TenantModel):
    """The notice to the 本籍地's 市町村長 that a registration or a 抹消 is to be written on the
    person's 戸籍の附票 (住民基本台帳法17条の2; civil-facts §1.4). When the person is on a 附票 of
    this town the note is written through the 附票 app's door at once (``recorded_here``); else
    it is a work item until the clerk sends it to the 本籍地 and records the day."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="notices")
    change = models.CharField("通知する事項", max_length=12, choices=Change.choices)
    on = models.DateField("登録日又は抹消日")
    domicile = models.CharField("本籍", max_length=200)
    sent_on = models.DateField("送付日", null=True)
    # The 本籍 is here and the 附票 app wrote the note on the person's 附票 at once (nothing to send).
    recorded_here = models.BooleanField("この団体の附票に記載済み", default=False, db_default=False)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "overseas_electors_annex_notice"
        indexes = [models.Index(fields=["lg_code", "sent_on", "id"], name="oe_notice_open")]


class DepartureLead(TenantModel):
    """A 国外転出 the registry reported (its ``moved-out`` event with the 消除事由 国外転出): the
    person may make a 出国時申請 from the 転出届's day to the 転出予定日 (civil-facts §1.4)."""

    atena_no = models.CharField("宛名番号", max_length=15)
    filed_on = models.DateField("転出届の日")
    planned_on = models.DateField("転出予定日")
    status = models.CharField("状態", max_length=10, choices=LeadStatus.choices, default=LeadStatus.OPEN)
    source_event = models.CharField("イベントID", max_length=40)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "overseas_electors_departure_lead"
        indexes = [models.Index(fields=["lg_code", "status", "planned_on"], name="oe_lead_open")]
        constraints = [models.UniqueConstraint(fields=["lg_code", "source_event"], name="oe_lead_event_once")]


class FeedPosition(FeedCursor):
    """How far the 在外選挙人名簿 consumer has read the registry's events."""

    class Meta(FeedCursor.Meta):
        db_table = "overseas_electors_feed_position"
