"""The 電子公印: a PAdES signature on every certificate, and checking one.

PAdES baseline B-B (ETSI EN 319 142-1 §6.3: a CMS signature with ``ETSI.CAdES.detached``, the
signing certificate as a signed attribute, no signing-time in the CMS) made with pyHanko, by the
municipality's key (``keys.current_key``). It takes the place of the printed 公印 for a copy that
leaves the office as a file (住民記録システム標準仕様書 §5 証明: 公印・認証者; docs/certificates.md,
"Signature and verification"). B-B carries no timestamp: the ledger's ``issued_at`` is the date
of issue, and the key rows are kept, so a signature made by an older key still verifies.

The 証明書番号 and the 団体コード are written into the PDF's document information dictionary
(``/YakubaCertificateNumber``, ``/YakubaLgCode``) in the signed revision, so verification finds
the number without the QR code, and the signature covers them.
"""

from __future__ import annotations

import io
import logging
import re

from yakuba.certificates.services import keys
from yakuba.platform.municipalities import lookup
from yakuba.platform.tenancy.context import require_tenant

logger = logging.getLogger("yakuba.certificates")

REASON = "証明書の真正性の証明"
FIELD_NAME = "Signature1"
NUMBER_KEY = "/YakubaCertificateNumber"
LG_CODE_KEY = "/YakubaLgCode"

VALID, INVALID, UNSIGNED = "valid", "invalid", "unsigned"

# Fallback when the PDF no longer parses: the document information dictionary written by
# pyHanko is an uncompressed object (``/YakubaCertificateNumber (20261206-000011)``).
_RAW_MARK = re.compile(rb"/Yakuba(CertificateNumber|LgCode)\s*\(([0-9A-Za-z-]{1,40})\)")


def sign(pdf: bytes, *, number: str) -> bytes:
    """``pdf`` signed by the current municipality's key, its number in the document info."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

    lg_code = require_tenant().lg_code
    material = keys.current_key()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if isinstance(info_ref, generic.IndirectObject):
        info = info_ref.get_object()
    else:
        info = generic.DictionaryObject()
        writer.trailer[generic.NameObject("/Info")] = writer.add_object(info)
    info[generic.NameObject(NUMBER_KEY)] = generic.TextStringObject(number)
    info[generic.NameObject(LG_CODE_KEY)] = generic.TextStringObject(lg_code)
    if isinstance(info_ref, generic.IndirectObject):
        writer.update_container(info)
    metadata = PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=REASON,
        location=lookup(lg_code).name,
        name=keys.certifier_title(lg_code),
    )
    signer = PdfSigner(metadata, signer=material.signer)
    return signer.sign_pdf(writer, bytes_reserved=material.signature_room).getvalue()


def read_marks(pdf: bytes) -> tuple[str | None, str | None]:
    """(団体コード, 証明書番号) written by ``sign``, or None for what cannot be read."""
    found: dict[str, str] = {}
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        info = PdfFileReader(io.BytesIO(pdf), strict=False).trailer["/Info"]
        for key, name in ((NUMBER_KEY, "CertificateNumber"), (LG_CODE_KEY, "LgCode")):
            value = info.get(key)
            if value is not None:
                found[name] = str(value)
    except Exception:  # noqa: BLE001 - any unreadable PDF: fall back to the raw bytes
        for match in _RAW_MARK.finditer(pdf):
            found[match.group(1).decode()] = match.group(2).decode()
    return found.get("LgCode"), found.get("CertificateNumber")


def signature_status(pdf: bytes) -> str:
    """``valid``: every signature intact and made by a key of this municipality (its ``SigningKey``
    chains are the trust roots), the last one covering the whole file — so nothing was appended
    after signing; ``unsigned``: no signature at all; ``invalid`` otherwise."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception:  # noqa: BLE001 - pyHanko raises many kinds on a broken file
        return INVALID if b"/ByteRange" in pdf else UNSIGNED
    if not signatures:
        return UNSIGNED
    chains = keys.trusted_chains()
    if not chains:
        return INVALID
    context = ValidationContext(
        trust_roots=[chain[-1] for chain in chains],
        other_certs=[cert for chain in chains for cert in chain[:-1]],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    try:
        statuses = [validate_pdf_signature(sig, signer_validation_context=context) for sig in signatures]
    except Exception as exc:  # noqa: BLE001 - a malformed CMS or dictionary is an invalid signature
        logger.info("certificate signature could not be validated: %s", exc)
        return INVALID
    if all(s.bottom_line for s in statuses) and statuses[-1].coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return VALID
    return INVALID
