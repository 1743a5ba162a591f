"""Staff roles and which of them may see the restricted fields.

住民記録システム標準仕様書 §10.3 requires show/hide per role for restricted items (本籍・筆頭者,
個人番号, 住民票コード) on every screen. The roles are the platform's; each domain declares its
restricted fields and who may see them (``restrict``), in one place, and every screen follows.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    COUNTER = "counter", "窓口"
    TAX = "tax", "税務"
    WELFARE = "welfare", "福祉"
    # 保険年金課: 国民健康保険, 後期高齢者医療, 介護保険, 国民年金 (issue 16)
    INSURANCE = "insurance", "保険年金"
    # 選挙管理委員会の事務局: the 選挙人名簿, its 閲覧 and the 在外選挙人名簿 (issue 18)
    ELECTION = "election", "選挙管理委員会"
    # 市民課の戸籍係: 戸籍 and 戸籍の附票 — the 届出, the 振り仮名 and their certificates (issue 19)
    KOSEKI = "koseki", "戸籍"
    ADMIN = "admin", "管理者"
    AUDITOR = "auditor", "監査"


# Restricted fields and the roles that may see each: declared by the domain that holds the field
# (``restrict`` from its AppConfig.ready). Administrators run the system and auditors read logs:
# by default they see none.
FIELD_VISIBILITY: dict[str, frozenset[str]] = {}
FIELD_LABELS: dict[str, str] = {}


def restrict(field: str, label: str, roles: set[str] | frozenset[str]) -> str:
    """Declare a restricted field, its label on screens and the roles that may see it."""
    if field in FIELD_VISIBILITY and FIELD_VISIBILITY[field] != frozenset(roles):
        raise ValueError(f"restricted field {field} declared twice with different roles")
    FIELD_VISIBILITY[field] = frozenset(roles)
    FIELD_LABELS[field] = label
    return field


def visible_fields(roles: set[str] | frozenset[str]) -> frozenset[str]:
    """Restricted fields that a holder of ``roles`` may see."""
    return frozenset(f for f, allowed in FIELD_VISIBILITY.items() if allowed & set(roles))


def can_see(roles: set[str] | frozenset[str], field: str) -> bool:
    return bool(FIELD_VISIBILITY[field] & set(roles))
