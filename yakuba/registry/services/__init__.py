"""The registry's only door for other code: moves, reads, search, 支援措置.

Other domains import from here (never from ``yakuba.registry.models``); out-of-process apps use
the HTTP API and events. Reads hand out ``ResidentRecord``/``HouseholdRecord`` already masked
for the caller's ``Visibility`` (支援措置, restricted items, zone), never ORM rows.
"""

from yakuba.registry.codes import RECORDED_FLOWS, REMOVED_FLOWS, Flow
from yakuba.registry.errors import Conflict, NotFound, RuleViolation
from yakuba.registry.services.addressees import residents_of
from yakuba.registry.services.changes import Change
from yakuba.registry.services.household_list import HouseholdLine, HouseholdPage, household_list
from yakuba.registry.services.inhabitants import (
    Inhabitant,
    atena_nos_by_my_number,
    born_on,
    count_inhabitants_on,
    inhabitants_on,
    inhabitants_page,
)
from yakuba.registry.services.move_history import (
    HistoryEntry,
    MoveInfo,
    MoveRecord,
    move_record,
    person_history,
)
from yakuba.registry.services.move_request import MoveRequest, parse_move, parse_move_leniently
from yakuba.registry.services.moves import MoveResult, Preview, apply_move, check_move, preview_move
from yakuba.registry.services.protection import (
    Measure,
    Offender,
    Opinion,
    current_measure,
    end_measure,
    expiring,
    extend_measure,
    is_protected,
    protected_among,
    protected_atena_nos,
    set_measure,
)
from yakuba.registry.services.queries import (
    SearchHit,
    SearchQuery,
    birth_dates_of,
    get_resident,
    heads_of,
    history,
    household,
    household_members,
    move_summary,
    names_of,
    search,
    search_hits,
)
from yakuba.registry.services.records import HouseholdRecord, ResidentRecord, Visibility
from yakuba.registry.services.statistics import (
    DIMENSIONS,
    Census,
    FlowCount,
    HouseholdCount,
    PersonCount,
    census_on,
    movements_between,
    year_before,
)

__all__ = [
    "DIMENSIONS",
    "RECORDED_FLOWS",
    "REMOVED_FLOWS",
    "Census",
    "Change",
    "Flow",
    "FlowCount",
    "HouseholdCount",
    "PersonCount",
    "census_on",
    "movements_between",
    "year_before",
    "Conflict",
    "HistoryEntry",
    "MoveInfo",
    "MoveRecord",
    "Preview",
    "HouseholdLine",
    "HouseholdPage",
    "HouseholdRecord",
    "Inhabitant",
    "Measure",
    "MoveRequest",
    "Offender",
    "Opinion",
    "MoveResult",
    "NotFound",
    "ResidentRecord",
    "RuleViolation",
    "SearchHit",
    "SearchQuery",
    "Visibility",
    "apply_move",
    "atena_nos_by_my_number",
    "birth_dates_of",
    "born_on",
    "check_move",
    "current_measure",
    "end_measure",
    "expiring",
    "extend_measure",
    "get_resident",
    "history",
    "household",
    "household_list",
    "heads_of",
    "household_members",
    "count_inhabitants_on",
    "inhabitants_on",
    "inhabitants_page",
    "is_protected",
    "move_record",
    "move_summary",
    "person_history",
    "preview_move",
    "names_of",
    "residents_of",
    "parse_move",
    "parse_move_leniently",
    "protected_among",
    "protected_atena_nos",
    "search",
    "search_hits",
    "set_measure",
]
