"""The address master's door: the only way in for its API, screens, CLI and other areas.

Reads return ``TownAreaRecord`` (never ORM rows); ``check_address`` is the rule every area that
records an address applies, ``refused_addresses`` the same rule over a whole batch in one
statement (a file import: its rows carry ``block_number``); ``load``/``read_csv``/``load_postal``
change the master in the caller's transaction (all-or-nothing). Run inside ``tenant_context``.
"""

from yakuba.address.codes import Addressing, Source
from yakuba.address.rules import block_number
from yakuba.address.services.bulk import ROW_COLUMNS, RefusedAddress, refused_addresses
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
    town_area_names,
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
    "ROW_COLUMNS",
    "RefusedAddress",
    "Source",
    "TownAreaPage",
    "TownAreaRecord",
    "block_number",
    "by_postal_code",
    "check_address",
    "entry_problems",
    "is_loaded",
    "load",
    "load_postal",
    "postal_database",
    "postal_town_areas",
    "read_csv",
    "refused_addresses",
    "town_area_names",
    "town_areas",
    "usable_postal_entry",
]
