"""Persons in bulk for a batch of mailed documents: each one's current record, masked.

A notice or a card sent to every 国保世帯 names each addressee with the address — a thousand a
page. ``get_resident`` per person would be a thousand round trips; here a page of them is three
queries (支援措置, 住民, 除票) whatever its size. The caller records its own read or print, as for
``names_of`` (docs/development/adding-a-domain.md, step 5: the door hands out records, never rows).
"""

from __future__ import annotations

from collections.abc import Iterable

from yakuba.registry.models import Resident, ResidentArchive
from yakuba.registry.services.protection import protected_among
from yakuba.registry.services.records import MINIMAL, ResidentRecord, Visibility, resident_record


def residents_of(atena_nos: Iterable[str], *, visibility: Visibility = MINIMAL) -> dict[str, ResidentRecord]:
    """{宛名番号: the current record (住民, else 除票)} of the persons asked, masked for the caller;
    persons hidden from the caller by 支援措置 are left out (to the caller they do not exist)."""
    wanted = set(atena_nos)
    protected = protected_among(wanted)
    if not visibility.protected:
        wanted -= protected
    found = {
        row.atena_no: resident_record(row, visibility, protected=row.atena_no in protected)
        for row in Resident.objects.filter(atena_no__in=wanted)
    }
    missing = wanted - found.keys()
    if missing:
        found |= {
            row.atena_no: resident_record(row, visibility, protected=row.atena_no in protected)
            for row in ResidentArchive.objects.filter(atena_no__in=missing)
        }
    return found
