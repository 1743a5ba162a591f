"""The address master's door: the only way in for its API, screens, CLI and other areas.

Reads return ``TownAreaRecord`` (never ORM rows); ``check_address`` is the rule every area that
records an address applies; ``load``/``read_csv``/``load_postal`` change the master in the
caller's transaction (all-or-nothing). Run inside ``tenant_context``.
"""

from yakuba.address.codes import Addressing, Source
from yakuba.address.services.load import (
    COLUMNS,
    Entry,
    Issue,
    LoadSummary,
    MasterRejected,
    entry_problems,
    load,
    load_postal,
    read_csv,
)
from yakuba.address.services.master import (
    TownAreaPage,
    TownAreaRecord,
    by_postal_code,
    check_address,
    is_loaded,
    town_areas,
)
from yakuba.address.services.postal import PostalTownArea, postal_town_areas
from yakuba.address.services.postal import database as postal_database
from yakuba.address.services.postal import usable as usable_postal_entry

__all__ = [
    "COLUMNS",
    "Addressing",
    "Entry",
    "Issue",
    "LoadSummary",
    "MasterRejected",
    "PostalTownArea",
    "Source",
    "TownAreaPage",
    "TownAreaRecord",
    "by_postal_code",
    "check_address",
    "entry_problems",
    "is_loaded",
    "load",
    "load_postal",
    "postal_database",
    "postal_town_areas",
    "read_csv",
    "town_areas",
    "usable_postal_entry",
]
