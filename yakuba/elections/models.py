"""選挙人名簿 tables (docs/elections.md): the registration runs, the entries and their history.

Voters are named by the registry's 宛名番号; the roll keeps no copy of 氏名 or 住所 in this
increment (they are read through the registry's door when a 抄本 is printed). 永久選挙人名簿
(civil-facts §1.1): an entry stays until struck off; a 表示 and a 抹消 set the entry's dates and
add a line to ``EntryChange``, which is never rewritten.
"""

from __future__ import annotations

from django.db import models

from yakuba.elections.codes import Change, Kind, StruckOff
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
        "抹消事由", max_length=10, choices=StruckOff.choices, blank=True, default=""
    )
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
    """A line of an entry's history: 登録, 表示 or 抹消, its day and the run that did it (append-only)."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="changes")
    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="+")
    change = models.CharField("種別", max_length=12, choices=Change.choices)
    on = models.DateField("日")
    detail = models.JSONField("内容", default=dict)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "elections_entry_change"
        indexes = [models.Index(fields=["lg_code", "entry", "id"], name="el_change_entry")]
