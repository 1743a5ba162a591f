"""Codes of the 国民年金 届出 and 免除等 申請 the municipality takes (insurance-welfare-facts §5;
国民年金法 §12: the 第1号被保険者's 届出 go to the 市町村長)."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    """届出の種別 (国民年金法施行規則 §1の2〜§8: 資格取得届, 資格喪失届, 種別変更届, 住所変更届,
    氏名変更届)."""

    ACQUIRED = "acquired", "資格取得"
    LOST = "lost", "資格喪失"
    KIND_CHANGE = "kind_change", "種別変更"
    ADDRESS_CHANGE = "address_change", "住所変更"
    NAME_CHANGE = "name_change", "氏名変更"


class Reason(models.TextChoices):
    """届出の事由; which belong to which 種別 is ``rules.notification.REASONS``. A change from 第1号
    to 第2号 or 第3号 is no 届出 to the municipality (the employer files it with 年金機構), so
    the 種別変更 it takes are to 第1号 only (insurance-welfare-facts §5)."""

    AGE_20 = "age_20", "20歳到達"
    MOVE_IN = "move_in", "転入（国外からの転入を含む）"
    FROM_SECOND = "from_second", "第2号から第1号（厚生年金・共済の資格喪失）"
    FROM_THIRD = "from_third", "第3号から第1号（被扶養配偶者でなくなった）"
    DEATH = "death", "死亡"
    EMIGRATION = "emigration", "国外転出"
    AGE_60 = "age_60", "60歳到達"
    ADDRESS = "address", "住所の変更"
    NAME = "name", "氏名の変更"
    OTHER = "other", "その他"


class Applied(models.TextChoices):
    """申請する免除等 (国民年金法 §90, §90の2, §90の3; 平成26年改正法附則 §14)."""

    FULL = "full", "全額免除"
    THREE_QUARTERS = "three_quarters", "4分の3免除"
    HALF = "half", "半額免除"
    QUARTER = "quarter", "4分の1免除"
    DEFERRAL = "deferral", "納付猶予"
    STUDENT = "student", "学生納付特例"
