"""The 附票's only door (docs/development/adding-a-domain.md, step 4): its CLI, and later its API
and screens, and other domains — the 在外選挙人名簿 writes its note with ``note_overseas_elector``. A request
for a 附票の写し is checked with ``check_request`` (every broken rule at once) before ``annex_of``
with the items asked for; ``issue_copy`` issues the copy as a certificate."""

from yakuba.koseki_annex.rules.items import Item
from yakuba.koseki_annex.rules.requests import Requester, check_request
from yakuba.koseki_annex.services.annex import (
    AnnexRecord,
    ElectorLine,
    NotOnAnnex,
    PersonOnAnnex,
    Row,
    annex_of,
    annex_of_person,
    note_overseas_elector,
)
from yakuba.koseki_annex.services.consumer import CONSUMER, follow
from yakuba.koseki_annex.services.copy import CopyRequest, issue_copy
from yakuba.koseki_annex.services.notices import SentFile, TakenIn, send_out, take_in, unsent_count
from yakuba.koseki_annex.services.removals import follow_koseki
from yakuba.koseki_annex.services.rows import protected_codes
from yakuba.koseki_annex.services.search import Found, FoundPage, find_annexes

__all__ = [
    "CONSUMER",
    "AnnexRecord",
    "CopyRequest",
    "ElectorLine",
    "Found",
    "FoundPage",
    "Item",
    "NotOnAnnex",
    "PersonOnAnnex",
    "Requester",
    "Row",
    "SentFile",
    "TakenIn",
    "annex_of",
    "annex_of_person",
    "find_annexes",
    "check_request",
    "follow",
    "follow_koseki",
    "issue_copy",
    "note_overseas_elector",
    "protected_codes",
    "send_out",
    "take_in",
    "unsent_count",
]
