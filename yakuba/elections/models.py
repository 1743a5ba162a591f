"""選挙人名簿 tables (docs/elections.md): the registration runs, the entries and their history.

Voters are named by the registry's 宛名番号; the roll keeps no copy of 氏名 or 住所 in this
increment (they are read through the registry's door when a 抄本 is printed). 永久選挙人名簿
(civil-facts §1.1): an entry stays until struck off; a 表示 and a 抹消 set the entry's dates and
add a line to ``EntryChange``, which is never rewritten.
"""

from __future__ import annotations

from django.db import models

from yakuba.elections.codes import Basis, Change, Kind, StruckOff, ViewingDecision, ViewingPurpose
from yakuba.platform.linkage.consumer import FeedCursor
from yakuba.platform.tenancy.models import TenantModel


class Run(TenantModel):
    """One 定時登録 or 選挙時登録: its 基準日, 登録日 and 年齢期限日 (civil-facts §1.7), and what it did."""

    kind = models.CharField("登録の種類", max_length=10, choices=Kind.choices)
    kijun = models.DateField("基準日")
    registered_on = models.DateField("登録日")
    election_day = models.DateField("選挙期日", null=True)
    age_deadline = models.DateField("年齢期限日")
    added = models.IntegerField("登録した人数", default=0)
    marked = models.IntegerField("表示した人数", default=0)
    struck_off = models.IntegerField("抹消した人数", default=0)
    # The REGISTERED events of the run's entries go out after the run, a page at a time, each page
    # one transaction with this cursor (the last entry id sent; NULL when all are sent): the
    # entries are the outbox (services.register.announce).
    announced_after = models.BigIntegerField("登録イベントを送った最後の登録ID", null=True)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "elections_run"
        constraints = [models.UniqueConstraint(fields=["lg_code", "kind", "kijun"], name="el_run_once")]


class Entry(TenantModel):
    """A voter on the roll: one open (not struck-off) entry per person; a person struck off who
    qualifies again gets a new entry."""

    atena_no = models.CharField("宛名番号", max_length=15)
    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="+")
    registered_on = models.DateField("登録日")
    tohyoku = models.CharField("投票区", max_length=40)
    marked_on = models.DateField("表示日", null=True)
    moved_out_on = models.DateField("転出日", null=True)
    struck_off_on = models.DateField("抹消日", null=True)
    struck_off_reason = models.CharField(
        "抹消事由", max_length=12, choices=StruckOff.choices, blank=True, default=""
    )
    # 表示 of loss of 選挙権 (法27条1項): from the day the 選管 learns of it until the 表示 is
    # removed (選挙権の回復); the history is in EntryChange.
    lost_suffrage_on = models.DateField("選挙権を有しない旨の表示日", null=True)
    suffrage_restored_on = models.DateField("表示の消除日", null=True)
    basis = models.CharField(
        "登録の根拠", max_length=16, choices=Basis.choices, default=Basis.RESIDENT, db_default=Basis.RESIDENT
    )
    # A 旧住所地 registration (法21条2項) records the old address and the day the person stopped
    # living here (公職選挙法施行令; civil-facts §1.1 "Contents").
    former_address = models.CharField("旧住所", max_length=200, blank=True, default="", db_default="")
    left_on = models.DateField("住所を有しなくなった日", null=True)
    updated_at = models.DateTimeField()

    class Meta:
        db_table = "elections_entry"
        indexes = [models.Index(fields=["lg_code", "registered_on", "atena_no"], name="el_entry_registered")]
        constraints = [
            models.UniqueConstraint(
                fields=["lg_code", "atena_no"],
                condition=models.Q(struck_off_on__isnull=True),
                name="el_entry_open_once",
            )
        ]


class EntryChange(TenantModel):
    """A line of an entry's history: 登録, 表示, 投票区の変更 or 抹消, its day and the run that did it
    (none for the registry consumer, a 投票区 plan or the clerk's 表示) — append-only."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="changes")
    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="+", null=True)
    change = models.CharField("種別", max_length=12, choices=Change.choices)
    on = models.DateField("日")
    detail = models.JSONField("内容", default=dict)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "elections_entry_change"
        indexes = [models.Index(fields=["lg_code", "entry", "id"], name="el_change_entry")]


class PrecinctPlan(TenantModel):
    """One 告示 of the 投票区 (公職選挙法17条2項): the areas in force from ``effective_from`` until the
    next plan's. Effective-dated because a 告示 changes them (civil-facts §1.5)."""

    effective_from = models.DateField("施行日")
    notice = models.CharField("告示", max_length=100, blank=True, default="")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "elections_precinct_plan"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "effective_from"], name="el_precinct_plan_once")
        ]


class Precinct(TenantModel):
    """A 投票区 of a plan: its code (the order of the 抄本) and name (``第1投票区``)."""

    plan = models.ForeignKey(PrecinctPlan, on_delete=models.CASCADE, related_name="precincts")
    code = models.CharField("投票区コード", max_length=10)
    name = models.CharField("投票区名", max_length=40)
    polling_place = models.CharField("投票所", max_length=100, blank=True, default="")

    class Meta:
        db_table = "elections_precinct"
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="el_precinct_code")]


class PrecinctArea(TenantModel):
    """One line of a plan: a 町字 and a 番地 range → the 投票区 (a 丁目 can be split, §1.5)."""

    plan = models.ForeignKey(PrecinctPlan, on_delete=models.CASCADE, related_name="areas")
    town_area = models.CharField("町字", max_length=100)
    from_no = models.IntegerField("番地から")
    to_no = models.IntegerField("番地まで")
    precinct_code = models.CharField("投票区コード", max_length=10)
    line = models.IntegerField("取込ファイルの行")

    class Meta:
        db_table = "elections_precinct_area"
        indexes = [models.Index(fields=["plan", "town_area", "from_no"], name="el_precinct_area_town")]


class Viewing(TenantModel):
    """A 閲覧の申出 and what was shown (公職選挙法28条の2〜28条の4; civil-facts §1.6): who asked,
    for which allowed purpose, the 選管's decision, the day and the 投票区 viewed. Every 閲覧 is
    one row and one audit line; the 選管 publishes the 閲覧の状況 from these rows."""

    requester_name = models.CharField("申出者の氏名・名称", max_length=100)
    requester_address = models.CharField("申出者の住所・所在地", max_length=200)
    representative = models.CharField("代表者", max_length=100, blank=True, default="")
    viewers = models.JSONField("閲覧者", default=list)
    purpose = models.CharField("閲覧の目的", max_length=12, choices=ViewingPurpose.choices)
    purpose_detail = models.TextField("目的の具体的な内容", blank=True, default="")
    persons = models.JSONField("確認する者（宛名番号）", default=list)
    precincts = models.JSONField("閲覧する投票区", default=list)
    identity = models.CharField("本人確認書類", max_length=100, blank=True, default="")
    requested_on = models.DateField("申出日")
    viewing_on = models.DateField("閲覧日")
    decision = models.CharField(
        "審査", max_length=10, choices=ViewingDecision.choices, default=ViewingDecision.PENDING
    )
    decided_on = models.DateField("審査日", null=True)
    refusal_reason = models.TextField("不承認の理由", blank=True, default="")
    shown = models.IntegerField("閲覧させた人数", default=0)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "elections_viewing"
        indexes = [models.Index(fields=["lg_code", "viewing_on"], name="el_viewing_day")]


class ElectionPeriod(TenantModel):
    """An election the 選管 has fixed: 公示・告示日 and 選挙期日 — the 閲覧 blackout (公示 to the
    5th day after the 選挙期日) and the 定時登録 inside an election period read it."""

    name = models.CharField("選挙の名称", max_length=100)
    announced_on = models.DateField("公示・告示日")
    election_day = models.DateField("選挙期日")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "elections_period"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "name", "election_day"], name="el_period_once")
        ]


class Departure(TenantModel):
    """A Japanese resident not on the roll who moved out (the registry's 転出 event, recorded by
    the consumer): the next runs look them up for the 旧住所地 registration (公職選挙法21条2項),
    which needs the persons who left in the four months before the 基準日 — the registry's door
    streams who is registered on a day, not who left."""

    atena_no = models.CharField("宛名番号", max_length=15)
    left_on = models.DateField("転出日")
    created_at = models.DateTimeField()

    class Meta:
        db_table = "elections_departure"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "atena_no", "left_on"], name="el_departure_once")
        ]
        indexes = [models.Index(fields=["lg_code", "left_on"], name="el_departure_day")]


class FeedPosition(FeedCursor):
    """How far the 選挙人名簿 consumer has read the registry's events (表示 on 転出, 抹消 on 死亡,
    投票区 on 転居 between runs)."""

    class Meta(FeedCursor.Meta):
        db_table = "elections_feed_position"
