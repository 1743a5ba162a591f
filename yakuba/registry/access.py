"""What the registry declares to the platform: its API scopes and its restricted fields.

住民記録システム標準仕様書 §10.3: 個人番号, 住民票コード and 本籍・筆頭者 are shown or hidden per
role on every screen. 個人番号 is for the マイナンバー利用事務 (counter, tax, welfare); 住民票コード
only for the registry counter; 本籍 for the counter (certificates) and tax (相続人調査).
Administrators run the system and auditors read logs: neither sees these fields. A municipality
that needs another split changes it here, and every screen and the API follow.
"""

from __future__ import annotations

from yakuba.platform.identity import roles, scopes
from yakuba.platform.identity.roles import Role

READ = "registry:read"
WRITE = "registry:write"
MY_NUMBER_SCOPE = "registry:mynumber"
PROTECTION = "registry:protection"
PROTECTED = "registry:protected"
ADDRESS_OVERRIDE = "registry:address-override"

MY_NUMBER = "my_number"
JUMINHYO_CODE = "juminhyo_code"
DOMICILE = "domicile"


def declare() -> None:
    """Called once from ``RegistryConfig.ready``."""
    scopes.register(READ, "住民記録の参照")
    scopes.register(WRITE, "住民記録の異動")
    scopes.register(MY_NUMBER_SCOPE, "個人番号の参照（個人番号利用事務系のみ）", mynumber=True)
    scopes.register(PROTECTION, "支援措置の設定・延長・終了")
    scopes.register(PROTECTED, "支援措置の対象者の参照・異動・イベント受信")
    scopes.register(ADDRESS_OVERRIDE, "住所辞書にない住所の職権記載（異動の unlisted）")
    roles.restrict(MY_NUMBER, "個人番号", {Role.COUNTER, Role.TAX, Role.WELFARE, Role.INSURANCE})
    roles.restrict(JUMINHYO_CODE, "住民票コード", {Role.COUNTER})
    roles.restrict(DOMICILE, "本籍・筆頭者", {Role.COUNTER, Role.TAX})
