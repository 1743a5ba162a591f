"""The 確認 of a certificate before it is issued: page 1 as it will print, without a number.

住民記録システム標準仕様書 §5 (証明): the clerk checks the persons and items before the
certificate is issued and counted. A preview takes no 発行番号 and writes no 交付履歴 row — the
number printed is 「（発行時に付番）」 and there is no QR code (it would name a number that does
not exist) — but it shows personal data, so it is audited as a read. The rules are those of
``issuing.issue`` (who may ask, 支援措置, 個人番号, settings registered), checked by the same
``issuing.prepare``, so a preview is refused exactly where the issue would be.
"""

from __future__ import annotations

from django.utils import timezone

from yakuba.certificates.services import issuing, render
from yakuba.certificates.services.content import CertificateRequest
from yakuba.platform.audit import log as audit_log
from yakuba.platform.audit.log import Action
from yakuba.registry.services import Visibility

PLACEHOLDER_NUMBER = "（発行時に付番）"


def preview(
    request: CertificateRequest, *, requester: issuing.RequesterInfo, visibility: Visibility
) -> bytes:
    """PNG of page 1; ``RuleViolation`` for what ``issue`` would refuse."""
    document, issuer = issuing.prepare(request, requester=requester, visibility=visibility)
    info = issuing.issue_info(
        issuer, number=PLACEHOLDER_NUMBER, issued_on=timezone.localdate(), serial=0, qr_svg=""
    )
    png = render.render_png(document, info)
    audit_log.record(
        Action.READ,
        "certificate_preview",
        subjects=document.atena_nos,
        purpose=requester.purpose,
        my_number_shown=request.my_number,
        detail={"kind": request.kind, "requester": requester.type},
    )
    return png
