"""The 介護保険 app's door: what its API and CLI — and other apps — call.

- ``calculate_kaigo``: the 第1号被保険者's 保険料段階, annual premium and 利用者負担割合 of contract
  §9.4.1 (pure: no database).
- 第1号 資格: ``follow`` (the registry feed's consumer), ``age_events`` (the daily 65歳到達),
  ``insured_on``, ``seed_insured`` (demo aid).
"""

from yakuba.long_term_care.services.calculation import KaigoIn, KaigoOut, calculate_kaigo
from yakuba.long_term_care.services.qualification import (
    age_events,
    checksum,
    follow,
    insured_on,
    seed_insured,
)
from yakuba.platform.calculations import CalculationRejected

__all__ = [
    "CalculationRejected",
    "KaigoIn",
    "KaigoOut",
    "age_events",
    "calculate_kaigo",
    "checksum",
    "follow",
    "insured_on",
    "seed_insured",
]
