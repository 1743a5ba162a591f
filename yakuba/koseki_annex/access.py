"""Who works the 附票 on screen (docs/koseki_annex.md「画面」): the 戸籍係 (the 戸籍 role) keeps it
beside the 戸籍 — 照会 and the 附票記載事項通知; its copy is handed over at the counter too, as the
戸籍's certificates are (the 窓口 and the 戸籍係 issue it)."""

from __future__ import annotations

from yakuba.platform.identity.roles import Role

STAFF_ROLES = frozenset({Role.KOSEKI})
ISSUE_ROLES = frozenset({Role.KOSEKI, Role.COUNTER})
