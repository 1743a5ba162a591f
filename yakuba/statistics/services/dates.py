"""The dates a report may be asked for, checked once for the CLI and the API."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.utils import timezone


class BadRequest(ValueError):
    """Input a report cannot be made from; ``field`` names it, the message is Japanese."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def check_as_of(day: date, field: str = "as_of") -> None:
    """A 基準日 counts the registry at the start of the day, so tomorrow is the last day known
    (today's 異動 are in); a later day would count 転出予定 as done before they happen."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    if day < EARLIEST:
        raise BadRequest(field, f"基準日は {EARLIEST.isoformat()} 以降の日付を指定してください")
    if day > tomorrow:
        raise BadRequest(field, f"基準日は {tomorrow.isoformat()}（明日）までの日付を指定してください")


EARLIEST = date(1900, 1, 1)  # before any registry; a year earlier must still be a date
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_bounds(month: str, field: str = "month") -> tuple[date, date]:
    """The first and last day of ``YYYY-MM`` (西暦), refused with a message naming ``field``. A
    month not over yet ends today: a 転出予定 filed for a later day of it has not happened."""
    found = _MONTH.match(month.strip())
    if not found or not 1 <= int(found[2]) <= 12 or int(found[1]) < EARLIEST.year:
        raise BadRequest(field, f"年月は西暦の YYYY-MM で指定してください（例: 2026-11）: {month}")
    first = date(int(found[1]), int(found[2]), 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    if first > timezone.localdate():
        raise BadRequest(field, f"まだ始まっていない月です: {month}")
    return first, min(following - timedelta(days=1), timezone.localdate())
