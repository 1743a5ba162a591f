"""戸籍 tables (docs/koseki.md): the 戸籍, their members, the 身分事項 and 戸籍事項 entries, and the
届出 with their 受理 or 不受理.

A 戸籍 is one couple and their children of the same 氏 (戸籍法6条), written in order (14条) under
its 本籍 and 筆頭者. Its members keep the place they were written in: a 除籍 marks the row (the
day and the reason, once) and never removes it, as the 筆頭者 stays 筆頭者 after death
(civil-facts §3.1). What happened to a person is an ``Entry`` (身分事項; with no member: a
戸籍事項 such as 編製, 転籍, 消除) — append-only: a correction is a new entry. The columns of
``Koseki`` and ``Member`` that change (本籍 on a 管内転籍, the 振り仮名, a 除籍) are the current
state the entries explain.

Names are stored exactly as given, code point by code point (variation selectors included);
nothing is Unicode-normalised (civil-facts §3.5, ``rules/characters.py``).
"""

from __future__ import annotations

from django.db import models

from yakuba.koseki.codes import Event, Kind, Outcome, Role, Sex
from yakuba.koseki.rules.furigana import Source
from yakuba.platform.tenancy.models import TenantModel

_SOURCES = [
    (Source.NONE.value, "未記載"),
    (Source.FILED.value, "届出"),
    (Source.EX_OFFICIO.value, "職権"),
    (Source.CHANGED.value, "職権記載後の届出"),
]


class Koseki(TenantModel):
    """One 戸籍: its 本籍, 筆頭者 and 氏, when it was made and when it was closed (除籍)."""

    koseki_id = models.CharField("戸籍ID", max_length=10)
    honseki = models.CharField("本籍", max_length=200)
    hittosha = models.CharField("筆頭者氏名", max_length=100)
    surname = models.CharField("氏", max_length=50)
    surname_kana = models.CharField("氏の振り仮名", max_length=100, blank=True, default="")
    surname_kana_source = models.CharField(
        "氏の振り仮名の記載の根拠", max_length=12, choices=_SOURCES, default=Source.NONE.value
    )
    formed_on = models.DateField("編製日")
    formed_reason = models.CharField("編製事由", max_length=12, choices=Event.choices)
    closed_on = models.DateField("消除日", null=True)
    closed_reason = models.CharField("消除事由", max_length=12, choices=Event.choices, blank=True)
    # A 改製原戸籍 is the form before an 改製 (e.g. the 平成改製原戸籍): kept and printable,
    # never written to again.
    original = models.BooleanField("改製原戸籍", default=False)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "koseki_koseki"
        constraints = [models.UniqueConstraint(fields=["lg_code", "koseki_id"], name="koseki_id_unique")]
        indexes = [models.Index(fields=["lg_code", "honseki"], name="koseki_honseki")]


class Member(TenantModel):
    """A person written in a 戸籍, at their place (14条). The same person in another 戸籍 (before a
    婚姻, after a 転籍 …) is another row with the same ``person_id``."""

    koseki = models.ForeignKey(Koseki, on_delete=models.PROTECT, related_name="members")
    position = models.PositiveSmallIntegerField("順位")
    person_id = models.CharField("個人ID", max_length=10)
    role = models.CharField("身分", max_length=8, choices=Role.choices)
    given_name = models.CharField("名", max_length=50)
    given_name_kana = models.CharField("名の振り仮名", max_length=100, blank=True, default="")
    given_name_kana_source = models.CharField(
        "名の振り仮名の記載の根拠", max_length=12, choices=_SOURCES, default=Source.NONE.value
    )
    # The reading the 本籍地's 通知 announced (改正戸籍法附則): recorded by 職権 from 2026-05-26 for
    # those who filed nothing — 氏 and 名 apart, "" when none was notified.
    notified_surname_kana = models.CharField("通知した氏の振り仮名", max_length=100, blank=True, default="")
    notified_given_name_kana = models.CharField(
        "通知した名の振り仮名", max_length=100, blank=True, default=""
    )
    birth_date = models.DateField("生年月日")
    sex = models.CharField("性別", max_length=8, choices=Sex.choices)
    father = models.CharField("父", max_length=100, blank=True, default="")
    mother = models.CharField("母", max_length=100, blank=True, default="")
    # The parents' person_id when they are in a 戸籍 here (a child born here): a child's 続柄 is
    # their rank among the same parents' children (rules/order.child_relationship).
    father_id = models.CharField("父の個人ID", max_length=10, blank=True, default="")
    mother_id = models.CharField("母の個人ID", max_length=10, blank=True, default="")
    relationship = models.CharField("続柄", max_length=10)
    # 養父母 and the 続柄 to them (法13条: 養子であるときは養親の氏名及び養親との続柄), kept
    # while the 縁組 lasts; a 離縁 empties them and leaves its entry.
    adoptive_father = models.CharField("養父", max_length=100, blank=True, default="")
    adoptive_mother = models.CharField("養母", max_length=100, blank=True, default="")
    adoptive_relationship = models.CharField("養親との続柄", max_length=10, blank=True, default="")
    entered_on = models.DateField("入籍の日")
    entered_reason = models.CharField("入籍事由", max_length=12, choices=Event.choices)
    from_koseki = models.CharField("従前戸籍", max_length=300, blank=True, default="")
    removed_on = models.DateField("除籍の日", null=True)
    removed_reason = models.CharField("除籍事由", max_length=12, choices=Event.choices, blank=True)
    to_koseki = models.CharField("入籍先の戸籍", max_length=300, blank=True, default="")
    atena_no = models.CharField("宛名番号", max_length=15, blank=True, default="")

    class Meta:
        db_table = "koseki_member"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "koseki", "position"], name="koseki_member_position"),
            # A person is in one 戸籍 at a time; their 除籍 rows stay (a 復籍 writes them again).
            models.UniqueConstraint(
                fields=["lg_code", "person_id"],
                condition=models.Q(removed_on=None),
                name="koseki_member_present",
            ),
        ]
        indexes = [
            models.Index(fields=["lg_code", "person_id"], name="koseki_member_person_idx"),
            models.Index(fields=["lg_code", "mother_id"], name="koseki_member_mother"),
        ]


class Notification(TenantModel):
    """A 届出 as filed: its kind, days, 受理 or 不受理 with every reason, and the 届書 itself."""

    notification_no = models.CharField("受付番号", max_length=10)
    kind = models.CharField("届出の種類", max_length=12, choices=Kind.choices)
    filed_on = models.DateField("届出日")
    event_on = models.DateField("届出事件の日", null=True)
    deadline = models.DateField("届出期間の末日", null=True)
    late = models.BooleanField("期間経過", default=False)
    outcome = models.CharField("受理・不受理", max_length=10, choices=Outcome.choices)
    reasons = models.JSONField("不受理の理由", default=list)
    data = models.JSONField("届書の内容")
    person_id = models.CharField("事件本人の個人ID", max_length=10, blank=True, default="")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "koseki_notification"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "notification_no"], name="koseki_notification_no")
        ]


class Entry(TenantModel):
    """One 身分事項 of a member, or (``member`` empty) one 戸籍事項 of the 戸籍 — never changed."""

    koseki = models.ForeignKey(Koseki, on_delete=models.PROTECT, related_name="entries")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, related_name="entries")
    event = models.CharField("事項", max_length=12, choices=Event.choices)
    on = models.DateField("事件の日")
    recorded_on = models.DateField("記載日")
    notification = models.ForeignKey(Notification, on_delete=models.PROTECT, null=True)
    detail = models.JSONField("内容", default=dict)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "koseki_entry"
        indexes = [
            models.Index(fields=["lg_code", "koseki", "id"], name="koseki_entry_koseki"),
            models.Index(fields=["lg_code", "member", "id"], name="koseki_entry_member"),
        ]
