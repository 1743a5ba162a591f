"""Who may use the 児童手当 screens: the 福祉 staff (Role.WELFARE) — 児童手当 is the 子育て支援課's
work. Other roles get 403 (住民記録システム標準仕様書 §10.3: 利用者ごとの機能制限). Persons under
支援措置 stay hidden from these roles as on the registry's screens (only 窓口 and 管理者 may see
them); the monthly age review and the feed consumer run from the CLI as the system."""

from yakuba.platform.identity.roles import Role

STAFF_ROLES = frozenset({Role.WELFARE})
