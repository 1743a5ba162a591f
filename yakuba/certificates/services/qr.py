"""The QR code printed on a certificate: who issued it, its number, the digest of its content.

``YKB1:<団体コード>:<証明書番号>:<SHA-256 of the content, 64 hex digits upper case>`` — a paper
copy names the municipality and the number to check (docs/certificates.md, "Verification"),
and the digest lets the verifier see that the printed items are those issued (the 交付履歴's
``content_digest``). Upper-case hex keeps every character in the QR alphanumeric mode (ISO/IEC
18004 §7.4.4: 5.5 bits a character instead of 8), so the code stays small on the page. The
payload holds no personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yakuba.platform.tenancy.context import require_tenant

PREFIX = "YKB1"
_PAYLOAD = re.compile(r"^YKB1:(\d{6}):([0-9A-Z-]{1,20}):([0-9A-F]{64})$")


@dataclass(frozen=True)
class Payload:
    lg_code: str
    number: str
    digest: str  # lower-case hex, as the ledger stores it


def payload(number: str, digest: str) -> str:
    """The QR text of certificate ``number`` of the current municipality."""
    return payload_for(require_tenant().lg_code, number, digest)


def payload_for(lg_code: str, number: str, digest: str) -> str:
    return f"{PREFIX}:{lg_code}:{number}:{digest.upper()}"


def parse(text: str) -> Payload | None:
    """The parts of a QR text, or None when it is not one of ours."""
    match = _PAYLOAD.match(text.strip().upper())
    if match is None:
        return None
    return Payload(match.group(1), match.group(2), match.group(3).lower())


def make(text: str):
    """The segno QR object of a payload (error correction M: 15 % of a smudged print)."""
    import segno

    return segno.make(text, error="m", micro=False)


def qr_svg(number: str, digest: str) -> str:
    """Inline SVG (no XML declaration, no size: the template sets the width) of the QR code."""
    import io

    out = io.BytesIO()
    make(payload(number, digest)).save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,
        svgclass="certificate-qr",
        border=4,
    )
    return out.getvalue().decode()
