"""Who may use the 後期高齢者医療 screens: the 保険年金 staff (Role.INSURANCE, issue 16) — the 保険年金課
that keeps 国保, 後期, 介護 and 国民年金. Other roles get 403 (住民記録システム標準仕様書 §10.3:
利用者ごとの機能制限)."""

from yakuba.platform.identity.roles import Role

STAFF_ROLES = frozenset({Role.INSURANCE})
