"""Pure-Python rules of the 住民記録システム標準仕様書 (no Django, no database).

* :mod:`.relationship` — 続柄 grammar and checks (§1.1.11).
* :mod:`.ordering` — 世帯員の並び順 (§5.2) and the §1.1.11 "highest-ranking spelling" rule.
* :mod:`.age` — 年齢 as the register counts it (年齢計算ニ関スル法律).
"""

from yakuba.registry.rules import age, ordering, relationship
from yakuba.registry.rules.age import *  # noqa: F403
from yakuba.registry.rules.ordering import *  # noqa: F403
from yakuba.registry.rules.relationship import *  # noqa: F403

__all__ = [*age.__all__, *ordering.__all__, *relationship.__all__]  # noqa: PLE0604
