"""The 後期高齢者医療 app's door: what its API and CLI — and other apps — call.

- ``calculate_kouki``: the pure 後期高齢者医療保険料 calculation of contract §9.4 (no database).
- 資格: ``follow`` (the registry feed's consumer), ``age_events`` (the daily 75歳到達), ``enrol``
  (障害認定), ``set_welfare`` (生活保護 開始・廃止), ``insured_on``, ``seed_insured`` (demo aid).
"""

from yakuba.late_elderly_medical.services.calculation import KoukiIn, KoukiOut, calculate_kouki
from yakuba.late_elderly_medical.services.qualification import (
    QualificationRejected,
    age_events,
    checksum,
    enrol,
    follow,
    insured_on,
    seed_insured,
    set_welfare,
)
from yakuba.platform.calculations import CalculationRejected

__all__ = [
    "CalculationRejected",
    "KoukiIn",
    "KoukiOut",
    "QualificationRejected",
    "age_events",
    "calculate_kouki",
    "checksum",
    "enrol",
    "follow",
    "insured_on",
    "seed_insured",
    "set_welfare",
]
