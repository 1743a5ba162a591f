"""Codes of the 戸籍 app (docs/koseki.md): the 届出 kinds, a 届出's outcome, a member's place in
the 戸籍 and the kinds of 身分事項 (civil-facts §3.1–§3.4)."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    """The 届出 the app processes (civil-facts §3.2): 報告的 (出生, 死亡) and 創設的 (the rest)."""

    BIRTH = "birth", "出生届"
    MARRIAGE = "marriage", "婚姻届"
    DIVORCE = "divorce", "離婚届"
    DEATH = "death", "死亡届"
    TRANSFER = "transfer", "転籍届"
    ENTRY = "entry", "入籍届"
    FURIGANA = "furigana", "氏名の振り仮名の届"
    ADOPTION = "adoption", "養子縁組届"
    DISSOLUTION = "dissolve", "養子離縁届"
    ACKNOWLEDGEMENT = "acknowledge", "認知届"
    DIVISION = "division", "分籍届"
    SURNAME_CHANGE = "surname", "氏の変更届"
    GIVEN_NAME_CHANGE = "given_name", "名の変更届"


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", "受理"
    REFUSED = "refused", "不受理"


class Role(models.TextChoices):
    """A member's place in the 戸籍 (法14条): it decides the order at 編製."""

    HEAD = "head", "筆頭者"
    SPOUSE = "spouse", "配偶者"
    CHILD = "child", "子"


class Sex(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Event(models.TextChoices):
    """The kinds of 身分事項 (施行規則35条) and of the 戸籍事項 (編製, 転籍, 除籍) kept as entries."""

    FORMED = "formed", "戸籍編製"
    CLOSED = "closed", "戸籍消除"
    BIRTH = "birth", "出生"
    MARRIAGE = "marriage", "婚姻"
    DIVORCE = "divorce", "離婚"
    DEATH = "death", "死亡"
    TRANSFER = "transfer", "転籍"
    ENTRY = "entry", "入籍"
    LEFT = "left", "除籍"
    FURIGANA = "furigana", "氏名の振り仮名"
    ADOPTION = "adoption", "養子縁組"
    DISSOLUTION = "dissolve", "養子離縁"
    ACKNOWLEDGEMENT = "acknowledge", "認知"
    DIVISION = "division", "分籍"
    SURNAME_CHANGE = "surname", "氏の変更"
    GIVEN_NAME_CHANGE = "given_name", "名の変更"
    REMADE = "remade", "改製"
