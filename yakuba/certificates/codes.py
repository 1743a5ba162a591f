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


class Layout(models.TextChoices):
    """世帯連記式 (at most four persons a sheet) or 個人票 (one person, A4 portrait); 除票 only
    as 個人票 (municipal notices of the standardized forms, registry-facts §12)."""

    HOUSEHOLD = "household", "世帯連記式"
    INDIVIDUAL = "individual", "個人票"


class Requester(models.TextChoices):
    """Who asked (住民基本台帳法 第12条 本人等, 第12条の2 公用, 第12条の3 第三者)."""

    SELF = "self", "本人"
    HOUSEHOLD = "household", "同一世帯の者"
    AGENT = "agent", "代理人"
    THIRD_PARTY = "third_party", "第三者"
    OFFICIAL = "official", "公用（国・地方公共団体の機関）"
