"""What the certificates app declares to the platform: its API scope and who may issue.

Issuing a certificate discloses a 住民票: the counter issues; an administrator keeps the
municipality's settings (市区町村長名, 公印, 手数料) and its signing key (docs/certificates.md).
"""

from __future__ import annotations

from yakuba.platform.identity import scopes
from yakuba.platform.identity.roles import Role

ISSUE = "certificates:issue"
# Asking whether a presented certificate is genuine: reveals no personal data (a one-word
# answer), so a client of another system (a bank's, another office's) may hold it alone.
VERIFY = "certificates:verify"

ISSUE_ROLES = frozenset({Role.COUNTER})
ADMIN_ROLES = frozenset({Role.ADMIN})


def declare() -> None:
    """Called once from ``CertificatesConfig.ready``."""
    scopes.register(ISSUE, "証明書の発行・再発行・取消し")
    scopes.register(VERIFY, "証明書の真正性の確認（個人情報は返さない）")
