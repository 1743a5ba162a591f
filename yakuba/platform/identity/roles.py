"""Staff roles and which of them may see the restricted fields.

住民記録システム標準仕様書 §10.3 requires show/hide per role for 戸籍の表示 (本籍・筆頭者),
個人番号 and 住民票コード on every screen. The matrix below is the default; a municipality that
needs another split changes it here, in one place, and every screen and API follows.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    COUNTER = "counter", "窓口"
    TAX = "tax", "税務"
    WELFARE = "welfare", "福祉"
    ADMIN = "admin", "管理者"
    AUDITOR = "auditor", "監査"


class RestrictedField(models.TextChoices):
    MY_NUMBER = "my_number", "個人番号"
    JUMINHYO_CODE = "juminhyo_code", "住民票コード"
    DOMICILE = "domicile", "本籍・筆頭者"


# 個人番号 is for the マイナンバー利用事務 (counter, tax, welfare); 住民票コード only for the
# registry counter; 本籍 for the counter (certificates) and tax (相続人調査). Administrators
# run the system and auditors read logs: neither sees these fields.
FIELD_VISIBILITY: dict[str, frozenset[str]] = {
    RestrictedField.MY_NUMBER: frozenset({Role.COUNTER, Role.TAX, Role.WELFARE}),
    RestrictedField.JUMINHYO_CODE: frozenset({Role.COUNTER}),
    RestrictedField.DOMICILE: frozenset({Role.COUNTER, Role.TAX}),
}


def visible_fields(roles: set[str] | frozenset[str]) -> frozenset[str]:
    """Restricted fields that a holder of ``roles`` may see."""
    return frozenset(f for f, allowed in FIELD_VISIBILITY.items() if allowed & set(roles))


def can_see(roles: set[str] | frozenset[str], field: str) -> bool:
    return bool(FIELD_VISIBILITY[field] & set(roles))
