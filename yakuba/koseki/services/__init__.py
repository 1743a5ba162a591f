"""The 戸籍's only door for other code: file a 届出, read a 戸籍 and a person's 身分事項.

Other domains import from here (never from ``yakuba.koseki.models``); out-of-process systems use
the events (``jp.yakuba.koseki.*``). Views are dataclasses, never ORM rows.
"""

from yakuba.koseki.services.certificates import issue_certificate
from yakuba.koseki.services.ex_officio import Recorded, Rejected, note_notified, record_ex_officio
from yakuba.koseki.services.forms import Invalid
from yakuba.koseki.services.migration import record_existing
from yakuba.koseki.services.notifications import Filed, check_notification, file_notification
from yakuba.koseki.services.queries import (
    EntryView,
    KosekiView,
    MemberView,
    NotFound,
    PersonEntry,
    entries_of,
    koseki_ids,
    koseki_of,
)
from yakuba.koseki.services.readings import (
    FILING_FROM,
    FILING_UNTIL,
    RECORDED_FROM,
    NotifiedReading,
    ReadingsPage,
    notified_readings,
)
from yakuba.koseki.services.remake import remake

__all__ = [
    "FILING_FROM",
    "FILING_UNTIL",
    "RECORDED_FROM",
    "EntryView",
    "Filed",
    "Invalid",
    "KosekiView",
    "MemberView",
    "NotFound",
    "NotifiedReading",
    "PersonEntry",
    "ReadingsPage",
    "Recorded",
    "Rejected",
    "check_notification",
    "entries_of",
    "file_notification",
    "issue_certificate",
    "koseki_ids",
    "koseki_of",
    "note_notified",
    "notified_readings",
    "record_existing",
    "remake",
    "record_ex_officio",
]
