"""What a clerk may put on a certificate, from the roles (住民記録システム標準仕様書 §10.3).

The registry's screens build their ``Visibility`` in ``yakuba.registry.ui.access``, which this
domain may not import (only the registry's door): the same rule is written here from the
platform's field matrix, whose field names the registry declared (``my_number``,
``juminhyo_code``, ``domicile``). Persons under 支援措置 (住民基本台帳事務処理要領) are seen by
the roles that handle the measure, 窓口 and 管理者, as on the registry's screens.
"""

from __future__ import annotations

from django.conf import settings

from yakuba.platform.identity.roles import FIELD_VISIBILITY, Role
from yakuba.platform.identity.scopes import Zone
from yakuba.registry.services import Visibility

PROTECTED_PERSON_ROLES = frozenset({Role.COUNTER, Role.ADMIN})


def _can_see(roles, field: str) -> bool:
    return bool(FIELD_VISIBILITY.get(field, frozenset()) & set(roles))


def may_include_my_number(roles) -> bool:
    """個人番号 on a certificate: a role that may see it, on the 個人番号利用事務系 only
    (an LGWAN-side deployment prints it for nobody)."""
    return _can_see(roles, "my_number") and settings.ZONE == Zone.MYNUMBER


def may_see_protected(roles) -> bool:
    return bool(PROTECTED_PERSON_ROLES & set(roles))


def visibility(roles, *, my_number: bool = False) -> Visibility:
    """The door's visibility for these roles; 個人番号 only when the certificate asks for it."""
    return Visibility(
        my_number=my_number and may_include_my_number(roles),
        juminhyo_code=_can_see(roles, "juminhyo_code"),
        domicile=_can_see(roles, "domicile"),
        protected=may_see_protected(roles),
    )
