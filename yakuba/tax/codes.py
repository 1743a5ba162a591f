"""Codes of the 個人住民税 records (税務システム標準仕様書: 課税資料, 賦課, 徴収方法)."""

from __future__ import annotations

from django.db import models


class ReportKind(models.TextChoices):
    """課税資料: where a person's income facts come from."""

    SALARY = "salary", "給与支払報告書"
    PENSION = "pension", "公的年金等支払報告書"
    DECLARATION = "declaration", "住民税申告書"


class Match(models.TextChoices):
    """How a report was joined to a resident (the unmatched go to the review list; a clerk joins
    one by hand, or sets it aside as about someone this municipality does not tax)."""

    MY_NUMBER = "my_number", "個人番号"
    IDENTITY = "identity", "氏名・生年月日・住所"
    MANUAL = "manual", "職員が確認"
    UNMATCHED = "unmatched", "未突合"
    OUTSIDE = "outside", "当市の住民ではない"


class Reason(models.TextChoices):
    """Why an assessment version exists (地方税法 §319 ff.: 賦課, 更正, 賦課の取消し)."""

    INITIAL = "initial", "当初課税"
    CORRECTION = "correction", "更正"
    CANCELLATION = "cancellation", "賦課の取消し"


class Collection(models.TextChoices):
    """徴収方法 (地方税法 §319, §321の3, §321の7の2)."""

    PAYROLL = "payroll", "特別徴収（給与）"
    DIRECT = "direct", "普通徴収"
    PENSION = "pension", "特別徴収（年金）"
    NONE = "none", "税額なし"


class RunState(models.TextChoices):
    RUNNING = "running", "実行中"
    DONE = "done", "完了"
