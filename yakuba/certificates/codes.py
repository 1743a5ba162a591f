"""Code values of the certificates (住民記録システム標準仕様書 §5; docs/reference/registry-facts.md §12)."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    JUMINHYO_COPY = "juminhyo_copy", "住民票の写し"
    ENTRY_CERTIFICATE = "entry_certificate", "住民票記載事項証明書"
    REMOVED_COPY = "removed_copy", "住民票の除票の写し"
    REMOVED_ENTRY_CERTIFICATE = "removed_entry_certificate", "住民票の除票記載事項証明書"
    MOVE_OUT_CERTIFICATE = "move_out_certificate", "転出証明書"
    # Written by another app through ``issue_document`` (its content, this machinery).
    INCOME_CERTIFICATE = "income_certificate", "所得・課税証明書"
    SEAL_CERTIFICATE = "seal_certificate", "印鑑登録証明書"
    # 戸籍法 第10条〜第10条の3, 第120条 (civil-facts §3.3), written by the 戸籍 app.
    KOSEKI_FULL = "koseki_full", "戸籍全部事項証明書"
    KOSEKI_INDIVIDUAL = "koseki_individual", "戸籍個人事項証明書"
    JOSEKI_FULL = "joseki_full", "除籍全部事項証明書"
    ORIGINAL_KOSEKI = "original_koseki", "改製原戸籍謄本"
    # 住民基本台帳法 第20条, written by the 附票 app.
    ANNEX_COPY = "annex_copy", "戸籍の附票の写し"


class Layout(models.TextChoices):
    """世帯連記式 (at most four persons a sheet) or 個人票 (one person, A4 portrait); 除票 only
    as 個人票 (municipal notices of the standardized forms, registry-facts §12)."""

    HOUSEHOLD = "household", "世帯連記式"
    INDIVIDUAL = "individual", "個人票"
    KOSEKI = "koseki", "戸籍事項証明（戸籍事項・身分事項欄）"
    ANNEX = "annex", "附票（住所の履歴）"


class Requester(models.TextChoices):
    """Who asked (住民基本台帳法 第12条 本人等, 第12条の2 公用, 第12条の3 第三者; for the 戸籍
    戸籍法 第10条 本人・配偶者・直系尊属・直系卑属, 第10条の2 第三者・公用・職務上請求)."""

    SELF = "self", "本人"
    HOUSEHOLD = "household", "同一世帯の者"
    AGENT = "agent", "代理人"
    THIRD_PARTY = "third_party", "第三者"
    OFFICIAL = "official", "公用（国・地方公共団体の機関）"
    SPOUSE = "spouse", "配偶者"
    LINEAL = "lineal", "直系尊属・直系卑属"
    PROFESSIONAL = "professional", "職務上請求（弁護士・司法書士等）"
