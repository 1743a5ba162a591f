"""Who may use which 住民記録 screen, and what they see there.

住民記録システム標準仕様書 §10.3 (権限管理): functions are limited per user role, and 個人番号,
住民票コード and 本籍・筆頭者 are shown or hidden per role on every screen. The field matrix is
declared in ``yakuba.registry.access``; this module only adds the registry's screen rights:

- 窓口 (counter) and 管理者 (admin) run the registry: every screen, 異動入力 and 支援措置;
- 税務 and 福祉 look residents up for their own work: search and 照会, read-only;
- persons under 支援措置 (§3.4) are visible only to counter and admin, who handle the measure;
  for everyone else they do not exist (the services hide them).
"""

from __future__ import annotations

from yakuba.platform.identity.roles import Role, can_see
from yakuba.platform.identity.scopes import Zone
from yakuba.registry.access import DOMICILE, JUMINHYO_CODE, MY_NUMBER
from yakuba.registry.services import Visibility

WRITE_ROLES = frozenset({Role.COUNTER, Role.ADMIN})
READ_ROLES = WRITE_ROLES | {Role.TAX, Role.WELFARE, Role.INSURANCE}
PROTECTION_ROLES = frozenset({Role.COUNTER, Role.ADMIN})
PROTECTED_PERSON_ROLES = frozenset({Role.COUNTER, Role.ADMIN})


def may_write(roles) -> bool:
    return bool(WRITE_ROLES & set(roles))


def may_see_protected(roles) -> bool:
    return bool(PROTECTED_PERSON_ROLES & set(roles))


def may_reveal_my_number(roles) -> bool:
    """The role may see 個人番号 (§10.3) *and* this deployment serves the 個人番号利用事務系
    (三層の対策): an LGWAN-side deployment shows it to nobody, as its API does."""
    from django.conf import settings

    return can_see(roles, MY_NUMBER) and settings.ZONE == Zone.MYNUMBER


def visibility(roles, *, my_number: bool = False) -> Visibility:
    """The service visibility for these roles; 個人番号 only when explicitly revealed."""
    return Visibility(
        my_number=my_number and may_reveal_my_number(roles),
        juminhyo_code=can_see(roles, JUMINHYO_CODE),
        domicile=can_see(roles, DOMICILE),
        protected=may_see_protected(roles),
        unlisted_address=Role.ADMIN in roles,
    )
