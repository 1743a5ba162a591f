"""The registry's only door for other code: moves, reads, search, 支援措置.

Other domains import from here (never from ``yakuba.registry.models``); out-of-process apps use
the HTTP API and events.
"""

from yakuba.registry.errors import Conflict, NotFound, RuleViolation
from yakuba.registry.services.moves import MoveResult, apply_move
from yakuba.registry.services.protection import (
    current_measure,
    end_measure,
    extend_measure,
    is_protected,
    protected_atena_nos,
    set_measure,
)
from yakuba.registry.services.queries import (
    SearchQuery,
    Visibility,
    get_resident,
    history,
    household_members,
    move_summary,
    my_number_of,
    search,
)

__all__ = [
    "Conflict",
    "current_measure",
    "MoveResult",
    "NotFound",
    "RuleViolation",
    "SearchQuery",
    "Visibility",
    "apply_move",
    "end_measure",
    "extend_measure",
    "get_resident",
    "history",
    "household_members",
    "move_summary",
    "is_protected",
    "my_number_of",
    "protected_atena_nos",
    "search",
    "set_measure",
]
