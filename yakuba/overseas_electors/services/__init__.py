"""The 在外選挙人名簿's door (docs/overseas_electors.md): applications, the book, its 附票 notices
and the registry consumer."""

from yakuba.overseas_electors.services.applications import (
    DepartureIn,
    MissionIn,
    Refused,
    apply_departure,
    apply_mission,
    check_departure,
    check_mission,
    refuse,
)
from yakuba.overseas_electors.services.entries import (
    Registration,
    check_registration,
    mark_came_home,
    register,
    registrable_from,
    strike_off,
    strike_off_due,
)

__all__ = [
    "DepartureIn",
    "MissionIn",
    "Refused",
    "Registration",
    "apply_departure",
    "apply_mission",
    "check_departure",
    "check_mission",
    "check_registration",
    "mark_came_home",
    "refuse",
    "register",
    "registrable_from",
    "strike_off",
    "strike_off_due",
]
