"""Is this certificate one we issued, unchanged? — for whoever receives one.

A certificate is presented to a third party (a bank, an employer, another office), who asks the
issuing municipality whether it is genuine (住民記録システム標準仕様書 §5 証明: 改ざん防止;
docs/certificates.md, "Verification"). The answer is one word and reveals nothing of the person:
``genuine`` (issued, not voided, and — for a file — byte for byte the PDF issued with a valid
signature), ``altered`` (the number is ours but the file or the QR's digest differs), ``unknown``
(no such number here, or voided: a voided certificate is not told apart from a never-issued one,
so the answer cannot be used to learn that a certificate existed). Every verification is
audited, without subjects: who asked (client, page's address), which number, the answer.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import timedelta

from django.utils import timezone

from yakuba.certificates.models import Certificate
from yakuba.certificates.services import qr, signing
from yakuba.platform.audit.log import Action, record
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import require_tenant

logger = logging.getLogger("yakuba.certificates")

GENUINE, ALTERED, UNKNOWN = "genuine", "altered", "unknown"
RESOURCE = "certificate-verification"
NUMBER_PATTERN = r"^[0-9A-Za-z-]{1,20}$"
# The public page: at most this many verifications per client address and municipality in
# the window (counted from the audit rows, so it holds across server processes).
THROTTLE_LIMIT = 30
THROTTLE_WINDOW = timedelta(minutes=10)
PUBLIC_ACTOR = "public-verification-page"  # the audit actor of the page (no sign-in)
_NUMBER = re.compile(NUMBER_PATTERN)


def is_number(text: str) -> bool:
    """Whether ``text`` has the shape of a 証明書番号 (checked before any query)."""
    return bool(_NUMBER.match(text))


def _issued(number: str | None) -> tuple[Certificate | None, bool]:
    """(the ledger row of ``number`` if issued and not voided, whether it is a voided one)."""
    if not number or not _NUMBER.match(number):
        return None, False
    row = (
        Certificate.objects.filter(number=number)
        .only("number", "pdf_digest", "content_digest", "voided_at")
        .first()
    )
    if row is not None and row.voided_at is not None:
        logger.info("verification of voided certificate %s (%s)", number, require_tenant().lg_code)
        return None, True
    return row, False


def _audit(how: str, number: str | None, result: str, voided: bool) -> None:
    detail = {"how": how, "number": (number or "")[:40], "result": result}
    if voided:
        detail["voided"] = True
    record(Action.READ, RESOURCE, detail=detail)


def verify_number(number: str) -> str:
    """``genuine`` when ``number`` was issued here and is not voided, else ``unknown``."""
    row, voided = _issued(number)
    result = GENUINE if row is not None else UNKNOWN
    _audit("number", number, result, voided)
    return result


def verify_pdf(pdf: bytes) -> tuple[str, str | None]:
    """(answer, 証明書番号 read from the file) for a presented PDF.

    ``unknown`` when the file names no number, names another municipality or a number the
    ledger does not hold (or voided); ``altered`` when its SHA-256 is not the ``pdf_digest`` of
    the certificate issued or its signature does not verify with the municipality's keys.
    """
    lg_code, number = signing.read_marks(pdf)
    row, voided = _issued(number) if lg_code in (None, require_tenant().lg_code) else (None, False)
    if row is None:
        result = UNKNOWN
    elif hashlib.sha256(pdf).hexdigest() != row.pdf_digest:
        result = ALTERED
    elif signing.signature_status(pdf) != signing.VALID:
        result = ALTERED
    else:
        result = GENUINE
    _audit("pdf", number, result, voided)
    return result, number


def verify_payload(text: str) -> tuple[str, str | None]:
    """(answer, 証明書番号) for the text of a certificate's QR code: ``altered`` when the
    digest it carries is not the content digest of the certificate issued under its number."""
    parsed = qr.parse(text)
    if parsed is None or parsed.lg_code != require_tenant().lg_code:
        _audit("qr", None, UNKNOWN, False)
        return UNKNOWN, None
    row, voided = _issued(parsed.number)
    if row is None:
        result = UNKNOWN
    elif row.content_digest != parsed.digest:
        result = ALTERED
    else:
        result = GENUINE
    _audit("qr", parsed.number, result, voided)
    return result, parsed.number


def throttled(ip: str) -> bool:
    """Whether ``ip`` has verified ``THROTTLE_LIMIT`` times within the window (public page):
    the page must not become a way to try numbers one after another."""
    since = timezone.now() - THROTTLE_WINDOW
    recent = AuditEntry.objects.filter(actor=PUBLIC_ACTOR, resource=RESOURCE, ip=ip, recorded_at__gte=since)
    return recent[:THROTTLE_LIMIT].count() >= THROTTLE_LIMIT
