"""The certificates app's only door: issue, verify, the 交付履歴 and the issuing settings.

Other apps issue their own certificates (the tax app's 所得・課税証明書 …) with this machinery:
they build a ``Document`` of ``Sheet``s, ``Person``s and ``Item``s from their own records and
hand it to ``issue_document``, which checks who asked and 支援措置, numbers, QR-codes, signs and
records it; ``register_reissue`` lets the 交付履歴 issue it again; ``handover`` gives the signed
PDF to the clerk's printer once.
"""

from yakuba.certificates.services import handover
from yakuba.certificates.services.content import (
    Block,
    Document,
    Item,
    Person,
    Sheet,
    birth_text,
    full_address,
)
from yakuba.certificates.services.issuing import (
    Issued,
    NotFound,
    RequesterInfo,
    RuleViolation,
    issue_document,
    register_reissue,
)

__all__ = [
    "Block",
    "Document",
    "Issued",
    "Item",
    "NotFound",
    "Person",
    "RequesterInfo",
    "RuleViolation",
    "Sheet",
    "birth_text",
    "full_address",
    "handover",
    "issue_document",
    "register_reissue",
]
