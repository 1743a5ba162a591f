"""Pure-Python rules of the 住民記録システム標準仕様書 (no Django, no database).

* :mod:`.relationship` — 続柄 grammar and checks (§1.1.11).
* :mod:`.ordering` — 世帯員の並び順 (§5.2) and the §1.1.11 "highest-ranking spelling" rule.
"""

from yakuba.registry.rules.ordering import (
    OrderFields,
    household_order_key,
    member_fields,
    preferred,
    rank,
    sort_members,
)
from yakuba.registry.rules.relationship import (
    BASE_TERMS,
    CHILD_SPOUSE_TERMS,
    COHABITANT,
    HEAD,
    MAX_GENERATIONS,
    RELATIVE_BY_CUSTOM,
    SPOUSE_TERMS,
    RelationshipError,
    check_single_head,
    generations,
    is_head,
    is_spouse,
    links,
    normalize,
    validate_relationship,
)

__all__ = [
    "BASE_TERMS",
    "CHILD_SPOUSE_TERMS",
    "COHABITANT",
    "HEAD",
    "MAX_GENERATIONS",
    "RELATIVE_BY_CUSTOM",
    "SPOUSE_TERMS",
    "OrderFields",
    "RelationshipError",
    "check_single_head",
    "generations",
    "household_order_key",
    "is_head",
    "is_spouse",
    "links",
    "member_fields",
    "normalize",
    "preferred",
    "rank",
    "sort_members",
    "validate_relationship",
]
